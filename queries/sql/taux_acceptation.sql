-- id: taux_acceptation
-- titre: Taux d'acceptation des saisines
-- definition: Parmi les saisines (situations) reçues dans la période et déjà décidées (décision autre que
--   « en_attente »), part de celles acceptées. Aucune saisine décidée : valeur vide.
--   Paramètre public : « tous » (défaut), « sans_domicile » (situation à la saisine : rue, habitat précaire,
--   hébergement d'urgence ou d'insertion) ou un public spécifique (jeune_vulnerable…), lu sur la saisine
--   elle-même.
-- unite: % des saisines décidées
-- grain: territoire × période (date de saisine)
-- parametres: debut, fin, plateformes, maille, pas, public=tous
-- sources: stg.saisines
-- sens: neutre
-- valeur: taux_acceptation
-- dimensions: territoire, periode
-- comptes: nb_decidees, nb_acceptees
-- taux: taux_acceptation = nb_acceptees / nb_decidees
SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
       stg.periode_de(date_saisine, $pas, $debut) AS periode,
       count(*) FILTER (WHERE est_decidee) AS nb_decidees,
       count(*) FILTER (WHERE est_acceptee) AS nb_acceptees,
       count(*) FILTER (WHERE est_acceptee) / nullif(count(*) FILTER (WHERE est_decidee), 0) AS taux_acceptation
FROM stg.saisines
WHERE est_situation
  AND date_saisine BETWEEN $debut AND $fin
  AND list_contains($plateformes, plateforme)
  AND stg.du_public($public, publics, est_sans_domicile)
GROUP BY ALL
ORDER BY territoire, periode
