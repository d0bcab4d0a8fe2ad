-- id: entrees_logement
-- titre: Accès au logement
-- definition: Nombre d'entrées de ménages dans un logement, tous types de logement confondus, dont la date
--   d'entrée est comprise dans la période. La commune est celle du logement. Le détail par type de logement est
--   donné par l'indicateur acces_logement.
--   Paramètre public : « tous » (défaut), « sans_domicile » (situation à la première saisine du ménage) ou un
--   public spécifique relevé sur l'une des saisines du ménage.
-- unite: entrées dans un logement
-- grain: territoire × période
-- parametres: debut, fin, plateformes, maille, pas, public=tous
-- sources: stg.logements
-- sens: hausse_favorable
-- valeur: nb_entrees
-- dimensions: territoire, periode
-- comptes: nb_entrees
SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
       stg.periode_de(date_entree, $pas, $debut) AS periode,
       count(*) AS nb_entrees
FROM stg.logements
WHERE date_entree BETWEEN $debut AND $fin
  AND list_contains($plateformes, plateforme)
  AND stg.du_public($public, publics, est_sans_domicile)
GROUP BY ALL
ORDER BY territoire, periode
