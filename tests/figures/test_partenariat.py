"""Builders of the Partenariat page, on frames built by hand (the shape `queries.display` returns)."""

from __future__ import annotations

from datetime import date

import polars as pl

from figures import partenariat
from figures.chart_helpers import months_between

PLATFORMS = ["Audomarois", "Calaisis", "Lens-Hénin"]
PERIOD = "Année 2025 — toutes les plateformes"


def instances(rows, maille="plateforme") -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"territoire": pl.Utf8, "periode": pl.Date, "type_instance": pl.Utf8,
                                      "nb_instances": pl.Int64, "nb_participants": pl.Int64,
                                      "nb_situations": pl.Int64}, orient="row")


def counts(column: str, rows, masked: bool = False) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema={"territoire": pl.Utf8, "periode": pl.Date, column: pl.Int64}, orient="row")
    if masked:
        frame = frame.with_columns(pl.col(column).is_null().alias(f"{column}_masque"))
    return frame


def captes(rows) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"territoire": pl.Utf8, "periode": pl.Date, "parc": pl.Utf8,
                                      "dispositif": pl.Utf8, "nb_logements_captes": pl.Int64}, orient="row")


D = date(2025, 1, 1)
INSTANCES = instances([("Calaisis", D, "commission_fluidite", 1, 10, 5), ("Calaisis", D, "copil", 1, 25, 0),
                       ("Lens-Hénin", D, "commission_fluidite", 1, 12, 6), ("Lens-Hénin", D, "coordination", 2, 15, 7)])
CAPTES = captes([("Calaisis", D, "prive", "IML", 3), ("Lens-Hénin", D, "prive", "IML", 1),
                 ("Lens-Hénin", D, "social", "bail_glissant", 2)])


def ensemble_frames(**overrides) -> dict[str, pl.DataFrame]:
    frames = {
        "instances": instances([("ensemble", D, "coordination", 2, 15, 7), ("ensemble", D, "copil", 1, 25, 0)]),
        "commissions_fluidite": counts("nb_commissions_fluidite", [("ensemble", D, 2)]),
        "situations_examinees": counts("nb_situations_examinees", [("ensemble", D, 19)], masked=True),
        "logements_captes": captes([("ensemble", D, "prive", "IML", 4), ("ensemble", D, "social", "IML", 2)]),
    }
    return {**frames, **overrides}


def test_months_between():
    assert months_between(date(2024, 11, 15), date(2025, 2, 1)) == [
        date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 1), date(2025, 2, 1)]
    assert months_between(date(2025, 3, 3), date(2025, 3, 20)) == [date(2025, 3, 1)]


def test_key_figures_with_change_and_masking():
    before = ensemble_frames(
        instances=instances([("ensemble", D, "coordination", 2, 10, 3)]),
        commissions_fluidite=counts("nb_commissions_fluidite", [("ensemble", D, 0)]),
        situations_examinees=counts("nb_situations_examinees", [("ensemble", D, None)], masked=True),
        logements_captes=captes([]),
    )
    now = ensemble_frames()
    figures = {f.id: f for f in partenariat.key_figures(now, before)}
    assert [f.label for f in figures.values()] == ["Réunions et instances", "Commissions de fluidité",
                                                   "Situations examinées", "Logements captés"]
    assert (figures["instances"].value_text, figures["instances"].change_text) == ("3", "+50,0\u00a0% vs période "
                                                                                         "précédente")
    assert figures["commissions_fluidite"].change_text is None  # from 0: no percentage
    assert figures["situations_examinees"].value_text == "19"
    assert figures["situations_examinees"].change_text is None  # the previous value is masked
    assert figures["logements_captes"].value_text == "6"
    masked = partenariat.key_figures(
        ensemble_frames(situations_examinees=counts("nb_situations_examinees", [("ensemble", D, None)], True)),
        before)
    assert masked[2].value_text == "< 5"


def test_instances_by_platform_stacks_types_for_every_platform():
    fig = partenariat.instances_by_platform(INSTANCES, PLATFORMS, PERIOD)
    assert [t.name for t in fig.data] == ["Réunion de coordination", "Commission de fluidité", "COPIL"]
    coordination = fig.data[0]
    assert list(coordination.y) == PLATFORMS and list(coordination.x) == [0, 0, 2]
    assert fig.layout.barmode == "stack"
    assert fig.layout.title.text == "Réunions et instances par plateforme et par type"
    assert fig.layout.title.subtitle.text == PERIOD
    assert "Lens-Hénin — Réunion de coordination : 2 réunions" in coordination.customdata[2][0]


