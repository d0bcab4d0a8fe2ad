-- id: budget_cumul
-- titre: Consommation cumulée des crédits mois par mois
-- definition: Pour l'année de la date d'arrêté (fin), par financeur et pour l'ensemble (ligne « Ensemble ») :
--   montant conventionné de l'année et montants engagés et payés cumulés à la fin de chaque mois, de janvier au
--   mois de la date d'arrêté (le dernier mois est arrêté à cette date ; les mouvements antérieurs au 1er janvier
--   comptent dès janvier), avec le montant du mois (cumul du mois moins cumul du mois précédent). Le dernier
--   cumul est égal à l'engagé et au payé de la consommation des crédits à la date d'arrêté. Mêmes lignes de
--   financement que la consommation : les lignes sans plateforme (transverses) ne sont comptées qu'avec un
--   périmètre couvrant toutes les plateformes. Montants : non soumis au secret statistique.
-- unite: euros
-- grain: financeur × mois
-- parametres: fin, plateformes
-- sources: stg.financements, stg.depenses
-- sens: neutre
-- valeur: montant_paye_cumule
-- dimensions: financeur, mois
-- secret: non
WITH perimetre_complet AS (
    SELECT tout FROM stg.perimetre_complet($plateformes)
), lignes AS (
    SELECT f.*
    FROM stg.financements f, perimetre_complet p
    WHERE f.annee = year(CAST($fin AS DATE))
      AND (list_contains($plateformes, f.plateforme) OR (f.plateforme IS NULL AND p.tout))
), mois AS (
    SELECT CAST(m AS DATE) AS mois,
           least(CAST(m + INTERVAL 1 MONTH AS DATE) - 1, CAST($fin AS DATE)) AS date_arrete
    FROM generate_series(CAST(make_date(year(CAST($fin AS DATE)), 1, 1) AS TIMESTAMP),
                         CAST(CAST($fin AS DATE) AS TIMESTAMP), INTERVAL 1 MONTH) AS t(m)
), financeurs AS (
    SELECT financeur, sum(montant_conventionne) AS montant_conventionne
    FROM lignes
    GROUP BY financeur
    UNION ALL
    SELECT 'Ensemble', sum(montant_conventionne)
    FROM lignes
    HAVING count(*) > 0
), mouvements AS (
    SELECT l.financeur, d.date_mouvement, d.mouvement, d.montant_mouvement
    FROM stg.depenses d
    JOIN lignes l USING (id_financement)
    WHERE d.date_mouvement <= $fin AND d.mouvement IN ('engagement', 'paiement')
), cumuls AS (
    SELECT f.financeur, m.mois, m.date_arrete, f.montant_conventionne,
           coalesce(sum(mv.montant_mouvement) FILTER (WHERE mv.mouvement = 'engagement'), 0) AS montant_engage_cumule,
           coalesce(sum(mv.montant_mouvement) FILTER (WHERE mv.mouvement = 'paiement'), 0) AS montant_paye_cumule
    FROM financeurs f
    CROSS JOIN mois m
    LEFT JOIN mouvements mv
           ON (mv.financeur = f.financeur OR f.financeur = 'Ensemble') AND mv.date_mouvement <= m.date_arrete
    GROUP BY f.financeur, m.mois, m.date_arrete, f.montant_conventionne
)
SELECT financeur, mois, date_arrete, montant_conventionne,
       montant_engage_cumule - coalesce(lag(montant_engage_cumule) OVER w, 0) AS montant_engage_mois,
       montant_paye_cumule - coalesce(lag(montant_paye_cumule) OVER w, 0) AS montant_paye_mois,
       montant_engage_cumule, montant_paye_cumule,
       CAST(montant_paye_cumule AS DOUBLE) / nullif(montant_conventionne, 0) AS taux_consommation_cumule
FROM cumuls
WINDOW w AS (PARTITION BY financeur ORDER BY mois)
ORDER BY financeur = 'Ensemble', financeur, mois
