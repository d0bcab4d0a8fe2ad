"""The Territoires builders: values per 10 000 inhabitants (masked with their count), ranking, comparison with the
whole scope, trend series and figure — on frames built by hand like `data_access.indicator` returns them."""

from __future__ import annotations

from datetime import date

import polars as pl

from figures import territoires as terr
from figures.theme import Caption
from queries.confidentiality import mask

NAMES = ["Calaisis", "Lens-Hénin", "Audomarois", "Boulonnais"]
OUTLINES = pl.DataFrame({"territoire": NAMES, "libelle": NAMES, "plateforme": NAMES,
                         "population_municipale": [150_000, 350_000, 100_000, 200_000]})


def saisines(raw: dict[str, int | None]) -> pl.DataFrame:
    frame = pl.DataFrame({"territoire": list(raw), "periode": [date(2025, 1, 1)] * len(raw),
                          "nb_saisines": list(raw.values())})
    return mask(frame, counts=["nb_saisines"], groups=["territoire", "periode"], seuil=4)


def test_values_per_10000_are_masked_with_their_count():
    values = terr.territory_values(saisines({"Calaisis": 30, "Lens-Hénin": 3, "Audomarois": 0, None: 2}),
                                   terr.spec("saisines"), OUTLINES)
    rows = {r["territoire"]: r for r in values.iter_rows(named=True)}
    assert set(rows) == {"Calaisis", "Lens-Hénin", "Audomarois"}  # the row without a territory is set apart
    assert rows["Calaisis"]["pour_10000"] == 2.0
    assert rows["Lens-Hénin"]["masque"] and rows["Lens-Hénin"]["valeur"] is None
    assert rows["Lens-Hénin"]["pour_10000"] is None
    assert rows["Audomarois"]["pour_10000"] == 0.0
    assert rows["Calaisis"]["population"] == 150_000


def test_unlocated_rows():
    frame = saisines({"Calaisis": 30, "Lens-Hénin": 12, None: 2})
    assert terr.unlocated(frame, terr.spec("saisines")) == (None, True)
    assert terr.unlocated(saisines({"Calaisis": 30}), terr.spec("saisines")) == (0.0, False)


def test_ranking_table_marks_the_selected_territory_and_ranks_masked_values_last():
    values = terr.territory_values(saisines({"Calaisis": 30, "Lens-Hénin": 3, "Audomarois": 14, "Boulonnais": 2}),
                                   terr.spec("saisines"), OUTLINES)
    table = terr.ranking_table(values, terr.spec("saisines"), terr.PER_10000, "plateforme", selected="Audomarois")
    assert table.columns == ["", "Rang", "Territoire", "Saisines", "Pour 10 000 hab.", "Population"]
    assert table.rows() == [
        ("", "1", "Calaisis", "30", "2,0", "150\u202f000"),
        ("▶", "2", "Audomarois", "14", "1,4", "100\u202f000"),
        ("", "—", "Boulonnais", "< 5", "< 5", "200\u202f000"),
        ("", "—", "Lens-Hénin", "< 5", "< 5", "350\u202f000"),
    ]
    raw = terr.ranking_table(values, terr.spec("saisines"), terr.RAW, "commune")
    assert "Plateforme" in raw.columns and raw["Rang"].to_list() == ["1", "2", "—", "—"]


def test_activity_sums_its_dimensions_and_completes_with_zeros():
    captations = pl.DataFrame({
        "territoire": ["Calaisis", "Calaisis", "Lens-Hénin"], "periode": [date(2025, 1, 1)] * 3,
        "parc": ["prive", "social", "prive"], "dispositif": ["IML", "bail_glissant", "IML"],
        "nb_logements_captes": [3, 2, 1]})
    indicator = terr.spec("logements_captes")
    values = terr.territory_values(captations, indicator, OUTLINES, ["Calaisis", "Lens-Hénin", "Audomarois"])
    assert dict(zip(values["territoire"], values["valeur"], strict=True)) == {
        "Calaisis": 5.0, "Lens-Hénin": 1.0, "Audomarois": 0.0}
    assert not values["masque"].any()  # dwellings, not households: never masked
    scope = terr.scope_value(captations.with_columns(pl.lit("ensemble").alias("territoire")), indicator, 600_000)
    assert scope.valeur == 6.0 and scope.pour_10000 == 0.1


