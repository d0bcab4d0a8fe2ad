-- id: sollicitations
-- titre: Sollicitations (saisines et espace ressource)
-- definition: Nombre total de sollicitations dont la date de saisine est comprise dans la période : saisines
--   de situations individuelles et sollicitations de l'espace ressource.
-- unite: sollicitations
-- grain: territoire × période
-- parametres: debut, fin, plateformes, maille, pas
-- sources: stg.saisines
-- sens: neutre
-- valeur: nb_sollicitations
-- dimensions: territoire, periode
-- comptes: nb_sollicitations, nb_saisines, nb_espace_ressource
-- totaux: nb_sollicitations = nb_saisines + nb_espace_ressource
SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
       stg.periode_de(date_saisine, $pas, $debut) AS periode,
       count(*) AS nb_sollicitations,
       count(*) FILTER (WHERE est_situation) AS nb_saisines,
       count(*) FILTER (WHERE est_espace_ressource) AS nb_espace_ressource
FROM stg.saisines
WHERE date_saisine BETWEEN $debut AND $fin
  AND list_contains($plateformes, plateforme)
GROUP BY ALL
ORDER BY territoire, periode
