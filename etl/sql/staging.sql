-- Staging views: the layer the indicator queries read.
-- Clean names that carry meaning and unit (date_, nb_, taux_ 0-1, montant_ euros), territory columns
-- resolved from the reference geography, and the derived flags of domain.md section 4.
-- Recreated on every import (CREATE OR REPLACE), so a warehouse always carries the current definitions.

-- Which platform covers which commune. A commune listed on its own wins over its EPCI's row, so that
-- a découpage can split an EPCI between platforms.
CREATE OR REPLACE VIEW stg.plateforme_communes AS
WITH by_commune AS (
    SELECT plateforme, code_commune FROM raw.decoupage WHERE code_commune IS NOT NULL
), by_epci AS (
    SELECT d.plateforme, c.code_commune
    FROM raw.decoupage d JOIN ref.communes c ON c.code_epci = d.code_epci
    WHERE d.code_epci IS NOT NULL
      AND c.code_commune NOT IN (SELECT code_commune FROM by_commune)
)
SELECT m.plateforme, m.code_commune, c.nom_commune, c.code_epci, c.code_departement,
       c.population_municipale
FROM (SELECT * FROM by_commune UNION ALL SELECT * FROM by_epci) m
JOIN ref.communes c USING (code_commune);

-- Platforms with their population (population municipale of their communes).
CREATE OR REPLACE VIEW stg.plateformes AS
SELECT plateforme, nb_communes, population_municipale
FROM ref.plateformes;

-- Every commune of the départements the découpage touches, with its platform (NULL: covered by none).
CREATE OR REPLACE VIEW stg.communes AS
SELECT c.code_commune, c.nom_commune, c.code_epci, e.nom_epci, c.code_departement, d.nom_departement,
       c.population_municipale, pc.plateforme
FROM ref.communes c
LEFT JOIN ref.epci e USING (code_epci)
LEFT JOIN ref.departements d USING (code_departement)
LEFT JOIN stg.plateforme_communes pc USING (code_commune)
WHERE c.code_departement IN (SELECT DISTINCT code_departement FROM stg.plateforme_communes);

-- domain.md: the first four situations at referral count as « sans domicile ».
-- Value lists in the views are written as chains of OR rather than x IN (…) or list_contains: DuckDB plans a
-- list of more than a few values as a join, which it keeps even when the column is not read, and which then
-- stops it from skipping the lookups of the views below.
CREATE OR REPLACE MACRO stg.est_sans_domicile(situation_logement) AS
    (situation_logement = 'rue' OR situation_logement = 'habitat_precaire'
     OR situation_logement = 'hebergement_urgence' OR situation_logement = 'hebergement_insertion');

-- The EPCI and département of a commune, one row per commune. Facts are joined to it rather than to
-- ref.communes: a join on one row per key (grouped) is skipped by DuckDB in the queries that read none of its
-- columns (platform level), while an ordinary join is always made.
CREATE OR REPLACE VIEW stg.geo_communes AS
SELECT code_commune, any_value(code_epci) AS code_epci, any_value(code_departement) AS code_departement
FROM ref.communes
GROUP BY code_commune;

-- Referrals with their derived flags, without the territory lookup: what the household lookups read (the
-- indicators read stg.saisines).
CREATE OR REPLACE VIEW stg.saisines_base AS
SELECT id_saisine,
       date_saisine,
       plateforme,
       type_sollicitation,
       id_menage,
       code_commune,
       orienteur,
       composition,
       nb_personnes,
       tranche_age,
       sexe,
       situation_logement,
       publics,
       decision,
       date_decision,
       type_sollicitation = 'situation' AS est_situation,
       type_sollicitation = 'espace_ressource' AS est_espace_ressource,
       stg.est_sans_domicile(situation_logement) AS est_sans_domicile,
       decision <> 'en_attente' AS est_decidee,
       decision = 'acceptee' AS est_acceptee,
       date_diff('day', date_saisine, date_decision) AS nb_jours_decision
FROM raw.saisines;