def test_comparison_with_the_scope():
    indicator = terr.spec("saisines")
    values = terr.territory_values(saisines({"Calaisis": 30, "Lens-Hénin": 3, "Audomarois": 14, "Boulonnais": 2}),
                                   indicator, OUTLINES)
    scope = terr.scope_value(saisines({"ensemble": 47}), indicator, 600_000)
    comparison = terr.comparison(values, scope, indicator, "Calaisis", "Ensemble des plateformes")
    assert comparison.territory_text == "2,0" and comparison.scope_text == "0,8"
    assert comparison.delta_text == "+155,3\u00a0% par rapport à l'ensemble"
    assert comparison.sentence == ("Calaisis : 2,0 saisines pour 10 000 habitants, contre 0,8 pour l'ensemble des "
                                   "plateformes (+155,3\u00a0%).")
    masked = terr.comparison(values, scope, indicator, "Lens-Hénin", "Ensemble des plateformes")
    assert masked.territory_text == "< 5" and masked.delta_text is None
    assert "effectif masqué" in masked.sentence
    assert terr.comparison(values, scope, indicator, "Montreuillois", "Ensemble") is None


def test_comparison_of_a_rate_in_points():
    indicator = terr.spec("taux_acceptation")
    frame = pl.DataFrame({"territoire": ["Calaisis", "Lens-Hénin"], "nb_decidees": [20, 10],
                          "nb_acceptees": [15, 5], "taux_acceptation": [0.75, 0.5]})
    masked = mask(frame, counts=["nb_decidees", "nb_acceptees"],
                  rates={"taux_acceptation": ("nb_acceptees", "nb_decidees")}, groups=["territoire"], seuil=4)
    values = terr.territory_values(masked, indicator, OUTLINES)
    scope = terr.ScopeValue(0.6, False, None, None)
    comparison = terr.comparison(values, scope, indicator, "Calaisis", "Ensemble des plateformes")
    assert comparison.territory_text == "75,0\u00a0%" and comparison.scope_text == "60,0\u00a0%"
    assert comparison.delta_text == "+15,0\u00a0pts par rapport à l'ensemble"
    assert comparison.delta_color == "off"  # acceptance: neither good nor bad
    lower = terr.comparison(values, terr.ScopeValue(0.8, False, None, None), indicator, "Calaisis", "Ensemble")
    assert lower.delta_text == "-5,0\u00a0pts par rapport à l'ensemble"  # ASCII minus: st.metric's arrow points down
    assert "(−5,0\u00a0pts)" in lower.sentence
    assert terr.classes_for(values, indicator, terr.RAW).labels == ["50 %".replace(" ", "\u00a0"),
                                                                    "75 %".replace(" ", "\u00a0")]


def test_periods_and_series_with_masked_months():
    assert terr.period_starts(date(2025, 2, 10), date(2025, 5, 31), "mois") == [
        date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1)]
    assert terr.period_starts(date(2025, 2, 10), date(2025, 12, 31), "trimestre") == [
        date(2025, 1, 1), date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1)]
    months = [date(2025, m, 1) for m in (1, 2, 3)]
    frame = mask(pl.DataFrame({"territoire": ["Calaisis"] * 3, "periode": months, "nb_saisines": [10, 2, 20]}),
                 counts=["nb_saisines"], groups=["territoire", "periode"], seuil=4)
    points = terr.series(frame, terr.spec("saisines"), "Calaisis", 100_000, "Calaisis", months, per_10000=True)
    assert points["valeur"].to_list()[1] is None and points["masque"].to_list() == [True, True, False]
    assert points["valeur"].to_list()[2] == 2.0
    assert terr.masked_periods_note(points, "mois", "< 5") == "2 mois masqués (< 5) : non tracés"
    fig = terr.trend_figure(points, terr.spec("saisines"), True, "mois",
                            Caption("Saisines pour 10 000 habitants par mois", "Année 2025"))
    assert list(fig.layout.xaxis.ticktext) == ["janv. 2025", "févr. 2025", "mars 2025"]
    assert fig.data[0].customdata[1][0] == "février 2025 — Calaisis : < 5"
    assert fig.layout.yaxis.title.text == "Pour 10 000 habitants"


def test_every_map_indicator_exists_with_its_column():
    from queries import catalogue

    for indicator in terr.SPECS:
        assert indicator.indicator in catalogue(), indicator.id
        assert indicator.column in catalogue()[indicator.indicator].sql, indicator.id
        assert set(indicator.mailles) <= set(terr.MAP_LEVELS)
    assert terr.spec("taux_acceptation").modes == [terr.RAW]
    assert terr.effective_mode(terr.spec("delai_decision"), terr.PER_10000) == terr.RAW
    assert terr.map_title(terr.spec("saisines"), terr.PER_10000, "epci") == "Saisines pour 10 000 habitants par EPCI"
