"""The Territoires page's builders: the indicators that make sense on a map, territory values (raw and per
10 000 inhabitants), the ranking table, the comparison of a territory with the whole scope and its trend.

Frames come from `data_access.indicator` (masked by `queries.display`): a masked count is null with its
`<col>_masque` flag, and everything computed from it (per 10 000, rank) is masked or left out too.
Pure functions: no Streamlit, no warehouse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go
import polars as pl

import queries
from figures import maps
from figures.formats import (
    EMPTY,
    fmt_change,
    fmt_decimal,
    fmt_int,
    fmt_masked,
    fmt_month,
    fmt_pct,
    fmt_pct_compact,
    fmt_points,
)
from figures.labels import MAILLES
from figures.theme import PALETTE, Caption, apply_theme, french_month_axis
from queries.confidentiality import mask_column

COUNT, ACTIVITY, RATE, DAYS = "effectif", "activite", "taux", "jours"
RAW, PER_10000 = "brut", "p10000"
MODES = {RAW: "Valeur", PER_10000: "Pour 10 000 habitants"}
MAP_LEVELS = ("plateforme", "epci", "commune")
PAS_TENDANCE = {"mois": "Par mois", "trimestre": "Par trimestre"}
SELECTED_MARK = "▶"


@dataclass(frozen=True)
class MapIndicator:
    """An indicator the map offers: which query and column, what kind of value, at which levels."""

    id: str
    label: str
    indicator: str
    column: str
    unit: str  # COUNT (households, masked), ACTIVITY (not secret), RATE (0-1), DAYS (median)
    unit_label: str  # « saisines », in « 12,3 saisines pour 10 000 habitants »
    sens: str = "neutre"  # hausse_favorable, baisse_favorable, neutre (colour of a difference)
    mailles: tuple[str, ...] = MAP_LEVELS
    per_10000: bool = True
    sum_over: tuple[str, ...] = ()  # extra dimensions summed (logements captés: parc, dispositif)
    where: str = ""  # where the rows are located, shown under the map

    @property
    def modes(self) -> list[str]:
        return [RAW, PER_10000] if self.per_10000 else [RAW]

    @property
    def definition(self) -> str:
        return queries.indicator(self.indicator).definition

    def fmt(self, value: float | None) -> str:
        """The value in French: `1 234`, `45,2 %`, `12 jours`."""
        if value is None:
            return EMPTY
        if self.unit == RATE:
            return fmt_pct(value)
        if self.unit == DAYS:
            return f"{fmt_decimal(value, 0 if float(value).is_integer() else 1)} jours"
        return fmt_int(value)


_HOUSEHOLD = "la commune de résidence du ménage à la saisine"
_MEASURE = "la commune de la saisine à l'origine de la mesure"
_DWELLING = "la commune du logement"
SPECS = (
    MapIndicator("saisines", "Saisines", "saisines", "nb_saisines", COUNT, "saisines", where=_HOUSEHOLD),
    MapIndicator("espace_ressource", "Sollicitations de l'espace ressource", "sollicitations_espace_ressource",
                 "nb_espace_ressource", COUNT, "sollicitations", where="la commune du demandeur"),
    MapIndicator("accompagnements", "Accompagnements débutés", "accompagnements_debutes",
                 "nb_accompagnements_debutes", COUNT, "mesures", "hausse_favorable", where=_MEASURE),
    MapIndicator("file_active", "File active des accompagnements", "file_active", "nb_file_active", COUNT,
                 "mesures", where=_MEASURE),
    MapIndicator("acces_logement", "Accès au logement", "entrees_logement", "nb_entrees", COUNT,
                 "entrées dans un logement", "hausse_favorable", where=_DWELLING),
    MapIndicator("acces_logement_sans_domicile", "Accès au logement des personnes sans domicile",
                 "acces_logement_sans_domicile", "nb_entrees_sans_domicile", COUNT, "entrées dans un logement",
                 "hausse_favorable", where=_DWELLING),
    MapIndicator("taux_acceptation", "Taux d'acceptation des saisines", "taux_acceptation", "taux_acceptation",
                 RATE, "", per_10000=False, where=_HOUSEHOLD),
    MapIndicator("sorties_positives", "Taux de sortie positive", "taux_sortie_positive", "taux_sortie_positive",
                 RATE, "", "hausse_favorable", per_10000=False, where=_MEASURE),
    MapIndicator("maintien_12m", "Maintien dans le logement à 12 mois", "maintien_12m", "taux_maintien_12m", RATE,
                 "", "hausse_favorable", per_10000=False, where=_DWELLING),
    MapIndicator("logements_captes", "Logements captés", "logements_captes", "nb_logements_captes", ACTIVITY,
                 "logements captés", "hausse_favorable", sum_over=("parc", "dispositif"),
                 where="la commune du logement capté"),
    MapIndicator("delai_decision", "Délai de décision médian", "delai_decision", "nb_jours_decision_median", DAYS,
                 "", "baisse_favorable", per_10000=False, where=_HOUSEHOLD),
    MapIndicator("situations_examinees", "Situations examinées en instance", "situations_examinees",
                 "nb_situations_examinees", ACTIVITY, "situations examinées", "hausse_favorable",
                 mailles=("plateforme",), per_10000=False),
    MapIndicator("commissions_fluidite", "Participations aux commissions de fluidité", "commissions_fluidite",
                 "nb_commissions_fluidite", ACTIVITY, "participations", "hausse_favorable", mailles=("plateforme",),
                 per_10000=False),
)
SPECS_BY_ID = {s.id: s for s in SPECS}


def spec(spec_id: str) -> MapIndicator:
    return SPECS_BY_ID[spec_id]


def effective_mode(indicator: MapIndicator, mode: str | None) -> str:
    return PER_10000 if mode == PER_10000 and indicator.per_10000 else RAW


def map_title(indicator: MapIndicator, mode: str, maille: str) -> str:
    """« Saisines pour 10 000 habitants par plateforme »."""
    per = " pour 10 000 habitants" if effective_mode(indicator, mode) == PER_10000 else ""
    return f"{indicator.label}{per} par {MAILLES[maille].lower() if maille != 'epci' else 'EPCI'}"


# --- values by territory ------------------------------------------------------------------------------

def _summed(frame: pl.DataFrame, indicator: MapIndicator, keys: list[str]) -> pl.DataFrame:
    """Sum the extra dimensions (activity only: a sum of masked parts is masked)."""
    flag = mask_column(indicator.column)
    aggs = [pl.col(indicator.column).sum().alias(indicator.column)]
    if flag in frame.columns:
        aggs = [pl.when(pl.col(flag).any()).then(None).otherwise(pl.col(indicator.column).sum())
                .alias(indicator.column), pl.col(flag).any().alias(flag)]
    return frame.group_by(keys, maintain_order=True).agg(aggs)


def _value_columns(frame: pl.DataFrame, indicator: MapIndicator) -> list[pl.Expr]:
    flag = mask_column(indicator.column)
    return [pl.col(indicator.column).cast(pl.Float64).alias("valeur"),
            (pl.col(flag).fill_null(False) if flag in frame.columns else pl.lit(False)).alias("masque")]


def territory_values(frame: pl.DataFrame, indicator: MapIndicator, outlines: pl.DataFrame,
                     territories: list[str] | None = None) -> pl.DataFrame:
    """One row per located territory of a masked indicator (one period): territoire, libelle, plateforme,
    population, valeur, masque, pour_10000 (null when masked or without population).

    outlines: `data_access.outlines(maille)` (names, population, platform). territories: the territories of the
    scope, to complete with zeros a result that only has rows where something happened (logements captés).
    """
    data = frame.filter(pl.col("territoire").is_not_null())
    if indicator.sum_over:
        data = _summed(data, indicator, ["territoire"])
    data = data.select("territoire", *_value_columns(data, indicator))
    if territories is not None and indicator.sum_over:
        missing = sorted(set(territories) - set(data["territoire"].to_list()))
        data = pl.concat([data, pl.DataFrame({"territoire": missing, "valeur": [0.0] * len(missing),
                                              "masque": [False] * len(missing)},
                                             schema=data.schema)])
    info = outlines.select("territoire", "libelle", pl.col("population_municipale").alias("population"),
                           "plateforme")
    values = data.join(info, on="territoire", how="left").with_columns(
        pl.col("libelle").fill_null(pl.col("territoire")))
    per = (pl.col("valeur") * 10_000 / pl.col("population")) if indicator.per_10000 else pl.lit(None)
    return values.with_columns(
        pl.when(~pl.col("masque") & (pl.col("population") > 0)).then(per).otherwise(None)
        .cast(pl.Float64).alias("pour_10000"),
    ).select("territoire", "libelle", "plateforme", "population", "valeur", "masque", "pour_10000")


def unlocated(frame: pl.DataFrame, indicator: MapIndicator) -> tuple[float | None, bool]:
    """The value of the rows without a territory at this level (commune not given), and whether it is masked."""
    rows = frame.filter(pl.col("territoire").is_null())
    if rows.is_empty():
        return 0.0, False
    if indicator.sum_over:
        rows = _summed(rows, indicator, ["territoire"])
    row = rows.select(*_value_columns(rows, indicator)).row(0, named=True)
    return row["valeur"], row["masque"]


@dataclass(frozen=True)
class ScopeValue:
    """The value of the whole scope (maille « ensemble ») and its rate per 10 000 inhabitants."""

    valeur: float | None
    masque: bool
    population: int | None
    pour_10000: float | None


def scope_value(frame: pl.DataFrame, indicator: MapIndicator, population: int | None) -> ScopeValue:
    """From the indicator at maille « ensemble » and the population of the platforms in scope."""
    data = frame
    if indicator.sum_over and not data.is_empty():
        data = _summed(data, indicator, ["territoire"])
    if data.is_empty():
        value, masked = (0.0 if indicator.sum_over else None), False
    else:
        row = data.select(*_value_columns(data, indicator)).row(0, named=True)
        value, masked = row["valeur"], row["masque"]
    per = None
    if indicator.per_10000 and not masked and value is not None and population:
        per = value * 10_000 / population
    return ScopeValue(value, masked, population, per)


def metric_column(indicator: MapIndicator, mode: str) -> str:
    return "pour_10000" if effective_mode(indicator, mode) == PER_10000 else "valeur"


def metric_fmt(indicator: MapIndicator, mode: str) -> Callable[[float], str]:
    if effective_mode(indicator, mode) == PER_10000:
        return lambda v: fmt_decimal(v, 1)
    return indicator.fmt


def legend_fmt(indicator: MapIndicator, mode: str) -> Callable[[float], str]:
    """Class bounds: like the values, without a useless decimal (« 65 % », not « 65,0 % »)."""
    if indicator.unit == RATE and effective_mode(indicator, mode) == RAW:
        return fmt_pct_compact
    if effective_mode(indicator, mode) == PER_10000:
        return lambda v: fmt_int(v) if v == 0 else fmt_decimal(v, 1)
    return indicator.fmt


def fmt_per_10000(value: float | None, masked: bool) -> str:
    return fmt_masked(value, masked, lambda v: fmt_decimal(v, 1))


def with_rank(values: pl.DataFrame, indicator: MapIndicator, mode: str) -> pl.DataFrame:
    """Add `rang` (1 = highest value; ties share a rank; masked or missing values have none)."""
    metric = metric_column(indicator, mode)
    return values.with_columns(
        pl.when(~pl.col("masque")).then(pl.col(metric)).otherwise(None).rank("min", descending=True)
        .cast(pl.Int64).alias("rang"))


# --- the map ------------------------------------------------------------------------------------------

def classes_for(values: pl.DataFrame, indicator: MapIndicator, mode: str) -> maps.Classes:
    """The classes of the map: counts from zero, rates and delays by quantiles."""
    metric = metric_column(indicator, mode)
    shown = values.filter(~pl.col("masque"))[metric].to_list()
    counted = indicator.unit in (COUNT, ACTIVITY)
    integer = counted and effective_mode(indicator, mode) == RAW
    return maps.class_breaks(shown, legend_fmt(indicator, mode), integer=integer, zero_class=counted)


def shown_frame(values: pl.DataFrame, indicator: MapIndicator, mode: str) -> pl.DataFrame:
    """What the map shows of each territory: metrique (null when masked) and its two tooltip lines."""
    ranked = with_rank(values, indicator, mode)
    total = ranked["rang"].drop_nulls().len()
    metric = metric_column(indicator, mode)
    rows = []
    for r in ranked.iter_rows(named=True):
        line_value = f"{indicator.label} : {fmt_masked(r['valeur'], r['masque'], indicator.fmt)}"
        if indicator.per_10000:
            line_detail = f"Pour 10 000 hab. : {fmt_per_10000(r['pour_10000'], r['masque'])}"
        else:
            line_detail = f"Rang : {r['rang']} sur {total}" if r["rang"] is not None else "Rang : —"
        rows.append({"territoire": r["territoire"], "metrique": None if r["masque"] else r[metric],
                     "masque": r["masque"], "ligne_valeur": line_value, "ligne_detail": line_detail})
    return pl.DataFrame(rows, schema={"territoire": pl.Utf8, "metrique": pl.Float64, "masque": pl.Boolean,
                                      "ligne_valeur": pl.Utf8, "ligne_detail": pl.Utf8})


# --- the ranking table --------------------------------------------------------------------------------

def ranking_table(values: pl.DataFrame, indicator: MapIndicator, mode: str, maille: str,
                  selected: str | None = None) -> pl.DataFrame:
    """The territories by rank (masked values last, « < 5 »), the selected one marked « ▶ »; text columns."""
    ranked = with_rank(values, indicator, mode).sort(
        [pl.col("rang").is_null(), "rang", "libelle"], nulls_last=True)
    columns: dict[str, list[str]] = {"": [], "Rang": [], "Territoire": []}
    if maille != "plateforme":
        columns["Plateforme"] = []
    columns[indicator.label] = []
    if indicator.per_10000:
        columns["Pour 10 000 hab."] = []
    columns["Population"] = []
    for r in ranked.iter_rows(named=True):
        columns[""].append(SELECTED_MARK if r["territoire"] == selected else "")
        columns["Rang"].append(EMPTY if r["rang"] is None else str(r["rang"]))
        columns["Territoire"].append(r["libelle"])
        if "Plateforme" in columns:
            columns["Plateforme"].append(r["plateforme"] or EMPTY)
        columns[indicator.label].append(fmt_masked(r["valeur"], r["masque"], indicator.fmt))
        if indicator.per_10000:
            columns["Pour 10 000 hab."].append(fmt_per_10000(r["pour_10000"], r["masque"]))
        columns["Population"].append(fmt_int(r["population"]))
    return pl.DataFrame(columns, schema={k: pl.Utf8 for k in columns})


# --- comparison with the whole scope ------------------------------------------------------------------

@dataclass(frozen=True)
class Comparison:
    """A territory against the whole scope, on the comparable measure (per 10 000 inhabitants for counts)."""

    measure: str  # « Saisines pour 10 000 habitants »
    territory_label: str
    territory_text: str
    scope_label: str
    scope_text: str
    delta_text: str | None
    delta_color: str
    sentence: str


def comparison(values: pl.DataFrame, scope: ScopeValue, indicator: MapIndicator, territoire: str,
               scope_label: str) -> Comparison | None:
    """The selected territory against the scope; None when the territory has no row."""
    rows = values.filter(pl.col("territoire") == territoire)
    if rows.is_empty():
        return None
    r = rows.row(0, named=True)
    if indicator.per_10000:
        measure = f"{indicator.label} pour 10 000 habitants"
        mine, theirs, fmt = r["pour_10000"], scope.pour_10000, (lambda v: fmt_decimal(v, 1))
        delta = fmt_change(mine, theirs) if not r["masque"] and mine is not None else None
    else:
        measure = indicator.label
        mine, theirs, fmt = r["valeur"], scope.valeur, indicator.fmt
        delta = None
        if not r["masque"] and not scope.masque and mine is not None and theirs is not None:
            delta = fmt_points(mine, theirs) if indicator.unit == RATE else _days_change(mine, theirs)
    mine_text = fmt_masked(mine, r["masque"], fmt)
    theirs_text = fmt_masked(theirs, scope.masque, fmt)
    name = r["libelle"]
    if r["masque"]:
        sentence = (f"{name} : effectif masqué ({mine_text}) au titre du secret statistique, la comparaison "
                    f"n'est pas affichée ({scope_label} : {theirs_text}).")
    elif mine is None:
        sentence = f"{name} : valeur non calculable sur la période (aucun cas)."
    else:
        unit = f" {indicator.unit_label} pour 10 000 habitants" if indicator.per_10000 else ""
        sentence = f"{name} : {mine_text}{unit}, contre {theirs_text} pour {the(scope_label)}"
        sentence += f" ({delta})." if delta else "."
    colour = {"hausse_favorable": "normal", "baisse_favorable": "inverse"}.get(indicator.sens, "off")
    # st.metric reads the direction of its arrow from an ASCII minus sign.
    metric_delta = f"{delta.replace(chr(0x2212), '-')} par rapport à l'ensemble" if delta else None
    return Comparison(measure, name, mine_text, scope_label, theirs_text, metric_delta, colour, sentence)


def the(label: str) -> str:
    """« Ensemble des plateformes » → « l'ensemble des plateformes »."""
    lower = label[:1].lower() + label[1:]
    return f"l'{lower}" if lower[:1] in "aeéèêiouy" else f"le {lower}"


