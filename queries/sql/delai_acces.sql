-- id: delai_acces
-- titre: Délai d'accès au logement
-- definition: Médiane du nombre de jours entre la première saisine acceptée du ménage et son entrée dans le
--   logement, pour les entrées de la période (ménages sans saisine acceptée connue exclus).
--   Paramètre public : « tous » (défaut), « sans_domicile » (situation à la première saisine du ménage) ou un
--   public spécifique relevé sur l'une des saisines du ménage.
-- unite: jours (médiane)
-- grain: territoire × période
-- parametres: debut, fin, plateformes, maille, pas, public=tous
-- sources: stg.logements, stg.saisines_base
-- sens: baisse_favorable
-- valeur: nb_jours_acces_median
-- dimensions: territoire, periode
-- comptes: nb_entrees
-- taux: nb_jours_acces_median = / nb_entrees

-- The entries and their delay come from the staging macro stg.delais_acces, shared with delai_acces_classes.
SELECT territoire,
       periode,
       count(*) AS nb_entrees,
       median(nb_jours_acces) AS nb_jours_acces_median
FROM stg.delais_acces($debut, $fin, $plateformes, $maille, $pas, $public)
GROUP BY ALL
ORDER BY territoire, periode