CREATE OR REPLACE VIEW stg.saisines AS
SELECT s.id_saisine,
       s.date_saisine,
       s.plateforme,
       s.type_sollicitation,
       s.id_menage,
       s.code_commune,
       c.code_epci,
       c.code_departement,
       s.orienteur,
       s.composition,
       s.nb_personnes,
       s.tranche_age,
       s.sexe,
       s.situation_logement,
       s.publics,
       s.decision,
       s.date_decision,
       s.est_situation,
       s.est_espace_ressource,
       s.est_sans_domicile,
       s.est_decidee,
       s.est_acceptee,
       s.nb_jours_decision
FROM stg.saisines_base s
LEFT JOIN stg.geo_communes c ON c.code_commune = s.code_commune;

-- One row per household: its first referral, first accepted referral and the situation then, and the
-- publics of all its referrals (the household's publics for housing entries, `public` filter).
-- Ties on the date of the first referral are broken by id_saisine, so the result does not depend on row order.
CREATE OR REPLACE VIEW stg.menages AS
SELECT id_menage,
       min(date_saisine) AS date_premiere_saisine,
       min(date_saisine) FILTER (WHERE est_acceptee) AS date_premiere_saisine_acceptee,
       arg_min(situation_logement, (date_saisine, id_saisine)) AS situation_logement_premiere_saisine,
       coalesce(arg_min(est_sans_domicile, (date_saisine, id_saisine)), FALSE) AS est_sans_domicile,
       arg_min(publics, (date_saisine, id_saisine)) AS publics_premiere_saisine,
       list_sort(list_distinct(flatten(list(publics) FILTER (WHERE publics IS NOT NULL)))) AS publics,
       count(*) AS nb_saisines
FROM stg.saisines_base
WHERE id_menage IS NOT NULL AND est_situation
GROUP BY id_menage;

-- Support measures. Territory, sex, age band, publics and situation come from the referral the measure came
-- from (id_saisine), else, for a measure that names no referral, from the household's first referral (a
-- filled id_saisine always names a loaded referral: the import checks it).
-- Performance: the referral is looked up through a single join on one row per key (grouped), which DuckDB
-- skips in the queries that read none of its columns (platform level, every public): the measures are then
-- read alone. The key is 'S' + id_saisine, or 'M' + id_menage for a measure without referral.
CREATE OR REPLACE VIEW stg.accompagnements AS
SELECT a.id_accompagnement,
       a.id_menage,
       a.id_saisine,
       a.plateforme,
       a.mesure,
       a.operateur,
       a.date_debut,
       a.date_bilan_3m,
       a.date_bilan_6m,
       a.date_bilan_12m,
       a.date_fin,
       a.motif_fin,
       CAST(a.date_debut + INTERVAL 3 MONTH AS DATE) AS date_echeance_bilan_3m,
       CAST(a.date_debut + INTERVAL 6 MONTH AS DATE) AS date_echeance_bilan_6m,
       CAST(a.date_debut + INTERVAL 12 MONTH AS DATE) AS date_echeance_bilan_12m,
       a.date_fin IS NOT NULL AS est_terminee,
       (a.motif_fin = 'acces_logement' OR a.motif_fin = 'maintien_consolide') AS est_sortie_positive,
       date_diff('day', a.date_debut, a.date_fin) AS nb_jours_accompagnement,
       s.code_commune,
       s.code_epci,
       s.code_departement,
       s.sexe,
       s.tranche_age,
       s.publics,
       coalesce(s.est_sans_domicile, FALSE) AS est_sans_domicile