def _days_change(mine: float, theirs: float) -> str:
    diff = mine - theirs
    sign = "+" if diff >= 0 else "−"
    return f"{sign}{fmt_decimal(abs(diff), 0 if float(diff).is_integer() else 1)} j"


# --- trend ----------------------------------------------------------------------------------------------

def period_starts(debut: date, fin: date, pas: str) -> list[date]:
    """First days of the months or quarters of [debut, fin] (what `stg.periodes` labels them with)."""
    step = 3 if pas == "trimestre" else 1
    month = (debut.month - 1) // step * step + 1
    current = date(debut.year, month, 1)
    starts = []
    while current <= fin:
        starts.append(current)
        index = current.year * 12 + current.month - 1 + step
        current = date(index // 12, index % 12 + 1, 1)
    return starts


def series(frame: pl.DataFrame, indicator: MapIndicator, territoire: str, population: int | None,
           name: str, periods: list[date], per_10000: bool) -> pl.DataFrame:
    """One territory's values by period: periode, serie, valeur (per 10 000 when asked; null when masked),
    masque. Periods without a row are 0 for activity sums (results only list what happened)."""
    rows = frame.filter(pl.col("territoire") == territoire)
    if indicator.sum_over:
        rows = _summed(rows, indicator, ["territoire", "periode"])
    rows = rows.select("periode", *_value_columns(rows, indicator))
    known = {r["periode"]: r for r in rows.iter_rows(named=True)}
    out = []
    for period in periods:
        r = known.get(period)
        if r is None:
            value, masked = (0.0 if indicator.sum_over else None), False
        else:
            value, masked = r["valeur"], r["masque"]
        if per_10000:
            value = value * 10_000 / population if (value is not None and population and not masked) else None
        out.append({"periode": period, "serie": name, "valeur": None if masked else value, "masque": masked})
    return pl.DataFrame(out, schema={"periode": pl.Date, "serie": pl.Utf8, "valeur": pl.Float64,
                                     "masque": pl.Boolean})


def trend_figure(points: pl.DataFrame, indicator: MapIndicator, per_10000: bool, pas: str, caption: Caption,
                 seuil: int | None = None) -> go.Figure:
    """Lines of the series of `points` (the territory first, the scope dashed); masked periods are gaps."""
    fig = go.Figure()
    fmt = (lambda v: fmt_decimal(v, 1)) if per_10000 else indicator.fmt
    names = list(dict.fromkeys(points["serie"].to_list()))
    for i, name in enumerate(names):
        serie = points.filter(pl.col("serie") == name).sort("periode")
        hover = [f"{_period_label(p, pas)} — {name} : {fmt_masked(v, m, fmt, seuil)}"
                 for p, v, m in serie.select("periode", "valeur", "masque").iter_rows()]
        scope_line = i > 0 or len(names) == 1
        y = serie["valeur"].to_list()
        if indicator.unit == RATE:  # in points of percentage, so that the axis reads « 80 % » in French
            y = [None if v is None else v * 100 for v in y]
        fig.add_trace(go.Scatter(
            x=serie["periode"].to_list(), y=y, name=name, mode="lines+markers",
            line={"color": PALETTE[0] if i == 0 else "#5f6368", "width": 3 if i == 0 else 2,
                  "dash": "dash" if i > 0 else "solid"},
            marker={"size": 8 if not scope_line or len(names) == 1 else 6},
            customdata=[[h] for h in hover], hovertemplate="%{customdata[0]}<extra></extra>",
            connectgaps=False,
        ))
    apply_theme(fig, caption, height=420)
    periods = points["periode"].unique().sort().to_list()
    if pas == "trimestre":
        fig.update_xaxes(tickmode="array", tickvals=periods, ticktext=[_period_label(p, pas) for p in periods])
    else:
        french_month_axis(fig, periods)
    unit = "pour 10 000 habitants" if per_10000 else (indicator.unit_label or indicator.label.lower())
    if indicator.unit == RATE:
        fig.update_yaxes(ticksuffix="\u00a0%", rangemode="tozero")
        unit = indicator.label
    else:
        fig.update_yaxes(rangemode="tozero")
    fig.update_yaxes(title={"text": unit[:1].upper() + unit[1:]})
    return fig


def _period_label(period: date, pas: str) -> str:
    if pas == "trimestre":
        return f"T{(period.month - 1) // 3 + 1} {period.year}"
    return fmt_month(period)


def masked_periods_note(points: pl.DataFrame, pas: str, seuil_label: str) -> str:
    """« 3 mois masqués (< 5) : non tracés » when some periods are masked, else ""."""
    n = int(points["masque"].sum())
    if not n:
        return ""
    what = ("trimestre" if pas == "trimestre" else "mois") + ("s" if n > 1 and pas == "trimestre" else "")
    return f"{n} {what} masqué{'s' if n > 1 else ''} ({seuil_label}) : non tracé{'s' if n > 1 else ''}"

