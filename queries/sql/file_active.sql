-- id: file_active
-- titre: File active des accompagnements
-- definition: Nombre de mesures d'accompagnement en cours pendant la période : débutées au plus tard le
--   dernier jour de la période et non terminées avant son premier jour. Avec un pas mensuel, trimestriel ou
--   annuel, chaque sous-période a sa propre file active. Pour la file active à une date, prendre début = fin.
--   Paramètre public : « tous » (défaut), « sans_domicile » ou un public spécifique, lu sur la saisine à l'origine
--   de la mesure, à défaut sur la première saisine du ménage.
-- unite: mesures
-- grain: territoire × période
-- parametres: debut, fin, plateformes, maille, pas, public=tous
-- sources: stg.accompagnements, stg.periodes
-- sens: neutre
-- valeur: nb_file_active
-- dimensions: territoire, periode
-- comptes: nb_file_active

-- A measure [start, end] overlaps a period exactly when the period lies between the period of its start and
-- the period of its end (both clipped to [debut, fin]): measures are counted by territory and these two
-- periods (few groups), then spread over the periods.
WITH mesures AS (
    SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
           stg.periode_de(greatest(date_debut, CAST($debut AS DATE)), $pas, $debut) AS periode_debut,
           stg.periode_de(least(coalesce(date_fin, CAST($fin AS DATE)), CAST($fin AS DATE)), $pas, $debut)
               AS periode_fin,
           count(*) AS nb_mesures
    FROM stg.accompagnements
    WHERE date_debut <= $fin AND (date_fin IS NULL OR date_fin >= $debut)
      AND list_contains($plateformes, plateforme)
      AND stg.du_public($public, publics, est_sans_domicile)
    GROUP BY ALL
)
SELECT m.territoire,
       p.periode,
       CAST(sum(m.nb_mesures) AS BIGINT) AS nb_file_active
FROM mesures m
JOIN stg.periodes($debut, $fin, $pas) p ON p.periode BETWEEN m.periode_debut AND m.periode_fin
GROUP BY ALL
ORDER BY territoire, periode
