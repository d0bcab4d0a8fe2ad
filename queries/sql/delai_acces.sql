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

-- Performance: the date of the first accepted referral (stg.logements.date_premiere_saisine_acceptee) is looked
-- up here for the households entering in the period only, with the same definition, instead of for every
-- household ever housed.
WITH entrees AS (
    SELECT id_menage, date_entree,
           stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
           stg.periode_de(date_entree, $pas, $debut) AS periode,
           count(*) AS nb_entrees
    FROM stg.logements
    WHERE date_entree BETWEEN $debut AND $fin
      AND list_contains($plateformes, plateforme)
      AND stg.du_public($public, publics, est_sans_domicile)
    GROUP BY ALL
), acceptations AS (
    SELECT id_menage, min(date_saisine) AS date_premiere_saisine_acceptee
    FROM stg.saisines_base
    WHERE est_situation AND est_acceptee AND id_menage IN (SELECT id_menage FROM entrees)
    GROUP BY id_menage
), delais AS (
    SELECT e.territoire, e.periode, e.nb_entrees,
           date_diff('day', a.date_premiere_saisine_acceptee, e.date_entree) AS nb_jours_acces
    FROM entrees e
    JOIN acceptations a ON a.id_menage = e.id_menage
)
SELECT territoire,
       periode,
       count(*) AS nb_entrees,
       median(nb_jours_acces) AS nb_jours_acces_median
FROM (SELECT territoire, periode, nb_jours_acces, unnest(range(nb_entrees)) FROM delais WHERE nb_jours_acces >= 0)
GROUP BY ALL
ORDER BY territoire, periode
