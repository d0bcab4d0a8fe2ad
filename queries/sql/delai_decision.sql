-- id: delai_decision
-- titre: Délai de décision
-- definition: Médiane du nombre de jours entre la date de saisine et la date de décision, pour les saisines
--   (situations) reçues dans la période, décidées et dont la date de décision est renseignée.
--   Paramètre public : « tous » (défaut), « sans_domicile » (situation à la saisine : rue, habitat précaire,
--   hébergement d'urgence ou d'insertion) ou un public spécifique (jeune_vulnerable…), lu sur la saisine
--   elle-même.
-- unite: jours (médiane)
-- grain: territoire × période (date de saisine)
-- parametres: debut, fin, plateformes, maille, pas, public=tous
-- sources: stg.saisines
-- sens: baisse_favorable
-- valeur: nb_jours_decision_median
-- dimensions: territoire, periode
-- comptes: nb_decisions
-- taux: nb_jours_decision_median = / nb_decisions
SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
       stg.periode_de(date_saisine, $pas, $debut) AS periode,
       count(nb_jours_decision) AS nb_decisions,
       median(nb_jours_decision) AS nb_jours_decision_median
FROM stg.saisines
WHERE est_situation AND est_decidee
  AND date_saisine BETWEEN $debut AND $fin
  AND list_contains($plateformes, plateforme)
  AND stg.du_public($public, publics, est_sans_domicile)
GROUP BY ALL
ORDER BY territoire, periode
