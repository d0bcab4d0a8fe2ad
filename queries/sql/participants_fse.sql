-- id: participants_fse
-- titre: Participants FSE+ par sexe et âge
-- definition: Nombre de ménages distincts entrés dans la période dans une mesure d'accompagnement qui a duré plus
--   d'un jour (mesure en cours, ou terminée plus d'un jour après son début) : les sollicitations ponctuelles ne
--   sont pas des participants. Sexe et tranche d'âge de la personne de référence, lus sur la saisine de la
--   première mesure du ménage dans la période (« non renseigné » sinon).
--   Paramètre public : « tous » (défaut), « sans_domicile » ou un public spécifique, lu sur la saisine à l'origine
--   de la mesure, à défaut sur la première saisine du ménage.
-- unite: participants (ménages)
-- grain: territoire × période × sexe × tranche d'âge
-- parametres: debut, fin, plateformes, maille, pas, public=tous
-- sources: stg.accompagnements
-- sens: hausse_favorable
-- valeur: nb_participants
-- dimensions: territoire, periode, sexe, tranche_age
-- comptes: nb_participants
WITH mesures AS (
    SELECT *
    FROM stg.accompagnements
    WHERE date_debut BETWEEN $debut AND $fin
      AND (date_fin IS NULL OR date_fin > date_debut + 1)
      AND list_contains($plateformes, plateforme)
      AND stg.du_public($public, publics, est_sans_domicile)
), premieres AS (
    SELECT id_menage,
           arg_min(stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement), date_debut)
               AS territoire,
           stg.periode_de(min(date_debut), $pas, $debut) AS periode,
           coalesce(arg_min(sexe, date_debut), 'non renseigné') AS sexe,
           coalesce(arg_min(tranche_age, date_debut), 'non renseigné') AS tranche_age
    FROM mesures
    GROUP BY id_menage
)
SELECT territoire, periode, sexe, tranche_age, count(*) AS nb_participants
FROM premieres
GROUP BY ALL
ORDER BY territoire, periode, sexe, tranche_age
