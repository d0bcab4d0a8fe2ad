"""Évolutions: an indicator month by month (or quarter by quarter), per platform and for the whole scope, against
the same months a year before, and smoothed by a rolling average.

`series_data` gathers the series through a `fetch(name, **params)` callable that returns indicators already
masked (`data_access.indicator` in the app, `queries.display` elsewhere); the builders below only draw what it
returns. A masked value is a gap in a line and a « < 5 » mark on a bar axis, never a 0, and nothing computed here
(rolling averages, changes) uses a masked value: a window or a comparison that contains one stays empty.

Which months are shown (`window`): the chosen period; a period of less than 6 months is widened to the 12 months
that end with it (the chosen months stay highlighted), so that a quarter still shows a trend. The rolling average
of the first months reads the months before the window, and the comparison reads the same dates a year earlier
(a month in progress is compared with the same days a year before).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from figures.formats import (
    EMPTY,
    NBSP,
    fmt_change,
    fmt_date,
    fmt_days,
    fmt_decimal,
    fmt_int,
    fmt_masked,
    fmt_pct,
    fmt_points,
)
from figures.scope import Scope
from figures.theme import GREY, PALETTE, Caption, apply_theme, french_month_axis, month_label, period_label

Fetch = Callable[..., pl.DataFrame]

COUNT, RATE, MEDIAN = "count", "rate", "median"
PAS = {"mois": "Mois", "trimestre": "Trimestre"}
STEP_MONTHS = {"mois": 1, "trimestre": 3}
ROLLING = {"mois": 3, "trimestre": 4}  # width of the rolling window, in steps
SHORT_PERIOD_MONTHS = 6  # a shorter period is widened to the 12 months that end with it
WIDENED_MONTHS = 12
ENSEMBLE = "Ensemble"
PREVIOUS_COLOUR = GREY
LIGHT_BLUE = PALETTE[4]

WINDOW_CAPTION = (
    "Les séries couvrent la période choisie ; une période de moins de 6 mois est prolongée aux 12 mois qui la "
    "terminent (période choisie surlignée). La comparaison porte sur les mêmes dates un an plus tôt, et les "
    "moyennes mobiles tiennent compte des mois qui précèdent la période."
)


@dataclass(frozen=True)
class Serie:
    """An indicator the page can follow over time: where its value is and how to read it."""

    key: str
    label: str
    indicator: str
    column: str
    kind: str = COUNT
    unit: str = ""  # the noun of a value in hover texts: « 12 saisines », « 10 jours »
    numerator: str | None = None  # rates: to compute a rate over a rolling window
    denominator: str | None = None
    parts: tuple[tuple[str, str], ...] = ()  # stacked parts of the total: (column, label)
    higher_is_better: bool | None = None
    definition: str = ""


SERIES: dict[str, Serie] = {s.key: s for s in (
    Serie("saisines", "Saisines", "saisines", "nb_saisines", unit="saisines",
          definition="Fiches saisines (situations individuelles) reçues."),
    Serie("sollicitations", "Sollicitations (saisines et espace ressource)", "sollicitations", "nb_sollicitations",
          unit="sollicitations",
          parts=(("nb_saisines", "Saisines (situations)"), ("nb_espace_ressource", "Espace ressource")),
          definition="Saisines de situations individuelles et sollicitations de l'espace ressource."),
    Serie("accompagnements_debutes", "Accompagnements débutés", "accompagnements_debutes",
          "nb_accompagnements_debutes", unit="mesures", higher_is_better=True,
          definition="Mesures d'accompagnement débutées."),
    Serie("file_active", "File active", "file_active", "nb_file_active", unit="mesures en cours",
          definition="Mesures en cours pendant le mois ou le trimestre (débutées avant sa fin, non terminées avant "
                     "son début)."),
    Serie("entrees_logement", "Accès au logement", "entrees_logement", "nb_entrees",
          unit="entrées dans un logement", higher_is_better=True,
          definition="Ménages entrés dans un logement, tous types de logement."),
    Serie("acces_logement_sans_domicile", "Accès au logement des personnes sans domicile",
          "acces_logement_sans_domicile", "nb_entrees_sans_domicile", unit="entrées dans un logement",
          higher_is_better=True,
          definition="Indicateur national : entrées de ménages sans domicile à leur première saisine dans un "
                     "logement ordinaire ou adapté (parc social, IML, bail glissant, pension de famille, "
                     "résidence accueil)."),
    Serie("sorties", "Sorties d'accompagnement", "taux_sortie_positive", "nb_sorties", unit="sorties",
          definition="Mesures d'accompagnement terminées, tous motifs."),
    Serie("taux_sortie_positive", "Taux de sortie positive", "taux_sortie_positive", "taux_sortie_positive",
          kind=RATE, numerator="nb_sorties_positives", denominator="nb_sorties", higher_is_better=True,
          definition="Part des mesures terminées par un accès au logement ou un maintien consolidé."),
    Serie("taux_acceptation", "Taux d'acceptation des saisines", "taux_acceptation", "taux_acceptation",
          kind=RATE, numerator="nb_acceptees", denominator="nb_decidees",
          definition="Part des saisines décidées qui ont été acceptées (par date de saisine)."),
    Serie("delai_decision", "Délai de décision médian", "delai_decision", "nb_jours_decision_median",
          kind=MEDIAN, unit="jours", denominator="nb_decisions", higher_is_better=False,
          definition="Médiane des jours entre la saisine et la décision (par date de saisine)."),
    Serie("delai_acces", "Délai d'accès au logement médian", "delai_acces", "nb_jours_acces_median",
          kind=MEDIAN, unit="jours", denominator="nb_entrees", higher_is_better=False,
          definition="Médiane des jours entre la première saisine acceptée du ménage et son entrée dans un "
                     "logement."),
    Serie("maintien_12m", "Maintien dans le logement à 12 mois", "maintien_12m", "taux_maintien_12m",
          kind=RATE, numerator="nb_maintenus_12m", denominator="nb_entrees_12m", higher_is_better=True,
          definition="Part des ménages toujours logés (ou relogés) 12 mois après leur entrée, par date "
                     "anniversaire."),
)}


# --- dates --------------------------------------------------------------------------------------------

def add_months(d: date, months: int) -> date:
    """The first day of the month `months` after the month of `d`."""
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def step_start(d: date, pas: str) -> date:
    """The first day of the month or quarter of `d`."""
    month = d.month if pas == "mois" else 3 * ((d.month - 1) // 3) + 1
    return date(d.year, month, 1)


def step_end(start: date, pas: str) -> date:
    """The last day of the month or quarter starting on `start`."""
    return add_months(start, STEP_MONTHS[pas]) - timedelta(days=1)


def one_year_earlier(d: date) -> date:
    """The same date a year before (29 February becomes 28 February)."""
    return date(d.year - 1, 2, 28) if (d.month, d.day) == (2, 29) else d.replace(year=d.year - 1)


def step_label(d: date, pas: str, short: bool = True) -> str:
    """`mars 2025` (short: `mars 2025`, `janv. 2025`), or `T1 2025` for a quarter."""
    if pas == "trimestre":
        return f"T{(d.month - 1) // 3 + 1} {d.year}"
    return month_label(d, short=short)


@dataclass(frozen=True)
class Window:
    """The months shown for a chosen period, and the dates the series are read over."""

    debut: date  # first day shown
    fin: date
    pas: str
    chosen_debut: date
    chosen_fin: date

    @property
    def widened(self) -> bool:
        return self.debut < self.chosen_debut

    @property
    def rolling_steps(self) -> int:
        return ROLLING[self.pas]

    @property
    def history_debut(self) -> date:
        """Where the whole-scope series starts, so that the first rolling averages are complete."""
        return add_months(step_start(self.debut, self.pas), -STEP_MONTHS[self.pas] * (self.rolling_steps - 1))

    @property
    def year_before(self) -> tuple[date, date]:
        return one_year_earlier(self.debut), one_year_earlier(self.fin)

    @property
    def steps(self) -> list[date]:
        """The first day of every month or quarter shown."""
        out, current = [], step_start(self.debut, self.pas)
        while current <= self.fin:
            out.append(current)
            current = add_months(current, STEP_MONTHS[self.pas])
        return out

    @property
    def partial_last_step(self) -> bool:
        """Whether the period stops before the end of its last month or quarter (a month in progress)."""
        return self.fin < step_end(step_start(self.fin, self.pas), self.pas)

    @property
    def label(self) -> str:
        """`année 2025`, `du 01/12/2025 au 22/11/2026`."""
        return period_label(self.debut, self.fin)

    def series_names(self) -> tuple[str, str]:
        """How the legend names the period and the year before: « 2025 » / « 2024 », else month spans."""
        before_debut, before_fin = self.year_before
        if self.debut.year == self.fin.year:
            return str(self.fin.year), str(before_fin.year)
        return (f"{step_label(self.debut, self.pas)} – {step_label(self.fin, self.pas)}",
                f"{step_label(before_debut, self.pas)} – {step_label(before_fin, self.pas)}")


def window(debut: date, fin: date, pas: str, data_start: date | None = None) -> Window:
    """The months shown for a chosen period (see the module's docstring)."""
    if pas not in STEP_MONTHS:
        raise ValueError(f"pas inconnu : {pas}")
    months = (fin.year - debut.year) * 12 + fin.month - debut.month + 1
    start = debut
    if months < SHORT_PERIOD_MONTHS:
        start = add_months(step_start(fin, pas), STEP_MONTHS[pas] - WIDENED_MONTHS)
        if data_start is not None:
            start = max(start, step_start(data_start, pas))
        start = min(start, debut)
    return Window(start, fin, pas, debut, fin)


# --- data ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SeriesData:
    """Everything the page shows for one indicator, each frame masked as fetched.

    Frames carry `periode`, `valeur` (null when masked or unknown) and `masque`; `platforms` also
    `territoire`; `ensemble` and `platforms` keep the indicator's own columns (parts of a total).
    """

    serie: Serie
    window: Window
    platforms: pl.DataFrame  # territoire × step, over the window
    ensemble: pl.DataFrame  # step, over the window and the steps before it (rolling average)
    before: pl.DataFrame  # step of the year before, `periode` moved one year later to line up
    rolling: pl.DataFrame  # periode, valeur: rolling average (or rate, or median) over the window
    total: tuple[float | None, bool]  # the whole window: value, masked
    total_before: tuple[float | None, bool]
    data_start: date | None = None
    public_ignored: bool = False  # the indicator does not take the public filter

    @property
    def shown_ensemble(self) -> pl.DataFrame:
        return self.ensemble.filter(pl.col("periode") >= step_start(self.window.debut, self.window.pas))

    @property
    def any_masked(self) -> bool:
        frames = (self.platforms, self.shown_ensemble, self.before)
        return any(f.height and f["masque"].any() for f in frames)


def normalise(frame: pl.DataFrame, serie: Serie) -> pl.DataFrame:
    """Add `valeur` and `masque` (the value column and its masking flag) to an indicator frame."""
    flag = f"{serie.column}_masque"
    masked = pl.col(flag) if flag in frame.columns else pl.lit(False)
    return frame.with_columns(pl.col(serie.column).cast(pl.Float64).alias("valeur"),
                              masked.fill_null(False).alias("masque"))


def _value(frame: pl.DataFrame, serie: Serie) -> tuple[float | None, bool]:
    if frame.is_empty():
        return None, False
    row = normalise(frame, serie).row(0, named=True)
    return row["valeur"], row["masque"]


def series_data(fetch: Fetch, scope: Scope, serie: Serie, pas: str, data_start: date | None = None,
                accepts_public: bool = True) -> SeriesData:
    """Fetch the series of an indicator for a scope (masked frames only) and compute what is derived from them."""
    w = window(scope.debut, scope.fin, pas, data_start)
    base = {"plateformes": list(scope.plateformes), "public": scope.public}
    name = serie.indicator
    platforms = fetch(name, debut=w.debut, fin=w.fin, maille="plateforme", pas=pas, **base)
    ensemble = fetch(name, debut=w.history_debut, fin=w.fin, maille="ensemble", pas=pas, **base)
    before_debut, before_fin = w.year_before
    before = fetch(name, debut=before_debut, fin=before_fin, maille="ensemble", pas=pas, **base)
    total = _value(fetch(name, debut=w.debut, fin=w.fin, maille="ensemble", pas="periode", **base), serie)
    total_before = _value(fetch(name, debut=before_debut, fin=before_fin, maille="ensemble", pas="periode", **base),
                          serie)
    first = step_start(data_start, pas) if data_start else None

    def clip(frame: pl.DataFrame, shift: bool = False) -> pl.DataFrame:
        frame = normalise(frame, serie)
        if first is not None:
            frame = frame.filter(pl.col("periode") >= first)
        if shift:
            frame = frame.with_columns(pl.col("periode").dt.offset_by("1y"))
        return frame.sort("periode")

    ensemble = clip(ensemble)
    if serie.kind == MEDIAN:
        rolling = rolling_medians(fetch, serie, w, base, first)
    else:
        rolling = rolling_values(ensemble, serie, w)
    return SeriesData(serie, w, clip(platforms).sort("territoire", "periode"), ensemble, clip(before, shift=True),
                      rolling, total, total_before, data_start, public_ignored=not accepts_public and
                      scope.public != "tous")


def rolling_values(ensemble: pl.DataFrame, serie: Serie, w: Window) -> pl.DataFrame:
    """Rolling average of counts, or rolling rate (sum of numerators / sum of denominators), over the window.

    A window with a masked or missing step has no value: nothing is computed from a masked value.
    """
    k = w.rolling_steps
    frame = ensemble.sort("periode")
    if frame.height:  # the steps must follow each other: one missing (before the data start) breaks windows
        expected = [add_months(frame["periode"][0], STEP_MONTHS[w.pas] * i) for i in range(frame.height)]
        if frame["periode"].to_list() != expected:
            frame = pl.DataFrame({"periode": expected}).join(frame, on="periode", how="left")
    if serie.kind == RATE:
        num = _unmasked(frame, serie.numerator).rolling_sum(k, min_samples=k)
        den = _unmasked(frame, serie.denominator).rolling_sum(k, min_samples=k)
        values = pl.Series([None if n is None or not d else n / d for n, d in zip(num, den, strict=True)],
                           dtype=pl.Float64)
    else:
        values = frame["valeur"].rolling_mean(k, min_samples=k) if frame.height else pl.Series([], dtype=pl.Float64)
    out = pl.DataFrame({"periode": frame["periode"], "valeur": values}, schema={"periode": pl.Date,
                                                                                 "valeur": pl.Float64})
    return out.filter(pl.col("periode") >= step_start(w.debut, w.pas))


def _unmasked(frame: pl.DataFrame, column: str | None) -> pl.Series:
    if column is None or column not in frame.columns:
        return pl.Series([None] * frame.height, dtype=pl.Float64)
    values = frame[column].cast(pl.Float64)
    flag = f"{column}_masque"
    if flag in frame.columns:
        values = pl.Series([None if m else v for v, m in zip(values, frame[flag].fill_null(True), strict=True)],
                           dtype=pl.Float64)
    return values


def rolling_medians(fetch: Fetch, serie: Serie, w: Window, base: dict, first: date | None) -> pl.DataFrame:
    """The median over each rolling window (a median cannot be averaged): one masked fetch per window."""
    k = w.rolling_steps
    rows = []
    for step in w.steps:
        start = add_months(step, -STEP_MONTHS[w.pas] * (k - 1))
        end = min(step_end(step, w.pas), w.fin)
        value = None
        if first is None or start >= first:
            value, masked = _value(fetch(serie.indicator, debut=start, fin=end, maille="ensemble", pas="periode",
                                         **base), serie)
            value = None if masked else value
        rows.append({"periode": step, "valeur": value})
    return pl.DataFrame(rows, schema={"periode": pl.Date, "valeur": pl.Float64})


# --- texts --------------------------------------------------------------------------------------------


def fmt_value(value: float | None, serie: Serie) -> str:
    """A value of the series in French: `1 234`, `12,3 %`, `10 jours`."""
    if serie.kind == RATE:
        return fmt_pct(value)
    if serie.kind == MEDIAN:
        return fmt_days(value)
    if value is not None and not float(value).is_integer():  # rolling averages
        return fmt_decimal(value, 1)
    return fmt_int(value)


def fmt_cell(value: float | None, masked: bool, serie: Serie) -> str:
    """A value, or « < 5 » when masked."""
    return fmt_masked(value, masked, lambda v: fmt_value(v, serie))


def change_text(now: float | None, before: float | None, serie: Serie) -> str | None:
    """`+12,3 %` for counts, `+3,2 pts` for rates, `+2 jours` for medians; None when not computable."""
    if now is None or before is None:
        return None
    if serie.kind == RATE:
        return fmt_points(now, before)
    if serie.kind == MEDIAN:
        diff = now - before
        return ("+" if diff >= 0 else "−") + fmt_days(abs(diff))
    return fmt_change(now, before)


def with_unit(value_text: str, serie: Serie) -> str:
    return f"{value_text} {serie.unit}" if serie.kind == COUNT and serie.unit and value_text != EMPTY else value_text


def notes(data: SeriesData, seuil: int | None = None) -> str:
    """The note under the charts, one line each (`<br>`): masked points, month in progress, data start, public."""
    from queries.confidentiality import masked_label

    parts = []
    if data.any_masked:
        parts.append(f"points absents ou « {masked_label(seuil)} » : effectifs masqués (secret statistique)")
    if data.window.partial_last_step:
        last = step_start(data.window.fin, data.window.pas)
        parts.append(f"{step_label(last, data.window.pas, short=False)} jusqu'au {fmt_date(data.window.fin)}, "
                     "comparé aux mêmes jours un an plus tôt")
    if data.data_start and one_year_earlier(data.window.debut) < data.data_start:
        parts.append(f"données disponibles à partir de {month_label(data.data_start)}")
    if data.public_ignored:
        parts.append("indicateur non décliné par public : tous les ménages sont comptés")
    return "<br>".join(p[:1].upper() + p[1:] + "." for p in parts)


def total_texts(data: SeriesData) -> tuple[str, str, str | None]:
    """The whole window's value (`345`, « < 5 »), the year before's, and the change (`+12,0 %`) if computable."""
    value, masked = data.total
    before, before_masked = data.total_before
    change = None if masked or before_masked else change_text(value, before, data.serie)
    return fmt_cell(value, masked, data.serie), fmt_cell(before, before_masked, data.serie), change


# --- figures ------------------------------------------------------------------------------------------

MAX_PLATFORM_LINES = 12  # beyond, lines cannot be told apart (a national découpage has a thousand platforms)


def largest_platforms(platforms: pl.DataFrame, limit: int = MAX_PLATFORM_LINES) -> list[str]:
    """The platforms to draw one line each: all of them, or the `limit` with the largest total (shown values)."""
    if platforms.is_empty():
        return []
    totals = platforms.group_by("territoire").agg(pl.col("valeur").sum().fill_null(0).alias("total"))
    chosen = totals.sort(["total", "territoire"], descending=[True, False]).head(limit)["territoire"].to_list()
    return sorted(chosen)


def platform_colours(names: list[str]) -> dict[str, str]:
    """One Okabe-Ito colour per platform, in the order of the découpage, so a platform keeps its colour."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def _axis(fig: go.Figure, w: Window, max_ticks: int = 12) -> None:
    """French ticks (`janv. 2026`, `T1 2026`) on every x axis, and the window as the range."""
    steps = w.steps
    if not steps:
        return
    if w.pas == "trimestre":
        every = max(1, -(-len(steps) // max_ticks))
        fig.update_xaxes(tickmode="array", tickvals=steps[::every],
                         ticktext=[step_label(s, "trimestre") for s in steps[::every]])
    else:
        french_month_axis(fig, steps, max_ticks=max_ticks)
    half = timedelta(days=15 * STEP_MONTHS[w.pas])
    fig.update_xaxes(range=[steps[0] - half, steps[-1] + half])


def _y(value: float | None, serie: Serie) -> float | None:
    """Rates are drawn as percentages (0-100) with a « % » suffix, so ticks read `12 %`."""
    if value is None:
        return None
    return value * 100 if serie.kind == RATE else value


def _yaxis(fig: go.Figure, serie: Serie, row: int | None = None) -> None:
    update = {"rangemode": "tozero", "title": {"text": _y_title(serie)}}
    if serie.kind == RATE:
        update.update(ticksuffix=f"{NBSP}%", range=[0, 105])
    (fig.update_yaxes(**update, row=row, col=1) if row else fig.update_yaxes(**update))


def _y_title(serie: Serie) -> str:
    if serie.kind == RATE:
        return "Part (%)"
    if serie.kind == MEDIAN:
        return "Jours (médiane)"
    return serie.unit[:1].upper() + serie.unit[1:]


def _finish(fig: go.Figure, caption: Caption, height: int = 460) -> go.Figure:
    """The shared theme; the notes go under the source line, one per line, with room made for them."""
    apply_theme(fig, replace(caption, note=""), height=height)
    if caption.note:
        lines = caption.note.count("<br>") + 1
        fig.update_annotations(selector={"name": "source"}, text=f"{caption.source}<br>{caption.note}")
        fig.update_layout(margin_b=fig.layout.margin.b + 16 * lines, height=height + 16 * lines)
    fig.update_layout(legend_traceorder="normal")
    return fig


def _hover(label: str, step: date, w: Window, text: str) -> str:
    return f"<b>{label}</b><br>{step_label(step, w.pas, short=False)} : {text}"


def _masked_marks(fig: go.Figure, frame: pl.DataFrame, w: Window, serie: Serie, label: str, seuil: int | None,
                  row: int | None = None) -> None:
    """« < 5 » written at the foot of the bars that are masked (no bar is drawn with a value)."""
    hidden = frame.filter(pl.col("masque"))
    if hidden.is_empty():
        return
    from queries.confidentiality import masked_label

    mark = masked_label(seuil)
    trace = go.Scatter(
        x=hidden["periode"].to_list(), y=[0] * hidden.height, mode="text", text=[mark] * hidden.height,
        textposition="top center", textfont={"color": "#5f6368", "size": 13}, showlegend=False,
        customdata=[[_hover(label, p, w, f"{mark} (secret statistique)")] for p in hidden["periode"]],
        hovertemplate="%{customdata[0]}<extra></extra>",
    )
    fig.add_trace(trace, row=row, col=1 if row else None)


def _highlight(fig: go.Figure, w: Window) -> None:
    if not w.widened:
        return
    start = step_start(w.chosen_debut, w.pas) - timedelta(days=15 * STEP_MONTHS[w.pas])
    end = step_start(w.chosen_fin, w.pas) + timedelta(days=15 * STEP_MONTHS[w.pas])
    fig.add_vrect(x0=start, x1=end, fillcolor="#fff3cd", opacity=0.5, line_width=0, layer="below",
                  annotation_text="Période choisie", annotation_position="top left",
                  annotation_font={"size": 13, "color": "#5f6368"})


def _ensemble_traces(fig: go.Figure, data: SeriesData, row: int | None, seuil: int | None) -> None:
    serie, w = data.serie, data.window
    frame = data.shown_ensemble
    steps = frame["periode"].to_list()
    col = 1 if row else None
    if serie.kind != COUNT:
        fig.add_trace(go.Scatter(
            x=steps, y=[_y(v, serie) for v in frame["valeur"]], mode="lines+markers", name=ENSEMBLE,
            line={"color": PALETTE[7], "width": 3}, marker={"size": 8}, connectgaps=False,
            customdata=[[_hover(ENSEMBLE, p, w, fmt_cell(v, m, serie))]
                        for p, v, m in frame.select("periode", "valeur", "masque").iter_rows()],
            hovertemplate="%{customdata[0]}<extra></extra>", legendgroup="ensemble"), row=row, col=col)
        return
    parts = [(c, label) for c, label in serie.parts if c in frame.columns]
    if parts:
        detail_known = ~pl.any_horizontal(pl.col(f"{c}_masque").fill_null(False) if f"{c}_masque" in frame.columns
                                          else pl.lit(False) for c, _ in parts)
        frame = frame.with_columns(detail_known.alias("_detail"))
        for i, (column, label) in enumerate(parts):
            values = [v if known else None for v, known in zip(frame[column], frame["_detail"], strict=True)]
            fig.add_trace(go.Bar(
                x=steps, y=values, name=label, marker_color=PALETTE[i],
                customdata=[[_hover(label, p, w, with_unit(fmt_int(v), serie) if v is not None else EMPTY)]
                            for p, v in zip(steps, values, strict=True)],
                hovertemplate="%{customdata[0]}<extra></extra>"), row=row, col=col)
        only_total = frame.filter(~pl.col("_detail") & ~pl.col("masque"))
        if only_total.height:
            fig.add_trace(go.Bar(
                x=only_total["periode"].to_list(), y=only_total["valeur"].to_list(), marker_color=GREY,
                name="Total (détail masqué)",
                customdata=[[_hover(ENSEMBLE, p, w, with_unit(fmt_int(v), serie) + " (détail masqué)")]
                            for p, v in only_total.select("periode", "valeur").iter_rows()],
                hovertemplate="%{customdata[0]}<extra></extra>"), row=row, col=col)
        fig.update_layout(barmode="stack")
    else:
        fig.add_trace(go.Bar(
            x=steps, y=frame["valeur"].to_list(), name=ENSEMBLE, marker_color=PALETTE[0],
            customdata=[[_hover(ENSEMBLE, p, w, with_unit(fmt_cell(v, m, serie), serie))]
                        for p, v, m in frame.select("periode", "valeur", "masque").iter_rows()],
            hovertemplate="%{customdata[0]}<extra></extra>"), row=row, col=col)
    _masked_marks(fig, frame, w, serie, ENSEMBLE, seuil, row)


def series_figure(data: SeriesData, caption: Caption, colours: dict[str, str] | None = None,
                  seuil: int | None = None) -> go.Figure:
    """The series of the whole scope (bars, or stacked parts) and, below, one line per platform.

    A masked value of a platform is a gap in its line; one of the whole scope a « < 5 » mark with no bar.
    """
    serie, w = data.serie, data.window
    names = sorted(set(data.platforms["territoire"].to_list())) if data.platforms.height else []
    per_platform = len(names) > 1
    colours = colours or platform_colours(names)
    shown = largest_platforms(data.platforms, MAX_PLATFORM_LINES)
    panel = "Par plateforme" if len(shown) == len(names) else \
        f"Les {len(shown)} plateformes les plus actives sur {len(names)} (toutes dans le tableau)"
    if per_platform:
        fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.14, row_heights=[0.42, 0.58],
                            subplot_titles=("Ensemble du périmètre", panel))
        fig.update_annotations(font={"size": 15, "color": "#1b1f24"}, xanchor="left", x=0)
    else:
        fig = go.Figure()
    _ensemble_traces(fig, data, 1 if per_platform else None, seuil)
    if per_platform:
        for name in shown:
            frame = data.platforms.filter(pl.col("territoire") == name)
            fig.add_trace(go.Scatter(
                x=frame["periode"].to_list(), y=[_y(v, serie) for v in frame["valeur"]], mode="lines+markers",
                name=name, connectgaps=False, line={"color": colours.get(name, GREY), "width": 2.5},
                marker={"size": 7, "color": colours.get(name, GREY)},
                customdata=[[_hover(name, p, w, with_unit(fmt_cell(v, m, serie), serie))]
                            for p, v, m in frame.select("periode", "valeur", "masque").iter_rows()],
                hovertemplate="%{customdata[0]}<extra></extra>"), row=2, col=1)
        _yaxis(fig, serie, row=1)
        _yaxis(fig, serie, row=2)
    else:
        _yaxis(fig, serie)
    _finish(fig, caption, height=660 if per_platform else 460)
    if per_platform:  # many names: a legend on the right, clear of the panel titles
        fig.update_layout(legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top",
                                  "tracegroupgap": 4}, margin_t=100)
    _axis(fig, w)
    if per_platform:
        fig.update_xaxes(showticklabels=True, row=1, col=1)
    _highlight(fig, w)
    return fig


def year_over_year_figure(data: SeriesData, caption: Caption, seuil: int | None = None) -> go.Figure:
    """The whole scope month by month against the same months a year before, with the change in the hover."""
    serie, w = data.serie, data.window
    now = data.shown_ensemble.select("periode", "valeur", "masque")
    before = data.before.select("periode", pl.col("valeur").alias("avant"), pl.col("masque").alias("avant_masque"))
    joined = now.join(before, on="periode", how="left").sort("periode")
    name_now, name_before = w.series_names()
    hover = []
    for p, v, m, b, bm in joined.select("periode", "valeur", "masque", "avant", "avant_masque").iter_rows():
        change = None if m or bm else change_text(v, b, serie)
        text = (f"<b>{step_label(p, w.pas, short=False)}</b> : {with_unit(fmt_cell(v, m, serie), serie)}"
                f"<br>{step_label(one_year_earlier(p), w.pas, short=False)} : "
                f"{fmt_cell(b, bool(bm), serie) if b is not None or bm else EMPTY}"
                + (f"<br>Évolution : {change}" if change else ""))
        hover.append([text])
    steps = joined["periode"].to_list()
    if serie.kind == COUNT:
        fig = go.Figure([
            go.Bar(x=steps, y=joined["avant"].to_list(), name=name_before, marker_color=PREVIOUS_COLOUR,
                   customdata=hover, hovertemplate="%{customdata[0]}<extra></extra>"),
            go.Bar(x=steps, y=joined["valeur"].to_list(), name=name_now, marker_color=PALETTE[0],
                   customdata=hover, hovertemplate="%{customdata[0]}<extra></extra>"),
        ])
        fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
        _masked_marks(fig, now, w, serie, name_now, seuil)
    else:
        fig = go.Figure([
            go.Scatter(x=steps, y=[_y(v, serie) for v in joined["avant"]], name=name_before, mode="lines+markers",
                       line={"color": "#7f7f7f", "dash": "dash", "width": 2.5}, connectgaps=False,
                       customdata=hover, hovertemplate="%{customdata[0]}<extra></extra>"),
            go.Scatter(x=steps, y=[_y(v, serie) for v in joined["valeur"]], name=name_now, mode="lines+markers",
                       line={"color": PALETTE[0], "width": 3}, marker={"size": 8}, connectgaps=False,
                       customdata=hover, hovertemplate="%{customdata[0]}<extra></extra>"),
        ])
    _yaxis(fig, serie)
    _finish(fig, caption)
    _axis(fig, w, max_ticks=6)
    return fig


def rolling_figure(data: SeriesData, caption: Caption, seuil: int | None = None) -> go.Figure:
    """The whole scope's values (light bars or points) and their rolling average (a thick line)."""
    serie, w = data.serie, data.window
    frame = data.shown_ensemble
    steps = frame["periode"].to_list()
    values_hover = [[_hover(ENSEMBLE, p, w, with_unit(fmt_cell(v, m, serie), serie))]
                    for p, v, m in frame.select("periode", "valeur", "masque").iter_rows()]
    rolling = data.rolling.sort("periode")
    label = rolling_label(serie, w)
    title = label[:1].upper() + label[1:]
    if serie.kind == COUNT:
        fig = go.Figure([go.Bar(x=steps, y=frame["valeur"].to_list(), name=_step_values_label(w),
                                marker_color=LIGHT_BLUE, opacity=0.6, customdata=values_hover,
                                hovertemplate="%{customdata[0]}<extra></extra>")])
        _masked_marks(fig, frame, w, serie, ENSEMBLE, seuil)
    else:
        fig = go.Figure([go.Scatter(x=steps, y=[_y(v, serie) for v in frame["valeur"]], mode="markers",
                                    name=_step_values_label(w), marker={"color": LIGHT_BLUE, "size": 9},
                                    customdata=values_hover, hovertemplate="%{customdata[0]}<extra></extra>")])
    fig.add_trace(go.Scatter(
        x=rolling["periode"].to_list(), y=[_y(v, serie) for v in rolling["valeur"]], mode="lines+markers",
        name=title, line={"color": PALETTE[0], "width": 3.5}, marker={"size": 6}, connectgaps=False,
        customdata=[[f"<b>{title}</b><br>{step_label(p, w.pas, short=False)} : "
                     + (with_unit(fmt_value(v, serie), serie) if v is not None else "non calculable (effectif masqué)")]
                    for p, v in rolling.select("periode", "valeur").iter_rows()],
        hovertemplate="%{customdata[0]}<extra></extra>"))
    _yaxis(fig, serie)
    _finish(fig, caption)
    _axis(fig, w, max_ticks=6)
    return fig


def _step_values_label(w: Window) -> str:
    return "Valeur du mois" if w.pas == "mois" else "Valeur du trimestre"


def rolling_label(serie: Serie, w: Window) -> str:
    """`moyenne mobile sur 3 mois`, `taux sur 3 mois glissants`, `médiane sur 4 trimestres glissants`."""
    k = w.rolling_steps
    unit = "mois" if w.pas == "mois" else "trimestres"
    if serie.kind == RATE:
        return f"taux sur {k} {unit} glissants"
    if serie.kind == MEDIAN:
        return f"médiane sur {k} {unit} glissants"
    return f"moyenne mobile sur {k} {unit}"


# --- table --------------------------------------------------------------------------------------------

def table_frame(data: SeriesData) -> pl.DataFrame:
    """Values per platform (rows, then « Ensemble ») and per month or quarter (columns), formatted, masked « < 5 »."""
    serie, w = data.serie, data.window
    steps = w.steps
    columns = [step_label(s, w.pas) for s in steps]
    rows = []

    def row(name: str, frame: pl.DataFrame) -> dict:
        cells = {p: fmt_cell(v, m, serie) for p, v, m in frame.select("periode", "valeur", "masque").iter_rows()}
        return {"Plateforme": name, **{c: cells.get(s, EMPTY) for c, s in zip(columns, steps, strict=True)}}

    for name in sorted(set(data.platforms["territoire"].to_list())):
        rows.append(row(name, data.platforms.filter(pl.col("territoire") == name)))
    rows.append(row(ENSEMBLE, data.shown_ensemble))
    return pl.DataFrame(rows, schema={"Plateforme": pl.Utf8, **{c: pl.Utf8 for c in columns}})
