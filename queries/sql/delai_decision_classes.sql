-- id: delai_decision_classes
-- titre: Délais de décision par classe de durée
-- definition: Répartition des saisines (situations) reçues dans la période, décidées et dont la date de
--   décision est renseignée, selon le nombre de jours entre la date de saisine et la date de décision :
--   « moins de 15 jours » (0 à 14 jours), « 15 à 30 jours », « 1 à 3 mois » (31 à 91 jours), « plus de 3 mois »
--   (92 jours et plus). En nombre et en part des décisions du territoire et de la période ; une classe sans
--   décision est absente (zéro). Même champ que delai_decision, dont elle donne la distribution.
--   Paramètre public : « tous » (défaut), « sans_domicile » (situation à la saisine : rue, habitat précaire,
--   hébergement d'urgence ou d'insertion) ou un public spécifique (jeune_vulnerable…), lu sur la saisine
--   elle-même.
-- unite: décisions et % des décisions
-- grain: territoire × période (date de saisine) × classe de délai
-- parametres: debut, fin, plateformes, maille, pas, public=tous
-- sources: stg.saisines
-- sens: neutre
-- valeur: nb_decisions
-- dimensions: territoire, periode, classe_delai
-- comptes: nb_decisions, nb_decisions_total
-- taux: taux_part = nb_decisions / nb_decisions_total
-- repetes: nb_decisions_total = classe_delai
WITH decisions AS (
    SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
           stg.periode_de(date_saisine, $pas, $debut) AS periode,
           CASE WHEN nb_jours_decision < 15 THEN 1
                WHEN nb_jours_decision <= 30 THEN 2
                WHEN nb_jours_decision <= 91 THEN 3
                ELSE 4 END AS ordre_classe
    FROM stg.saisines
    WHERE est_situation AND est_decidee
      AND nb_jours_decision IS NOT NULL
      AND date_saisine BETWEEN $debut AND $fin
      AND list_contains($plateformes, plateforme)
      AND stg.du_public($public, publics, est_sans_domicile)
), classes AS (
    SELECT territoire, periode, ordre_classe, count(*) AS nb_decisions
    FROM decisions GROUP BY ALL
), totaux AS (
    SELECT territoire, periode, count(*) AS nb_decisions_total FROM decisions GROUP BY ALL
)
SELECT territoire, periode,
       ['moins de 15 jours', '15 à 30 jours', '1 à 3 mois', 'plus de 3 mois'][ordre_classe] AS classe_delai,
       ordre_classe, nb_decisions, nb_decisions_total,
       nb_decisions / nb_decisions_total AS taux_part
FROM classes JOIN totaux USING (territoire, periode)
ORDER BY territoire, periode, ordre_classe
