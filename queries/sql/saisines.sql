-- id: saisines
-- titre: Saisines
-- definition: Nombre de fiches saisines de type « situation » (situation individuelle d'un ménage) dont la
--   date de saisine est comprise dans la période. Les sollicitations de l'espace ressource sont comptées à part.
--   Paramètre public : « tous » (défaut), « sans_domicile » (situation à la saisine : rue, habitat précaire,
--   hébergement d'urgence ou d'insertion) ou un public spécifique (jeune_vulnerable…), lu sur la saisine
--   elle-même.
-- unite: saisines
-- grain: territoire × période
-- parametres: debut, fin, plateformes, maille, pas, public=tous
-- sources: stg.saisines
-- sens: neutre
-- valeur: nb_saisines
-- dimensions: territoire, periode
-- comptes: nb_saisines
SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
       stg.periode_de(date_saisine, $pas, $debut) AS periode,
       count(*) AS nb_saisines
FROM stg.saisines
WHERE est_situation
  AND date_saisine BETWEEN $debut AND $fin
  AND list_contains($plateformes, plateforme)
  AND stg.du_public($public, publics, est_sans_domicile)
GROUP BY ALL
ORDER BY territoire, periode
