-- id: actions
-- titre: Actions du plan
-- definition: Liste de toutes les actions du plan d'actions : axe (1 à 5), intitulé, pilote, statut, avancement
--   et échéance ; à la date d'arrêté (fin), l'action est en retard si son échéance est passée et qu'elle n'est ni
--   réalisée ni abandonnée, avec alors le nombre de jours de retard (vide sinon). Le plan couvre tout le
--   territoire : il ne dépend pas des plateformes. Des actions, pas des ménages : non soumis au secret.
-- unite: actions
-- grain: action
-- parametres: fin
-- sources: stg.plan_actions
-- sens: neutre
-- valeur: taux_avancement
-- dimensions: id_action
-- secret: non
SELECT id_action, axe, intitule, pilote, statut, taux_avancement, date_echeance,
       coalesce(date_echeance < $fin AND statut NOT IN ('realisee', 'abandonnee'), FALSE) AS est_en_retard,
       CASE WHEN date_echeance < $fin AND statut NOT IN ('realisee', 'abandonnee')
            THEN date_diff('day', date_echeance, CAST($fin AS DATE)) END AS nb_jours_retard
FROM stg.plan_actions
ORDER BY axe, id_action
