"""The Plan d'actions page on the fixture warehouse: what it shows equals `queries.display` at the period's end.

Fixture plan: 1.1 (axe 1, en cours, 40 %, due 31/12/2025), 2.1 (axe 2, réalisée, 100 %, 30/06/2025),
3.1 (axe 3, à lancer, 0 %, 31/03/2025), 5.1 (axe 5, en cours, 50 %, 31/12/2026). Shared filters are set as a
bookmarked link does (bound to the URL); page controls with `set_value`.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

import queries
from figures.formats import fmt_int
from tests.pages.reading import charts, metrics, table

PAGE = "pages/plan_actions.py"
CUSTOM = "perso"  # the shared filters carry codes in the URL


@pytest.fixture
def open_plan(fixture_warehouse, monkeypatch):
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


def shown(warehouse, name: str, fin: date):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return queries.display(name, con, fin=fin)
    finally:
        con.close()


def full_list(at: AppTest) -> list[str]:
    return [r["Action"] for r in table(at, "Avancement")]


def test_plan_at_the_end_of_2025(open_plan, fixture_warehouse):
    at = open_plan(periode="annee", annee="2025")
    assert at.title[0].value == "Plan d'actions"
    # 4 actions, 1 done, 2 running, 3.1 late; progress (40 + 100 + 0 + 50) / 4 = 47,5 %.
    assert metrics(at) == {"Actions du plan": "4", "Réalisées": "1", "En cours": "2", "En retard au 31/12/2025": "1",
                           "Avancement moyen": "47,5\u00a0%"}
    plan = shown(fixture_warehouse, "plan_actions", date(2025, 12, 31))
    assert metrics(at)["Actions du plan"] == fmt_int(plan["nb_actions"].sum())
    assert metrics(at)["En retard au 31/12/2025"] == fmt_int(plan["nb_actions_en_retard"].sum())

    late = table(at, "Jours de retard")
    assert late == [{"Action": "3.1", "Axe": "Axe 3", "Intitulé": "Généraliser les bilans à 6 et 12 mois",
                     "Pilote": "Plateformes", "Statut": "À lancer", "Échéance": "31/03/2025",
                     "Jours de retard": "275"}]
    expected = shown(fixture_warehouse, "actions_en_retard", date(2025, 12, 31))
    assert late[0]["Jours de retard"] == fmt_int(expected["nb_jours_retard"][0])

    rows = {r["Action"]: r for r in table(at, "Avancement")}
    assert list(rows) == ["1.1", "2.1", "3.1", "5.1"]
    assert (rows["3.1"]["Retard"], rows["1.1"]["Retard"]) == ("275 jours", "—")
    assert (rows["1.1"]["Avancement"], rows["1.1"]["Statut"], rows["2.1"]["Statut"]) == (
        "40\u00a0%", "En cours", "Réalisée")

    figures = charts(at)
    stacked = figures["Actions du plan par axe et par statut"]
    late_trace = next(t for t in stacked["data"] if t["name"] == "En retard (échéance dépassée)")
    late_by_axe = {y.split(" — ")[0]: x for y, x in zip(late_trace["y"], late_trace["x"], strict=True) if x}
    assert late_by_axe == {"Axe 3": 1}
    assert late_trace["marker"]["pattern"]["shape"] == "/"
    done = next(t for t in stacked["data"] if t["name"] == "Réalisée")
    assert done["marker"]["color"] == "#009E73"
    assert done["y"][0].startswith("Axe 1 — Produire et mobiliser")
    progress = figures["Avancement moyen des actions par axe"]["data"][0]
    by_axe = {y.split(" — ")[0]: x for y, x in zip(progress["y"], progress["x"], strict=True)}
    assert by_axe == {"Axe 1": 0.4, "Axe 2": 1.0, "Axe 3": 0.0, "Axe 4": None, "Axe 5": 0.5}


def test_the_period_end_moves_the_delays(open_plan):
    # At 01/07/2025: 3.1 is 92 days late.
    at = open_plan(periode=CUSTOM, du="2025-01-01", au="2025-07-01")
    assert metrics(at)["En retard au 01/07/2025"] == "1"
    assert table(at, "Jours de retard")[0]["Jours de retard"] == "92"
    # At 31/12/2024 nothing is late yet.
    at = open_plan(periode="annee", annee="2024")
    assert metrics(at)["En retard au 31/12/2024"] == "0"
    assert any("Aucune action en retard" in i.value for i in at.info)
    # At 01/01/2027 (custom period) 1.1, 3.1 and 5.1 are late.
    at = open_plan(periode=CUSTOM, du="2026-12-01", au="2027-01-01")
    assert [r["Action"] for r in table(at, "Jours de retard")] == ["3.1", "1.1", "5.1"]


def test_platforms_do_not_change_the_plan(open_plan):
    everyone = open_plan(periode="annee", annee="2025")
    calaisis = open_plan(periode="annee", annee="2025", plateformes=["Calaisis"])
    assert metrics(calaisis) == metrics(everyone)
    assert "filtres des plateformes et du public ne s'y appliquent pas" in calaisis.markdown[0].value


def test_the_full_list_filters(open_plan):
    at = open_plan(periode="annee", annee="2025")
    at.multiselect(key="statuts_plan").set_value(["En cours"]).run()
    assert not at.exception
    assert full_list(at) == ["1.1", "5.1"]
    at.multiselect(key="axes_plan").set_value(["Axe 5"]).run()
    assert full_list(at) == ["5.1"]
    at.multiselect(key="statuts_plan").set_value([]).run()
    at.multiselect(key="axes_plan").set_value([]).run()
    at.toggle(key="retard_plan").set_value(True).run()
    assert not at.exception
    assert full_list(at) == ["3.1"]
    at.multiselect(key="axes_plan").set_value(["Axe 4"]).run()
    assert any("Aucune action pour ces axes" in i.value for i in at.info)


def test_the_url_sets_the_list_filters(open_plan):
    at = open_plan(periode="annee", annee="2025", statuts_plan=["Réalisée", "À lancer"])
    assert full_list(at) == ["2.1", "3.1"]
