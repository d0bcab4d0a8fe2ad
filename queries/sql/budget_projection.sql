-- id: budget_projection
-- titre: Projection de la consommation au 31 décembre
-- definition: Par financeur, pour l'année de la date d'arrêté (fin) : payé à la date d'arrêté, projeté au
--   31 décembre au rythme constaté depuis le 1er janvier (payé × jours de l'année / jours écoulés), taux de
--   consommation projeté (projection / conventionné) et alerte : « sous-consommation » sous $seuil_bas %,
--   « dépassement » au-delà de $seuil_haut %, « conforme » entre les deux. Ligne « Ensemble » pour le total.
-- unite: euros
-- grain: financeur
-- parametres: fin, plateformes, seuil_bas=90, seuil_haut=100
-- sources: stg.financements, stg.depenses
-- sens: neutre
-- valeur: taux_consommation_projete
-- dimensions: financeur
WITH perimetre_complet AS (
    SELECT tout FROM stg.perimetre_complet($plateformes)
), lignes AS (
    SELECT f.*
    FROM stg.financements f, perimetre_complet p
    WHERE f.annee = year(CAST($fin AS DATE))
      AND (list_contains($plateformes, f.plateforme) OR (f.plateforme IS NULL AND p.tout))
), paye AS (
    SELECT id_financement, sum(montant_mouvement) AS montant_paye
    FROM stg.depenses
    WHERE mouvement = 'paiement' AND date_mouvement <= $fin
    GROUP BY id_financement
), calendrier AS (
    SELECT date_diff('day', make_date(year(CAST($fin AS DATE)), 1, 1), CAST($fin AS DATE)) + 1 AS nb_jours_ecoules,
           date_diff('day', make_date(year(CAST($fin AS DATE)), 1, 1),
                     make_date(year(CAST($fin AS DATE)) + 1, 1, 1)) AS nb_jours_annee
), par_financeur AS (
    SELECT coalesce(l.financeur, 'Ensemble') AS financeur,
           sum(l.montant_conventionne) AS montant_conventionne,
           coalesce(sum(p.montant_paye), 0) AS montant_paye
    FROM lignes l LEFT JOIN paye p USING (id_financement)
    GROUP BY ROLLUP (l.financeur)
)
SELECT f.financeur, f.montant_conventionne, f.montant_paye,
       CAST(f.montant_paye AS DOUBLE) / nullif(f.montant_conventionne, 0) AS taux_consommation,
       c.nb_jours_ecoules,
       CAST(f.montant_paye AS DOUBLE) * c.nb_jours_annee / c.nb_jours_ecoules AS montant_projete,
       CAST(f.montant_paye AS DOUBLE) * c.nb_jours_annee / c.nb_jours_ecoules / nullif(f.montant_conventionne, 0)
           AS taux_consommation_projete,
       CASE
           WHEN f.montant_conventionne IS NULL OR f.montant_conventionne = 0 THEN NULL
           WHEN CAST(f.montant_paye AS DOUBLE) * c.nb_jours_annee / c.nb_jours_ecoules
                < f.montant_conventionne * $seuil_bas / 100 THEN 'sous-consommation'
           WHEN CAST(f.montant_paye AS DOUBLE) * c.nb_jours_annee / c.nb_jours_ecoules
                > f.montant_conventionne * $seuil_haut / 100 THEN 'dépassement'
           ELSE 'conforme'
       END AS alerte
FROM par_financeur f, calendrier c
ORDER BY f.financeur = 'Ensemble', f.financeur
