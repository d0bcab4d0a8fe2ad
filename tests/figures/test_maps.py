"""The map builders: classes and colours, the geography of each level, masked values in the GeoJSON, the pydeck
map (no basemap) and the static Plotly map, on a hand-made geography of five square communes.

Communes (département 62 unless said): A and B in platform Littoral, C in Bassin, D covered by no platform, E in the
neighbouring département 59 and covered by no platform (not drawn: the découpage is about 62).
"""

from __future__ import annotations

import json

import polars as pl
import pytest
import shapely

from figures import maps
from figures import territoires as terr
from figures.formats import fmt_decimal, fmt_int, fmt_pct
from figures.theme import GREY, HATCH_GREY, SEQUENTIAL, Caption
from queries.confidentiality import mask


def square(x: float, y: float, size: float = 0.1) -> bytes:
    return shapely.to_wkb(shapely.box(x, y, x + size, y + size))


@pytest.fixture(scope="module")
def communes() -> pl.DataFrame:
    return pl.DataFrame({
        "code_commune": ["62001", "62002", "62003", "62004", "59001"],
        "nom_commune": ["Aville", "Bville", "Cville", "Dville", "Eville"],
        "code_epci": ["E1", "E1", "E2", "E3", "E4"],
        "nom_epci": ["CA Un", "CA Un", "CC Deux", "CU Trois", "CC Nord"],
        "code_departement": ["62", "62", "62", "62", "59"],
        "population_municipale": [10_000, 20_000, 40_000, 30_000, 1_000],
        "plateforme": ["Littoral", "Littoral", "Bassin", None, None],
        "geometry": [square(2.0, 50.0), square(2.1, 50.0), square(2.0, 50.1), square(2.1, 50.1), square(2.2, 50.2)],
    })


@pytest.fixture(scope="module")
def platform_outlines() -> pl.DataFrame:
    return pl.DataFrame({
        "territoire": ["Littoral", "Bassin"], "libelle": ["Littoral", "Bassin"],
        "population_municipale": [30_000, 40_000], "plateforme": ["Littoral", "Bassin"],
        "geometry": [shapely.to_wkb(shapely.box(2.0, 50.0, 2.2, 50.1)), square(2.0, 50.1)],
    })


@pytest.fixture(scope="module")
def departements() -> pl.DataFrame:
    return pl.DataFrame({"territoire": ["59", "62"], "libelle": ["Nord", "Pas-de-Calais"],
                         "population_municipale": [1_000, 100_000],
                         "geometry": [square(2.2, 50.2), shapely.to_wkb(shapely.box(2.0, 50.0, 2.2, 50.2))]})


@pytest.fixture(scope="module")
def commune_base(communes, departements) -> maps.MapBase:
    return maps.map_base("commune", communes, None, departements)


def commune_values(raw: dict[str, int], communes: pl.DataFrame) -> pl.DataFrame:
    """Saisines by commune masked by the real rule, as `data_access.indicator` returns them."""
    frame = pl.DataFrame({"territoire": list(raw), "nb_saisines": list(raw.values())})
    masked = mask(frame, counts=["nb_saisines"], groups=["territoire"], seuil=4)
    outlines = communes.select(pl.col("code_commune").alias("territoire"), pl.col("nom_commune").alias("libelle"),
                               "population_municipale", "plateforme")
    return terr.territory_values(masked, terr.spec("saisines"), outlines)


# --- classes ------------------------------------------------------------------------------------------

def test_quantile_classes_of_counts_have_nice_integer_bounds():
    classes = maps.class_breaks(list(range(1, 101)), fmt_int, integer=True)
    assert classes.labels == ["1 à 20", "21 à 40", "41 à 59", "60 à 79", "80 à 100"]
    assert [c.colour for c in classes.classes] == [SEQUENTIAL[1], SEQUENTIAL[2], SEQUENTIAL[3], SEQUENTIAL[5],
                                                   SEQUENTIAL[6]]
    assert classes.index(1) == 0 and classes.index(20) == 0 and classes.index(21) == 1 and classes.index(100) == 4


