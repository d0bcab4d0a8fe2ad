-- id: participants_fse
-- titre: Participants FSE+ par sexe et âge
-- definition: Nombre de ménages distincts entrés dans la période dans une mesure d'accompagnement qui a duré plus
--   d'un jour (mesure en cours, ou terminée plus d'un jour après son début) : les sollicitations ponctuelles ne
--   sont pas des participants. Sexe et tranche d'âge de la personne de référence, lus sur la saisine de la
--   première mesure du ménage dans la période (« non renseigné » sinon).
--   Paramètre public : « tous » (défaut), « sans_domicile » ou un public spécifique, lu sur la saisine à l'origine
--   de la mesure, à défaut sur la première saisine du ménage.
-- unite: participants (ménages)
-- grain: territoire × période × sexe × tranche d'âge
-- parametres: debut, fin, plateformes, maille, pas, public=tous
-- sources: stg.accompagnements
-- sens: hausse_favorable
-- valeur: nb_participants
-- dimensions: territoire, periode, sexe, tranche_age
-- comptes: nb_participants

-- Each household's first measure of the period that lasted more than one day (ties: smallest id), read with a
-- grouping straight on stg.accompagnements (the duration condition inside the aggregates), so that DuckDB
-- skips its referral lookup at platform level; then the sex and age band of that measure's referral (else,
-- for a measure without referral, of the household's first referral), joined for these households only.
WITH premieres AS (
    SELECT id_menage,
           arg_min(stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement),
                   (date_debut, id_accompagnement)) FILTER (WHERE date_fin IS NULL OR date_fin > date_debut + 1)
               AS territoire,
           min(date_debut) FILTER (WHERE date_fin IS NULL OR date_fin > date_debut + 1) AS date_debut,
           arg_min(id_saisine, (date_debut, id_accompagnement)) FILTER (WHERE date_fin IS NULL OR date_fin > date_debut + 1)
               AS id_saisine
    FROM stg.accompagnements
    WHERE date_debut BETWEEN $debut AND $fin
      AND list_contains($plateformes, plateforme)
      AND stg.du_public($public, publics, est_sans_domicile)
    GROUP BY id_menage
    HAVING count(*) FILTER (WHERE date_fin IS NULL OR date_fin > date_debut + 1) > 0
), sans_saisine AS (
    SELECT id_menage, arg_min(sexe, (date_saisine, id_saisine)) AS sexe,
           arg_min(tranche_age, (date_saisine, id_saisine)) AS tranche_age
    FROM stg.saisines
    WHERE est_situation AND id_menage IN (SELECT id_menage FROM premieres WHERE id_saisine IS NULL)
    GROUP BY id_menage
)
SELECT p.territoire,
       stg.periode_de(p.date_debut, $pas, $debut) AS periode,
       coalesce(s.sexe, f.sexe, 'non renseigné') AS sexe,
       coalesce(s.tranche_age, f.tranche_age, 'non renseigné') AS tranche_age,
       count(*) AS nb_participants
FROM premieres p
LEFT JOIN stg.saisines s ON s.id_saisine = p.id_saisine
LEFT JOIN sans_saisine f ON p.id_saisine IS NULL AND f.id_menage = p.id_menage
GROUP BY ALL
ORDER BY territoire, periode, sexe, tranche_age
