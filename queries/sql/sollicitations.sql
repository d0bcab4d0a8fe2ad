-- id: sollicitations
-- titre: Sollicitations (saisines et espace ressource)
-- definition: Nombre total de sollicitations dont la date de saisine est comprise dans la période : saisines
--   de situations individuelles et sollicitations de l'espace ressource.
--   Paramètre public : « tous » (défaut), « sans_domicile » (situation à la saisine : rue, habitat précaire,
--   hébergement d'urgence ou d'insertion) ou un public spécifique (jeune_vulnerable…), lu sur la saisine
--   elle-même. Les sollicitations de l'espace ressource, sans ménage identifié, n'ont ni public ni situation :
--   avec un autre public que « tous », nb_espace_ressource vaut 0 et nb_sollicitations = nb_saisines.
-- unite: sollicitations
-- grain: territoire × période
-- parametres: debut, fin, plateformes, maille, pas, public=tous
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
  AND stg.du_public($public, publics, est_sans_domicile)
GROUP BY ALL
ORDER BY territoire, periode