def test_zero_has_its_own_class_and_few_values_are_each_a_class():
    classes = maps.class_breaks([0, 5, 7, 7, 12, None], fmt_int, integer=True)
    assert classes.labels == ["0", "5", "7", "12"]
    assert classes.classes[0].colour == SEQUENTIAL[0]  # the lightest is kept for zero
    assert classes.colour(0) == SEQUENTIAL[0] and classes.colour(12) == SEQUENTIAL[6]
    assert classes.index(None) is None


def test_rate_classes_are_french_ranges_without_a_zero_class():
    classes = maps.class_breaks([0.2, 0.35, 0.5, 0.61, 0.7, 0.75, 0.9, 1.0], fmt_pct, zero_class=False)
    assert classes.labels[0] == "de 20,0\u00a0% à moins de 41,0\u00a0%"
    assert classes.labels[-1] == "de 84,0\u00a0% à 100,0\u00a0%"
    assert classes.index(0.2) == 0 and classes.index(0.41) == 1 and classes.index(1.0) == 4


def test_a_class_left_empty_by_rounded_bounds_joins_the_class_below():
    values = [1.7, 2.1, 3.61, 3.66, 3.9, 4.4, 6.0]  # quantile bounds 2,4 and 3,6: nothing in between
    classes = maps.class_breaks(values, fmt_decimal, zero_class=False)
    assert classes.labels == ["de 1,7 à moins de 3,6", "de 3,6 à moins de 3,8", "de 3,8 à moins de 4,3",
                              "de 4,3 à 6,0"]
    assert [sum(classes.index(v) == i for v in values) for i in range(4)] == [2, 2, 1, 2]


def test_no_value_no_class():
    assert maps.class_breaks([], fmt_int).classes == ()
    assert maps.class_breaks([None, None], fmt_int).labels == []
    assert maps.nice(13.27) == 13 and maps.nice(0.4567) == 0.46 and maps.nice(1234) == 1200


# --- the geography of each level ----------------------------------------------------------------------

def test_commune_level_keeps_the_departement_of_the_decoupage_only(commune_base):
    props = {f["properties"]["territoire"]: f["properties"] for f in commune_base.features}
    assert sorted(props) == ["62001", "62002", "62003", "62004"]  # Eville (59, not covered) is not drawn
    assert props["62004"]["couvert"] is False and props["62001"]["couvert"] is True
    assert [f["properties"]["territoire"] for f in commune_base.departements["features"]] == ["62"]
    assert commune_base.bounds == pytest.approx((2.0, 50.0, 2.2, 50.2))


def test_the_area_covered_by_no_platform_is_hatched(commune_base):
    hatch = shapely.geometry.shape(commune_base.hatch["geometry"])
    assert hatch.geom_type == "MultiLineString" and len(hatch.geoms) > 5
    assert shapely.box(2.1, 50.1, 2.2, 50.2).buffer(1e-6).contains(hatch)  # inside Dville only


def test_platform_level_shows_the_uncovered_area_as_a_territory(communes, platform_outlines, departements):
    base = maps.map_base("plateforme", communes, platform_outlines, departements)
    props = {f["properties"]["territoire"]: f["properties"] for f in base.features}
    assert set(props) == {"Littoral", "Bassin", "hors-plateforme-E3"}
    assert props["hors-plateforme-E3"]["libelle"] == "CU Trois"
    assert props["hors-plateforme-E3"]["couvert"] is False and props["hors-plateforme-E3"]["population"] == 30_000


def test_epci_level(communes, departements):
    outlines = pl.DataFrame({
        "territoire": ["E1", "E2", "E3", "E4"], "libelle": ["CA Un", "CC Deux", "CU Trois", "CC Nord"],
        "population_municipale": [30_000, 40_000, 30_000, 1_000],
        "plateforme": ["Littoral", "Bassin", None, None],
        "geometry": [shapely.to_wkb(shapely.box(2.0, 50.0, 2.2, 50.1)), square(2.0, 50.1), square(2.1, 50.1),
                     square(2.2, 50.2)]})
    base = maps.map_base("epci", communes, outlines, departements)
    props = {f["properties"]["territoire"]: f["properties"]["couvert"] for f in base.features}
    assert props == {"E1": True, "E2": True, "E3": False}


