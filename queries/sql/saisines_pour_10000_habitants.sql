-- id: saisines_pour_10000_habitants
-- titre: Saisines pour 10 000 habitants
-- definition: Nombre de saisines (situations individuelles) de la période rapporté à la population municipale
--   du territoire (INSEE), pour 10 000 habitants. Pour l'ensemble, la population est celle des plateformes du
--   périmètre. Territoire sans population connue : valeur vide.
--   Paramètre public : « tous » (défaut), « sans_domicile » (situation à la saisine : rue, habitat précaire,
--   hébergement d'urgence ou d'insertion) ou un public spécifique (jeune_vulnerable…), lu sur la saisine
--   elle-même. La population reste celle de tout le territoire.
-- unite: saisines pour 10 000 habitants
-- grain: territoire × période
-- parametres: debut, fin, plateformes, maille, pas, public=tous
-- sources: stg.saisines, stg.populations, ref.plateformes
-- sens: neutre
-- valeur: nb_saisines_pour_10000_hab
-- dimensions: territoire, periode
-- comptes: nb_saisines
-- taux: nb_saisines_pour_10000_hab = nb_saisines / population_municipale
WITH grille AS (
    SELECT t.territoire, p.periode
    FROM stg.perimetre($maille, $plateformes) t, stg.periodes($debut, $fin, $pas) p
), faits AS (
    SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
           stg.periode_de(date_saisine, $pas, $debut) AS periode,
           count(*) AS nb_saisines
    FROM stg.saisines
    WHERE est_situation
      AND date_saisine BETWEEN $debut AND $fin
      AND list_contains($plateformes, plateforme)
      AND stg.du_public($public, publics, est_sans_domicile)
    GROUP BY ALL
), populations AS (
    SELECT territoire, population_municipale FROM stg.populations WHERE maille = $maille
    UNION ALL
    SELECT 'ensemble', CAST(sum(population_municipale) AS BIGINT) FROM ref.plateformes
    WHERE plateforme IN (SELECT unnest($plateformes))
)
SELECT territoire, periode,
       coalesce(f.nb_saisines, 0) AS nb_saisines,
       CAST(p.population_municipale AS BIGINT) AS population_municipale,
       10000.0 * coalesce(f.nb_saisines, 0) / nullif(p.population_municipale, 0) AS nb_saisines_pour_10000_hab
FROM grille g
FULL JOIN faits f USING (territoire, periode)
LEFT JOIN populations p USING (territoire)
ORDER BY territoire, periode
