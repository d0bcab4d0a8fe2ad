-- id: duree_accompagnement
-- titre: Durée médiane des accompagnements terminés
-- definition: Médiane du nombre de jours entre le début et la fin des mesures d'accompagnement terminées dans
--   la période.
-- unite: jours (médiane)
-- grain: territoire × période
-- parametres: debut, fin, plateformes, maille, pas
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
GROUP BY ALL
ORDER BY territoire, periode
