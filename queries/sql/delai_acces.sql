-- id: delai_acces
-- titre: Délai d'accès au logement
-- definition: Médiane du nombre de jours entre la première saisine acceptée du ménage et son entrée dans le
--   logement, pour les entrées de la période (ménages sans saisine acceptée connue exclus).
--   Paramètre public : « tous » (défaut), « sans_domicile » (situation à la première saisine du ménage) ou un
--   public spécifique relevé sur l'une des saisines du ménage.
-- unite: jours (médiane)
-- grain: territoire × période
-- parametres: debut, fin, plateformes, maille, pas, public=tous
-- sources: stg.logements, stg.menages
-- sens: baisse_favorable
-- valeur: nb_jours_acces_median
-- dimensions: territoire, periode
-- comptes: nb_entrees
-- taux: nb_jours_acces_median = / nb_entrees
SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
       stg.periode_de(date_entree, $pas, $debut) AS periode,
       count(nb_jours_acces) AS nb_entrees,
       median(nb_jours_acces) AS nb_jours_acces_median
FROM stg.logements
WHERE date_entree BETWEEN $debut AND $fin
  AND nb_jours_acces >= 0
  AND list_contains($plateformes, plateforme)
  AND stg.du_public($public, publics, est_sans_domicile)
GROUP BY ALL
ORDER BY territoire, periode
