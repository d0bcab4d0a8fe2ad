"""The Pas-de-Calais demonstration data: deterministic, importable, and of realistic orders of magnitude.

The data are generated once per module for a fixed day and loaded by the real loader; the figures are
computed with plain SQL on the warehouse's staging views.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import duckdb
import fastexcel
import pytest

from etl import demo
from etl.contracts import LOAD_ORDER
from etl.load import IMPORTED, load_files

TODAY = date(2026, 11, 22)
FULL_YEARS = (2022, 2023, 2024, 2025)


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    return demo.generate(tmp_path_factory.mktemp("demo"), seed=62, today=TODAY)


@pytest.fixture(scope="module")
def demo_load(demo_files, tmp_path_factory):
    path = tmp_path_factory.mktemp("demo_wh") / "demo.duckdb"
    report = load_files(demo_files, path)
    return path, report


@pytest.fixture(scope="module")
def con(demo_load):
    connection = duckdb.connect(str(demo_load[0]), read_only=True)
    yield connection
    connection.close()


def rows(con, sql: str, params: list | None = None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def value(con, sql: str, params: list | None = None):
    return con.execute(sql, params or []).fetchone()[0]


# --- files --------------------------------------------------------------------------------------------

def test_one_xlsx_per_table_with_a_sheet_named_after_it(demo_files):
    assert [p.name for p in demo_files] == [f"{t}.xlsx" for t in LOAD_ORDER]
    for path in demo_files:
        assert fastexcel.read_excel(path.read_bytes()).sheet_names == [path.stem, "Explications"]


def test_same_seed_same_bytes_other_seed_other_bytes(demo_files, tmp_path):
    again = demo.generate(tmp_path / "again", seed=62, today=TODAY)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in demo_files]
    other = demo.generate(tmp_path / "other", seed=63, today=TODAY)
    saisines = LOAD_ORDER.index("saisines")
    assert other[saisines].read_bytes() != demo_files[saisines].read_bytes()


def test_every_sheet_is_accepted(demo_load):
    _, report = demo_load
    assert report.ok, report.text()
    assert [(s.table, s.statut) for s in report.sheets] == [(t, IMPORTED) for t in LOAD_ORDER]


def test_nothing_after_today(con):
    dates = {"saisines": ("date_saisine", "date_decision"),
             "accompagnements": ("date_debut", "date_bilan_3m", "date_bilan_6m", "date_bilan_12m", "date_fin"),
             "logements": ("date_entree", "date_sortie"), "instances": ("date",), "captations": ("date",),
             "depenses": ("date",), "financements": ("date_signature",)}
    for table, columns in dates.items():
        latest = value(con, f"SELECT max(greatest({', '.join(columns)})) FROM raw.{table}")
        assert latest <= TODAY, table
    assert value(con, "SELECT min(date_saisine) FROM raw.saisines") >= date(2022, 1, 1)


# --- territories --------------------------------------------------------------------------------------

def test_seven_platforms_and_arras_covered_by_none(con):
    assert sorted(r[0] for r in rows(con, "SELECT plateforme FROM ref.plateformes")) == sorted(demo.PLATFORM_NAMES)
    assert rows(con, "SELECT DISTINCT plateforme FROM stg.communes WHERE code_epci = '200033579'") == [(None,)]
    assert value(con, "SELECT count(*) FROM stg.communes WHERE code_epci = '200033579'") == 46
    assert value(con, "SELECT count(*) FROM stg.plateforme_communes WHERE code_epci = '200033579'") == 0


def test_platform_population_is_the_sum_of_its_communes(con):
    platforms = dict(rows(con, "SELECT plateforme, population_municipale FROM ref.plateformes"))
    communes = dict(rows(con, """
        SELECT d.plateforme, sum(c.population_municipale) FROM raw.decoupage d
        JOIN ref.communes c ON c.code_epci = d.code_epci GROUP BY 1"""))
    assert platforms == communes
    assert platforms["Lens-Hénin"] > platforms["Montreuillois"]


def test_households_live_in_their_platforms_communes(con):
    outside = value(con, """
        SELECT count(*) FROM stg.saisines s
        LEFT JOIN stg.plateforme_communes pc USING (plateforme, code_commune)
        WHERE s.code_commune IS NOT NULL AND pc.code_commune IS NULL""")
    assert outside == 0


# --- orders of magnitude (domain.md) ------------------------------------------------------------------

def test_new_measures_per_platform_and_year(con):
    counts = rows(con, """
        SELECT plateforme, year(date_debut) AS annee, count(*) FROM stg.accompagnements
        WHERE year(date_debut) BETWEEN 2022 AND 2025 GROUP BY ALL""")
    assert len(counts) == 7 * len(FULL_YEARS)
    assert all(30 <= n <= 50 for _, _, n in counts), counts
    totals = dict(rows(con, """
        SELECT year(date_debut), count(*) FROM stg.accompagnements GROUP BY 1"""))
    assert all(totals[y] > 250 for y in FULL_YEARS), totals
    assert totals[2025] > totals[2022]  # growth over the years


def test_a_few_hundred_referrals_a_year_with_a_summer_dip(con):
    per_year = dict(rows(con, "SELECT year(date_saisine), count(*) FROM stg.saisines WHERE est_situation GROUP BY 1"))
    assert all(250 <= per_year[y] <= 700 for y in FULL_YEARS), per_year
    by_month = dict(rows(con, """
        SELECT month(date_saisine), count(*) FROM stg.saisines WHERE year(date_saisine) IN (2022, 2023, 2024, 2025)
        GROUP BY 1"""))
    assert by_month[8] < 0.75 * by_month[10]
    assert value(con, "SELECT count(*) FROM stg.saisines WHERE est_espace_ressource AND id_menage IS NOT NULL") == 0
    assert value(con, "SELECT count(*) FROM stg.saisines WHERE est_espace_ressource") > 100


def test_acceptance_and_decision_delays(con):
    rate = value(con, "SELECT count(*) FILTER (WHERE est_acceptee) / count(*) FILTER (WHERE est_decidee) "
                      "FROM stg.saisines WHERE est_situation")
    assert 0.6 <= rate <= 0.8
    delay = value(con, "SELECT median(nb_jours_decision) FROM stg.saisines WHERE est_situation")
    assert 3 <= delay <= 30
    waiting = rows(con, "SELECT min(date_saisine), count(*) FROM stg.saisines WHERE decision = 'en_attente'")[0]
    assert waiting[1] > 0 and waiting[0] >= TODAY - timedelta(days=90)


def test_measures_follow_accepted_referrals(con):
    assert value(con, """
        SELECT count(*) FROM raw.accompagnements a JOIN raw.saisines s USING (id_saisine)
        WHERE s.decision <> 'acceptee' OR s.id_menage <> a.id_menage OR s.plateforme <> a.plateforme
           OR a.date_debut < s.date_decision""") == 0
    assert value(con, "SELECT count(*) FROM raw.accompagnements WHERE id_saisine IS NULL") == 0
    assert value(con, "SELECT count(*) FROM stg.menages WHERE nb_saisines > 1") > 20


def test_exits_reviews_and_durations(con):
    positive = value(con, "SELECT avg(est_sortie_positive::INT) FROM stg.accompagnements WHERE est_terminee")
    assert 0.45 <= positive <= 0.65
    months = value(con, "SELECT median(nb_jours_accompagnement) FROM stg.accompagnements WHERE est_terminee") / 30.4
    assert 4 <= months <= 18
    late = value(con, """
        SELECT count(*) FROM stg.accompagnements
        WHERE date_bilan_6m > date_echeance_bilan_6m + INTERVAL 30 DAY""")
    missing = value(con, """
        SELECT count(*) FROM stg.accompagnements
        WHERE date_bilan_6m IS NULL AND date_echeance_bilan_6m < coalesce(date_fin, DATE '2026-11-22')""")
    assert late > 0 and missing > 0


def test_housing_retention_at_twelve_months(con):
    retention = value(con, """
        SELECT avg((date_sortie IS NULL OR date_sortie > date_entree + INTERVAL 12 MONTH
                    OR motif_sortie = 'relogement')::INT)
        FROM stg.logements WHERE date_entree + INTERVAL 12 MONTH <= ?""", [TODAY])
    assert 0.8 <= retention <= 0.9
    kinds = dict(rows(con, "SELECT type_logement, count(*) FROM stg.logements GROUP BY 1"))
    assert max(kinds, key=kinds.get) == "parc_social"
    assert {"IML", "bail_glissant", "pension_de_famille"} <= set(kinds)
    assert value(con, "SELECT count(*) FROM stg.logements WHERE motif_sortie = 'relogement'") > 0
    supported = value(con, "SELECT count(DISTINCT id_menage) FROM stg.accompagnements")
    housed = value(con, "SELECT count(DISTINCT id_menage) FROM stg.logements")
    assert 0.3 * supported <= housed <= supported


def test_meetings_and_captations(con):
    per_type = dict(rows(con, "SELECT type_instance, count(*) FROM stg.instances WHERE year(date_instance) = 2025 "
                              "GROUP BY 1"))
    assert per_type["copil"] == 2
    assert per_type["coordination"] == 7 * 11
    assert 60 <= per_type["commission_fluidite"] <= 80
    assert {"concertation", "cotech", "formation"} <= set(per_type)
    parcs = dict(rows(con, "SELECT parc, sum(nb_logements) FROM stg.captations GROUP BY 1"))
    assert parcs["prive"] > parcs["social"] > 0


# --- budget -------------------------------------------------------------------------------------------

def test_funding_rules_of_coordinator_posts(con):
    lines = rows(con, """
        SELECT f.financeur, f.montant_conventionne::DOUBLE, f.taux_cofinancement, p.etp, p.cout_annuel::DOUBLE
        FROM raw.financements f JOIN raw.postes p USING (plateforme, annee)
        WHERE f.financeur IN ('Departement', 'FSE+', 'Segur')""")
    assert len(lines) == 3 * 7 * len(range(2022, TODAY.year + 1))
    for financeur, amount, rate, etp, cost in lines:
        if financeur == "Departement":
            assert amount <= 22_800 * etp + 0.005 and amount <= 0.4 * cost + 0.005
            assert rate == 0.4
        elif financeur == "FSE+":
            assert rate == 0.6 and amount == pytest.approx(0.6 * cost, abs=0.01)
        else:
            assert amount == pytest.approx(5_270 * etp, abs=0.01)
    assert value(con, "SELECT count(*) FROM raw.financements WHERE financeur = 'DIHAL' AND plateforme IS NULL") > 0
    for etp, cost in rows(con, "SELECT etp, cout_annuel::DOUBLE FROM raw.postes"):
        assert 0.5 <= etp <= 2 and 54_000 <= cost / etp <= 61_000


def test_receipts_follow_the_funders_rules(con):
    # FSE+ pays only after the control, the year after; the Département advances 60 % at signature.
    assert value(con, """
        SELECT count(*) FROM stg.depenses WHERE financeur = 'FSE+' AND mouvement = 'versement_recu'
          AND year(date_mouvement) <= annee""") == 0
    advances = rows(con, """
        SELECT f.montant_conventionne::DOUBLE, min(d.montant_mouvement)::DOUBLE
        FROM stg.depenses d JOIN raw.financements f USING (id_financement)
        WHERE d.financeur = 'Departement' AND d.mouvement = 'versement_recu' AND year(d.date_mouvement) = d.annee
        GROUP BY f.id_financement, f.montant_conventionne""")
    assert advances and all(received == pytest.approx(0.6 * amount, abs=0.01) for amount, received in advances)


def test_this_years_budget_has_one_line_under_and_one_over(con):
    projected = dict(rows(con, """
        SELECT f.id_financement,
               coalesce(sum(d.montant_mouvement) FILTER (WHERE d.mouvement = 'paiement'), 0)::DOUBLE
               * 365 / (dayofyear(DATE '2026-11-22')) / f.montant_conventionne::DOUBLE
        FROM raw.financements f LEFT JOIN stg.depenses d USING (id_financement)
        WHERE f.annee = 2026 GROUP BY f.id_financement, f.montant_conventionne"""))
    assert sum(p < 0.9 for p in projected.values()) >= 1
    assert sum(p > 1.0 for p in projected.values()) >= 1
    assert sum(0.9 <= p <= 1.0 for p in projected.values()) > len(projected) / 2


# --- plan, targets, personal data ---------------------------------------------------------------------

def test_action_plan(con):
    assert 15 <= value(con, "SELECT count(*) FROM stg.plan_actions") <= 25
    assert rows(con, "SELECT DISTINCT axe FROM stg.plan_actions ORDER BY 1") == [(1,), (2,), (3,), (4,), (5,)]
    assert value(con, "SELECT count(DISTINCT statut) FROM stg.plan_actions") == 5
    late = value(con, "SELECT count(*) FROM stg.plan_actions WHERE date_echeance < ? AND statut <> 'realisee'",
                 [TODAY])
    assert late >= 2


def test_targets_name_existing_indicators(con):
    from queries import catalogue
    from queries.targets import ALIASES

    known = set(catalogue()) | set(ALIASES)
    targets = rows(con, "SELECT DISTINCT indicateur FROM stg.cibles")
    assert {t for (t,) in targets} <= known
    assert {"saisines", "accompagnements_debutes", "acces_logement_sans_domicile", "taux_sortie_positive",
            "maintien_12m", "taux_consommation"} <= {t for (t,) in targets}
    assert rows(con, "SELECT DISTINCT annee FROM stg.cibles ORDER BY 1") == [(2025,), (2026,)]
    assert value(con, "SELECT count(DISTINCT plateforme) FROM stg.cibles") == 7
    assert value(con, "SELECT count(*) FROM stg.cibles WHERE plateforme IS NULL") > 0


def test_no_raw_household_id_in_the_warehouse(demo_files, con):
    sheet = fastexcel.read_excel(demo_files[LOAD_ORDER.index("saisines")].read_bytes()).load_sheet(
        "saisines", dtypes="string").to_polars()
    raw_ids = set(sheet["id_menage"].drop_nulls())
    assert raw_ids and all(i.startswith("M-") for i in raw_ids)
    stored = set()
    for table in ("saisines", "accompagnements", "logements"):
        stored |= {r[0] for r in rows(con, f"SELECT DISTINCT id_menage FROM raw.{table} WHERE id_menage IS NOT NULL")}
    assert all(re.fullmatch(r"m_[0-9a-f]{20}", i) for i in stored)
    assert not stored & raw_ids
