"""The Parcours page on the fixture warehouse: funnel, exits, delays, reviews and profile equal the masked queries.

By hand (tests/queries/test_indicators.py): in 2025, 6 referrals (situations), 4 accepted, 3 measures started,
4 housing entries, no 12-month anniversary; overdue reviews A03 (Calaisis, 3 mois, 112 days, missing), A04
(Lens-Hénin, 3 mois, 50 days, received 20/04/2025) and A02 (Lens-Hénin, 6 mois, 121 days, missing).
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from figures import labels, parcours
from queries import display

ALL = ["Audomarois", "Calaisis", "Lens-Hénin"]
Y2025 = {"debut": date(2025, 1, 1), "fin": date(2025, 12, 31)}


@pytest.fixture
def page(open_page):
    def run(**query):
        at = open_page("pages/parcours.py", **{"periode": "annee", "annee": "2025", **query})
        assert not at.exception, at.exception
        return at

    return run


def shown(con, name, plateformes=ALL, period=Y2025, **params):
    return display(name, con.cursor(), plateformes=plateformes, **period, **params)


def chart(at, title_start: str) -> dict:
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        if spec["layout"]["title"]["text"].startswith(title_start):
            return spec
    raise AssertionError(f"no chart titled {title_start!r}")


def masked_or_value(frame, column):
    row = frame.row(0, named=True)
    return None if row[f"{column}_masque"] else row[column]


def test_funnel_equals_the_masked_queries(page, con):
    at = page()
    assert at.title[0].value == "Parcours"
    funnel = chart(at, "Parcours de la période")
    bars, marks = funnel["data"]
    expected = [masked_or_value(shown(con, name, maille="ensemble"), column) for name, column, _ in parcours.FUNNEL]
    assert expected == [6, None, None, None, 0]  # 4 accepted, 3 started, 4 entries: masked; no anniversary: 0
    assert bars["x"] == expected
    assert bars["y"] == [label for _, _, label in parcours.FUNNEL]
    assert bars["text"] == ["6", "", "", "", "0 — 0\u00a0% des saisines"]
    assert marks["text"] == ["< 5"] * 3
    assert any("pas une cohorte suivie" in a["text"] for a in funnel["layout"]["annotations"])
    table = at.dataframe[0].value.set_index("Plateforme")
    assert list(table.index) == ["Audomarois", "Calaisis", "Lens-Hénin", "Ensemble"]
    assert table.loc["Ensemble"].tolist() == ["6", "< 5", "< 5", "< 5", "0"]
    assert table.loc["Audomarois"].tolist() == ["0"] * 5


def test_funnel_with_a_lower_threshold_gives_the_shares(page, con, monkeypatch):
    monkeypatch.setenv("COPILOTE_SEUIL_SECRET", "0")
    at = page()
    bars = chart(at, "Parcours de la période")["data"][0]
    assert bars["x"] == [6, 4, 3, 4, 0]
    assert bars["text"] == ["6", "4 — 67\u00a0% des saisines", "3 — 50\u00a0% des saisines",
                            "4 — 67\u00a0% des saisines", "0 — 0\u00a0% des saisines"]
    metrics = {m.label: m.value for m in at.metric}
    # Exits 2025: A02 (accès au logement) and A04 (rupture) → 50 %; durations 213 and 165 days → median 189.
    assert metrics == {"Mesures terminées": "2", "Taux de sortie positive": "50,0\u00a0%",
                       "Durée médiane d'accompagnement": "189\u00a0jours", "Bilans reçus à temps": "50,0\u00a0%"}
    exits = chart(at, "Sorties d'accompagnement par motif")["data"]
    assert (exits[0]["y"], exits[0]["x"]) == (["Accès au logement"], [1])
    assert (exits[1]["y"], exits[1]["x"]) == (["Rupture de l'accompagnement"], [1])
    medians = chart(at, "Délai de décision médian par plateforme")["data"][0]
    expected = shown(con, "delai_decision", seuil=0, maille="plateforme", pas="periode")
    assert medians["x"] == ["Audomarois", "Calaisis", "Lens-Hénin"]
    assert medians["y"] == expected["nb_jours_decision_median"].to_list() == [None, 10, 10]


def test_exits_and_key_figures_are_masked(page, con):
    at = page()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Mesures terminées"] == "< 5"
    assert metrics["Taux de sortie positive"] == "< 5"
    assert metrics["Durée médiane d'accompagnement"] == "< 5"
    sorties = shown(con, "sorties", maille="ensemble", pas="periode")
    assert sorties["nb_sorties_masque"].to_list() == [True, True]
    exits = chart(at, "Sorties d'accompagnement par motif")["data"]
    assert exits[0]["x"] == [None] and exits[1]["x"] == [None]  # no bar with a value
    assert exits[2]["text"] == ["< 5", "< 5"]
    assert exits[0]["marker"]["color"] == parcours.POSITIVE


def test_overdue_reviews_equal_the_query(page, con):
    at = page()
    late = at.dataframe[2].value
    expected = shown(con, "bilans_en_retard")
    assert late["Mesure"].tolist() == expected["id_accompagnement"].to_list() == ["A03", "A04", "A02"]
    assert late[["Plateforme", "Échéance", "Jours de retard", "Situation"]].values.tolist() == [
        ["Calaisis", "3 mois", 112, "Manquant"],
        ["Lens-Hénin", "3 mois", 50, "Reçu en retard le 20/04/2025"],
        ["Lens-Hénin", "6 mois", 121, "Manquant"],
    ]
    assert [d.date() for d in late["Date d'échéance"]] == expected["date_echeance"].to_list()
    counts = at.dataframe[1].value.set_index("Plateforme")
    assert counts.loc["Calaisis"].tolist() == ["1", "1", "0"]
    assert counts.loc["Lens-Hénin"].tolist() == ["2", "1", "1"]
    assert counts.loc["Ensemble"].tolist() == ["3", "2", "1"]
    reviews = chart(at, "Bilans à 3, 6 et 12 mois reçus à temps")["data"][0]
    rates = shown(con, "bilans_a_jour", maille="plateforme", pas="periode")
    assert reviews["y"] == [None if m or r is None else r * 100 for r, m in rates.select(
        "taux_bilans_a_jour", "taux_bilans_a_jour_masque").iter_rows()] == [None, None, None]


def test_overdue_reviews_follow_platform_and_period(page, con):
    at = page(plateformes="Calaisis")
    late = at.dataframe[1].value  # one platform: no per-platform funnel table
    assert late["Mesure"].tolist() == ["A03"]
    assert at.dataframe[0].value["Plateforme"].tolist() == ["Calaisis", "Ensemble"]
    at = page(annee="2024")
    assert shown(con, "bilans_en_retard", period={"debut": date(2024, 1, 1), "fin": date(2024, 12, 31)}).is_empty()
    assert "Aucun bilan en retard sur la période." in [i.value for i in at.info]


@pytest.mark.parametrize("delay", list(parcours.DELAYS))
def test_each_delay(page, con, delay):
    at = page()
    at.segmented_control(key="delai").set_value(delay).run()
    assert not at.exception
    spec = parcours.DELAYS[delay]
    medians = chart(at, f"{spec.label} médian par plateforme")["data"][0]
    expected = shown(con, spec.median_indicator, maille="plateforme", pas="periode")
    assert medians["y"] == [None if m else v for v, m in expected.select(
        spec.median_column, f"{spec.median_column}_masque").iter_rows()]
    classes = chart(at, f"{spec.label} : répartition par durée")["data"][0]
    assert classes["x"] == [c[:1].upper() + c[1:] for c in spec.classes]
    distribution = shown(con, spec.classes_indicator, maille="ensemble", pas="periode")
    assert distribution[f"{spec.count_column}_masque"].all()  # 2025: every class is small
    assert classes["y"][:len(distribution)] == [None] * len(distribution)


@pytest.mark.parametrize("variable", list(labels.VARIABLES_PROFIL))
def test_each_profile_variable(page, con, variable, monkeypatch):
    monkeypatch.setenv("COPILOTE_SEUIL_SECRET", "0")
    at = page()
    at.selectbox(key="variable_profil").set_value(variable).run()
    assert not at.exception
    profile = chart(at, "Saisines de la période par")
    bars = profile["data"][0]
    expected = shown(con, "profil", seuil=0, maille="ensemble", pas="periode", variable=variable)
    names = labels.PROFILS[variable]
    parts = {labels.label(names, m): p * 100 for m, p in expected.select("modalite", "taux_part").iter_rows()}
    assert dict(zip(bars["y"], bars["x"], strict=True)) == pytest.approx(parts)
    assert all("_" not in label for label in bars["y"])  # French labels, not codes
    if variable == "sexe":
        assert parts == pytest.approx({"Homme": 400 / 6, "Femme": 200 / 6})


def test_profile_is_masked_with_the_default_threshold(page, con):
    at = page()
    at.selectbox(key="variable_profil").set_value("sexe").run()
    bars, marks = chart(at, "Saisines de la période par sexe")["data"]
    assert bars["x"] == [None, None] and marks["text"] == ["< 5", "< 5"]
