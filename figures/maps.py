"""Choropleth maps of territories: classes and colours, the interactive pydeck map, the static Plotly map.

Three steps, so that the expensive part is done once:
1. `map_base` (cached per warehouse version and level by `data_access.map_base`): the GeoJSON features of the
   territories of a level with their static properties (name, population, platform, covered or not), the
   outline of the départements and the hatching of the area covered by no platform;
2. `style` (each rerun): the colour and the French tooltip lines of each territory, from a frame of values
   already masked by `queries.display` (masked values are null: they can only show « < 5 »);
3. `deck` (the page's pydeck map, no basemap: it works offline and without any token), `legend_html` (the
   legend drawn next to it) and `choropleth_figure` (the same map as a static Plotly figure, for exports).

Pure functions: no Streamlit, no warehouse.
"""

from __future__ import annotations

import html
import json
import math
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import polars as pl
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize

from etl import geo
from figures.theme import FONT, GREY, HATCH_GREY, SEQUENTIAL, Caption, apply_theme
from queries.confidentiality import masked_label

LAYER_ID = "territoires"  # the pickable layer: the selection of st.pydeck_chart is keyed by this id
HATCH_LAYER_ID = "non-couvert"
DEPARTEMENT_LAYER_ID = "departements"
SELECTION_LAYER_ID = "selection"

UNCOVERED_LABEL = "Non couvert par une plateforme"
OUT_OF_SCOPE_LABEL = "Hors du périmètre sélectionné"
NO_VALUE_LABEL = "Non calculable (aucun cas)"
MASKED_COLOUR = GREY
UNCOVERED_COLOUR = HATCH_GREY
OUT_OF_SCOPE_COLOUR = "#ffffff"  # drawn transparent: a territory of a platform left out by the filters is not
# on this map (a pale grey would read like the palest blue, the class of zeros, on a projector)
NO_VALUE_COLOUR = "#ffffff"
HATCH_COLOUR = "#8f8f8f"
OUTLINE_COLOUR = "#2b2f36"
SELECTION_COLOUR = "#D55E00"  # Okabe-Ito vermillion: stands out on the blues
BORDER_COLOUR = "#ffffff"

# Statuses of a territory on the map.
VALUE, MASKED, NO_VALUE, UNCOVERED, OUT_OF_SCOPE = "valeur", "masque", "sans_valeur", "non_couvert", "hors_perimetre"

HATCH_SPACING = 0.012  # degrees between hatching lines (about 4 px at the scale of a département)
MAIN_DEPARTEMENT_SHARE = 0.05  # a département is drawn whole when it holds 5 % of the covered population


def masked_legend_label(seuil: int | None = None) -> str:
    """« Effectif masqué (< 5) »."""
    return f"Effectif masqué ({masked_label(seuil)})"


# --- classes ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MapClass:
    """One class of the legend: values from `lower` (included) to `upper` (the next class's lower bound)."""

    lower: float
    upper: float
    label: str
    colour: str


@dataclass(frozen=True)
class Classes:
    """The classes of a choropleth, from the lowest; a value is in the last class whose lower bound it reaches."""

    classes: tuple[MapClass, ...]

    def index(self, value: float | None) -> int | None:
        if value is None or not self.classes or (isinstance(value, float) and math.isnan(value)):
            return None
        position = bisect_right([c.lower for c in self.classes], value) - 1
        return max(position, 0)

    def colour(self, value: float | None) -> str | None:
        i = self.index(value)
        return None if i is None else self.classes[i].colour

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.classes]


def nice(value: float) -> float:
    """A round value near `value`: two significant digits (13,27 → 13 ; 0,4567 → 0,46 ; 1 234 → 1 200)."""
    if value <= 0 or not math.isfinite(value):
        return value
    return round(value, 1 - math.floor(math.log10(value)))


def _quantile(values: Sequence[float], q: float) -> float:
    return float(np.quantile(np.asarray(values, dtype=float), q))


