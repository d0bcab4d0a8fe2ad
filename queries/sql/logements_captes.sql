-- id: logements_captes
-- titre: Logements captés
-- definition: Nombre de logements captés dans la période (somme de nb_logements des captations datées dans la
--   période), par parc (privé, social) et dispositif. Des logements, pas des ménages : non soumis au secret.
-- unite: logements
-- grain: territoire × période × parc × dispositif
-- parametres: debut, fin, plateformes, maille, pas
-- sources: stg.captations
-- sens: hausse_favorable
-- valeur: nb_logements_captes
-- dimensions: territoire, periode, parc, dispositif
-- comptes: nb_logements_captes
-- secret: non
SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
       stg.periode_de(date_captation, $pas, $debut) AS periode,
       parc,
       coalesce(dispositif, 'non renseigné') AS dispositif,
       CAST(sum(nb_logements) AS BIGINT) AS nb_logements_captes
FROM stg.captations
WHERE date_captation BETWEEN $debut AND $fin
  AND list_contains($plateformes, plateforme)
GROUP BY ALL
ORDER BY territoire, periode, parc, dispositif
