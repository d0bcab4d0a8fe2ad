-- id: actions_en_retard
-- titre: Actions du plan en retard
-- definition: Liste des actions dont l'échéance est passée à la date d'arrêté (fin) et qui ne sont ni réalisées
--   ni abandonnées, avec le nombre de jours de retard.
-- unite: actions
-- grain: action
-- parametres: fin
-- sources: stg.plan_actions
-- sens: baisse_favorable
-- valeur: nb_jours_retard
-- dimensions: id_action
SELECT id_action, axe, intitule, pilote, statut, taux_avancement, date_echeance,
       date_diff('day', date_echeance, CAST($fin AS DATE)) AS nb_jours_retard
FROM stg.plan_actions
WHERE date_echeance < $fin AND statut NOT IN ('realisee', 'abandonnee')
ORDER BY date_echeance, id_action
