-- id: sorties
-- titre: Sorties d'accompagnement par motif
-- definition: Nombre de mesures d'accompagnement terminées dans la période (date de fin comprise dans la
--   période), par motif de fin. Motifs positifs : accès au logement, maintien consolidé.
--   Paramètre public : « tous » (défaut), « sans_domicile » ou un public spécifique, lu sur la saisine à l'origine
--   de la mesure, à défaut sur la première saisine du ménage.
-- unite: mesures
-- grain: territoire × période × motif de fin
-- parametres: debut, fin, plateformes, maille, pas, public=tous
-- sources: stg.accompagnements
-- sens: neutre
-- valeur: nb_sorties
-- dimensions: territoire, periode, motif_fin
-- comptes: nb_sorties
SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
       stg.periode_de(date_fin, $pas, $debut) AS periode,
       motif_fin,
       count(*) AS nb_sorties
FROM stg.accompagnements
WHERE date_fin BETWEEN $debut AND $fin
  AND list_contains($plateformes, plateforme)
  AND stg.du_public($public, publics, est_sans_domicile)
GROUP BY ALL
ORDER BY territoire, periode, motif_fin