def test_many_platforms_show_the_most_active_ones_in_their_order(monkeypatch):
    monkeypatch.setattr("figures.chart_helpers.MAX_PLATFORM_BARS", 2)
    fig = partenariat.instances_by_platform(INSTANCES, PLATFORMS, PERIOD)
    assert list(fig.data[0].y) == ["Calaisis", "Lens-Hénin"]  # 2 and 4 meetings; Audomarois none
    assert "Les 2 plateformes les plus actives sur 3 (toutes dans le tableau)." in fig.layout.annotations[-1].text
    by_platform = partenariat.captations_by_platform(CAPTES, ["Lens-Hénin", "Audomarois", "Calaisis"], PERIOD)
    assert list(by_platform.data[0].y) == ["Lens-Hénin", "Calaisis"]  # given order kept: 3 dwellings each
    few = partenariat.instances_by_platform(INSTANCES, PLATFORMS[:2], PERIOD)
    assert list(few.data[0].y) == PLATFORMS[:2]
    assert not any("plus actives" in (a.text or "") for a in few.layout.annotations)


def test_instances_by_month_fills_empty_months_with_french_ticks():
    frame = instances([("ensemble", date(2025, 1, 1), "coordination", 1, 8, 4),
                       ("ensemble", date(2025, 3, 1), "coordination", 2, 14, 4),
                       ("ensemble", date(2025, 3, 1), "concertation", 1, 5, 1)], maille="ensemble")
    months = months_between(date(2025, 1, 1), date(2025, 4, 30))
    fig = partenariat.instances_by_month(frame, months, PERIOD)
    coordination = next(t for t in fig.data if t.name == "Réunion de coordination")
    assert list(coordination.y) == [1, 0, 2, 0]
    assert list(fig.layout.xaxis.ticktext) == ["janv. 2025", "févr. 2025", "mars 2025", "avr. 2025"]
    assert coordination.customdata[1][0] == "février 2025 — Réunion de coordination : 0 réunion"


def test_captations_by_dispositif_and_platform():
    fig = partenariat.captations_by_dispositif(captes([("ensemble", D, "prive", "IML", 4),
                                                       ("ensemble", D, "social", "bail_glissant", 2),
                                                       ("ensemble", D, "prive", "mandat_de_gestion", 1)]), PERIOD)
    private = next(t for t in fig.data if t.name == "Parc privé")
    social = next(t for t in fig.data if t.name == "Parc social")
    assert list(private.y) == ["Intermédiation locative", "Bail glissant", "Mandat de gestion"]  # largest first
    assert list(private.x) == [4, 0, 1] and list(social.x) == [0, 2, 0]
    assert list(private.text) == ["4", "", "1"]
    by_platform = partenariat.captations_by_platform(CAPTES, PLATFORMS, PERIOD)
    assert [list(t.x) for t in by_platform.data] == [[0, 3, 1], [0, 0, 2]]


def test_platform_table_with_totals_read_from_the_overall_frames():
    per_platform = {
        "instances": INSTANCES,
        "commissions_fluidite": counts("nb_commissions_fluidite", [("Audomarois", D, 0), ("Calaisis", D, 1),
                                                                   ("Lens-Hénin", D, 1)]),
        "situations_examinees": counts("nb_situations_examinees", [("Audomarois", D, 0), ("Calaisis", D, None),
                                                                   ("Lens-Hénin", D, 13)], masked=True),
        "logements_captes": CAPTES,
    }
    table = partenariat.platform_table(per_platform, ensemble_frames(), PLATFORMS)
    assert table.columns == list(partenariat.TABLE_COLUMNS)
    assert table.rows() == [
        ("Audomarois", "0", "0", "0", "0", "0", "0", "0"),
        ("Calaisis", "2", "1", "35", "< 5", "3", "3", "0"),
        ("Lens-Hénin", "3", "1", "27", "13", "3", "1", "2"),
        ("Ensemble", "3", "2", "40", "19", "6", "4", "2"),
    ]


def test_type_table():
    table = partenariat.type_table(INSTANCES)
    assert table.columns == list(partenariat.TYPE_COLUMNS)
    assert table.rows() == [
        ("Réunion de coordination", "2", "15", "7,5"),
        ("Commission de fluidité", "2", "22", "11,0"),
        ("COPIL", "1", "25", "25,0"),
        ("Ensemble", "5", "62", "12,4"),
    ]
    assert partenariat.type_table(instances([])).is_empty()
