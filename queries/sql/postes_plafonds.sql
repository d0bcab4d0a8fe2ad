-- id: postes_plafonds
-- titre: Financement des postes de coordination au regard des plafonds
-- definition: Pour l'année de la date d'arrêté (fin) : ETP des postes de coordination du périmètre et leur
--   coût, montant conventionné par le Département et par le Ségur, comparés à leurs plafonds : Département
--   au plus $taux_departement % du coût et au plus $plafond_departement_etp € par ETP ; Ségur
--   $montant_segur_etp € par ETP (règles des conventions, en paramètres). Ex. : 7 ETP → part du Département
--   plafonnée à 159 600 €, Ségur 36 890 €.
-- unite: euros
-- grain: financeur (Departement, Segur)
-- parametres: fin, plateformes, taux_departement=40, plafond_departement_etp=22800, montant_segur_etp=5270
-- sources: stg.postes, stg.financements
-- sens: neutre
-- valeur: montant_ecart
-- dimensions: financeur
WITH perimetre_complet AS (
    SELECT tout FROM stg.perimetre_complet($plateformes)
), postes AS (
    SELECT coalesce(sum(nb_etp), 0) AS nb_etp, coalesce(sum(montant_cout_annuel), 0) AS montant_cout_postes
    FROM stg.postes
    WHERE annee = year(CAST($fin AS DATE)) AND plateforme IN (SELECT unnest($plateformes))
), conventionne AS (
    SELECT f.financeur, sum(f.montant_conventionne) AS montant_conventionne
    FROM stg.financements f, perimetre_complet p
    WHERE f.annee = year(CAST($fin AS DATE)) AND f.financeur IN ('Departement', 'Segur')
      AND (list_contains($plateformes, f.plateforme) OR (f.plateforme IS NULL AND p.tout))
    GROUP BY f.financeur
), plafonds AS (
    SELECT 'Departement' AS financeur, nb_etp, montant_cout_postes,
           least(nb_etp * $plafond_departement_etp, montant_cout_postes * $taux_departement / 100.0) AS montant_plafond
    FROM postes
    UNION ALL
    SELECT 'Segur', nb_etp, montant_cout_postes, nb_etp * $montant_segur_etp
    FROM postes
)
SELECT p.financeur, p.nb_etp, p.montant_cout_postes,
       coalesce(c.montant_conventionne, 0) AS montant_conventionne,
       CAST(p.montant_plafond AS DECIMAL(18, 2)) AS montant_plafond,
       coalesce(c.montant_conventionne, 0) - CAST(p.montant_plafond AS DECIMAL(18, 2)) AS montant_ecart,
       CASE WHEN coalesce(c.montant_conventionne, 0) > p.montant_plafond THEN 'au-delà du plafond'
            ELSE 'dans le plafond' END AS statut
FROM plafonds p
LEFT JOIN conventionne c USING (financeur)
ORDER BY p.financeur
