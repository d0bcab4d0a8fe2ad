-- id: plan_actions
-- titre: Plan d'actions par axe et statut
-- definition: Nombre d'actions du plan par axe (1 à 5) et statut, avancement moyen des actions, et nombre
--   d'actions en retard à la date d'arrêté (échéance passée, ni réalisée ni abandonnée).
-- unite: actions
-- grain: axe × statut
-- parametres: fin
-- sources: stg.plan_actions
-- sens: neutre
-- valeur: nb_actions
-- dimensions: axe, statut
SELECT axe, statut,
       count(*) AS nb_actions,
       avg(taux_avancement) AS taux_avancement_moyen,
       count(*) FILTER (WHERE date_echeance < $fin AND statut NOT IN ('realisee', 'abandonnee')) AS nb_actions_en_retard
FROM stg.plan_actions
GROUP BY ALL
ORDER BY axe, statut
