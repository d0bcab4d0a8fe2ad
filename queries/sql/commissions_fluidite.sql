-- id: commissions_fluidite
-- titre: Participations aux commissions de fluidité
-- definition: Nombre de participations de la plateforme aux commissions de fluidité (commissions hébergement /
--   logement avec les bailleurs sociaux) tenues dans la période. Activité : non soumis au secret statistique.
-- unite: participations
-- grain: territoire × période
-- parametres: debut, fin, plateformes, maille, pas
-- sources: stg.instances
-- sens: hausse_favorable
-- valeur: nb_commissions_fluidite
-- dimensions: territoire, periode
-- comptes: nb_commissions_fluidite
-- secret: non
SELECT stg.territoire_de($maille, i.plateforme, NULL, NULL, d.code_departement) AS territoire,
       stg.periode_de(i.date_instance, $pas, $debut) AS periode,
       count(*) AS nb_commissions_fluidite
FROM stg.instances i
LEFT JOIN (SELECT plateforme, min(code_departement) AS code_departement
           FROM stg.plateforme_communes GROUP BY plateforme) d USING (plateforme)
WHERE i.type_instance = 'commission_fluidite'
  AND i.date_instance BETWEEN $debut AND $fin
  AND list_contains($plateformes, i.plateforme)
GROUP BY ALL
ORDER BY territoire, periode