def class_colours(n: int, zero_class: bool) -> list[str]:
    """`n` colours of the sequential palette, light to dark; the lightest is kept for a class of zeros."""
    if n == 0:
        return []
    scale = SEQUENTIAL[1:]
    positive = n - 1 if zero_class else n
    picks = [scale[len(scale) // 2]] if positive == 1 else [
        scale[round(i * (len(scale) - 1) / (positive - 1))] for i in range(positive)]
    return ([SEQUENTIAL[0]] if zero_class else []) + picks


def class_breaks(values: Sequence[float | None], fmt: Callable[[float], str], n: int = 5, integer: bool = False,
                 zero_class: bool = True) -> Classes:
    """Classes of the values (nulls ignored): zero on its own when `zero_class`, then up to `n` classes.

    With at most `n` distinct values each value is a class; otherwise the bounds are the quantiles of the
    values rounded to two significant digits (« nice » bounds), so each class holds about as many territories.
    Labels are French ranges: « 5 à 12 » for integers (both bounds included), « de 2,5 à moins de 5,0 »
    otherwise, the last class ending at the largest value.
    """
    data = sorted(float(v) for v in values if v is not None and math.isfinite(float(v)))
    bounds: list[tuple[float, float, str]] = []
    if zero_class and data and data[0] == 0:
        bounds.append((0.0, 0.0, fmt(0)))
    positive = [v for v in data if v > 0] if zero_class else data
    if positive:
        distinct = sorted(set(positive))
        if len(distinct) <= n:
            bounds.extend((v, v, fmt(v)) for v in distinct)
        else:
            low, high = positive[0], positive[-1]
            cuts = []
            for i in range(1, n):
                cut = nice(_quantile(positive, i / n))
                cut = float(math.ceil(cut)) if integer else cut
                if low < cut <= high and (not cuts or cut > cuts[-1]):
                    cuts.append(cut)
            # A quantile rounded to a nice bound can leave a class with no territory (nothing between two close
            # bounds): its range joins the class below, so that the legend's classes follow each other.
            ends = [*cuts[1:], math.inf]
            lowers = [low, *(cut for cut, end in zip(cuts, ends, strict=True) if any(cut <= v < end for v in positive))]
            for i, lower in enumerate(lowers):
                last = i == len(lowers) - 1
                upper = high if last else lowers[i + 1]
                bounds.append((lower, upper, _range_label(lower, upper, last, integer, fmt)))
    colours = class_colours(len(bounds), zero_class and bool(bounds) and bounds[0][:2] == (0.0, 0.0))
    return Classes(tuple(MapClass(lo, up, label, colour) for (lo, up, label), colour in zip(bounds, colours,
                                                                                           strict=True)))


def _range_label(lower: float, upper: float, last: bool, integer: bool, fmt: Callable[[float], str]) -> str:
    if integer:
        top = upper if last else upper - 1
        return fmt(lower) if top <= lower else f"{fmt(lower)} à {fmt(top)}"
    if last:
        return fmt(lower) if upper <= lower else f"de {fmt(lower)} à {fmt(upper)}"
    return f"de {fmt(lower)} à moins de {fmt(upper)}"


# --- the static geography of a level (cached) ---------------------------------------------------------

@dataclass(frozen=True)
class MapBase:
    """The territories of a level as GeoJSON features, with what does not change between reruns.

    Feature properties: territoire, libelle, population (int or None), plateforme (None: several or none),
    couvert (covered by a platform, at least in part). Read-only: it is shared between sessions.
    """

    maille: str
    features: tuple[dict, ...]
    departements: dict  # FeatureCollection of the outlines of the départements drawn
    hatch: dict | None  # Feature (MultiLineString) hatching the area covered by no platform
    bounds: tuple[float, float, float, float] | None


def main_departements(communes: pl.DataFrame, share: float = MAIN_DEPARTEMENT_SHARE) -> list[str]:
    """The départements the découpage is about: those holding at least `share` of the covered population.

    A découpage touching a neighbouring département for a few communes (an EPCI across the border) does not
    draw that whole département as « not covered ».
    """
    covered = communes.filter(pl.col("plateforme").is_not_null())
    if covered.is_empty():
        return sorted(communes["code_departement"].unique().drop_nulls().to_list())
    by_dep = covered.group_by("code_departement").agg(pl.col("population_municipale").sum().alias("pop"))
    total = by_dep["pop"].sum() or 1
    return sorted(by_dep.filter(pl.col("pop") / total >= share)["code_departement"].to_list())


def map_base(maille: str, communes: pl.DataFrame, outlines: pl.DataFrame | None,
             departements: pl.DataFrame) -> MapBase:
    """The features of a level (`plateforme`, `epci`, `commune`) over the départements of the découpage.

    communes: every commune of the départements the découpage touches (code_commune, nom_commune, code_epci,
    nom_epci, code_departement, population_municipale, plateforme — null when covered by no platform —,
    geometry as WKB); outlines: `data_access.outlines(maille)` for platforms and EPCIs (territoire, libelle,
    population_municipale, plateforme, geometry); departements: `data_access.departement_outlines()`.
    At platform level, the area covered by no platform is added as one feature per EPCI (dissolved from its
    uncovered communes), so that the map shows it as such instead of leaving a hole.
    """
    main = main_departements(communes)
    in_main = pl.col("code_departement").is_in(main)
    covered = pl.col("plateforme").is_not_null()
    kept = communes.filter(in_main | covered)
    uncovered = communes.filter(in_main & ~covered)
    columns = ["territoire", "libelle", "population", "plateforme", "couvert", "geometry"]
    if maille == "commune":
        frame = kept.select(pl.col("code_commune").alias("territoire"), pl.col("nom_commune").alias("libelle"),
                            pl.col("population_municipale").alias("population"), "plateforme",
                            covered.alias("couvert"), "geometry")
    elif maille == "epci":
        coverage = kept.drop_nulls("code_epci").group_by("code_epci").agg(covered.any().alias("couvert"))
        frame = _outline_frame(outlines).join(coverage, left_on="territoire", right_on="code_epci", how="inner")
    elif maille == "plateforme":
        frame = _outline_frame(outlines).with_columns(pl.lit(True).alias("couvert"))
        frame = pl.concat([frame.select(columns), _uncovered_pieces(uncovered, communes).select(columns)],
                          how="vertical_relaxed")
    else:
        raise ValueError(f"maille sans carte : {maille}")
    frame = frame.select(columns).sort("territoire")
    collection = geo.feature_collection(frame, columns[:-1])
    deps = departements.filter(pl.col("territoire").is_in(main))
    return MapBase(maille=maille, features=tuple(collection["features"]),
                   departements=geo.feature_collection(deps, ["territoire", "libelle"]),
                   hatch=hatch_feature(_union(uncovered)), bounds=geo.bounds(frame))


def _outline_frame(outlines: pl.DataFrame | None) -> pl.DataFrame:
    if outlines is None:
        raise ValueError("contours requis pour cette maille")
    return outlines.rename({"population_municipale": "population"})


def _uncovered_pieces(uncovered: pl.DataFrame, communes: pl.DataFrame) -> pl.DataFrame:
    """The uncovered communes dissolved by EPCI: « CU d'Arras », or « … (partie non couverte) »."""
    schema = {"territoire": pl.Utf8, "libelle": pl.Utf8, "population": pl.Int64, "plateforme": pl.Utf8,
              "couvert": pl.Boolean, "geometry": pl.Binary}
    if uncovered.is_empty():
        return pl.DataFrame(schema=schema)
    keyed = uncovered.with_columns(pl.col("code_epci").fill_null("sans-epci"))
    partly = set(communes.filter(pl.col("plateforme").is_not_null())["code_epci"].drop_nulls().to_list())
    info = keyed.group_by("code_epci").agg(pl.col("nom_epci").first(), pl.col("population_municipale").sum())
    shapes = geo.dissolve(keyed.select("code_epci", "geometry"), "code_epci")
    rows = info.join(shapes, on="code_epci").sort("code_epci")
    return rows.select(
        ("hors-plateforme-" + pl.col("code_epci")).alias("territoire"),
        pl.when(pl.col("code_epci").is_in(list(partly)))
        .then(pl.col("nom_epci").fill_null("Communes") + " (partie non couverte)")
        .otherwise(pl.col("nom_epci").fill_null("Communes sans EPCI")).alias("libelle"),
        pl.col("population_municipale").cast(pl.Int64).alias("population"),
        pl.lit(None, dtype=pl.Utf8).alias("plateforme"), pl.lit(False).alias("couvert"), "geometry",
    ).cast(schema)


def _union(frame: pl.DataFrame):
    if frame.is_empty():
        return None
    merged = geo.dissolve(frame.select(pl.lit(1).alias("k"), "geometry"), "k")["geometry"][0]
    return None if merged is None else shapely.from_wkb(merged)


def hatch_feature(geometry, spacing: float = HATCH_SPACING) -> dict | None:
    """Diagonal lines clipped to `geometry`: the hatching of an area (a GeoJSON Feature), None if empty."""
    if geometry is None or shapely.is_empty(geometry):
        return None
    minx, miny, maxx, maxy = geometry.bounds
    offsets = np.arange(miny - maxx, maxy - minx + spacing, spacing)
    lines = shapely.MultiLineString([[(minx, minx + c), (maxx, maxx + c)] for c in offsets])
    clipped = shapely.intersection(lines, geometry)
    parts = [part for part in shapely.get_parts(shapely.line_merge(clipped) if clipped.geom_type == "MultiLineString"
                                                else clipped) if part.geom_type == "LineString"]
    if not parts:  # where a line only touches a corner, the intersection also has points: dropped
        return None
    clipped = shapely.MultiLineString(parts)
    clipped = shapely.transform(clipped, lambda xy: np.round(xy, 5))
    return {"type": "Feature", "geometry": json.loads(shapely.to_geojson(clipped)),
            "properties": {"territoire": "hachures"}}


# --- per rerun: colours and tooltips ------------------------------------------------------------------

@dataclass(frozen=True)
class LegendEntry:
    label: str
    colour: str
    kind: str  # "classe", or a status: masque, sans_valeur, non_couvert, hors_perimetre


@dataclass(frozen=True)
class StyledMap:
    """The features of a base with their colour and French tooltip lines, and the legend that explains them."""

    title: str
    features: tuple[dict, ...]
    legend: tuple[LegendEntry, ...]
    base: MapBase
    focus: tuple[float, float, float, float] | None = None  # bounds of the scope, when it is not the whole map

    def feature(self, territoire: str) -> dict | None:
        return next((f for f in self.features if f["properties"]["territoire"] == territoire), None)


def rgba(colour: str, alpha: int = 255) -> list[int]:
    """`#0072B2` → [0, 114, 178, 255]."""
    value = colour.lstrip("#")
    return [int(value[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]


def style(base: MapBase, shown: pl.DataFrame, classes: Classes, title: str, seuil: int | None = None) -> StyledMap:
    """Colour each territory of `base` from `shown` and write its tooltip, in French.

    shown: one row per territory with a value: territoire, metrique (the value mapped; null when masked or
    not computable), masque (bool), ligne_valeur and ligne_detail (preformatted tooltip lines). A territory of
    the base absent from `shown` is « not covered » when no platform covers it, else « out of the scope ».
    Only preformatted text goes into the properties: a masked value can only show « < 5 ».
    """
    rows = {r["territoire"]: r for r in shown.iter_rows(named=True)}
    used: dict[str, LegendEntry] = {}
    features = []
    for feature in base.features:
        props = feature["properties"]
        row = rows.get(props["territoire"])
        if row is not None and row["masque"]:
            if row["metrique"] is not None:
                raise ValueError(f"valeur masquée non nulle pour {props['territoire']}")
            status, colour, label = MASKED, MASKED_COLOUR, masked_legend_label(seuil)
        elif row is not None and row["metrique"] is not None:
            status = VALUE
            i = classes.index(row["metrique"])
            colour, label = classes.classes[i].colour, classes.classes[i].label
        elif row is not None:
            status, colour, label = NO_VALUE, NO_VALUE_COLOUR, NO_VALUE_LABEL
        elif props["couvert"]:
            status, colour, label = OUT_OF_SCOPE, OUT_OF_SCOPE_COLOUR, OUT_OF_SCOPE_LABEL
        else:
            status, colour, label = UNCOVERED, UNCOVERED_COLOUR, UNCOVERED_LABEL
        used.setdefault(label, LegendEntry(label, colour, "classe" if status == VALUE else status))
        if row is not None:
            line_value, line_detail = row["ligne_valeur"] or "", row["ligne_detail"] or ""
        elif status == UNCOVERED:
            line_value, line_detail = UNCOVERED_LABEL, "Aucune donnée"
        else:
            line_value, line_detail = OUT_OF_SCOPE_LABEL, "Plateforme non retenue dans les filtres"
        features.append({"type": "Feature", "geometry": feature["geometry"], "properties": {
            "territoire": props["territoire"],
            "nom": props["libelle"] or props["territoire"],
            "ligne_valeur": line_value,
            "ligne_detail": line_detail,
            "ligne_population": _population_line(props["population"]),
            "ligne_plateforme": _platform_line(props),
            "statut": status,
            "selectionnable": row is not None,
            "rgba": rgba(colour, 0 if status == OUT_OF_SCOPE else 235),
            "legende": label,
        }})
    order = [c.label for c in classes.classes] + [masked_legend_label(seuil), NO_VALUE_LABEL, UNCOVERED_LABEL,
                                                  OUT_OF_SCOPE_LABEL]
    legend = tuple(used[label] for label in order if label in used)
    focus = None
    if any(f["properties"]["statut"] == OUT_OF_SCOPE for f in features):
        shapes = [shapely.geometry.shape(f["geometry"]) for f in features if f["properties"]["selectionnable"]]
        focus = tuple(float(x) for x in shapely.total_bounds(shapes)) if shapes else None
    return StyledMap(title=title, features=tuple(features), legend=legend, base=base, focus=focus)


def _population_line(population: int | None) -> str:
    from figures.formats import fmt_int

    return "Population inconnue" if population is None else f"Population : {fmt_int(population)} hab."


def _platform_line(props: dict) -> str:
    if props["plateforme"]:
        return f"Plateforme : {props['plateforme']}"
    return "Plateforme : plusieurs" if props["couvert"] else "Plateforme : aucune"


# --- the interactive map (pydeck, no basemap) ---------------------------------------------------------

class CompactDeck(pdk.Deck):
    """A Deck serialised without indentation: pydeck indents its JSON, which multiplies the size of a map of
    hundreds of communes sent to the browser on every rerun by four and its serialisation time by six."""

    def to_json(self) -> str:
        return json.dumps(self, default=default_serialize, separators=(",", ":"))


TOOLTIP = {
    "html": "<b>{nom}</b><br/>{ligne_valeur}<br/>{ligne_detail}<br/>{ligne_population}<br/>{ligne_plateforme}",
    "style": {"fontFamily": FONT, "fontSize": "14px", "backgroundColor": "#1b1f24", "color": "#ffffff",
              "padding": "8px 10px", "borderRadius": "4px"},
}


def view_state(bounds: tuple[float, float, float, float] | None, width: int = 900, height: int = 560,
               padding: float = 0.92) -> pdk.ViewState:
    """The view that fits `bounds` (lon/lat) in a `width` × `height` pixel map (Web Mercator, deck.gl's world of
    512 pixels at zoom 0)."""
    if bounds is None:
        return pdk.ViewState(latitude=46.6, longitude=2.4, zoom=4.6)
    minx, miny, maxx, maxy = bounds

    def mercator(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    x_span = max(math.radians(maxx - minx), 1e-6)
    y_span = max(mercator(maxy) - mercator(miny), 1e-6)
    zoom = min(math.log2(width * padding * 2 * math.pi / (512 * x_span)),
               math.log2(height * padding * 2 * math.pi / (512 * y_span)))
    centre_y = (mercator(maxy) + mercator(miny)) / 2
    latitude = math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2)
    return pdk.ViewState(latitude=round(latitude, 5), longitude=round((minx + maxx) / 2, 5), zoom=round(zoom, 2),
                         min_zoom=round(zoom - 1.5, 2), max_zoom=round(zoom + 6, 2), pitch=0, bearing=0)


def deck(styled: StyledMap, selected: str | None = None, width: int = 900, height: int = 560) -> pdk.Deck:
    """The pydeck map: territories (pickable, layer id `territoires`), hatching of the area covered by no
    platform, département outlines and the selected territory on top. No basemap (`map_provider=None`). The view
    fits the territories of the scope (the whole map when every platform is in scope)."""
    base = styled.base
    layers = [pdk.Layer(
        "GeoJsonLayer", data={"type": "FeatureCollection", "features": list(styled.features)}, id=LAYER_ID,
        pickable=True, stroked=True, filled=True, get_fill_color="properties.rgba",
        get_line_color=rgba(BORDER_COLOUR, 200), line_width_min_pixels=0.6 if base.maille == "commune" else 1,
        auto_highlight=True, highlight_color=[27, 31, 36, 70],  # hover: slightly darker, colours stay readable
    )]
    if base.hatch is not None:
        layers.append(pdk.Layer(
            "GeoJsonLayer", data={"type": "FeatureCollection", "features": [base.hatch]}, id=HATCH_LAYER_ID,
            pickable=False, stroked=True, filled=False, get_line_color=rgba(HATCH_COLOUR, 220),
            line_width_min_pixels=1))
    layers.append(pdk.Layer(
        "GeoJsonLayer", data=base.departements, id=DEPARTEMENT_LAYER_ID, pickable=False, stroked=True,
        filled=False, get_line_color=rgba(OUTLINE_COLOUR), line_width_min_pixels=2))
    chosen = styled.feature(selected) if selected else None
    if chosen is not None:
        layers.append(pdk.Layer(
            "GeoJsonLayer", data={"type": "FeatureCollection", "features": [chosen]}, id=SELECTION_LAYER_ID,
            pickable=False, stroked=True, filled=False, get_line_color=rgba(SELECTION_COLOUR),
            line_width_min_pixels=4))
    # map_provider=None and pydeck's default map_style (its « __MAP_STYLE__ » placeholder, that Streamlit drops):
    # no basemap at all. map_style=None would make Streamlit fetch Carto's « positron » style (offline: an error).
    return CompactDeck(layers=layers, initial_view_state=view_state(styled.focus or base.bounds, width, height),
                       map_provider=None, tooltip=TOOLTIP)


def selected_territory(selection: dict | None) -> str | None:
    """The territory clicked on the map, from the selection state of `st.pydeck_chart` (keyed by layer id)."""
    if not selection:
        return None
    objects = (selection.get("objects") or {}).get(LAYER_ID) or []
    for obj in objects:
        props = (obj or {}).get("properties") or {}
        if props.get("selectionnable") and props.get("territoire"):
            return props["territoire"]
    return None


def legend_html(styled: StyledMap, subtitle: str = "") -> str:
    """The legend drawn next to the map: a swatch per class and per status, in French."""
    items = []
    for entry in styled.legend:
        swatch = f"background:{entry.colour};"
        if entry.kind == UNCOVERED:
            swatch = (f"background:repeating-linear-gradient(135deg,{entry.colour} 0 4px,{HATCH_COLOUR} 4px 5px);")
        items.append(
            '<div style="display:flex;align-items:center;gap:8px;margin:3px 0;">'
            f'<span style="display:inline-block;width:22px;height:16px;border:1px solid #9aa0a6;{swatch}"></span>'
            f'<span style="font-size:15px;">{html.escape(entry.label)}</span></div>')
    head = f'<div style="font-weight:600;font-size:15px;margin-bottom:4px;">{html.escape(styled.title)}</div>'
    sub = f'<div style="font-size:13px;color:#4a4f55;margin-bottom:6px;">{html.escape(subtitle)}</div>' if subtitle \
        else ""
    return f'<div class="copilote-legende">{head}{sub}{"".join(items)}</div>'


# --- the static map (Plotly), for exports -------------------------------------------------------------

def _line_coordinates(geometry: dict) -> tuple[list, list]:
    """Longitudes and latitudes of the rings or lines of a GeoJSON geometry, parts separated by None."""
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Polygon":
        parts = coords
    elif kind == "MultiPolygon":
        parts = [ring for polygon in coords for ring in polygon]
    elif kind == "LineString":
        parts = [coords]
    elif kind == "MultiLineString":
        parts = coords
    else:
        parts = []
    lons, lats = [], []
    for part in parts:
        lons.extend([p[0] for p in part] + [None])
        lats.extend([p[1] for p in part] + [None])
    return lons, lats


def _rings(geometry: dict) -> list[list]:
    """The outer rings of a (Multi)Polygon: the polygons a fill draws (holes are drawn over by what fills them)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def _class_trace(members: list[dict], entry: LegendEntry, line_width: float) -> go.Scatter:
    """The territories of one legend class as one trace of filled polygons (a fill « toself » closes each segment
    between gaps): a handful of traces, not one per commune, keeps the figure quick to build and to draw."""
    lons, lats = [], []
    for feature in members:
        for ring in _rings(feature["geometry"]):
            lons.extend([p[0] for p in ring] + [None])
            lats.extend([p[1] for p in ring] + [None])
    return go.Scatter(
        x=lons, y=lats, mode="lines", fill="toself", fillcolor=entry.colour,
        line={"color": BORDER_COLOUR, "width": line_width}, name=entry.label, legendgroup=entry.label,
        showlegend=True, hoverinfo="skip", meta={"territoires": [f["properties"]["territoire"] for f in members]},
    )


def _hover_trace(features: list[dict]) -> go.Scatter:
    """Invisible markers inside each territory carrying its French tooltip (the fills do not hover)."""
    points = [shapely.geometry.shape(f["geometry"]).representative_point() for f in features]
    return go.Scatter(
        x=[round(p.x, 5) for p in points], y=[round(p.y, 5) for p in points], mode="markers",
        marker={"size": 14, "opacity": 0}, text=[_hover(f["properties"]) for f in features], hoverinfo="text",
        customdata=[[f["properties"]["territoire"]] for f in features], showlegend=False, name="Territoires",
    )


def _line_trace(lons: list, lats: list, colour: str, width: float, name: str, legend: bool = False) -> go.Scatter:
    return go.Scatter(x=lons, y=lats, mode="lines", line={"color": colour, "width": width}, hoverinfo="skip",
                      showlegend=legend, name=name)


def choropleth_figure(styled: StyledMap, caption: Caption, selected: str | None = None,
                      height: int = 720) -> go.Figure:
    """The map as a static Plotly figure (for PNG exports): same classes, colours and legend as the page's
    map, the area covered by no platform hatched, département outlines.

    Drawn as filled polygons on plain axes (longitude, latitude scaled by the cosine of the latitude), not as a
    Plotly geo map: a geo map fetches its world outlines from a CDN, which a COPIL room without internet — and
    the export's browser — cannot reach.
    """
    fig = go.Figure()
    width = 0.4 if styled.base.maille == "commune" else 1.0
    # Classes first, then the statuses (masked, no value, not covered): a territory inside another one's
    # outline (the CU d'Arras inside its neighbours) is drawn over it.
    entries = sorted(styled.legend, key=lambda e: e.kind != "classe")
    for entry in entries:
        members = [f for f in styled.features if f["properties"]["legende"] == entry.label]
        if members:
            fig.add_trace(_class_trace(members, entry, width))
    if styled.base.hatch is not None:
        lons, lats = _line_coordinates(styled.base.hatch["geometry"])
        fig.add_trace(_line_trace(lons, lats, HATCH_COLOUR, 0.8, "Hachures"))
    lons, lats = [], []
    for feature in styled.base.departements["features"]:
        x, y = _line_coordinates(feature["geometry"])
        lons.extend(x)
        lats.extend(y)
    if lons:
        fig.add_trace(_line_trace(lons, lats, OUTLINE_COLOUR, 1.6, "Départements"))
    chosen = styled.feature(selected) if selected else None
    if chosen is not None:
        x, y = _line_coordinates(chosen["geometry"])
        fig.add_trace(_line_trace(x, y, SELECTION_COLOUR, 3, f"Sélection : {chosen['properties']['nom']}",
                                  legend=True))
    if styled.features:
        fig.add_trace(_hover_trace(list(styled.features)))
    apply_theme(fig, caption, height=height)
    mid_latitude = (styled.base.bounds[1] + styled.base.bounds[3]) / 2 if styled.base.bounds else 46.5
    fig.update_xaxes(visible=False, showgrid=False, zeroline=False, constrain="domain")
    fig.update_yaxes(visible=False, showgrid=False, zeroline=False, scaleanchor="x",
                     scaleratio=1 / math.cos(math.radians(mid_latitude)), constrain="domain")
    fig.update_layout(
        legend={"orientation": "v", "x": 1.0, "xanchor": "left", "y": 0.5, "yanchor": "middle",
                "title": {"text": styled.title}, "font": {"size": 14}},
        margin={"l": 10, "r": 10, "t": 80, "b": 80}, hovermode="closest",
    )
    return fig


def _hover(props: dict) -> str:
    lines = [f"<b>{html.escape(props['nom'])}</b>", props["ligne_valeur"], props["ligne_detail"],
             props["ligne_population"], props["ligne_plateforme"]]
    return "<br>".join(html.escape(line) if i else line for i, line in enumerate(lines) if line)
