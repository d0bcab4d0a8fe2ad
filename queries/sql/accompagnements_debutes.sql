-- id: accompagnements_debutes
-- titre: Accompagnements débutés
-- definition: Nombre de mesures d'accompagnement dont la date de début est comprise dans la période.
--   La commune est celle de la saisine à l'origine de la mesure.
--   Paramètre public : « tous » (défaut), « sans_domicile » ou un public spécifique, lu sur la saisine à l'origine
--   de la mesure, à défaut sur la première saisine du ménage.
-- unite: mesures
-- grain: territoire × période
-- parametres: debut, fin, plateformes, maille, pas, public=tous
-- sources: stg.accompagnements
-- sens: hausse_favorable
-- valeur: nb_accompagnements_debutes
-- dimensions: territoire, periode
-- comptes: nb_accompagnements_debutes
SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
       stg.periode_de(date_debut, $pas, $debut) AS periode,
       count(*) AS nb_accompagnements_debutes
FROM stg.accompagnements
WHERE date_debut BETWEEN $debut AND $fin
  AND list_contains($plateformes, plateforme)
  AND stg.du_public($public, publics, est_sans_domicile)
GROUP BY ALL
ORDER BY territoire, periode
