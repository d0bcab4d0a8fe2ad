-- id: cofinancement
-- titre: Répartition du cofinancement par action
-- definition: Pour chaque action financée l'année de la date d'arrêté (fin), part de chaque financeur dans le
--   montant conventionné total de l'action, comparée au taux de cofinancement attendu de la convention
--   (moyenne des taux des lignes, pondérée par les montants ; vide si non renseigné) ; écart en points.
-- unite: % du montant conventionné de l'action
-- grain: action × financeur
-- parametres: fin, plateformes
-- sources: stg.financements
-- sens: neutre
-- valeur: taux_part_reelle
-- dimensions: action, financeur
WITH perimetre_complet AS (
    SELECT tout FROM stg.perimetre_complet($plateformes)
), lignes AS (
    SELECT f.*
    FROM stg.financements f, perimetre_complet p
    WHERE f.annee = year(CAST($fin AS DATE))
      AND (list_contains($plateformes, f.plateforme) OR (f.plateforme IS NULL AND p.tout))
), par_financeur AS (
    SELECT action, financeur, sum(montant_conventionne) AS montant_conventionne,
           sum(taux_cofinancement * montant_conventionne) FILTER (WHERE taux_cofinancement IS NOT NULL)
               / nullif(sum(montant_conventionne) FILTER (WHERE taux_cofinancement IS NOT NULL), 0)
               AS taux_attendu
    FROM lignes
    GROUP BY action, financeur
)
SELECT action, financeur, montant_conventionne,
       CAST(montant_conventionne AS DOUBLE) / sum(montant_conventionne) OVER (PARTITION BY action) AS taux_part_reelle,
       CAST(taux_attendu AS DOUBLE) AS taux_attendu,
       CAST(montant_conventionne AS DOUBLE) / sum(montant_conventionne) OVER (PARTITION BY action) - taux_attendu
           AS ecart_points
FROM par_financeur
ORDER BY action, montant_conventionne DESC