FROM (
    SELECT *, CASE WHEN id_saisine IS NOT NULL THEN 'S' || id_saisine ELSE 'M' || id_menage END AS cle_saisine
    FROM raw.accompagnements
) a
LEFT JOIN (
    SELECT cle_saisine, any_value(code_commune) AS code_commune, any_value(code_epci) AS code_epci,
           any_value(code_departement) AS code_departement, any_value(sexe) AS sexe,
           any_value(tranche_age) AS tranche_age, any_value(publics) AS publics,
           any_value(est_sans_domicile) AS est_sans_domicile
    FROM (
        SELECT 'S' || id_saisine AS cle_saisine, code_commune, code_epci, code_departement, sexe, tranche_age,
               publics, est_sans_domicile
        FROM stg.saisines
        UNION ALL
        SELECT 'M' || id_menage, arg_min(code_commune, (date_saisine, id_saisine)),
               arg_min(code_epci, (date_saisine, id_saisine)), arg_min(code_departement, (date_saisine, id_saisine)),
               arg_min(sexe, (date_saisine, id_saisine)), arg_min(tranche_age, (date_saisine, id_saisine)),
               arg_min(publics, (date_saisine, id_saisine)), arg_min(est_sans_domicile, (date_saisine, id_saisine))
        FROM stg.saisines
        WHERE est_situation AND id_menage IN (SELECT id_menage FROM raw.accompagnements WHERE id_saisine IS NULL)
        GROUP BY id_menage
    )
    GROUP BY cle_saisine
) s ON s.cle_saisine = a.cle_saisine;

-- Entries into housing, with the household's situation at its first referral (the national
-- "accès au logement des personnes sans domicile" flag) and the publics of all its referrals. The
-- household's referrals are joined on one row per household (the definitions of stg.menages, for the
-- households that entered a dwelling), so that DuckDB skips them in the queries that read none of them.
CREATE OR REPLACE VIEW stg.logements AS
SELECT l.id_menage,
       l.plateforme,
       l.date_entree,
       l.type_logement,
       l.code_commune,
       c.code_epci,
       c.code_departement,
       l.date_sortie,
       l.motif_sortie,
       m.date_premiere_saisine_acceptee,
       m.situation_logement_premiere_saisine,
       coalesce(m.est_sans_domicile, FALSE) AS est_sans_domicile,
       m.publics,
       (l.type_logement = 'parc_social' OR l.type_logement = 'IML' OR l.type_logement = 'bail_glissant'
        OR l.type_logement = 'pension_de_famille' OR l.type_logement = 'residence_accueil')
           AS est_type_acces_sans_domicile,
       date_diff('day', m.date_premiere_saisine_acceptee, l.date_entree) AS nb_jours_acces
FROM raw.logements l
LEFT JOIN (
    SELECT id_menage,
           min(date_saisine) FILTER (WHERE est_situation AND est_acceptee) AS date_premiere_saisine_acceptee,
           arg_min(situation_logement, (date_saisine, id_saisine)) FILTER (WHERE est_situation)
               AS situation_logement_premiere_saisine,
           arg_min(est_sans_domicile, (date_saisine, id_saisine)) FILTER (WHERE est_situation) AS est_sans_domicile,
           list_sort(list_distinct(flatten(list(publics) FILTER (WHERE est_situation AND publics IS NOT NULL))))
               AS publics
    FROM stg.saisines_base
    WHERE id_menage IN (SELECT id_menage FROM raw.logements)
    GROUP BY id_menage
) m ON m.id_menage = l.id_menage
LEFT JOIN stg.geo_communes c ON c.code_commune = l.code_commune;

CREATE OR REPLACE VIEW stg.instances AS
SELECT date AS date_instance, plateforme, type_instance, nb_participants, nb_situations
FROM raw.instances;

CREATE OR REPLACE VIEW stg.captations AS
SELECT cp.date AS date_captation, cp.plateforme, cp.code_commune, c.code_epci, c.code_departement,
       cp.parc, cp.dispositif, cp.typologie, cp.nb_logements
FROM raw.captations cp
LEFT JOIN stg.geo_communes c ON c.code_commune = cp.code_commune;

CREATE OR REPLACE VIEW stg.financements AS
SELECT id_financement, financeur, annee, action, axe, plateforme,
       CAST(montant_conventionne AS DECIMAL(18, 2)) AS montant_conventionne,
       taux_cofinancement, date_signature
FROM raw.financements;

CREATE OR REPLACE VIEW stg.depenses AS
SELECT d.date AS date_mouvement, d.id_financement, f.financeur, f.annee, f.action, f.axe, f.plateforme,
       d.nature, d.mouvement, d.montant AS montant_mouvement
FROM raw.depenses d
JOIN raw.financements f USING (id_financement);

