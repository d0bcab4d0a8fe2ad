-- id: budget_consommation
-- titre: Consommation des crédits par ligne de financement
-- definition: Pour chaque ligne de financement de l'année de la date d'arrêté (fin) : montant conventionné,
--   engagé, payé et versé au financeur à la date d'arrêté, taux de consommation (payé / conventionné) et reste à
--   consommer (conventionné - payé). Les lignes sans plateforme (transverses) ne sont visibles qu'avec un
--   périmètre couvrant toutes les plateformes. Montants : non soumis au secret statistique.
-- unite: euros
-- grain: ligne de financement (financeur × action × axe × plateforme)
-- parametres: fin, plateformes
-- sources: stg.financements, stg.depenses
-- sens: neutre
-- valeur: taux_consommation
-- dimensions: id_financement
WITH perimetre_complet AS (
    SELECT tout FROM stg.perimetre_complet($plateformes)
), lignes AS (
    SELECT f.*
    FROM stg.financements f, perimetre_complet p
    WHERE f.annee = year(CAST($fin AS DATE))
      AND (list_contains($plateformes, f.plateforme) OR (f.plateforme IS NULL AND p.tout))
), mouvements AS (
    SELECT id_financement,
           sum(montant_mouvement) FILTER (WHERE mouvement = 'engagement') AS montant_engage,
           sum(montant_mouvement) FILTER (WHERE mouvement = 'paiement') AS montant_paye,
           sum(montant_mouvement) FILTER (WHERE mouvement = 'versement_recu') AS montant_verse_recu
    FROM stg.depenses
    WHERE date_mouvement <= $fin
    GROUP BY id_financement
)
SELECT l.id_financement, l.financeur, l.annee, l.action, l.axe, coalesce(l.plateforme, 'Transverse') AS plateforme,
       l.montant_conventionne,
       coalesce(m.montant_engage, 0) AS montant_engage,
       coalesce(m.montant_paye, 0) AS montant_paye,
       coalesce(m.montant_verse_recu, 0) AS montant_verse_recu,
       CAST(coalesce(m.montant_paye, 0) AS DOUBLE) / nullif(l.montant_conventionne, 0) AS taux_consommation,
       l.montant_conventionne - coalesce(m.montant_paye, 0) AS montant_reste
FROM lignes l
LEFT JOIN mouvements m USING (id_financement)
ORDER BY l.financeur, l.axe, l.action, plateforme
