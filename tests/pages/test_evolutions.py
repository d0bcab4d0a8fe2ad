"""The Évolutions page on the fixture warehouse: what it shows equals the masked queries for the same filters.

Fixture (see tests/queries/test_indicators.py): referrals from 20/11/2024 (the data start) to 15/12/2025, one or two
a month per platform, so that with the default threshold every non-zero monthly count is masked (« < 5 »).
"""

from __future__ import annotations

import json
from datetime import date

import pytest

import queries
from figures import evolutions
from queries import display

ALL = ["Audomarois", "Calaisis", "Lens-Hénin"]
MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
Y2025 = {"periode": "annee", "annee": "2025"}


@pytest.fixture
def page(open_page):
    def run(**query):
        at = open_page("pages/evolutions.py", **{**Y2025, **query})
        assert not at.exception, at.exception
        return at

    return run


def shown(con, name, seuil=None, **params):
    """queries.display on its own cursor, as the page's data layer calls it."""
    return display(name, con.cursor(), seuil=seuil, **params)


def cell(value, masked, seuil=4):
    return f"< {seuil + 1}" if masked else str(int(value))


def expected_table(con, serie, platforms, debut, fin, pas="mois", seuil=None, first=date(2024, 11, 1)):
    """The table the page should show, computed from queries.display with the page's windows."""
    w = evolutions.window(debut, fin, pas, data_start=date(2024, 11, 20))
    column = serie.column
    per_platform = shown(con, serie.indicator, seuil, debut=w.debut, fin=w.fin, plateformes=platforms,
                         maille="plateforme", pas=pas)
    ensemble = shown(con, serie.indicator, seuil, debut=w.history_debut, fin=w.fin, plateformes=platforms,
                     maille="ensemble", pas=pas)
    label = (lambda d: f"{MONTHS[d.month - 1]} {d.year}") if pas == "mois" else (
        lambda d: f"T{(d.month - 1) // 3 + 1} {d.year}")
    rows = {}
    for territory, frame in [*((p, per_platform.filter(per_platform["territoire"] == p)) for p in sorted(platforms)),
                             ("Ensemble", ensemble)]:
        values = {r["periode"]: cell(r[column], r[f"{column}_masque"], 4 if seuil is None else seuil)
                  for r in frame.iter_rows(named=True) if r["periode"] >= first}
        rows[territory] = {label(s): values.get(s, "—") for s in w.steps}
    return rows


def table_of(at) -> dict:
    frame = at.dataframe[0].value
    return {r["Plateforme"]: {k: v for k, v in r.items() if k != "Plateforme"} for r in frame.to_dict("records")}


def chart(at, title_start: str) -> dict:
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        if spec["layout"]["title"]["text"].startswith(title_start):
            return spec
    raise AssertionError(f"no chart titled {title_start!r}")


def test_table_equals_the_masked_queries(page, con):
    at = page()
    assert at.title[0].value == "Évolutions"
    assert at.selectbox(key="indicateur_evol").value == "saisines"
    assert at.segmented_control(key="pas").value == "mois"
    table = table_of(at)
    assert table == expected_table(con, evolutions.SERIES["saisines"], ALL, date(2025, 1, 1), date(2025, 12, 31))
    # By hand: Audomarois has no referral; Lens-Hénin S01 (January) and S06 (July); Calaisis S07 (December).
    assert set(table["Audomarois"].values()) == {"0"}
    assert table["Lens-Hénin"]["janv. 2025"] == "< 5" and table["Lens-Hénin"]["juil. 2025"] == "< 5"
    assert table["Calaisis"]["déc. 2025"] == "< 5" and table["Calaisis"]["janv. 2025"] == "0"
    assert list(table) == ["Audomarois", "Calaisis", "Lens-Hénin", "Ensemble"]


def test_charts_and_metric_equal_the_masked_queries(page, con):
    at = page()
    series = chart(at, "Saisines par mois")
    expected = shown(con, "saisines", debut=date(2025, 1, 1), fin=date(2025, 12, 31), plateformes=ALL,
                     maille="plateforme", pas="mois")
    lens = expected.filter(expected["territoire"] == "Lens-Hénin")
    line = next(t for t in series["data"] if t.get("name") == "Lens-Hénin")
    assert line["y"] == [None if m else v for v, m in lens.select("nb_saisines", "nb_saisines_masque").iter_rows()]
    assert line["y"][0] is None and line["y"][2] == 0  # January masked: a gap; March: a true zero
    # Whole period: 6 referrals in 2025 (shown), 1 in 2024 (masked), so no change is given.
    total = shown(con, "saisines", debut=date(2025, 1, 1), fin=date(2025, 12, 31), plateformes=ALL,
                  maille="ensemble", pas="periode")
    assert total["nb_saisines"][0] == 6
    metrics = {m.label: m for m in at.metric}
    assert metrics["Année 2025"].value == "6"
    assert metrics["Année 2025"].delta == ""
    assert metrics["Un an avant : année 2024"].value == "< 5"
    yoy = chart(at, "Saisines : 2025 comparé à 2024")
    assert [t.get("name") for t in yoy["data"][:2]] == ["2024", "2025"]
    # The year before starts before the data (20/11/2024): January to October 2024 are absent, not zero.
    assert yoy["data"][0]["y"][:10] == [None] * 10
    rolling = chart(at, "Saisines : moyenne mobile sur 3 mois")
    assert rolling["data"][-1]["name"] == "Moyenne mobile sur 3 mois"


