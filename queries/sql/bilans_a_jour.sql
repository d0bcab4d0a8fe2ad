-- id: bilans_a_jour
-- titre: Bilans d'accompagnement à jour
-- definition: Parmi les bilans attendus dans la période (à 3, 6 et 12 mois après le début de la mesure, pour
--   les mesures encore ouvertes à cette échéance), part de ceux reçus au plus tard $delai_tolerance jours
--   (30 par défaut) après l'échéance. Un bilan dont le délai de tolérance n'est pas écoulé à la fin de la
--   période et qui n'est pas encore reçu n'est pas compté (il n'est pas encore en retard).
--   Paramètre public : « tous » (défaut), « sans_domicile » ou un public spécifique, lu sur la saisine à l'origine
--   de la mesure, à défaut sur la première saisine du ménage.
-- unite: % des bilans attendus
-- grain: territoire × période (date d'échéance)
-- parametres: debut, fin, plateformes, maille, pas, public=tous, delai_tolerance=30
-- sources: stg.accompagnements
-- sens: hausse_favorable
-- valeur: taux_bilans_a_jour
-- dimensions: territoire, periode
-- comptes: nb_bilans_attendus, nb_bilans_a_jour
-- taux: taux_bilans_a_jour = nb_bilans_a_jour / nb_bilans_attendus

-- Each measure's three reviews get a status (not due in the period: NULL; due and late: FALSE; due and on time:
-- TRUE) and the period of their due date; measures are counted by territory and these (few groups, and a count
-- straight on stg.accompagnements, filtered on its own columns, lets DuckDB skip the referral lookup at
-- platform level), then unpivoted.
WITH mesures AS (
    SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
           stg.periode_de(date_echeance_bilan_3m, $pas, $debut) AS periode_3m,
           stg.statut_bilan(date_echeance_bilan_3m, date_bilan_3m, date_fin, $debut, $fin, $delai_tolerance) AS statut_3m,
           stg.periode_de(date_echeance_bilan_6m, $pas, $debut) AS periode_6m,
           stg.statut_bilan(date_echeance_bilan_6m, date_bilan_6m, date_fin, $debut, $fin, $delai_tolerance) AS statut_6m,
           stg.periode_de(date_echeance_bilan_12m, $pas, $debut) AS periode_12m,
           stg.statut_bilan(date_echeance_bilan_12m, date_bilan_12m, date_fin, $debut, $fin, $delai_tolerance) AS statut_12m,
           count(*) AS nb_mesures
    FROM stg.accompagnements
    WHERE date_debut BETWEEN CAST(CAST($debut AS DATE) - INTERVAL 13 MONTH AS DATE) AND $fin
      AND list_contains($plateformes, plateforme)
      AND stg.du_public($public, publics, est_sans_domicile)
    GROUP BY ALL
), bilans AS (
    SELECT territoire, nb_mesures, unnest([periode_3m, periode_6m, periode_12m]) AS periode,
           unnest([statut_3m, statut_6m, statut_12m]) AS est_a_jour
    FROM mesures
)
SELECT territoire,
       periode,
       CAST(sum(nb_mesures) AS BIGINT) AS nb_bilans_attendus,
       CAST(coalesce(sum(nb_mesures) FILTER (WHERE est_a_jour), 0) AS BIGINT) AS nb_bilans_a_jour,
       coalesce(sum(nb_mesures) FILTER (WHERE est_a_jour), 0) / nullif(sum(nb_mesures), 0) AS taux_bilans_a_jour
FROM bilans
WHERE est_a_jour IS NOT NULL
GROUP BY ALL
ORDER BY territoire, periode
