-- id: duree_accompagnement
-- titre: Durée médiane des accompagnements terminés
-- definition: Médiane du nombre de jours entre le début et la fin des mesures d'accompagnement terminées dans
--   la période.
--   Paramètre public : « tous » (défaut), « sans_domicile » ou un public spécifique, lu sur la saisine à l'origine
--   de la mesure, à défaut sur la première saisine du ménage.
-- unite: jours (médiane)
-- grain: territoire × période
-- parametres: debut, fin, plateformes, maille, pas, public=tous
-- sources: stg.accompagnements
-- sens: neutre
-- valeur: nb_jours_accompagnement_median
-- dimensions: territoire, periode
-- comptes: nb_sorties
-- taux: nb_jours_accompagnement_median = / nb_sorties
SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
       stg.periode_de(date_fin, $pas, $debut) AS periode,
       count(*) AS nb_sorties,
       median(nb_jours_accompagnement) AS nb_jours_accompagnement_median
FROM stg.accompagnements
WHERE date_fin BETWEEN $debut AND $fin
  AND list_contains($plateformes, plateforme)
  AND stg.du_public($public, publics, est_sans_domicile)
GROUP BY ALL
ORDER BY territoire, periode
