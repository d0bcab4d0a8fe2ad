-- id: instances
-- titre: Instances et réunions par type
-- definition: Nombre de réunions tenues dans la période, par type (coordination, concertation, commission de
--   fluidité, COPIL, COTECH, formation), avec le nombre de participants et de situations examinées. Activité des
--   plateformes : ces nombres ne décrivent pas des ménages et ne sont pas soumis au secret statistique.
-- unite: réunions
-- grain: territoire × période × type d'instance
-- parametres: debut, fin, plateformes, maille, pas
-- sources: stg.instances
-- sens: hausse_favorable
-- valeur: nb_instances
-- dimensions: territoire, periode, type_instance
-- comptes: nb_instances, nb_participants, nb_situations
-- secret: non
SELECT stg.territoire_de($maille, i.plateforme, NULL, NULL, d.code_departement) AS territoire,
       stg.periode_de(i.date_instance, $pas, $debut) AS periode,
       i.type_instance,
       count(*) AS nb_instances,
       CAST(sum(i.nb_participants) AS BIGINT) AS nb_participants,
       CAST(sum(i.nb_situations) AS BIGINT) AS nb_situations
FROM stg.instances i
LEFT JOIN (SELECT plateforme, min(code_departement) AS code_departement
           FROM stg.plateforme_communes GROUP BY plateforme) d USING (plateforme)
WHERE i.date_instance BETWEEN $debut AND $fin
  AND list_contains($plateformes, i.plateforme)
GROUP BY ALL
ORDER BY territoire, periode, type_instance