def test_quarters_with_a_lower_threshold_show_the_values(page, con, monkeypatch):
    monkeypatch.setenv("COPILOTE_SEUIL_SECRET", "1")
    at = page()
    at.segmented_control(key="pas").set_value("trimestre").run()
    assert not at.exception
    table = table_of(at)
    assert table == expected_table(con, evolutions.SERIES["saisines"], ALL, date(2025, 1, 1), date(2025, 12, 31),
                                   pas="trimestre", seuil=1)
    # Ensemble by quarter: S01 S02 | S04 S05 | S06 | S07 → 2, 2, 1, 1; single referrals are masked (« < 2 »).
    assert table["Ensemble"] == {"T1 2025": "2", "T2 2025": "2", "T3 2025": "< 2", "T4 2025": "< 2"}


@pytest.mark.parametrize("pas", ["mois", "trimestre"])
def test_every_indicator_runs(page, con, pas):
    at = page()
    if pas != "mois":
        at.segmented_control(key="pas").set_value(pas).run()
    for key, serie in evolutions.SERIES.items():
        at.selectbox(key="indicateur_evol").set_value(key).run()
        assert not at.exception, key
        assert len(at.get("plotly_chart")) == 3, key
        table = table_of(at)
        assert list(table)[-1] == "Ensemble"
        if serie.kind == evolutions.COUNT:
            assert table == expected_table(con, serie, ALL, date(2025, 1, 1), date(2025, 12, 31), pas=pas), key


def test_rates_and_medians_are_masked_like_the_queries(page, con):
    at = page()
    at.selectbox(key="indicateur_evol").set_value("taux_acceptation").run()
    table = table_of(at)
    # Calaisis: S04 refused, S05 accepted (April, May): each month has one decision → masked; other months
    # have no decision → no rate (—).
    assert table["Calaisis"]["avr. 2025"] == "< 5" and table["Calaisis"]["mars 2025"] == "—"
    at.selectbox(key="indicateur_evol").set_value("delai_decision").run()
    expected = shown(con, "delai_decision", debut=date(2025, 1, 1), fin=date(2025, 12, 31), plateformes=ALL,
                     maille="plateforme", pas="mois")
    lens = expected.filter(expected["territoire"] == "Lens-Hénin").row(1, named=True)  # February: S02, 17 days
    assert lens["nb_jours_decision_median_masque"]
    assert table_of(at)["Lens-Hénin"]["févr. 2025"] == "< 5"


def test_page_controls_are_read_from_the_url(page):
    at = page(indicateur_evol="Sollicitations (saisines et espace ressource)", pas="Trimestre")
    assert at.selectbox(key="indicateur_evol").value == "sollicitations"
    assert at.segmented_control(key="pas").value == "trimestre"
    assert list(table_of(at)["Ensemble"]) == ["T1 2025", "T2 2025", "T3 2025", "T4 2025"]
    stacked = chart(at, "Sollicitations (saisines et espace ressource) par trimestre")
    assert {"Saisines (situations)", "Espace ressource"} <= {t.get("name") for t in stacked["data"]}


def test_changing_platform_and_period_changes_the_values(page, con):
    # Shared filters are set through the URL, as a bookmarked view does (AppTest reruns only the page script).
    at = page(plateformes="Calaisis")
    assert at.caption[0].value == "Année 2025 — Calaisis"
    table = table_of(at)
    assert list(table) == ["Calaisis", "Ensemble"]
    assert table == expected_table(con, evolutions.SERIES["saisines"], ["Calaisis"], date(2025, 1, 1),
                                   date(2025, 12, 31))
    assert table != table_of(page())
    assert len(chart(at, "Saisines par mois")["data"]) == 2  # the bars and the « < 5 » marks, no platform lines
    at = page(plateformes="Calaisis", annee="2024")
    table = table_of(at)
    assert next(iter(table["Calaisis"])) == "janv. 2024"
    # Before the first referral (20/11/2024) there is no data: « — », not 0.
    assert table["Calaisis"]["janv. 2024"] == "—" and table["Calaisis"]["déc. 2024"] == "0"
    assert table == expected_table(con, evolutions.SERIES["saisines"], ["Calaisis"], date(2024, 1, 1),
                                   date(2024, 12, 31))


def test_a_short_period_is_widened_and_said_so(page):
    # A bound select box carries the label of its option in the URL.
    at = page(periode="trimestre", trimestre="2025-T4")
    assert at.caption[0].value == "Du 01/10/2025 au 31/12/2025 — toutes les plateformes"
    table = table_of(at)
    assert list(table["Ensemble"]) == [f"{m} 2025" for m in MONTHS]
    assert any("prolongée aux 12 mois" in c.value for c in at.caption)


def test_public_not_taken_by_an_indicator_is_noted(page):
    at = page(public="sans_domicile")
    assert at.caption[0].value == "Année 2025 — toutes les plateformes — personnes sans domicile"
    at.selectbox(key="indicateur_evol").set_value("entrees_logement").run()
    assert not at.exception
    footer = " ".join(a["text"] for a in chart(at, "Accès au logement par mois")["layout"]["annotations"])
    takes_public = "public" in queries.indicator("entrees_logement").parametres
    assert ("Indicateur non décliné par public" in footer) is not takes_public