# --- values on the map: masked, uncovered, out of scope -----------------------------------------------

def test_masked_values_never_reach_the_geojson(commune_base, communes):
    # Aville 3 saisines: masked; Cville 2 … masked too; Bville 12 shown.
    values = commune_values({"62001": 3, "62002": 12, "62003": 2}, communes)
    indicator = terr.spec("saisines")
    for mode in (terr.RAW, terr.PER_10000):
        shown = terr.shown_frame(values, indicator, mode)
        styled = maps.style(commune_base, shown, terr.classes_for(values, indicator, mode), "Saisines", seuil=4)
        props = {f["properties"]["territoire"]: f["properties"] for f in styled.features}
        for code, raw in (("62001", 3), ("62003", 2)):
            p = props[code]
            assert p["statut"] == maps.MASKED and p["legende"] == "Effectif masqué (< 5)"
            assert p["ligne_valeur"] == "Saisines : < 5"
            assert p["ligne_detail"] == "Pour 10 000 hab. : < 5"
            assert p["rgba"][:3] == maps.rgba(GREY)[:3]
            texts = [v for k, v in p.items() if isinstance(v, str) and k != "territoire"]
            assert not any(str(raw) in t.replace("< 5", "") for t in texts), texts
            # only text, flags and the colour: no numeric value travels with the feature
            assert {k for k, v in p.items() if isinstance(v, int | float) and not isinstance(v, bool)} == set()
        assert props["62002"]["ligne_valeur"] == "Saisines : 12"
        assert props["62002"]["statut"] == maps.VALUE


def test_uncovered_and_out_of_scope_territories_are_flagged(commune_base, communes):
    values = commune_values({"62001": 0, "62002": 12}, communes)  # Littoral only in scope: Cville is out of scope
    indicator = terr.spec("saisines")
    styled = maps.style(commune_base, terr.shown_frame(values, indicator, terr.RAW),
                        terr.classes_for(values, indicator, terr.RAW), "Saisines par commune", seuil=4)
    props = {f["properties"]["territoire"]: f["properties"] for f in styled.features}
    assert props["62004"]["statut"] == maps.UNCOVERED
    assert props["62004"]["ligne_valeur"] == "Non couvert par une plateforme"
    assert props["62004"]["rgba"][:3] == maps.rgba(HATCH_GREY)[:3]
    assert props["62004"]["selectionnable"] is False
    assert props["62003"]["statut"] == maps.OUT_OF_SCOPE
    assert props["62003"]["rgba"][3] == 0  # not on this map: transparent
    assert styled.focus == pytest.approx((2.0, 50.0, 2.2, 50.1))  # the view fits the scope: Aville and Bville
    assert props["62001"]["rgba"][:3] == maps.rgba(SEQUENTIAL[0])[:3]  # zero
    assert [(e.label, e.kind) for e in styled.legend] == [
        ("0", "classe"), ("12", "classe"), ("Non couvert par une plateforme", "non_couvert"),
        ("Hors du périmètre sélectionné", "hors_perimetre")]
    legend = maps.legend_html(styled, "Année 2025")
    assert "Non couvert par une plateforme" in legend and "repeating-linear-gradient" in legend
    assert "Saisines par commune" in legend and "Année 2025" in legend


def test_a_masked_value_with_a_number_is_refused(commune_base):
    shown = pl.DataFrame({"territoire": ["62001"], "metrique": [3.0], "masque": [True], "ligne_valeur": ["x"],
                          "ligne_detail": ["y"]})
    with pytest.raises(ValueError, match="masquée"):
        maps.style(commune_base, shown, maps.class_breaks([3], fmt_int), "t")


# --- the pydeck map -----------------------------------------------------------------------------------

