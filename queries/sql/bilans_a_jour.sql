-- id: bilans_a_jour
-- titre: Bilans d'accompagnement à jour
-- definition: Parmi les bilans attendus dans la période (à 3, 6 et 12 mois après le début de la mesure, pour
--   les mesures encore ouvertes à cette échéance), part de ceux reçus au plus tard $delai_tolerance jours
--   (30 par défaut) après l'échéance. Un bilan dont le délai de tolérance n'est pas écoulé à la fin de la
--   période et qui n'est pas encore reçu n'est pas compté (il n'est pas encore en retard).
--   Paramètre public : « tous » (défaut), « sans_domicile » ou un public spécifique, lu sur la saisine à l'origine
--   de la mesure, à défaut sur la première saisine du ménage.
-- unite: % des bilans attendus
-- grain: territoire × période (date d'échéance)
-- parametres: debut, fin, plateformes, maille, pas, public=tous, delai_tolerance=30
-- sources: stg.accompagnements
-- sens: hausse_favorable
-- valeur: taux_bilans_a_jour
-- dimensions: territoire, periode
-- comptes: nb_bilans_attendus, nb_bilans_a_jour
-- taux: taux_bilans_a_jour = nb_bilans_a_jour / nb_bilans_attendus
WITH bilans AS (
    SELECT a.*, b.echeance, b.date_echeance, b.date_bilan
    FROM stg.accompagnements a,
         LATERAL (VALUES ('3 mois', a.date_echeance_bilan_3m, a.date_bilan_3m),
                         ('6 mois', a.date_echeance_bilan_6m, a.date_bilan_6m),
                         ('12 mois', a.date_echeance_bilan_12m, a.date_bilan_12m)) AS b(echeance, date_echeance, date_bilan)
), attendus AS (
    SELECT *, date_bilan IS NOT NULL AND date_bilan <= date_echeance + $delai_tolerance AS est_a_jour
    FROM bilans
    WHERE date_echeance BETWEEN $debut AND $fin
      AND (date_fin IS NULL OR date_fin >= date_echeance)
      AND (date_bilan IS NOT NULL OR date_echeance + $delai_tolerance < $fin)
      AND list_contains($plateformes, plateforme)
      AND stg.du_public($public, publics, est_sans_domicile)
)
SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
       stg.periode_de(date_echeance, $pas, $debut) AS periode,
       count(*) AS nb_bilans_attendus,
       count(*) FILTER (WHERE est_a_jour) AS nb_bilans_a_jour,
       count(*) FILTER (WHERE est_a_jour) / nullif(count(*), 0) AS taux_bilans_a_jour
FROM attendus
GROUP BY ALL
ORDER BY territoire, periode
