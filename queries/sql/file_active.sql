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
SELECT stg.territoire_de($maille, a.plateforme, a.code_epci, a.code_commune, a.code_departement) AS territoire,
       p.periode,
       count(*) AS nb_file_active
FROM stg.accompagnements a
JOIN stg.periodes($debut, $fin, $pas) p
  ON a.date_debut <= p.fin_periode AND (a.date_fin IS NULL OR a.date_fin >= p.debut_periode)
WHERE list_contains($plateformes, a.plateforme)
  AND stg.du_public($public, a.publics, a.est_sans_domicile)
GROUP BY ALL
ORDER BY territoire, periode
