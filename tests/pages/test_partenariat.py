"""The Partenariat page on the fixture warehouse: what it shows equals `queries.display` for the same filters.

Fixture meetings (2025): Lens-Hénin coordination 14/01 (8 participants, 4 situations), coordination 11/02 (7, 3),
commission de fluidité 20/02 (12, 6); Calaisis commission de fluidité 06/03 (10, 5), concertation 27/03 (5, 1),
COPIL 15/10 (25, 0). Captations: Lens-Hénin 10/02 1 private IML, 15/04 2 social bail glissant; Calaisis 03/06
3 private IML. Nothing in 2024.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

import queries
from figures.formats import fmt_int, fmt_masked
from tests.pages.reading import charts, metrics, table_frame

ALL = ["Audomarois", "Calaisis", "Lens-Hénin"]
PAGE = "pages/partenariat.py"
CUSTOM = "perso"  # the shared filters carry codes in the URL


@pytest.fixture
def app(fixture_warehouse, monkeypatch) -> AppTest:
    monkeypatch.setenv("COPILOTE_WAREHOUSE", str(fixture_warehouse))
    at = AppTest.from_file("../../app.py", default_timeout=60)
    at.switch_page(PAGE)
    return at


def shown(warehouse, name: str, **params):
    """The indicator as the screen may show it, with only the parameters it takes."""
    accepted = queries.indicator(name).parametres
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return queries.display(name, con, **{k: v for k, v in params.items() if k in accepted})
    finally:
        con.close()


def scope(debut: date, fin: date, plateformes=ALL, **extra) -> dict:
    return {"debut": debut, "fin": fin, "plateformes": list(plateformes), **extra}


def deltas(at: AppTest) -> dict[str, str | None]:
    return {m.label: m.proto.delta or None for m in at.metric}


def expected_total(warehouse, name: str, column: str, params: dict) -> str:
    frame = shown(warehouse, name, **params, maille="ensemble", pas="periode")
    flag = f"{column}_masque"
    if flag in frame.columns and frame[flag].any():
        return fmt_masked(None, True)
    return fmt_int(frame[column].sum() if not frame.is_empty() else 0)


def open_year(at: AppTest, year: str = "2025") -> AppTest:
    at.query_params["annee"] = year
    return at.run()


def test_year_2025_key_figures_table_and_charts(app, fixture_warehouse):
    at = open_year(app)
    assert not at.exception
    assert at.title[0].value == "Partenariat"
    params = scope(date(2025, 1, 1), date(2025, 12, 31))
    # By hand: 6 meetings, 2 commissions de fluidité, 4+3+6+5+1+0 = 19 situations, 1+2+3 = 6 dwellings.
    assert metrics(at) == {"Réunions et instances": "6", "Commissions de fluidité": "2", "Situations examinées": "19",
                           "Logements captés": "6"}
    assert metrics(at) == {
        "Réunions et instances": expected_total(fixture_warehouse, "instances", "nb_instances", params),
        "Commissions de fluidité": expected_total(fixture_warehouse, "commissions_fluidite",
                                                  "nb_commissions_fluidite", params),
        "Situations examinées": expected_total(fixture_warehouse, "situations_examinees", "nb_situations_examinees",
                                               params),
        "Logements captés": expected_total(fixture_warehouse, "logements_captes", "nb_logements_captes", params),
    }
    # Nothing in 2024: no change can be computed.
    assert set(deltas(at).values()) == {None}

    platforms = table_frame(at, "Plateforme")
    rows = {r["Plateforme"]: r for r in platforms.to_dict("records")}
    assert list(platforms["Plateforme"]) == [*ALL, "Ensemble"]
    assert rows["Lens-Hénin"]["Réunions"] == "3"
    assert rows["Lens-Hénin"]["dont commissions de fluidité"] == "1"
    assert rows["Lens-Hénin"]["Participants"] == "27"
    assert rows["Lens-Hénin"]["Situations examinées"] == "13"
    assert (rows["Calaisis"]["Logements captés"], rows["Calaisis"]["dont parc privé"]) == ("3", "3")
    assert rows["Ensemble"]["Participants"] == "67"
    assert rows["Audomarois"]["Réunions"] == "0"
    per_platform = shown(fixture_warehouse, "instances", **params, maille="plateforme", pas="periode")
    for platform in ALL:
        count = per_platform.filter(per_platform["territoire"] == platform)["nb_instances"].sum()
        assert rows[platform]["Réunions"] == fmt_int(count)

    types = {r["Type de réunion"]: r for r in table_frame(at, "Type de réunion").to_dict("records")}
    assert (types["Commission de fluidité"]["Réunions"], types["Commission de fluidité"]["Participants"]) == ("2", "22")
    assert types["Ensemble"]["Participants par réunion"] == "11,2"  # 67 / 6

    figures = charts(at)
    by_platform = figures["Réunions et instances par plateforme et par type"]
    totals = {}
    for trace in by_platform["data"]:
        for platform, value in zip(trace["y"], trace["x"], strict=True):
            totals[platform] = totals.get(platform, 0) + value
    assert totals == {"Audomarois": 0, "Calaisis": 3, "Lens-Hénin": 3}
    assert {t["name"] for t in by_platform["data"]} == {"Réunion de coordination", "Commission de fluidité",
                                                        "Concertation", "COPIL"}
    monthly = figures["Réunions tenues chaque mois, par type"]
    per_month = {}
    for trace in monthly["data"]:
        for month, value in zip(trace["x"], trace["y"], strict=True):
            per_month[month[:7]] = per_month.get(month[:7], 0) + value
    assert len(per_month) == 12  # every month of the year, even without meetings
    assert (per_month["2025-02"], per_month["2025-03"], per_month["2025-10"], per_month["2025-12"]) == (2, 2, 1, 0)
    assert monthly["layout"]["xaxis"]["ticktext"][0] == "janv. 2025"
    captations = figures["Logements captés par dispositif et par parc"]
    values = {(t["name"], y): x for t in captations["data"] for y, x in zip(t["y"], t["x"], strict=True)}
    assert values[("Parc privé", "Intermédiation locative")] == 4
    assert values[("Parc social", "Bail glissant")] == 2


def test_a_platform_changes_the_figures(app, fixture_warehouse):
    app.query_params["plateformes"] = ["Lens-Hénin"]
    at = open_year(app)
    assert not at.exception
    assert at.multiselect(key="plateformes").value == ["Lens-Hénin"]
    # Lens-Hénin: 3 meetings (1 commission), 4+3+6 = 13 situations, 1+2 = 3 dwellings.
    params = scope(date(2025, 1, 1), date(2025, 12, 31), ["Lens-Hénin"])
    assert metrics(at) == {"Réunions et instances": "3", "Commissions de fluidité": "1", "Situations examinées": "13",
                           "Logements captés": "3"}
    assert metrics(at)["Situations examinées"] == expected_total(
        fixture_warehouse, "situations_examinees", "nb_situations_examinees", params)
    assert list(table_frame(at, "Plateforme")["Plateforme"]) == ["Lens-Hénin", "Ensemble"]


def test_custom_period_compares_with_the_previous_one(app, fixture_warehouse):
    app.query_params["periode"] = CUSTOM
    app.query_params["du"], app.query_params["au"] = "2025-03-01", "2025-06-30"
    at = app.run()
    assert not at.exception
    # March-June 2025: 2 Calaisis meetings (1 commission, 5 + 1 situations), 2 + 3 dwellings.
    # Previous period: November 2024-February 2025: 3 Lens-Hénin meetings, 13 situations, 1 dwelling.
    assert metrics(at) == {"Réunions et instances": "2", "Commissions de fluidité": "1", "Situations examinées": "6",
                           "Logements captés": "5"}
    previous = scope(date(2024, 11, 1), date(2025, 2, 28))
    assert expected_total(fixture_warehouse, "instances", "nb_instances", previous) == "3"
    changes = deltas(at)
    assert changes["Réunions et instances"][0] in "−-"  # a fall
    assert changes["Réunions et instances"][1:].startswith("33,3")
    assert changes["Commissions de fluidité"].startswith("+0,0")
    assert changes["Logements captés"].startswith("+400,0")


def test_situations_examined_are_activity_and_not_masked(app, fixture_warehouse):
    # January 2025: one meeting, 4 situations examined. Like the meetings themselves (and the per-type detail of
    # the instances indicator), they describe the platforms' activity and are shown as they are.
    app.query_params["periode"] = CUSTOM
    app.query_params["du"], app.query_params["au"] = "2025-01-01", "2025-01-31"
    at = app.run()
    assert not at.exception
    params = scope(date(2025, 1, 1), date(2025, 1, 31))
    assert expected_total(fixture_warehouse, "situations_examinees", "nb_situations_examinees", params) == "4"
    assert metrics(at)["Situations examinées"] == "4"
    assert metrics(at)["Réunions et instances"] == "1"
    rows = {r["Plateforme"]: r for r in table_frame(at, "Plateforme").to_dict("records")}
    assert rows["Lens-Hénin"]["Situations examinées"] == "4"
    assert rows["Ensemble"]["Situations examinées"] == "4"
    assert rows["Lens-Hénin"]["Réunions"] == "1"


def test_an_empty_period_says_so(app):
    at = open_year(app, "2024")
    assert not at.exception
    assert set(metrics(at).values()) == {"0"}
    messages = [i.value for i in at.info]
    assert any("Aucune réunion" in m for m in messages)
    assert any("Aucun logement capté" in m for m in messages)


@pytest.mark.parametrize("preset", ["12mois", "trimestre", "annee", CUSTOM])
@pytest.mark.parametrize("public", ["tous", "sans_domicile"])
def test_every_period_preset_and_public_run(app, preset, public):
    # Shared filters are set as a bookmarked link does: bound to the URL, by their French label.
    app.query_params["periode"] = preset
    app.query_params["public"] = public
    at = app.run()
    assert not at.exception
    assert at.title[0].value == "Partenariat"
    assert len(metrics(at)) == 4
