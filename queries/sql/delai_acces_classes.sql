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

-- Performance: the date of the first accepted referral (stg.logements.date_premiere_saisine_acceptee) is looked
-- up here for the households entering in the period only, with the same definition (as delai_acces).
WITH arrivees AS (
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
    WHERE est_situation AND est_acceptee AND id_menage IN (SELECT id_menage FROM arrivees)
    GROUP BY id_menage
), entrees AS (
    SELECT territoire, periode,
           CASE WHEN nb_jours_acces <= 91 THEN 1
                WHEN nb_jours_acces <= 182 THEN 2
                WHEN nb_jours_acces <= 365 THEN 3
                ELSE 4 END AS ordre_classe
    FROM (SELECT a.territoire, a.periode, date_diff('day', c.date_premiere_saisine_acceptee, a.date_entree)
                     AS nb_jours_acces, unnest(range(a.nb_entrees))
          FROM arrivees a JOIN acceptations c ON c.id_menage = a.id_menage)
    WHERE nb_jours_acces >= 0
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
