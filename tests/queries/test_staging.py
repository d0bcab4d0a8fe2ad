"""Staging definitions read in more than one place agree, and the cheap query plans stay cheap.

Some indicators look a household's first referral up themselves, for the households of the period only
(acces_logement_sans_domicile, delai_acces, delai_acces_classes), rather than through the staging view that
does it for every household: both must give the same figures. And at platform level without a public, the
measure and housing indicators must not read the referrals at all (the staging lookups are skipped by DuckDB):
at national scale that read is most of their cost (bench/queries.py).
"""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import polars as pl
import pytest

from queries import PUBLICS_FILTRE, bind_parameters, catalogue, run

ALL = ["Audomarois", "Calaisis", "Lens-Hénin"]
PERIODS = [(date(2024, 1, 1), date(2026, 12, 31)), (date(2025, 1, 1), date(2025, 6, 30)),
           (date(2025, 2, 1), date(2025, 2, 1))]


@pytest.fixture
def con_rw(warehouse_copy):
    """A copy with more housing entries and referrals, so that ties and several referrals are exercised."""
    connection = duckdb.connect(str(warehouse_copy))
    h01 = connection.execute("SELECT id_menage FROM raw.saisines WHERE id_saisine = 'S01'").fetchall()[0][0]
    h02 = connection.execute("SELECT id_menage FROM raw.saisines WHERE id_saisine = 'S02'").fetchall()[0][0]
    # H02: a second referral the same day as its first one, in the street (tie: S02 < S02b, so S02 stays first).
    connection.execute(
        "INSERT INTO raw.saisines (id_saisine, date_saisine, plateforme, type_sollicitation, id_menage, "
        "code_commune, situation_logement, decision, _fichier) VALUES ('S02b', DATE '2025-02-03', 'Lens-Hénin', "
        "'situation', ?, '62510', 'rue', 'acceptee', 'test')", [h02])
    # H01 enters a second dwelling in 2025, into a résidence sociale (not counted nationally).
    connection.execute(
        "INSERT INTO raw.logements (id_menage, plateforme, date_entree, type_logement, code_commune, _fichier) "
        "VALUES (?, 'Lens-Hénin', DATE '2025-11-02', 'residence_sociale', '62498', 'test')", [h01])
    yield connection
    connection.close()


def q(con, name, debut, fin, **params):
    ind = catalogue()[name]
    merged = {"debut": debut, "fin": fin, "plateformes": ALL, "maille": "ensemble", **params}
    return run(name, con, **{k: v for k, v in merged.items() if k in ind.parametres})


def from_staging(con, sql: str, debut: date, fin: date, public: str):
    return con.execute(sql + " AND stg.du_public(?, publics, est_sans_domicile)", [debut, fin, public]).fetchall()[0]


@pytest.mark.parametrize("warehouse", ["fixture", "modified"])
def test_sans_domicile_access_agrees_with_stg_logements(warehouse, con, request):
    connection = con if warehouse == "fixture" else request.getfixturevalue("con_rw")
    for debut, fin in PERIODS:
        for public in PUBLICS_FILTRE:
            expected = from_staging(connection, """
                SELECT count(*) FROM stg.logements
                WHERE est_sans_domicile AND est_type_acces_sans_domicile AND date_entree BETWEEN ? AND ?""",
                debut, fin, public)[0]
            result = q(connection, "acces_logement_sans_domicile", debut, fin, public=public)
            assert result["nb_entrees_sans_domicile"].sum() == expected, (debut, fin, public)


@pytest.mark.parametrize("warehouse", ["fixture", "modified"])
def test_access_delay_agrees_with_stg_logements(warehouse, con, request):
    connection = con if warehouse == "fixture" else request.getfixturevalue("con_rw")
    for debut, fin in PERIODS:
        for public in ("tous", "sans_domicile", "violences_intrafamiliales"):
            count, median = from_staging(connection, """
                SELECT count(nb_jours_acces), median(nb_jours_acces) FROM stg.logements
                WHERE nb_jours_acces >= 0 AND date_entree BETWEEN ? AND ?""", debut, fin, public)
            result = q(connection, "delai_acces", debut, fin, public=public)
            assert result.select("nb_entrees", "nb_jours_acces_median").rows() == [(count, median)], (debut, public)
            classes = q(connection, "delai_acces_classes", debut, fin, public=public)
            assert classes["nb_entrees"].sum() == count, (debut, public)


def test_stg_logements_agrees_with_stg_menages(con_rw):
    """The household lookup of stg.logements has the definitions of stg.menages."""
    differences = con_rw.execute("""
        SELECT count(*) FROM stg.logements l JOIN stg.menages m USING (id_menage)
        WHERE l.date_premiere_saisine_acceptee IS DISTINCT FROM m.date_premiere_saisine_acceptee
           OR l.situation_logement_premiere_saisine IS DISTINCT FROM m.situation_logement_premiere_saisine
           OR l.est_sans_domicile IS DISTINCT FROM m.est_sans_domicile
           OR l.publics IS DISTINCT FROM m.publics""").fetchall()[0][0]
    assert differences == 0
    # H02's two referrals of 03/02/2025: S02 (hébergé chez un tiers) is first (smaller id): not sans domicile.
    h02 = con_rw.execute("SELECT id_menage FROM raw.saisines WHERE id_saisine = 'S02'").fetchall()[0][0]
    first = con_rw.execute("SELECT est_sans_domicile FROM stg.menages WHERE id_menage = ?", [h02]).fetchall()
    assert first == [(False,)]


