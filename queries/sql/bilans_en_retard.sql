-- id: bilans_en_retard
-- titre: Bilans en retard
-- definition: Liste des bilans attendus dans la période (3, 6 ou 12 mois après le début, mesure encore ouverte
--   à l'échéance) qui n'ont pas été reçus dans les $delai_tolerance jours (30 par défaut) suivant l'échéance :
--   reçus en retard, ou toujours manquants alors que le délai est écoulé à la fin de la période. Le retard est
--   compté jusqu'à la réception, ou jusqu'à la fin de la période pour un bilan manquant. Liste de mesures
--   (identifiants pseudonymes), sans donnée personnelle.
--   Paramètre public : « tous » (défaut), « sans_domicile » ou un public spécifique, lu sur la saisine à l'origine
--   de la mesure, à défaut sur la première saisine du ménage.
-- unite: bilans
-- grain: un bilan en retard
-- parametres: debut, fin, plateformes, public=tous, delai_tolerance=30
-- sources: stg.accompagnements
-- sens: baisse_favorable
-- valeur: nb_jours_retard
-- dimensions: plateforme, id_accompagnement, echeance

-- The measures that may have a review due in the period are read with a grouping straight on
-- stg.accompagnements (one row per measure: it lets DuckDB skip the referral lookup), then unpivoted
-- (3 reviews each) and filtered exactly.
WITH mesures AS (
    SELECT plateforme, id_accompagnement, mesure, operateur, date_fin, date_echeance_bilan_3m, date_bilan_3m,
           date_echeance_bilan_6m, date_bilan_6m, date_echeance_bilan_12m, date_bilan_12m
    FROM stg.accompagnements
    WHERE date_debut BETWEEN CAST(CAST($debut AS DATE) - INTERVAL 13 MONTH AS DATE) AND $fin
      AND list_contains($plateformes, plateforme)
      AND stg.du_public($public, publics, est_sans_domicile)
    GROUP BY ALL
), bilans AS (
    SELECT plateforme, id_accompagnement, mesure, operateur, date_fin,
           unnest(['3 mois', '6 mois', '12 mois']) AS echeance,
           unnest([date_echeance_bilan_3m, date_echeance_bilan_6m, date_echeance_bilan_12m]) AS date_echeance,
           unnest([date_bilan_3m, date_bilan_6m, date_bilan_12m]) AS date_bilan
    FROM mesures
)
SELECT plateforme, id_accompagnement, mesure, operateur, echeance, date_echeance, date_bilan,
       date_diff('day', date_echeance, coalesce(date_bilan, CAST($fin AS DATE))) AS nb_jours_retard,
       date_bilan IS NULL AS est_manquant
FROM bilans
WHERE date_echeance BETWEEN $debut AND $fin
  AND (date_fin IS NULL OR date_fin >= date_echeance)
  AND ((date_bilan IS NULL AND date_echeance + $delai_tolerance < $fin)
       OR date_bilan > date_echeance + $delai_tolerance)
ORDER BY plateforme, date_echeance, id_accompagnement