CREATE OR REPLACE VIEW stg.postes AS
SELECT plateforme, annee, etp AS nb_etp, cout_annuel AS montant_cout_annuel, operateur
FROM raw.postes;

CREATE OR REPLACE VIEW stg.plan_actions AS
SELECT id_action, axe, intitule, pilote, statut, avancement_pct / 100.0 AS taux_avancement,
       echeance AS date_echeance
FROM raw.plan_actions;

CREATE OR REPLACE VIEW stg.cibles AS
SELECT indicateur, plateforme, annee, valeur_cible
FROM raw.cibles;

-- Helpers shared by the indicator queries ----------------------------------------------------------

-- The territory key of a row at a given level (maille): plateforme, epci, commune, departement, or
-- 'ensemble' for the whole scope.
CREATE OR REPLACE MACRO stg.territoire_de(maille, plateforme, code_epci, code_commune, code_departement) AS
    CASE maille
        WHEN 'plateforme' THEN plateforme
        WHEN 'epci' THEN code_epci
        WHEN 'commune' THEN code_commune
        WHEN 'departement' THEN code_departement
        ELSE 'ensemble'
    END;

-- Whether a row belongs to the public of the `public` parameter of the household indicators: 'tous' keeps
-- every row; 'sans_domicile' the rows whose situation at referral is sans domicile; any other value (a
-- public of the `publics` list) the rows whose referral lists it. Rows without a household (espace
-- ressource) have neither, so they only match 'tous'.
CREATE OR REPLACE MACRO stg.du_public(public, publics, est_sans_domicile) AS
    public = 'tous'
    OR (public = 'sans_domicile' AND coalesce(est_sans_domicile, FALSE))
    OR coalesce(list_contains(publics, public), FALSE);

-- The status of a review in a period [debut, fin] (queries bilans_a_jour): NULL when it is not expected in the
-- period (due date outside it, measure ended before it, or not received and its tolerance not yet over at the
-- end of the period), TRUE when received at most `tolerance` days after the due date, FALSE when late.
CREATE OR REPLACE MACRO stg.statut_bilan(date_echeance, date_bilan, date_fin, debut, fin, tolerance) AS
    CASE WHEN date_echeance BETWEEN debut AND fin
              AND (date_fin IS NULL OR date_fin >= date_echeance)
              AND (date_bilan IS NOT NULL OR date_echeance + tolerance < fin)
         THEN date_bilan IS NOT NULL AND date_bilan <= date_echeance + tolerance
    END;

-- The period (its first day) a date falls in, for a time step (pas): mois, trimestre, annee, or the
-- whole requested period ('periode', labelled by its start).
CREATE OR REPLACE MACRO stg.periode_de(d, pas, debut) AS
    CASE pas
        WHEN 'mois' THEN CAST(date_trunc('month', d) AS DATE)
        WHEN 'trimestre' THEN CAST(date_trunc('quarter', d) AS DATE)
        WHEN 'annee' THEN CAST(date_trunc('year', d) AS DATE)
        ELSE CAST(debut AS DATE)
    END;

-- The periods of [debut, fin] for a time step, each with its own bounds clipped to [debut, fin].
CREATE OR REPLACE MACRO stg.periodes(debut, fin, pas) AS TABLE
    WITH steps AS (
        SELECT CAST(s AS DATE) AS periode
        FROM generate_series(
            CAST(stg.periode_de(CAST(debut AS DATE), pas, debut) AS TIMESTAMP),
            CAST(fin AS TIMESTAMP),
            CASE pas WHEN 'mois' THEN INTERVAL 1 MONTH WHEN 'trimestre' THEN INTERVAL 3 MONTH
                     WHEN 'annee' THEN INTERVAL 1 YEAR ELSE INTERVAL 100 YEAR END
        ) AS t(s)
    )
    SELECT periode,
           greatest(periode, CAST(debut AS DATE)) AS debut_periode,
           least(CAST(CASE pas WHEN 'mois' THEN periode + INTERVAL 1 MONTH
                               WHEN 'trimestre' THEN periode + INTERVAL 3 MONTH
                               WHEN 'annee' THEN periode + INTERVAL 1 YEAR
                               ELSE CAST(fin AS DATE) + INTERVAL 1 DAY END AS DATE) - 1,
                 CAST(fin AS DATE)) AS fin_periode
    FROM steps;

