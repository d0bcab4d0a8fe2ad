"""Builders of the Évolutions page, on frames built by hand (no warehouse)."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest

from figures import evolutions as ev
from figures.scope import Scope
from figures.theme import Caption

NBSP = "\u00a0"
SAISINES = ev.SERIES["saisines"]
TAUX = ev.SERIES["taux_sortie_positive"]
DELAI = ev.SERIES["delai_decision"]
MONTHS_2025 = [date(2025, m, 1) for m in range(1, 13)]


def counts(territoire: str | None, values: list[int | None], months=MONTHS_2025, column="nb_saisines"):
    """A masked indicator frame: None is a masked value (flag set), as queries.display returns them."""
    data = {"periode": months[:len(values)], column: values, f"{column}_masque": [v is None for v in values]}
    if territoire is not None:
        data = {"territoire": [territoire] * len(values), **data}
    return pl.DataFrame(data, schema_overrides={column: pl.Int64})


def series(platforms: pl.DataFrame, ensemble: pl.DataFrame, serie=SAISINES, w=None, before=None, rolling=None):
    w = w or ev.window(date(2025, 1, 1), date(2025, 12, 31), "mois")
    ensemble = ev.normalise(ensemble, serie)
    return ev.SeriesData(
        serie, w, ev.normalise(platforms, serie), ensemble,
        ev.normalise(before if before is not None else ensemble.clear(), serie),
        rolling if rolling is not None else ev.rolling_values(ensemble, serie, w), (None, True), (None, True))


def spec(fig) -> dict:
    return json.loads(fig.to_json())


# --- windows ------------------------------------------------------------------------------------------

def test_a_year_is_shown_as_chosen():
    w = ev.window(date(2025, 1, 1), date(2025, 12, 31), "mois")
    assert (w.debut, w.fin, w.widened) == (date(2025, 1, 1), date(2025, 12, 31), False)
    assert w.steps == MONTHS_2025
    assert w.history_debut == date(2024, 11, 1)  # two months before: the first 3-month averages are complete
    assert w.year_before == (date(2024, 1, 1), date(2024, 12, 31))
    assert w.series_names() == ("2025", "2024")
    assert not w.partial_last_step


def test_a_short_period_is_widened_to_twelve_months():
    w = ev.window(date(2026, 7, 1), date(2026, 9, 30), "mois")
    assert (w.debut, w.fin, w.widened) == (date(2025, 10, 1), date(2026, 9, 30), True)
    assert len(w.steps) == 12
    assert w.series_names() == ("oct. 2025 – sept. 2026", "oct. 2024 – sept. 2025")
    quarters = ev.window(date(2026, 7, 1), date(2026, 9, 30), "trimestre")
    assert quarters.steps == [date(2025, 10, 1), date(2026, 1, 1), date(2026, 4, 1), date(2026, 7, 1)]
    assert quarters.history_debut == date(2025, 1, 1)  # 4-quarter rolling average
    # Never before the first data, and never after the chosen start.
    clipped = ev.window(date(2025, 1, 1), date(2025, 3, 31), "mois", data_start=date(2024, 11, 20))
    assert clipped.debut == date(2024, 11, 1)


def test_month_in_progress_and_leap_day():
    w = ev.window(date(2026, 1, 1), date(2026, 11, 22), "mois")
    assert not w.widened and w.partial_last_step
    assert w.year_before == (date(2025, 1, 1), date(2025, 11, 22))
    assert ev.one_year_earlier(date(2024, 2, 29)) == date(2023, 2, 28)


# --- derived values -----------------------------------------------------------------------------------

def test_rolling_average_never_uses_a_masked_month():
    w = ev.window(date(2025, 3, 1), date(2025, 12, 31), "mois")
    months = MONTHS_2025
    ensemble = ev.normalise(counts(None, [6, 9, 12, None, 6, 6, 9, 0, 0, 6, 6, 6], months), SAISINES)
    rolling = ev.rolling_values(ensemble, SAISINES, w)
    values = dict(zip(rolling["periode"], rolling["valeur"], strict=True))
    assert values[date(2025, 3, 1)] == pytest.approx(9.0)  # (6 + 9 + 12) / 3
    assert values[date(2025, 4, 1)] is None and values[date(2025, 5, 1)] is None  # April is masked
    assert values[date(2025, 6, 1)] is None
    assert values[date(2025, 7, 1)] == pytest.approx(7.0)
    assert values[date(2025, 9, 1)] == pytest.approx(3.0)  # zeros are values, not gaps


def test_rolling_rate_is_a_ratio_of_sums():
    frame = pl.DataFrame({
        "periode": MONTHS_2025[:4], "nb_sorties": [10, 5, 5, 10], "nb_sorties_positives": [5, 5, None, 5],
        "taux_sortie_positive": [0.5, 1.0, None, 0.5], "nb_sorties_masque": [False] * 4,
        "nb_sorties_positives_masque": [False, False, True, False], "taux_sortie_positive_masque": [False] * 4,
    })
    w = ev.window(date(2025, 1, 1), date(2025, 12, 31), "mois")
    rolling = ev.rolling_values(ev.normalise(frame, TAUX), TAUX, w)
    assert rolling["valeur"].to_list() == [None, None, None, None]  # March's numerator masked → every window
    frame = frame.with_columns(pl.lit(2).alias("nb_sorties_positives"), pl.lit(False).alias(
        "nb_sorties_positives_masque"))
    rolling = ev.rolling_values(ev.normalise(frame, TAUX), TAUX, w)
    assert rolling["valeur"].to_list()[2:] == [pytest.approx(6 / 20), pytest.approx(6 / 20)]


def test_changes_in_french():
    assert ev.change_text(12, 10, SAISINES) == f"+20,0{NBSP}%"
    assert ev.change_text(0.6, 0.5, TAUX) == f"+10,0{NBSP}pts"
    assert ev.change_text(8, 10.5, DELAI) == f"−2,5{NBSP}jours"
    assert ev.change_text(None, 10, SAISINES) is None
    assert ev.fmt_value(12.5, DELAI) == f"12,5{NBSP}jours"
    assert ev.fmt_cell(None, True, SAISINES) == "< 5"


def test_series_data_fetches_masked_frames_with_the_right_windows():
    calls = []

    def fetch(name, **params):
        calls.append((name, params["maille"], params["pas"], params["debut"], params["fin"]))
        if params["pas"] == "periode":
            return pl.DataFrame({"territoire": ["ensemble"], "periode": [params["debut"]], "nb_saisines": [None],
                                 "nb_saisines_masque": [True]})
        territory = "ensemble" if params["maille"] == "ensemble" else "Calaisis"
        steps = ev.window(params["debut"], params["fin"], "mois").steps
        return counts(territory, [7] * len(steps), steps)

    scope = Scope(date(2025, 1, 1), date(2025, 12, 31), ("Calaisis",), public="sans_domicile",
                  toutes_plateformes=False)
    data = ev.series_data(fetch, scope, SAISINES, "mois", data_start=date(2024, 11, 20), accepts_public=False)
    assert calls[:3] == [
        ("saisines", "plateforme", "mois", date(2025, 1, 1), date(2025, 12, 31)),
        ("saisines", "ensemble", "mois", date(2024, 11, 1), date(2025, 12, 31)),
        ("saisines", "ensemble", "mois", date(2024, 1, 1), date(2024, 12, 31)),
    ]
    assert data.total == (None, True)
    # The year before starts before the data: months before November 2024 are absent, not 0.
    assert data.before["periode"].min() == date(2025, 11, 1)
    assert data.public_ignored
    assert "Indicateur non décliné par public" in ev.notes(data)
    assert "Données disponibles à partir de novembre 2024" in ev.notes(data)


# --- figures ------------------------------------------------------------------------------------------

def test_masked_points_are_gaps_never_zero():
    platforms = pl.concat([counts("Calaisis", [6, None, 0] + [5] * 9), counts("Lens-Hénin", [8] * 12)])
    ensemble = counts(None, [14, None, 8] + [13] * 9)
    fig = ev.series_figure(series(platforms, ensemble), Caption("Saisines par mois", "Année 2025"))
    data = spec(fig)["data"]
    calaisis = next(t for t in data if t.get("name") == "Calaisis")
    assert calaisis["y"][:3] == [6, None, 0]  # the masked February is a gap; the true 0 of March stays 0
    assert calaisis["connectgaps"] is False
    bars = next(t for t in data if t["type"] == "bar")
    assert bars["y"][1] is None  # no bar with a value for the masked month
    marks = next(t for t in data if t.get("mode") == "text")
    assert marks["text"] == ["< 5"] and marks["x"] == ["2025-02-01"]
    assert "février 2025 : < 5" in marks["customdata"][0][0]
    assert "<b>Calaisis</b><br>janvier 2025 : 6 saisines" in calaisis["customdata"][0][0]


def test_axis_titles_and_ticks_in_french():
    platforms = pl.concat([counts("Calaisis", [6] * 12), counts("Lens-Hénin", [8] * 12)])
    fig = ev.series_figure(series(platforms, counts(None, [14] * 12)), Caption("Saisines par mois", "Année 2025"))
    layout = spec(fig)["layout"]
    assert layout["xaxis"]["ticktext"][:3] == ["janv. 2025", "févr. 2025", "mars 2025"]
    assert layout["yaxis"]["title"]["text"] == "Saisines"
    assert [a["text"] for a in layout["annotations"][:2]] == ["Ensemble du périmètre", "Par plateforme"]
    rates = counts("Calaisis", [None] * 12, column="taux_sortie_positive").with_columns(
        pl.lit(0.5).alias("taux_sortie_positive"), pl.lit(False).alias("taux_sortie_positive_masque"))
    rate = ev.series_figure(series(rates, rates.drop("territoire"), TAUX,
                                   rolling=pl.DataFrame({"periode": [], "valeur": []})), Caption("Taux"))
    layout = spec(rate)["layout"]
    assert layout["yaxis"]["ticksuffix"] == f"{NBSP}%" and layout["yaxis"]["title"]["text"] == "Part (%)"
    assert spec(rate)["data"][0]["y"][0] == 50  # a rate is drawn in percent


def test_quarter_ticks():
    w = ev.window(date(2025, 1, 1), date(2025, 12, 31), "trimestre")
    quarters = [date(2025, m, 1) for m in (1, 4, 7, 10)]
    ensemble = counts(None, [20, 21, 22, 23], quarters)
    fig = ev.rolling_figure(series(counts("Calaisis", [20, 21, 22, 23], quarters), ensemble, w=w), Caption("x"))
    assert spec(fig)["layout"]["xaxis"]["ticktext"] == ["T1 2025", "T2 2025", "T3 2025", "T4 2025"]
    assert spec(fig)["data"][-1]["name"] == "Moyenne mobile sur 4 trimestres"


def test_year_over_year_names_and_change():
    ensemble = counts(None, [12] + [10] * 11)
    before = counts(None, [8, None] + [10] * 10, [date(2025, m, 1) for m in range(1, 13)])  # shifted already
    fig = ev.year_over_year_figure(series(counts("Calaisis", [12] * 12), ensemble, before=before),
                                   Caption("Saisines : 2025 comparé à 2024"))
    data = spec(fig)["data"]
    assert [t["name"] for t in data[:2]] == ["2024", "2025"]
    assert data[0]["y"][:2] == [8, None]
    hover = data[1]["customdata"]
    assert "janvier 2025</b> : 12 saisines<br>janvier 2024 : 8<br>Évolution : +50,0" in hover[0][0]
    assert "février 2024 : < 5" in hover[1][0] and "Évolution" not in hover[1][0]


def test_table_is_formatted_and_masked():
    platforms = pl.concat([counts("Lens-Hénin", [1234, None] + [5] * 10), counts("Calaisis", [0, 6] + [5] * 10)])
    table = ev.table_frame(series(platforms, counts(None, [1234, None] + [10] * 10)))
    assert table.columns[:3] == ["Plateforme", "janv. 2025", "févr. 2025"]
    assert table["Plateforme"].to_list() == ["Calaisis", "Lens-Hénin", "Ensemble"]
    assert table.row(1)[:3] == ("Lens-Hénin", "1\u202f234", "< 5")
    assert table.row(0)[:3] == ("Calaisis", "0", "6")
    rates = ev.table_frame(series(counts("Calaisis", [None] * 12, column="taux_sortie_positive").with_columns(
        pl.lit(0.5).alias("taux_sortie_positive"), pl.lit(False).alias("taux_sortie_positive_masque")),
        counts(None, [None] * 12, column="taux_sortie_positive"), TAUX,
        rolling=pl.DataFrame({"periode": [], "valeur": []})))
    assert rates.row(0)[1] == f"50,0{NBSP}%"
    assert rates.row(1)[1] == "< 5"


def test_notes_say_what_is_missing():
    w = ev.window(date(2026, 1, 1), date(2026, 11, 22), "mois")
    months = w.steps
    data = series(counts("Calaisis", [None] * 11, months), counts(None, [6] * 11, months), w=w)
    text = ev.notes(data, seuil=4)
    assert text.split("<br>") == [
        "Points absents ou « < 5 » : effectifs masqués (secret statistique).",
        "Novembre 2026 jusqu'au 22/11/2026, comparé aux mêmes jours un an plus tôt.",
    ]


def test_a_national_decoupage_draws_only_the_largest_platforms():
    import polars as pl

    from figures.evolutions import largest_platforms

    platforms = pl.DataFrame({"territoire": [f"P{i:02d}" for i in range(20)] * 2,
                              "valeur": [float(i) for i in range(20)] + [None] * 20})
    assert largest_platforms(platforms, 3) == ["P17", "P18", "P19"]
    assert largest_platforms(platforms.head(2), 3) == ["P00", "P01"]
