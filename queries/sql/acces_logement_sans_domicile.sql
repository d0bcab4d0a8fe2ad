-- id: acces_logement_sans_domicile
-- titre: Accès au logement des personnes sans domicile
-- definition: Indicateur national. Nombre d'entrées dans un logement, dans la période, de ménages dont la
--   situation à la première saisine était sans domicile (rue, habitat précaire, hébergement d'urgence ou
--   d'insertion), dans un logement du parc social, en intermédiation locative (IML), en bail glissant, en
--   pension de famille ou en résidence accueil. Les résidences sociales et le parc privé hors IML sont exclus,
--   comme dans le décompte national.
--   Paramètre public : « tous » (défaut), « sans_domicile » (situation à la première saisine du ménage) ou un
--   public spécifique relevé sur l'une des saisines du ménage.
-- unite: entrées dans un logement
-- grain: territoire × période
-- parametres: debut, fin, plateformes, maille, pas, public=tous
-- sources: stg.logements, stg.saisines_base
-- sens: hausse_favorable
-- valeur: nb_entrees_sans_domicile
-- dimensions: territoire, periode
-- comptes: nb_entrees_sans_domicile

-- Performance: the situation at the first referral (stg.logements.est_sans_domicile) is looked up here for the
-- households entering in the period only, with the same definition (first referral: earliest date, then
-- smallest id_saisine), instead of for every household ever housed.
WITH entrees AS (
    SELECT id_menage,
           stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
           stg.periode_de(date_entree, $pas, $debut) AS periode,
           count(*) FILTER (WHERE est_type_acces_sans_domicile) AS nb_entrees
    FROM stg.logements
    WHERE date_entree BETWEEN $debut AND $fin
      AND list_contains($plateformes, plateforme)
      AND stg.du_public($public, publics, est_sans_domicile)
    GROUP BY ALL
    HAVING count(*) FILTER (WHERE est_type_acces_sans_domicile) > 0
), premieres AS (
    SELECT id_menage, arg_min(est_sans_domicile, (date_saisine, id_saisine)) AS est_sans_domicile
    FROM stg.saisines_base
    WHERE est_situation AND id_menage IN (SELECT id_menage FROM entrees)
    GROUP BY id_menage
)
SELECT e.territoire,
       e.periode,
       CAST(sum(e.nb_entrees) AS BIGINT) AS nb_entrees_sans_domicile
FROM entrees e
JOIN premieres p ON p.id_menage = e.id_menage
WHERE p.est_sans_domicile
GROUP BY ALL
ORDER BY territoire, periode