def test_deck_has_no_basemap_a_pickable_layer_and_french_tooltips(commune_base, communes):
    values = commune_values({"62001": 3, "62002": 12, "62003": 2}, communes)
    indicator = terr.spec("saisines")
    styled = maps.style(commune_base, terr.shown_frame(values, indicator, terr.RAW),
                        terr.classes_for(values, indicator, terr.RAW), "Saisines", seuil=4)
    deck = maps.deck(styled, selected="62002")
    text = deck.to_json()
    assert "\n" not in text  # compact
    spec = json.loads(text)
    assert spec["mapStyle"] == "__MAP_STYLE__" and "mapProvider" not in spec  # no basemap, no token, no fetch
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert list(layers) == [maps.LAYER_ID, maps.HATCH_LAYER_ID, maps.DEPARTEMENT_LAYER_ID, maps.SELECTION_LAYER_ID]
    assert layers[maps.LAYER_ID]["pickable"] is True
    assert layers[maps.LAYER_ID]["getFillColor"] == "@@=properties.rgba"
    assert layers[maps.SELECTION_LAYER_ID]["data"]["features"][0]["properties"]["territoire"] == "62002"
    assert "{ligne_valeur}" in deck._tooltip["html"]
    view = spec["initialViewState"]
    assert 2.0 < view["longitude"] < 2.2 and 50.0 < view["latitude"] < 50.2 and view["zoom"] > 8


def test_selected_territory_from_the_selection_state():
    feature = {"properties": {"territoire": "62002", "selectionnable": True}}
    uncovered = {"properties": {"territoire": "62004", "selectionnable": False}}
    assert maps.selected_territory({"indices": {maps.LAYER_ID: [1]}, "objects": {maps.LAYER_ID: [feature]}}) == "62002"
    assert maps.selected_territory({"indices": {maps.LAYER_ID: [3]}, "objects": {maps.LAYER_ID: [uncovered]}}) is None
    assert maps.selected_territory({"indices": {}, "objects": {}}) is None
    assert maps.selected_territory(None) is None


def test_view_fits_the_pas_de_calais():
    view = maps.view_state((1.556, 50.02, 3.188, 51.01), width=900, height=560)
    assert 7.5 < view.zoom < 8.5  # deck.gl: a world of 512 pixels at zoom 0
    assert view.longitude == pytest.approx(2.372, abs=1e-3)
    assert 50.02 < view.latitude < 51.01


# --- the static map -----------------------------------------------------------------------------------

def test_static_choropleth_has_the_same_classes_colours_and_legend(commune_base, communes):
    values = commune_values({"62001": 3, "62002": 12, "62003": 2}, communes)
    indicator = terr.spec("saisines")
    styled = maps.style(commune_base, terr.shown_frame(values, indicator, terr.RAW),
                        terr.classes_for(values, indicator, terr.RAW), "Saisines par commune", seuil=4)
    fig = maps.choropleth_figure(styled, Caption("Saisines par commune", "Année 2025"), selected="62002")
    polygons = {t.legendgroup: t for t in fig.data if t.fill == "toself"}  # one trace a class
    assert list(polygons) == [e.label for e in styled.legend] == [
        "12", "Effectif masqué (< 5)", "Non couvert par une plateforme"]
    assert sorted(polygons["Effectif masqué (< 5)"].meta["territoires"]) == ["62001", "62003"]
    assert polygons["Effectif masqué (< 5)"].fillcolor == GREY
    assert polygons["Effectif masqué (< 5)"].x.count(None) == 2  # two squares, each its own closed shape
    assert polygons["Non couvert par une plateforme"].meta["territoires"] == ["62004"]
    assert polygons["Non couvert par une plateforme"].fillcolor == HATCH_GREY
    assert all(t.showlegend for t in polygons.values())
    hover = next(t for t in fig.data if t.name == "Territoires")
    assert [c[0] for c in hover.customdata] == ["62001", "62002", "62003", "62004"]
    assert hover.showlegend is False and hover.marker.opacity == 0
    assert "Saisines : &lt; 5" in hover.text[0] and not any("Saisines : 3" in t for t in hover.text)
    lines = [t.name for t in fig.data if t.fill != "toself" and t.mode == "lines"]
    assert lines == ["Hachures", "Départements", "Sélection : Bville"]
    assert not any(t.type.endswith("geo") or t.type == "choropleth" for t in fig.data)  # no CDN world map
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.xaxis.visible is False
    assert fig.layout.title.text == "Saisines par commune"
    assert fig.layout.title.subtitle.text == "Année 2025"
    assert fig.layout.legend.title.text == "Saisines par commune"