def test_measures_take_the_referral_or_the_households_first_one(con):
    rows = con.execute("""
        SELECT a.id_accompagnement, a.code_commune = s.code_commune, a.sexe = s.sexe,
               a.publics IS NOT DISTINCT FROM s.publics, a.est_sans_domicile = coalesce(s.est_sans_domicile, FALSE)
        FROM stg.accompagnements a JOIN stg.saisines s USING (id_saisine)""").fetchall()
    assert len(rows) == 4 and all(all(r[1:]) for r in rows)


# --- plans --------------------------------------------------------------------------------------------

CHEAP = ["accompagnements_debutes", "file_active", "bilans_a_jour", "bilans_en_retard", "sorties",
         "taux_sortie_positive", "duree_accompagnement", "acces_logement", "entrees_logement", "maintien_6m",
         "maintien_12m", "cout_par_menage"]


@pytest.fixture(scope="module")
def con_large(tmp_path_factory, fixture_warehouse):
    """The fixture warehouse with synthetic volume: DuckDB plans a few rows differently from many."""
    path = tmp_path_factory.mktemp("large") / "warehouse.duckdb"
    shutil.copyfile(fixture_warehouse, path)
    connection = duckdb.connect(str(path))
    connection.execute("""
        INSERT INTO raw.saisines (id_saisine, date_saisine, plateforme, type_sollicitation, id_menage, code_commune,
                                  situation_logement, decision, _fichier)
        SELECT 'X' || i, DATE '2024-01-01' + CAST(i % 700 AS INTEGER),
               CASE i % 2 WHEN 0 THEN 'Calaisis' ELSE 'Lens-Hénin' END, 'situation', 'm_' || md5(i::VARCHAR),
               CASE i % 2 WHEN 0 THEN '62193' ELSE '62498' END, 'rue', 'acceptee', 'synthetique'
        FROM range(200000) t(i)""")
    connection.execute("""
        INSERT INTO raw.accompagnements (id_accompagnement, id_menage, id_saisine, plateforme, mesure, date_debut,
                                         _fichier)
        SELECT 'XA' || i, 'm_' || md5((2 * i)::VARCHAR), 'X' || (2 * i), 'Calaisis', 'AVDL',
               DATE '2024-02-01' + CAST(i % 600 AS INTEGER), 'synthetique'
        FROM range(100000) t(i)""")
    connection.execute("""
        INSERT INTO raw.logements (id_menage, plateforme, date_entree, type_logement, code_commune, _fichier)
        SELECT 'm_' || md5((3 * i)::VARCHAR), 'Calaisis', DATE '2024-06-01' + CAST(i % 500 AS INTEGER),
               'parc_social', '62193', 'synthetique'
        FROM range(50000) t(i)""")
    connection.execute("CHECKPOINT")
    yield connection
    connection.close()


def plan(con, name: str, **params) -> str:
    ind = catalogue()[name]
    merged = {"debut": date(2025, 1, 1), "fin": date(2025, 12, 31), "plateformes": ALL, "maille": "plateforme",
              "pas": "periode", **params}
    bound = bind_parameters(ind, {k: v for k, v in merged.items() if k in ind.parametres})
    return "\n".join(row[1] for row in con.sql("EXPLAIN " + ind.sql, params=bound).fetchall())


@pytest.mark.parametrize("name", CHEAP)
def test_platform_level_without_public_does_not_read_the_referrals(con_large, name):
    assert "saisines" not in plan(con_large, name), f"{name} reads the referrals: a staging lookup is not skipped"


@pytest.mark.parametrize("name", ["accompagnements_debutes", "acces_logement"])
def test_a_public_reads_the_referrals(con_large, name):
    assert "saisines" in plan(con_large, name, public="sans_domicile")  # the check above can see a referral read


def test_every_repeated_total_is_declared():
    """A per-group total repeated on the rows of a category (profil, *_classes) is masked on all of them."""
    for name, ind in catalogue().items():
        categories = [d for d in ind.dimensions if d not in ("territoire", "periode")]
        for column in ind.comptes:
            if column.endswith("_total") and categories:
                assert column in ind.repetes, f"{name}: declare `repetes: {column} = {categories[-1]}`"


def test_staging_frames_have_their_columns(con):
    frame = con.sql("SELECT * FROM stg.accompagnements").pl()
    assert {"publics", "est_sans_domicile", "code_commune", "sexe"} <= set(frame.columns)
    assert frame.schema["est_sans_domicile"] == pl.Boolean
