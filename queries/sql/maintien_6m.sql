-- id: maintien_6m
-- titre: Maintien dans le logement à 6 mois
-- definition: Parmi les ménages entrés dans un logement 6 mois avant une date de la période (entrées dont le
--   6e mois d'occupation se termine dans la période), part de ceux qui n'en sont pas sortis dans les 6 mois
--   suivant l'entrée, ou qui n'en sont sortis que pour un relogement.
--   Paramètre public : « tous » (défaut), « sans_domicile » (situation à la première saisine du ménage) ou un
--   public spécifique relevé sur l'une des saisines du ménage.
-- unite: % des entrées
-- grain: territoire × période (date anniversaire des 6 mois)
-- parametres: debut, fin, plateformes, maille, pas, public=tous
-- sources: stg.logements
-- sens: hausse_favorable
-- valeur: taux_maintien_6m
-- dimensions: territoire, periode
-- comptes: nb_entrees_6m, nb_maintenus_6m
-- taux: taux_maintien_6m = nb_maintenus_6m / nb_entrees_6m

-- Entries are first counted by territory and anniversary date, reading only entries that may have their
-- anniversary in the period: the filters on stg.logements bear on its columns themselves, and the exact
-- condition on the anniversary is applied after the count (HAVING), so that DuckDB skips the household
-- lookup of stg.logements when no public is chosen.
WITH cohorte AS (
    SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
           CAST(date_entree + INTERVAL 6 MONTH AS DATE) AS date_anniversaire,
           count(*) AS nb_entrees,
           count(*) FILTER (WHERE date_sortie IS NULL OR date_sortie > date_entree + INTERVAL 6 MONTH
                                  OR motif_sortie = 'relogement') AS nb_maintenus
    FROM stg.logements
    WHERE date_entree BETWEEN CAST(CAST($debut AS DATE) - INTERVAL 7 MONTH AS DATE) AND $fin
      AND list_contains($plateformes, plateforme)
      AND stg.du_public($public, publics, est_sans_domicile)
    GROUP BY ALL
    HAVING bool_and(CAST(date_entree + INTERVAL 6 MONTH AS DATE) BETWEEN $debut AND $fin)
)
SELECT territoire,
       stg.periode_de(date_anniversaire, $pas, $debut) AS periode,
       CAST(sum(nb_entrees) AS BIGINT) AS nb_entrees_6m,
       CAST(sum(nb_maintenus) AS BIGINT) AS nb_maintenus_6m,
       sum(nb_maintenus) / nullif(sum(nb_entrees), 0) AS taux_maintien_6m
FROM cohorte
GROUP BY ALL
ORDER BY territoire, periode