-- One row per entry into housing of the period with its access delay (days from the household's first accepted
-- referral), in the scope and public asked, with its territory and period: what delai_acces and
-- delai_acces_classes summarise. The first accepted referral is looked up for the households of the period only
-- (cheaper than through stg.logements, which does it for every household; tests/queries/test_staging.py checks
-- both agree). Entries without an accepted referral, or before it, have no delay and are left out.
CREATE OR REPLACE MACRO stg.delais_acces(debut, fin, plateformes, maille, pas, public) AS TABLE
    WITH entrees AS (
        SELECT id_menage, date_entree,
               stg.territoire_de(maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
               stg.periode_de(date_entree, pas, debut) AS periode,
               count(*) AS nb_entrees
        FROM stg.logements
        WHERE date_entree BETWEEN debut AND fin
          AND list_contains(plateformes, plateforme)
          AND stg.du_public(public, publics, est_sans_domicile)
        GROUP BY ALL
    ), acceptations AS (
        SELECT id_menage, min(date_saisine) AS date_premiere_saisine_acceptee
        FROM stg.saisines_base
        WHERE est_situation AND est_acceptee AND id_menage IN (SELECT id_menage FROM entrees)
        GROUP BY id_menage
    )
    SELECT territoire, periode, nb_jours_acces
    FROM (SELECT e.territoire, e.periode, date_diff('day', a.date_premiere_saisine_acceptee, e.date_entree)
                     AS nb_jours_acces, unnest(range(e.nb_entrees))
          FROM entrees e JOIN acceptations a ON a.id_menage = e.id_menage)
    WHERE nb_jours_acces >= 0;

-- Population municipale of every territory, by level, for rates per 10 000 inhabitants.
CREATE OR REPLACE VIEW stg.populations AS
SELECT 'plateforme' AS maille, plateforme AS territoire, population_municipale FROM ref.plateformes
UNION ALL SELECT 'epci', code_epci, population_municipale FROM ref.epci
UNION ALL SELECT 'commune', code_commune, population_municipale FROM ref.communes
UNION ALL SELECT 'departement', code_departement, population_municipale FROM ref.departements;

-- Display names of territories, by level.
CREATE OR REPLACE VIEW stg.territoires AS
SELECT 'plateforme' AS maille, plateforme AS territoire, plateforme AS libelle FROM ref.plateformes
UNION ALL SELECT 'epci', code_epci, nom_epci FROM ref.epci
UNION ALL SELECT 'commune', code_commune, nom_commune FROM ref.communes
UNION ALL SELECT 'departement', code_departement, nom_departement FROM ref.departements
UNION ALL SELECT 'ensemble', 'ensemble', 'Ensemble';

-- Whether a viewer's scope (a list of platforms) covers every platform of the découpage: then the funding
-- lines without platform (transverse) are visible too. `x IN (SELECT unnest(list))` rather than
-- list_contains(list, x), which compares each row with the whole list (slow for a national list of platforms).
CREATE OR REPLACE MACRO stg.perimetre_complet(plateformes) AS TABLE
    SELECT count(*) = 0 AS tout FROM ref.plateformes WHERE plateforme NOT IN (SELECT unnest(plateformes));

-- The territories of a level (maille) inside a viewer's scope (the platforms they may see). Platforms are read
-- from ref.plateformes (the platforms of the découpage that cover at least one commune), other levels from the
-- communes of the découpage.
CREATE OR REPLACE MACRO stg.perimetre(maille, plateformes) AS TABLE
    SELECT plateforme AS territoire
    FROM ref.plateformes
    WHERE maille = 'plateforme' AND plateforme IN (SELECT unnest(plateformes))
    UNION ALL
    SELECT DISTINCT stg.territoire_de(maille, plateforme, code_epci, code_commune, code_departement) AS territoire
    FROM stg.plateforme_communes
    WHERE maille <> 'plateforme' AND list_contains(plateformes, plateforme);
