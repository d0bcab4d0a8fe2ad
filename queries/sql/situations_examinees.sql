-- id: situations_examinees
-- titre: Situations examinées en instance
-- definition: Somme du nombre de situations examinées lors des réunions tenues dans la période (tous types).
--   Une même situation examinée dans deux réunions compte deux fois. Activité des instances (comme le détail
--   par type de réunion de l'indicateur instances) : non soumis au secret statistique.
-- unite: situations examinées
-- grain: territoire × période
-- parametres: debut, fin, plateformes, maille, pas
-- sources: stg.instances
-- sens: hausse_favorable
-- valeur: nb_situations_examinees
-- dimensions: territoire, periode
-- comptes: nb_situations_examinees
-- secret: non
SELECT stg.territoire_de($maille, i.plateforme, NULL, NULL, d.code_departement) AS territoire,
       stg.periode_de(i.date_instance, $pas, $debut) AS periode,
       CAST(coalesce(sum(i.nb_situations), 0) AS BIGINT) AS nb_situations_examinees
FROM stg.instances i
LEFT JOIN (SELECT plateforme, min(code_departement) AS code_departement
           FROM stg.plateforme_communes GROUP BY plateforme) d USING (plateforme)
WHERE i.date_instance BETWEEN $debut AND $fin
  AND list_contains($plateformes, i.plateforme)
GROUP BY ALL
ORDER BY territoire, periode
