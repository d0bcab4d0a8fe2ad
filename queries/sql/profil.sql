-- id: profil
-- titre: Profil des ménages orientés
-- definition: Répartition des saisines (situations) reçues dans la période selon une variable du profil
--   ($variable : orienteur, composition, tranche_age, sexe, situation_logement ou publics), en nombre et en part
--   des saisines du territoire et de la période. Une saisine peut relever de plusieurs publics : les parts des
--   publics ne s'additionnent pas à 100 %. Valeur absente : « non renseigné ».
--   Paramètre public : « tous » (défaut), « sans_domicile » (situation à la saisine : rue, habitat précaire,
--   hébergement d'urgence ou d'insertion) ou un public spécifique (jeune_vulnerable…), lu sur la saisine
--   elle-même.
-- unite: saisines et % des saisines
-- grain: territoire × période × modalité
-- parametres: debut, fin, plateformes, maille, pas, public=tous, variable=orienteur
-- sources: stg.saisines
-- sens: neutre
-- valeur: nb_saisines
-- dimensions: territoire, periode, modalite
-- comptes: nb_saisines, nb_saisines_total
-- taux: taux_part = nb_saisines / nb_saisines_total
-- repetes: nb_saisines_total = modalite
WITH saisines AS (
    SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
           stg.periode_de(date_saisine, $pas, $debut) AS periode,
           CASE $variable
               WHEN 'orienteur' THEN [orienteur]
               WHEN 'composition' THEN [composition]
               WHEN 'tranche_age' THEN [tranche_age]
               WHEN 'sexe' THEN [sexe]
               WHEN 'situation_logement' THEN [situation_logement]
               WHEN 'publics' THEN coalesce(publics, [NULL])
           END AS modalites
    FROM stg.saisines
    WHERE est_situation
      AND date_saisine BETWEEN $debut AND $fin
      AND list_contains($plateformes, plateforme)
      AND stg.du_public($public, publics, est_sans_domicile)
), totaux AS (
    SELECT territoire, periode, count(*) AS nb_saisines_total FROM saisines GROUP BY ALL
), modalites AS (
    SELECT territoire, periode, coalesce(modalite, 'non renseigné') AS modalite, count(*) AS nb_saisines
    FROM (SELECT territoire, periode, unnest(CASE WHEN len(modalites) = 0 THEN [NULL] ELSE modalites END) AS modalite
          FROM saisines)
    GROUP BY ALL
)
SELECT territoire, periode, modalite, nb_saisines, nb_saisines_total,
       nb_saisines / nb_saisines_total AS taux_part
FROM modalites JOIN totaux USING (territoire, periode)
ORDER BY territoire, periode, nb_saisines DESC, modalite
