-- id: cibles
-- titre: Cibles de l'année
-- definition: Les valeurs cibles fixées pour l'année de la date d'arrêté (fin), pour l'ensemble (plateforme
--   vide) ou pour une plateforme du périmètre. La comparaison avec la valeur atteinte et le statut (atteint, en
--   bonne voie, en retard) sont calculés par queries.targets à partir de l'indicateur de même identifiant.
-- unite: selon l'indicateur
-- grain: indicateur × plateforme
-- parametres: fin, plateformes
-- sources: stg.cibles
-- sens: neutre
-- valeur: valeur_cible
-- dimensions: indicateur, plateforme
SELECT indicateur, coalesce(plateforme, 'ensemble') AS plateforme, annee, valeur_cible
FROM stg.cibles
WHERE annee = year(CAST($fin AS DATE))
  AND (plateforme IS NULL OR list_contains($plateformes, plateforme))
ORDER BY indicateur, plateforme IS NOT NULL, plateforme
