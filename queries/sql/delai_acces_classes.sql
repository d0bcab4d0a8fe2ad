-- id: delai_acces_classes
-- titre: Délais d'accès au logement par classe de durée
-- definition: Répartition des entrées dans un logement de la période selon le nombre de jours entre la première
--   saisine acceptée du ménage et l'entrée dans le logement : « moins de 3 mois » (0 à 91 jours), « 3 à 6 mois »
--   (92 à 182 jours), « 6 à 12 mois » (183 à 365 jours), « plus de 12 mois » (366 jours et plus). En nombre et en
--   part des entrées du territoire et de la période ; une classe sans entrée est absente (zéro). Même champ que
--   delai_acces (ménages sans saisine acceptée connue exclus), dont elle donne la distribution.
--   Paramètre public : « tous » (défaut), « sans_domicile » (situation à la première saisine du ménage) ou un
--   public spécifique relevé sur l'une des saisines du ménage.
-- unite: entrées dans un logement et % des entrées
-- grain: territoire × période (date d'entrée) × classe de délai
-- parametres: debut, fin, plateformes, maille, pas, public=tous
-- sources: stg.logements, stg.saisines_base
-- sens: neutre
-- valeur: nb_entrees
-- dimensions: territoire, periode, classe_delai
-- comptes: nb_entrees, nb_entrees_total
-- taux: taux_part = nb_entrees / nb_entrees_total
-- repetes: nb_entrees_total = classe_delai

-- The entries and their delay come from the staging macro stg.delais_acces, shared with delai_acces.
WITH entrees AS (
    SELECT territoire, periode,
           CASE WHEN nb_jours_acces <= 91 THEN 1
                WHEN nb_jours_acces <= 182 THEN 2
                WHEN nb_jours_acces <= 365 THEN 3
                ELSE 4 END AS ordre_classe
    FROM stg.delais_acces($debut, $fin, $plateformes, $maille, $pas, $public)
), classes AS (
    SELECT territoire, periode, ordre_classe, count(*) AS nb_entrees
    FROM entrees GROUP BY ALL
), totaux AS (
    SELECT territoire, periode, count(*) AS nb_entrees_total FROM entrees GROUP BY ALL
)
SELECT territoire, periode,
       ['moins de 3 mois', '3 à 6 mois', '6 à 12 mois', 'plus de 12 mois'][ordre_classe] AS classe_delai,
       ordre_classe, nb_entrees, nb_entrees_total,
       nb_entrees / nb_entrees_total AS taux_part
FROM classes JOIN totaux USING (territoire, periode)
ORDER BY territoire, periode, ordre_classe
