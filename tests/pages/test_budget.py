"""The Budget page on the fixture warehouse: what it shows equals `queries.display` for the same filters.

Fixture 2025 funding lines: DIHAL-2025-01 (transverse, axe 5, 100 000 €), FSE-2025-01 (Lens-Hénin, axe 3,
60 000 €, expected rate 60 %), DEP-2025-01 (transverse, axe 5, 45 600,50 €). Movements: DIHAL engaged 50 000 on
31/03, paid 20 000 on 30/04 and 10 000,50 on 30/06; FSE+ paid 15 000 on 30/06; the Département only has a receipt.
Posts 2025: 1 + 0,8 ETP costing 57 000 + 45 600 €. Shared filters are set as a bookmarked link does (bound to the
URL); page controls with `set_value`.
"""

from __future__ import annotations

import json
from datetime import date

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

import queries
from figures.budget import fmt_money
from figures.formats import fmt_eur, fmt_pct
from tests.pages.reading import charts, metrics, table

ALL = ["Audomarois", "Calaisis", "Lens-Hénin"]
PAGE = "pages/budget.py"
CUSTOM = "perso"  # the shared filters carry codes in the URL
JUNE = {"periode": CUSTOM, "du": "2025-01-01", "au": "2025-06-30"}


@pytest.fixture
def open_budget(fixture_warehouse, monkeypatch):
    monkeypatch.setenv("COPILOTE_WAREHOUSE", str(fixture_warehouse))

    def run(**query) -> AppTest:
        at = AppTest.from_file("../../app.py", default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        at.switch_page(PAGE)
        at.run()
        assert not at.exception
        return at

    return run


def shown(warehouse, name: str, **params) -> pl.DataFrame:
    accepted = queries.indicator(name).parametres
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return queries.display(name, con, **{k: v for k, v in params.items() if k in accepted})
    finally:
        con.close()


def lines_table(at: AppTest) -> list[dict]:
    return table(at, "Reste à consommer")


def caps_rows(at: AppTest) -> dict[str, dict]:
    return {r["Financeur"]: r for r in table(at, "Plafond")}


def alerts(at: AppTest) -> dict[str, str]:
    return {r["Financeur"]: r["Alerte"] for r in table(at, "Alerte")}


def test_budget_at_30_june_2025(open_budget, fixture_warehouse):
    at = open_budget(**JUNE)
    fin = date(2025, 6, 30)
    lines = shown(fixture_warehouse, "budget_consommation", fin=fin, plateformes=ALL)
    projection = shown(fixture_warehouse, "budget_projection", fin=fin, plateformes=ALL)
    ensemble = projection.filter(pl.col("financeur") == "Ensemble").row(0, named=True)
    # By hand: 100 000 + 60 000 + 45 600,50 conventionné; 50 000 engaged; 30 000,50 + 15 000 paid;
    # projection 45 000,50 × 365 / 181 = 90 746,86.
    assert metrics(at) == {
        "Conventionné 2025": "205\u202f601\u00a0€",
        "Engagé": "50\u202f000\u00a0€",
        "Payé au 30/06/2025": "45\u202f001\u00a0€",
        "Taux de consommation": "21,9\u00a0%",
        "Reste à consommer": "160\u202f600\u00a0€",
        "Projection au 31/12": "90\u202f747\u00a0€",
    }
    assert metrics(at)["Conventionné 2025"] == fmt_eur(float(lines["montant_conventionne"].sum()))
    assert metrics(at)["Payé au 30/06/2025"] == fmt_eur(float(ensemble["montant_paye"]))
    assert metrics(at)["Projection au 31/12"] == fmt_eur(ensemble["montant_projete"])
    assert "l'année 2025" in at.caption[1].value or any("année 2025" in m.value for m in at.markdown)

    rows = {r["Financeur"]: r for r in lines_table(at)}
    dihal = rows["DIHAL"]
    assert (dihal["Année"], dihal["Axe"], dihal["Plateforme"]) == ("2025", "Axe 5", "Transverse")
    assert (dihal["Conventionné"], dihal["Engagé"], dihal["Payé"]) == (
        "100\u202f000\u00a0€", "50\u202f000\u00a0€", "30\u202f000,50\u00a0€")
    assert (dihal["Taux de consommation"], dihal["Reste à consommer"]) == ("30,0\u00a0%", "69\u202f999,50\u00a0€")
    expected = lines.filter(pl.col("financeur") == "DIHAL").row(0, named=True)
    assert dihal["Payé"] == fmt_money(float(expected["montant_paye"]))
    assert dihal["Taux de consommation"] == fmt_pct(expected["taux_consommation"])
    assert rows["Total"]["Payé"] == "45\u202f000,50\u00a0€"

    projections = {r["Financeur"]: r for r in table(at, "Alerte")}
    assert projections["DIHAL"]["Alerte"] == "sous-consommation"
    assert projections["Tous financeurs"]["Projection au 31/12"] == "90\u202f746,86\u00a0€"


def test_burn_up_and_other_charts(open_budget, fixture_warehouse):
    at = open_budget(**JUNE)
    figures = charts(at)
    burn = figures["Consommation des crédits 2025 — Tous financeurs : payé cumulé et projection au 31 décembre"]
    subtitle = burn["layout"]["title"]["subtitle"]["text"]
    assert subtitle == "Budget 2025, situation au 30/06/2025 — toutes les plateformes"
    traces = {t["name"]: t for t in burn["data"]}
    cumul = shown(fixture_warehouse, "budget_cumul", fin=date(2025, 6, 30), plateformes=ALL)
    ensemble = cumul.filter(pl.col("financeur") == "Ensemble").sort("mois")
    assert traces["Payé cumulé"]["y"] == [0, *[float(v) for v in ensemble["montant_paye_cumule"]]]
    assert traces["Payé cumulé"]["y"] == [0, 0, 0, 0, 20000, 20000, 45000.5]
    assert [x[:10] for x in traces["Payé cumulé"]["x"]] == [
        "2025-01-01", "2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31", "2025-06-30"]
    assert traces["Conventionné"]["y"] == [205600.5, 205600.5]
    projected = traces["Projection au 31/12"]
    assert projected["y"][1] == pytest.approx(45000.5 * 365 / 181)
    assert projected["x"][1][:10] == "2025-12-31"

    # A financeur of the burn-up: DIHAL.
    at.selectbox(key="budget_financeur").set_value("DIHAL").run()
    assert not at.exception
    burn = charts(at)["Consommation des crédits 2025 — DIHAL : payé cumulé et projection au 31 décembre"]
    traces = {t["name"]: t for t in burn["data"]}
    assert traces["Payé cumulé"]["y"] == [0, 0, 0, 0, 20000, 20000, 30000.5]
    assert traces["Engagé cumulé"]["y"] == [0, 0, 0, 50000, 50000, 50000, 50000]
    assert traces["Conventionné"]["y"] == [100000, 100000]

    bars = charts(at)["Crédits conventionnés, engagés et payés par financeur"]
    paid = next(t for t in bars["data"] if t["name"] == "Payé")
    assert dict(zip(paid["y"], paid["x"], strict=True)) == {"DIHAL": 30000.5, "FSE+": 15000, "Département": 0}
    assert dict(zip(paid["y"], paid["text"], strict=True))["DIHAL"] == "30,0\u00a0%"
    # Ventilation by axe: axe 5 (DIHAL + Département) and axe 3 (FSE+).
    at.segmented_control(key="budget_vue").set_value("Axe").run()
    assert not at.exception
    bars = charts(at)["Crédits conventionnés, engagés et payés par axe"]
    conv = next(t for t in bars["data"] if t["name"] == "Conventionné")
    assert sorted(conv["x"]) == [60000, 145600.5]
    at.segmented_control(key="budget_vue").set_value("Plateforme").run()
    bars = charts(at)["Crédits conventionnés, engagés et payés par plateforme"]
    conv = next(t for t in bars["data"] if t["name"] == "Conventionné")
    assert dict(zip(conv["y"], conv["x"], strict=True)) == {"Transverse": 145600.5, "Lens-Hénin": 60000}

    reste = charts(at)["Reste à consommer par financeur"]["data"][0]
    assert dict(zip(reste["y"], reste["x"], strict=True)) == {"DIHAL": 69999.5, "FSE+": 45000, "Département": 45600.5}

    cofin = charts(at)["Cofinancement par action : part réelle de chaque financeur et part attendue"]
    fse = next(t for t in cofin["data"] if t["name"] == "FSE+")
    shares = {(a, k): v for a, k, v in zip(fse["y"][0], fse["y"][1], fse["x"], strict=True) if v is not None}
    assert shares == {("Accompagnement renforcé", "Réel"): 1.0, ("Accompagnement renforcé", "Attendu"): 0.6}


def test_cost_per_household_is_masked_with_its_households(open_budget, fixture_warehouse):
    at = open_budget(**JUNE)
    cost = shown(fixture_warehouse, "cout_par_menage", debut=date(2025, 1, 1), fin=date(2025, 6, 30), plateformes=ALL,
                 public="tous")
    assert cost.filter(pl.col("territoire") == "Lens-Hénin")["montant_par_menage_masque"].item()
    rows = {r["Territoire"]: r for r in table(at, "Coût par ménage")}
    assert rows["Lens-Hénin"]["Payé dans la période"] == "15\u202f000\u00a0€"  # money is not masked
    assert rows["Lens-Hénin"]["Ménages accompagnés"] == "< 5"
    assert rows["Lens-Hénin"]["Coût par ménage"] == "masqué"
    assert rows["Ensemble"]["Coût par ménage"] == "masqué"
    assert rows["Audomarois"]["Coût par ménage"] == "aucun ménage"
    chart = charts(at)["Coût par ménage accompagné, par plateforme"]
    bars = chart["data"][0]
    assert all(v is None for v in bars["x"])  # no masked value drawn
    notes = dict(zip(chart["data"][1]["y"], chart["data"][1]["text"], strict=True))
    assert notes["Lens-Hénin"] == "masqué (moins de 5 ménages)"
    assert notes["Audomarois"] == "aucun ménage"
    assert "5000" not in json.dumps(chart)


def test_posts_against_caps_and_rules(open_budget):
    at = open_budget(periode="annee", annee="2025")
    rows = caps_rows(at)
    # 1,8 ETP, 102 600 € of posts: Département cap min(1,8 × 22 800, 40 % × 102 600) = 41 040 € < 45 600,50 €.
    assert (rows["Département"]["ETP"], rows["Département"]["Plafond"], rows["Département"]["Statut"]) == (
        "1,8", "41\u202f040\u00a0€", "au-delà du plafond")
    assert rows["Ségur"]["Plafond"] == "9\u202f486\u00a0€"
    # A convention at 50 % within 30 000 € per ETP: cap min(54 000, 51 300) = 51 300 € → within.
    at.number_input(key="regle_taux_departement").set_value(50).run()
    at.number_input(key="regle_plafond_departement_etp").set_value(30000).run()
    assert not at.exception
    rows = caps_rows(at)
    assert (rows["Département"]["Plafond"], rows["Département"]["Statut"]) == ("51\u202f300\u00a0€", "dans le plafond")
    caps = charts(at)["Postes de coordination : financements au regard des plafonds"]
    marker = next(t for t in caps["data"] if t["name"] == "Plafond")
    assert dict(zip(marker["y"], marker["x"], strict=True))["Département"] == 51300
    at.number_input(key="regle_montant_segur_etp").set_value(6000).run()
    rows = caps_rows(at)
    assert rows["Ségur"]["Plafond"] == "10\u202f800\u00a0€"


def test_alert_thresholds_are_parameters(open_budget):
    at = open_budget(**JUNE)
    assert alerts(at)["DIHAL"] == "sous-consommation"  # 60,5 % projected
    at.number_input(key="regle_seuil_bas").set_value(60).run()
    assert not at.exception
    assert alerts(at)["DIHAL"] == "conforme"
    at.number_input(key="regle_seuil_haut").set_value(55).run()
    assert alerts(at)["DIHAL"] == "dépassement"


def test_funding_line_filters(open_budget):
    at = open_budget(**JUNE)
    at.multiselect(key="financeurs").set_value(["DIHAL"]).run()
    assert not at.exception
    assert [r["Financeur"] for r in lines_table(at)] == ["DIHAL", "Total"]
    at.multiselect(key="financeurs").set_value([]).run()
    at.multiselect(key="axes").set_value(["Axe 3"]).run()
    rows = lines_table(at)
    assert [r["Financeur"] for r in rows] == ["FSE+", "Total"]
    assert rows[0]["Plateforme"] == "Lens-Hénin"
    at.multiselect(key="financeurs").set_value(["Département"]).run()
    assert not lines_table_or_none(at)
    assert any("Aucune ligne de financement pour ces financeurs" in i.value for i in at.info)


def lines_table_or_none(at: AppTest):
    try:
        return lines_table(at)
    except AssertionError:
        return None


def test_the_url_sets_the_page_controls(open_budget):
    at = open_budget(**JUNE, financeurs=["FSE+"], budget_vue="Action", budget_financeur="FSE+")
    assert [r["Financeur"] for r in lines_table(at)] == ["FSE+", "Total"]
    assert "Crédits conventionnés, engagés et payés par action" in charts(at)
    assert "Consommation des crédits 2025 — FSE+ : payé cumulé et projection au 31 décembre" in charts(at)


def test_a_platform_or_a_period_changes_the_figures(open_budget, fixture_warehouse):
    # Lens-Hénin alone: its FSE+ line only (no transverse line).
    at = open_budget(**JUNE, plateformes=["Lens-Hénin"])
    assert metrics(at)["Conventionné 2025"] == "60\u202f000\u00a0€"
    assert metrics(at)["Payé au 30/06/2025"] == "15\u202f000\u00a0€"
    assert [r["Financeur"] for r in lines_table(at)] == ["FSE+", "Total"]
    assert any("lignes transverses" in c.value for c in at.caption)
    # At 15/04/2025 nothing is paid yet.
    at = open_budget(periode=CUSTOM, du="2025-01-01", au="2025-04-15")
    assert metrics(at)["Payé au 15/04/2025"] == "0\u00a0€"
    assert metrics(at)["Engagé"] == "50\u202f000\u00a0€"
    # 2024: no convention at all.
    at = open_budget(periode="annee", annee="2024")
    assert any("Aucune ligne de financement 2024" in i.value for i in at.info)
    assert metrics(at)["Conventionné 2024"] == "—"
    # Calaisis alone in 2025: no line either; the cost per household still shows.
    at = open_budget(periode="annee", annee="2025", plateformes=["Calaisis"])
    assert any("Aucune ligne de financement 2025" in i.value for i in at.info)
    assert "Coût par ménage accompagné, par plateforme" in charts(at)


@pytest.mark.parametrize("preset", ["12mois", "trimestre", "annee"])
def test_every_period_preset_runs(open_budget, preset):
    at = open_budget(periode=preset, public="sans_domicile")
    assert at.title[0].value == "Budget"
    assert len(metrics(at)) == 6
