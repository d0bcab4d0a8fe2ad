-- id: taux_sortie_positive
-- titre: Taux de sortie positive
-- definition: Parmi les mesures d'accompagnement terminées dans la période, part de celles terminées pour un
--   motif positif (accès au logement ou maintien consolidé). Aucune sortie : valeur vide.
--   Paramètre public : « tous » (défaut), « sans_domicile » ou un public spécifique, lu sur la saisine à l'origine
--   de la mesure, à défaut sur la première saisine du ménage.
-- unite: % des sorties
-- grain: territoire × période
-- parametres: debut, fin, plateformes, maille, pas, public=tous
-- sources: stg.accompagnements
-- sens: hausse_favorable
-- valeur: taux_sortie_positive
-- dimensions: territoire, periode
-- comptes: nb_sorties, nb_sorties_positives
-- taux: taux_sortie_positive = nb_sorties_positives / nb_sorties
SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
       stg.periode_de(date_fin, $pas, $debut) AS periode,
       count(*) AS nb_sorties,
       count(*) FILTER (WHERE est_sortie_positive) AS nb_sorties_positives,
       count(*) FILTER (WHERE est_sortie_positive) / nullif(count(*), 0) AS taux_sortie_positive
FROM stg.accompagnements
WHERE date_fin BETWEEN $debut AND $fin
  AND list_contains($plateformes, plateforme)
  AND stg.du_public($public, publics, est_sans_domicile)
GROUP BY ALL
ORDER BY territoire, periode
