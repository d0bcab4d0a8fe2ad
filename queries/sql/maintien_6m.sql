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
WITH cohorte AS (
    SELECT *, CAST(date_entree + INTERVAL 6 MONTH AS DATE) AS date_anniversaire,
           date_sortie IS NULL OR date_sortie > date_entree + INTERVAL 6 MONTH OR motif_sortie = 'relogement'
               AS est_maintenu
    FROM stg.logements
    WHERE list_contains($plateformes, plateforme)
      AND stg.du_public($public, publics, est_sans_domicile)
)
SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
       stg.periode_de(date_anniversaire, $pas, $debut) AS periode,
       count(*) AS nb_entrees_6m,
       count(*) FILTER (WHERE est_maintenu) AS nb_maintenus_6m,
       count(*) FILTER (WHERE est_maintenu) / nullif(count(*), 0) AS taux_maintien_6m
FROM cohorte
WHERE date_anniversaire BETWEEN $debut AND $fin
GROUP BY ALL
ORDER BY territoire, periode
