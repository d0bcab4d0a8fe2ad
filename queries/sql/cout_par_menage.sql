-- id: cout_par_menage
-- titre: Coût par ménage accompagné
-- definition: Montant payé dans la période (paiements datés entre début et fin) rapporté au nombre de ménages
--   distincts accompagnés pendant la période (file active : mesure débutée au plus tard à la fin et non terminée
--   avant le début). Par plateforme (lignes de financement de la plateforme) et pour l'ensemble du périmètre
--   (toutes les lignes visibles, transverses comprises). Aucun ménage : valeur vide.
--   Paramètre public : « tous » (défaut), « sans_domicile » ou un public spécifique (lu sur la saisine à l'origine
--   de la mesure, à défaut sur la première saisine du ménage). Les paiements ne se rattachent pas à un public :
--   avec un public, nb_menages_accompagnes compte les ménages de ce public et le coût par ménage reste le coût
--   moyen de tous les ménages accompagnés (montant payé / nb_menages_tous_publics), vide si le public n'a aucun
--   ménage sur le territoire.
-- unite: euros par ménage
-- grain: plateforme, et ensemble
-- parametres: debut, fin, plateformes, public=tous
-- sources: stg.depenses, stg.accompagnements
-- sens: neutre
-- valeur: montant_par_menage
-- dimensions: territoire
-- comptes: nb_menages_accompagnes, nb_menages_tous_publics
-- taux: montant_par_menage = nb_menages_accompagnes / nb_menages_tous_publics
WITH perimetre_complet AS (
    SELECT tout FROM stg.perimetre_complet($plateformes)
), paiements AS (
    SELECT d.plateforme, d.montant_mouvement
    FROM stg.depenses d, perimetre_complet p
    WHERE d.mouvement = 'paiement' AND d.date_mouvement BETWEEN $debut AND $fin
      AND (list_contains($plateformes, d.plateforme) OR (d.plateforme IS NULL AND p.tout))
), menages AS (
    -- One row per platform and household followed in the period, and whether it is of the chosen public.
    SELECT plateforme, id_menage, bool_or(stg.du_public($public, publics, est_sans_domicile)) AS est_du_public
    FROM stg.accompagnements
    WHERE date_debut <= $fin AND (date_fin IS NULL OR date_fin >= $debut)
      AND list_contains($plateformes, plateforme)
    GROUP BY plateforme, id_menage
), par_plateforme AS (
    SELECT pf.plateforme AS territoire,
           coalesce(pa.montant_paye, 0) AS montant_paye,
           coalesce(m.nb_menages_accompagnes, 0) AS nb_menages_accompagnes,
           coalesce(m.nb_menages_tous_publics, 0) AS nb_menages_tous_publics
    FROM ref.plateformes pf
    LEFT JOIN (SELECT plateforme, sum(montant_mouvement) AS montant_paye FROM paiements GROUP BY plateforme) pa
        ON pa.plateforme = pf.plateforme
    LEFT JOIN (SELECT plateforme, count(*) FILTER (WHERE est_du_public) AS nb_menages_accompagnes,
                      count(*) AS nb_menages_tous_publics
               FROM menages GROUP BY plateforme) m
        ON m.plateforme = pf.plateforme
    WHERE pf.plateforme IN (SELECT unnest($plateformes))
), ensemble AS (
    SELECT 'ensemble' AS territoire,
           (SELECT coalesce(sum(montant_mouvement), 0) FROM paiements) AS montant_paye,
           (SELECT count(DISTINCT id_menage) FILTER (WHERE est_du_public) FROM menages) AS nb_menages_accompagnes,
           (SELECT count(DISTINCT id_menage) FROM menages) AS nb_menages_tous_publics
)
SELECT territoire, montant_paye, nb_menages_accompagnes, nb_menages_tous_publics,
       CASE WHEN nb_menages_accompagnes > 0
            THEN CAST(montant_paye AS DOUBLE) / nb_menages_tous_publics END AS montant_par_menage
FROM (SELECT * FROM par_plateforme UNION ALL SELECT * FROM ensemble)
ORDER BY territoire = 'ensemble', territoire
