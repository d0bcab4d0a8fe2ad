-- id: cout_par_menage
-- titre: Coût par ménage accompagné
-- definition: Montant payé dans la période (paiements datés entre début et fin) rapporté au nombre de ménages
--   distincts accompagnés pendant la période (file active : mesure débutée au plus tard à la fin et non terminée
--   avant le début). Par plateforme (lignes de financement de la plateforme) et pour l'ensemble du périmètre
--   (toutes les lignes visibles, transverses comprises). Aucun ménage : valeur vide.
-- unite: euros par ménage
-- grain: plateforme, et ensemble
-- parametres: debut, fin, plateformes
-- sources: stg.depenses, stg.accompagnements
-- sens: neutre
-- valeur: montant_par_menage
-- dimensions: territoire
-- comptes: nb_menages_accompagnes
-- taux: montant_par_menage = / nb_menages_accompagnes
WITH perimetre_complet AS (
    SELECT count(*) = 0 AS tout FROM ref.plateformes WHERE NOT list_contains($plateformes, plateforme)
), paiements AS (
    SELECT d.plateforme, d.montant_mouvement
    FROM stg.depenses d, perimetre_complet p
    WHERE d.mouvement = 'paiement' AND d.date_mouvement BETWEEN $debut AND $fin
      AND (list_contains($plateformes, d.plateforme) OR (d.plateforme IS NULL AND p.tout))
), menages AS (
    SELECT plateforme, id_menage
    FROM stg.accompagnements
    WHERE date_debut <= $fin AND (date_fin IS NULL OR date_fin >= $debut)
      AND list_contains($plateformes, plateforme)
), par_plateforme AS (
    SELECT pf.plateforme AS territoire,
           (SELECT coalesce(sum(montant_mouvement), 0) FROM paiements p WHERE p.plateforme = pf.plateforme)
               AS montant_paye,
           (SELECT count(DISTINCT id_menage) FROM menages m WHERE m.plateforme = pf.plateforme)
               AS nb_menages_accompagnes
    FROM ref.plateformes pf
    WHERE list_contains($plateformes, pf.plateforme)
), ensemble AS (
    SELECT 'ensemble' AS territoire,
           (SELECT coalesce(sum(montant_mouvement), 0) FROM paiements) AS montant_paye,
           (SELECT count(DISTINCT id_menage) FROM menages) AS nb_menages_accompagnes
)
SELECT territoire, montant_paye, nb_menages_accompagnes,
       CAST(montant_paye AS DOUBLE) / nullif(nb_menages_accompagnes, 0) AS montant_par_menage
FROM (SELECT * FROM par_plateforme UNION ALL SELECT * FROM ensemble)
ORDER BY territoire = 'ensemble', territoire
