"""Parcours: the path from referral to housing — funnel, exits by motif, delays, reviews, profile of the people
referred.

Frames arrive masked (`queries.display` through `data_access.indicator`); `fetch`-based helpers gather them like
`figures.overview`, the builders turn them into Plotly figures and formatted tables. A masked count is never drawn
as a bar with a value: the bar is left out and « < 5 » is written in its place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import plotly.graph_objects as go
import polars as pl

from figures import labels
from figures.chart_helpers import most_active
from figures.formats import EMPTY, NBSP, fmt_days, fmt_decimal, fmt_int, fmt_masked, fmt_pct
from figures.scope import Scope
from figures.theme import PALETTE, Caption, apply_theme

Fetch = Callable[..., pl.DataFrame]

POSITIVE = "#009E73"  # Okabe-Ito bluish green: the positive exits
OTHER = "#8a99ab"  # neutral slate for the other motifs
BAR = PALETTE[0]
ENSEMBLE = "Ensemble"
PAD = "\u2002"  # an en space between a category label and its bar

FUNNEL_SHORT_NOTE = "indicateurs de la période, pas une cohorte suivie"
FUNNEL_NOTE = ("Indicateurs de la période, pas une cohorte suivie : chaque étape compte les événements datés dans la "
               "période (les ménages maintenus à 12 mois sont entrés dans leur logement un an plus tôt).")


def _masked_text(seuil: int | None = None) -> str:
    from queries.confidentiality import masked_label

    return masked_label(seuil)


def value_of(frame: pl.DataFrame, column: str) -> tuple[float | None, bool]:
    """The value of the first row of a masked frame, and whether it is masked."""
    if frame.is_empty() or column not in frame.columns:
        return None, False
    row = frame.row(0, named=True)
    return row[column], bool(row.get(f"{column}_masque") or False)



def fmt_months(value: float | None) -> str:
    """A number of days in months: `6,2 mois`."""
    if value is None:
        return EMPTY
    return f"{fmt_decimal(value / 30.4375, 1)}{NBSP}mois"


def _hovertemplate() -> str:
    return "%{customdata[0]}<extra></extra>"


# --- funnel -------------------------------------------------------------------------------------------

# (indicator, column, label)
FUNNEL = (
    ("saisines", "nb_saisines", "Saisines reçues"),
    ("taux_acceptation", "nb_acceptees", "Saisines acceptées"),
    ("accompagnements_debutes", "nb_accompagnements_debutes", "Accompagnements débutés"),
    ("entrees_logement", "nb_entrees", "Entrées dans un logement"),
    ("maintien_12m", "nb_maintenus_12m", "Maintenus dans le logement à 12 mois"),
)


@dataclass(frozen=True)
class Stage:
    """One stage of the funnel: its value (None when masked) and its share of the first stage."""

    label: str
    value: float | None
    masked: bool
    share: float | None = None  # of the first stage

    def value_text(self, seuil: int | None = None) -> str:
        return fmt_masked(self.value, self.masked, seuil=seuil)

    def share_text(self) -> str:
        return fmt_pct(self.share, 0) if self.share is not None else EMPTY


def stages(values: list[tuple[str, float | None, bool]]) -> list[Stage]:
    """The stages with their share of the first one (none when either is masked, or the first is 0)."""
    first_value, first_masked = (values[0][1], values[0][2]) if values else (None, True)
    out = []
    for label, value, masked in values:
        share = None
        if not masked and not first_masked and value is not None and first_value:
            share = value / first_value
        out.append(Stage(label, value, masked, share))
    return out


def funnel_stages(fetch: Fetch, scope: Scope, maille: str = "ensemble") -> dict[str, list[Stage]]:
    """The funnel of the scope (`maille="ensemble"`), or of each platform (`"plateforme"`), by territory."""
    frames = [(label, column, fetch(name, **scope.params(maille=maille, pas="periode")))
              for name, column, label in FUNNEL]
    # One lookup per stage, not a filter per territory: a national découpage has a thousand platforms.
    by_stage = []
    for label, column, frame in frames:
        flag = f"{column}_masque"
        lookup = {}
        if "territoire" in frame.columns:
            masks = frame[flag].to_list() if flag in frame.columns else [False] * frame.height
            for territory, value, masked in zip(frame["territoire"].to_list(), frame[column].to_list(), masks,
                                                strict=True):
                lookup.setdefault(territory, (value, bool(masked)))
        by_stage.append((label, lookup))
    territories = sorted({t for _, lookup in by_stage for t in lookup})
    return {territory: stages([(label, *lookup.get(territory, (None, False))) for label, lookup in by_stage])
            for territory in territories}


def funnel_figure(funnel: list[Stage], caption: Caption, seuil: int | None = None) -> go.Figure:
    """Horizontal bars from the referrals down to the households still housed after 12 months, each labelled with
    its value and its share of the referrals; a masked stage has no bar, only « < 5 »."""
    names = [s.label for s in funnel]
    shown = [None if s.masked else s.value for s in funnel]
    texts, hovers = [], []
    for i, s in enumerate(funnel):
        value = s.value_text(seuil)
        share = "" if i == 0 or s.share is None else f" — {fmt_pct(s.share, 0)} des saisines"
        texts.append("" if s.masked else f"{value}{share}")
        hovers.append([f"<b>{s.label}</b><br>{value}" + (f"<br>{fmt_pct(s.share, 1)} des saisines reçues"
                                                           if i and s.share is not None else "")])
    colours = [BAR if i < len(funnel) - 1 else POSITIVE for i in range(len(funnel))]
    fig = go.Figure(go.Bar(
        y=names, x=shown, orientation="h", marker_color=colours, text=texts, textposition="outside",
        cliponaxis=False, textfont={"size": 16}, customdata=hovers, hovertemplate=_hovertemplate(),
    ))
    masked = [s for s in funnel if s.masked]
    if masked:
        mark = _masked_text(seuil)
        fig.add_trace(go.Scatter(
            y=[s.label for s in masked], x=[0] * len(masked), mode="text", text=[mark] * len(masked),
            textposition="middle right", textfont={"size": 16, "color": "#5f6368"}, showlegend=False,
            customdata=[[f"<b>{s.label}</b><br>{mark} (secret statistique)"] for s in masked],
            hovertemplate=_hovertemplate()))
    apply_theme(fig, caption, height=440, legend=False)
    top = max([v for v in shown if v is not None] or [1])
    fig.update_yaxes(autorange="reversed", title=None, gridcolor="rgba(0,0,0,0)", ticksuffix=PAD)
    fig.update_xaxes(title=None, range=[0, top * 1.45], showticklabels=False, showgrid=False, zeroline=True)
    fig.update_layout(bargap=0.35)
    return fig


def funnel_table(by_territory: dict[str, list[Stage]], seuil: int | None = None) -> pl.DataFrame:
    """The funnel per platform (rows) and stage (columns), formatted, masked « < 5 »; « Ensemble » last."""
    columns = [label for _, _, label in FUNNEL]
    rows = []
    for territory in sorted(t for t in by_territory if t != "ensemble") + [t for t in by_territory
                                                                             if t == "ensemble"]:
        cells = {s.label: s.value_text(seuil) for s in by_territory[territory]}
        rows.append({"Plateforme": ENSEMBLE if territory == "ensemble" else territory,
                     **{c: cells.get(c, EMPTY) for c in columns}})
    return pl.DataFrame(rows, schema={"Plateforme": pl.Utf8, **{c: pl.Utf8 for c in columns}})


# --- exits --------------------------------------------------------------------------------------------

def exits_frame(sorties: pl.DataFrame) -> pl.DataFrame:
    """Exits of the scope by motif: motif, label, count (null when masked), masked, positive; positive first,
    then by count."""
    if sorties.is_empty():
        return pl.DataFrame(schema={"motif_fin": pl.Utf8, "libelle": pl.Utf8, "nb_sorties": pl.Int64,
                                    "masque": pl.Boolean, "positive": pl.Boolean})
    frame = sorties.select(
        pl.col("motif_fin").fill_null("non renseigné"),
        pl.col("nb_sorties"),
        pl.col("nb_sorties_masque").fill_null(False).alias("masque") if "nb_sorties_masque" in sorties.columns
        else pl.lit(False).alias("masque"),
    ).group_by("motif_fin").agg(pl.col("nb_sorties").sum(), pl.col("masque").any())
    frame = frame.with_columns(
        pl.when(pl.col("masque")).then(None).otherwise(pl.col("nb_sorties")).alias("nb_sorties"),
        pl.col("motif_fin").is_in(list(labels.MOTIFS_FIN_POSITIFS)).alias("positive"),
        pl.col("motif_fin").map_elements(lambda m: labels.label(labels.MOTIFS_FIN, m), return_dtype=pl.Utf8)
        .alias("libelle"),
    )
    return frame.sort(["positive", "nb_sorties", "motif_fin"], descending=[True, True, False], nulls_last=True
                      ).select("motif_fin", "libelle", "nb_sorties", "masque", "positive")


def exits_figure(exits: pl.DataFrame, caption: Caption, seuil: int | None = None) -> go.Figure:
    """Exits by motif as horizontal bars, the positive motifs in green, masked motifs « < 5 » with no bar."""
    fig = go.Figure()
    for positive, name, colour in ((True, "Sortie positive", POSITIVE), (False, "Autre motif de fin", OTHER)):
        part = exits.filter(pl.col("positive") == positive)
        fig.add_trace(go.Bar(
            y=part["libelle"].to_list(), x=part["nb_sorties"].to_list(), orientation="h", name=name,
            marker_color=colour, text=[fmt_masked(v, m, seuil=seuil) if not m else ""
                                       for v, m in part.select("nb_sorties", "masque").iter_rows()],
            textposition="outside", cliponaxis=False,
            customdata=[[f"<b>{lab}</b><br>{fmt_masked(v, m, seuil=seuil)} sorties"]
                        for lab, v, m in part.select("libelle", "nb_sorties", "masque").iter_rows()],
            hovertemplate=_hovertemplate()))
    hidden = exits.filter(pl.col("masque"))
    if hidden.height:
        mark = _masked_text(seuil)
        fig.add_trace(go.Scatter(
            y=hidden["libelle"].to_list(), x=[0] * hidden.height, mode="text", text=[mark] * hidden.height,
            textposition="middle right", textfont={"color": "#5f6368"}, showlegend=False,
            customdata=[[f"<b>{lab}</b><br>{mark} (secret statistique)"] for lab in hidden["libelle"]],
            hovertemplate=_hovertemplate()))
    apply_theme(fig, caption, height=max(360, 120 + 44 * exits.height))
    top = exits["nb_sorties"].max() if exits.height else None
    fig.update_yaxes(categoryorder="array", categoryarray=exits["libelle"].to_list(), autorange="reversed",
                     title=None, ticksuffix=PAD)
    fig.update_xaxes(title="Mesures terminées", range=[0, (top or 1) * 1.18], rangemode="tozero")
    fig.update_layout(barmode="overlay", bargap=0.3)
    return fig


def _reference_line(fig: go.Figure, y: float, name: str) -> None:
    """A dashed horizontal line across the plot, named in the legend (no label over the bars)."""
    fig.add_hline(y=y, line_dash="dash", line_color="#1b1f24", line_width=2)
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=name,
                             line={"color": "#1b1f24", "dash": "dash", "width": 2}))


# --- delays -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Delay:
    """A delay of the path: its median indicator and its distribution by duration class."""

    key: str
    label: str
    median_indicator: str
    median_column: str
    count_column: str
    classes_indicator: str
    classes: tuple[str, ...]
    definition: str


DELAYS: dict[str, Delay] = {d.key: d for d in (
    Delay("decision", "Délai de décision", "delai_decision", "nb_jours_decision_median", "nb_decisions",
          "delai_decision_classes", ("moins de 15 jours", "15 à 30 jours", "1 à 3 mois", "plus de 3 mois"),
          "Jours entre la saisine et la décision, pour les saisines de la période déjà décidées."),
    Delay("acces", "Délai d'accès au logement", "delai_acces", "nb_jours_acces_median", "nb_entrees",
          "delai_acces_classes", ("moins de 3 mois", "3 à 6 mois", "6 à 12 mois", "plus de 12 mois"),
          "Jours entre la première saisine acceptée du ménage et son entrée dans un logement, pour les entrées "
          "de la période."),
)}


def delay_medians_figure(per_platform: pl.DataFrame, overall: pl.DataFrame, delay: Delay, caption: Caption,
                         seuil: int | None = None) -> go.Figure:
    """The median delay per platform (bars) with the median of the whole scope as a dashed reference line."""
    column, count = delay.median_column, delay.count_column
    frame, caption = _most_active(per_platform.sort("territoire"), count, caption, table=None)
    names = frame["territoire"].to_list()
    masked = (frame[f"{column}_masque"].fill_null(False).to_list() if f"{column}_masque" in frame.columns
              else [False] * frame.height)
    values = [None if m else v for v, m in zip(frame[column].to_list(), masked, strict=True)]
    counts = frame[count].to_list() if count in frame.columns else [None] * frame.height
    count_masked = (frame[f"{count}_masque"].fill_null(False).to_list() if f"{count}_masque" in frame.columns
                    else [False] * frame.height)
    hover = [[f"<b>{n}</b><br>Médiane : {fmt_masked(v, m, fmt_days, seuil)}<br>"
              f"sur {fmt_masked(c, cm, seuil=seuil)} {'décisions' if delay.key == 'decision' else 'entrées'}"]
             for n, v, m, c, cm in zip(names, values, masked, counts, count_masked, strict=True)]
    fig = go.Figure(go.Bar(
        x=names, y=values, marker_color=BAR, name="Médiane par plateforme",
        text=[fmt_days(v) if v is not None else "" for v in values], textposition="outside", cliponaxis=False,
        customdata=hover, hovertemplate=_hovertemplate()))
    mark = _masked_text(seuil)
    none = f"aucune {'décision' if delay.key == 'decision' else 'entrée'}"
    marks = [(n, mark if m else none) for n, v, m in zip(names, values, masked, strict=True) if v is None]
    if marks:
        fig.add_trace(go.Scatter(
            x=[n for n, _ in marks], y=[0] * len(marks), mode="text", text=[t for _, t in marks],
            textposition="top center", textfont={"color": "#5f6368", "size": 13}, showlegend=False,
            customdata=[[f"<b>{n}</b><br>" + (f"{t} : effectif trop petit pour une médiane" if t == mark else t)]
                        for n, t in marks],
            hovertemplate=_hovertemplate()))
    reference, reference_masked = value_of(overall, column)
    apply_theme(fig, caption, height=460)
    if reference is not None and not reference_masked:
        _reference_line(fig, reference, f"Médiane de l'ensemble : {fmt_days(reference)}")
    top = max([v for v in values if v is not None] + [reference or 0] + [1])
    fig.update_yaxes(title="Jours (médiane)", range=[0, top * 1.2])
    fig.update_xaxes(title=None)
    return fig


def _most_active(frame: pl.DataFrame, count: str, caption: Caption,
                 table: str | None = "le tableau") -> tuple[pl.DataFrame, Caption]:
    """The rows of the platforms to draw (the most active by the shown `count` when there are many), and the
    caption saying so."""
    if count not in frame.columns:
        return frame, caption
    kept, note = most_active(frame, count, frame["territoire"].to_list(), table=table)
    if not note:
        return frame, caption
    return (frame.filter(pl.col("territoire").is_in(kept)),
            replace(caption, note=f"{caption.note} {note}".strip()))


def delay_classes_frame(classes: pl.DataFrame, delay: Delay) -> pl.DataFrame:
    """The distribution of the scope by duration class, every class present (0 when none), in order."""
    count = delay.count_column
    base = pl.DataFrame({"classe_delai": list(delay.classes), "ordre": list(range(1, len(delay.classes) + 1))})
    if classes.is_empty():
        return base.with_columns(pl.lit(0, dtype=pl.Int64).alias("nombre"), pl.lit(False).alias("masque"),
                                 pl.lit(None, dtype=pl.Float64).alias("part"), pl.lit(False).alias("part_masque"))
    picked = classes.select(
        "classe_delai", pl.col(count).alias("nombre"),
        pl.col(f"{count}_masque").fill_null(False).alias("masque") if f"{count}_masque" in classes.columns
        else pl.lit(False).alias("masque"),
        pl.col("taux_part").alias("part"),
        pl.col("taux_part_masque").fill_null(False).alias("part_masque") if "taux_part_masque" in classes.columns
        else pl.lit(False).alias("part_masque"),
    )
    out = base.join(picked, on="classe_delai", how="left").sort("ordre")
    return out.with_columns(
        pl.when(pl.col("masque").is_null()).then(0).otherwise(pl.col("nombre")).alias("nombre"),
        pl.col("masque").fill_null(False),
        pl.when(pl.col("masque").is_null()).then(0.0).otherwise(pl.col("part")).alias("part"),
        pl.col("part_masque").fill_null(False),
    )


def delay_classes_figure(distribution: pl.DataFrame, delay: Delay, caption: Caption,
                         seuil: int | None = None) -> go.Figure:
    """How many decisions (or entries) fall in each duration class: bars of shares, masked classes « < 5 »."""
    names = [c[:1].upper() + c[1:] for c in distribution["classe_delai"]]
    shares = [None if m else (p * 100 if p is not None else None)
              for p, m in distribution.select("part", "part_masque").iter_rows()]
    noun = "décisions" if delay.key == "decision" else "entrées"
    texts, hover = [], []
    for name, n, m, p, pm in zip(names, *[distribution[c].to_list() for c in ("nombre", "masque", "part",
                                                                               "part_masque")], strict=True):
        texts.append("" if m or pm else f"{fmt_pct(p, 0)} ({fmt_int(n)})")
        hover.append([f"<b>{name}</b><br>{fmt_masked(n, m, seuil=seuil)} {noun}"
                      + ("" if pm or p is None else f"<br>{fmt_pct(p, 1)} des {noun}")])
    ramp = ("#c6dbef", "#6baed6", "#2171b5", "#08306b")
    fig = go.Figure(go.Bar(x=names, y=shares, marker_color=list(ramp[:len(names)]), text=texts,
                           textposition="outside", cliponaxis=False, customdata=hover,
                           hovertemplate=_hovertemplate()))
    hidden = [n for n, m in zip(names, distribution["masque"].to_list(), strict=True) if m]
    if hidden:
        mark = _masked_text(seuil)
        fig.add_trace(go.Scatter(x=hidden, y=[0] * len(hidden), mode="text", text=[mark] * len(hidden),
                                 textposition="top center", textfont={"color": "#5f6368"}, showlegend=False,
                                 customdata=[[f"<b>{n}</b><br>{mark} (secret statistique)"] for n in hidden],
                                 hovertemplate=_hovertemplate()))
    apply_theme(fig, caption, height=440, legend=False)
    fig.update_yaxes(title=f"Part des {noun} (%)", ticksuffix=f"{NBSP}%", rangemode="tozero",
                     range=[0, max([s for s in shares if s is not None] + [10]) * 1.2])
    fig.update_xaxes(title=None)
    return fig


# --- reviews ------------------------------------------------------------------------------------------

def reviews_figure(per_platform: pl.DataFrame, overall: pl.DataFrame, caption: Caption,
                   seuil: int | None = None) -> go.Figure:
    """Share of the reviews due that arrived on time, per platform; masked when the counts are small."""
    frame, caption = _most_active(per_platform.sort("territoire"), "nb_bilans_attendus", caption)
    names = frame["territoire"].to_list()
    rate_masked = frame["taux_bilans_a_jour_masque"].fill_null(False).to_list() \
        if "taux_bilans_a_jour_masque" in frame.columns else [False] * frame.height
    rates = [None if m else r for r, m in zip(frame["taux_bilans_a_jour"].to_list(), rate_masked, strict=True)]
    due = frame["nb_bilans_attendus"].to_list()
    due_masked = frame["nb_bilans_attendus_masque"].fill_null(False).to_list() \
        if "nb_bilans_attendus_masque" in frame.columns else [False] * frame.height
    on_time = frame["nb_bilans_a_jour"].to_list()
    on_time_masked = frame["nb_bilans_a_jour_masque"].fill_null(False).to_list() \
        if "nb_bilans_a_jour_masque" in frame.columns else [False] * frame.height
    hover = []
    for n, r, m, d, dm, o, om in zip(names, rates, rate_masked, due, due_masked, on_time, on_time_masked,
                                     strict=True):
        detail = (f"{fmt_masked(o, om, seuil=seuil)} bilans à jour sur {fmt_masked(d, dm, seuil=seuil)} attendus"
                  if d != 0 or dm else "aucun bilan attendu")
        hover.append([f"<b>{n}</b><br>{fmt_masked(r, m, fmt_pct, seuil)} à jour<br>{detail}"])
    fig = go.Figure(go.Bar(
        x=names, y=[r * 100 if r is not None else None for r in rates], marker_color=BAR, name="Plateforme",
        text=[fmt_pct(r, 0) if r is not None else "" for r in rates], textposition="outside", cliponaxis=False,
        customdata=hover, hovertemplate=_hovertemplate()))
    marks = [(n, _masked_text(seuil) if m else "aucun bilan attendu")
             for n, r, m, d, dm in zip(names, rates, rate_masked, due, due_masked, strict=True)
             if m or (r is None and d == 0 and not dm)]
    if marks:
        fig.add_trace(go.Scatter(x=[n for n, _ in marks], y=[0] * len(marks), mode="text",
                                 text=[t for _, t in marks], textposition="top center",
                                 textfont={"color": "#5f6368", "size": 13}, showlegend=False, hoverinfo="skip"))
    apply_theme(fig, caption, height=460)
    reference, reference_masked = value_of(overall, "taux_bilans_a_jour")
    if reference is not None and not reference_masked:
        _reference_line(fig, reference * 100, f"Ensemble : {fmt_pct(reference, 0)} à temps")
    fig.update_yaxes(title="Bilans reçus à temps (%)", ticksuffix=f"{NBSP}%", range=[0, 115])
    fig.update_xaxes(title=None)
    return fig


OVERDUE_COLUMNS = ("Plateforme", "Mesure", "Type de mesure", "Opérateur", "Échéance", "Date d'échéance",
                   "Jours de retard", "Situation")


def overdue_table(frame: pl.DataFrame) -> pl.DataFrame:
    """The overdue reviews, one row each (pseudonymous measure id, no personal data), typed so that the table
    sorts: dates as dates, days as integers; `Situation`: « Manquant » or « Reçu en retard le 20/04/2025 ».
    Vectorised: a national découpage lists a hundred thousand of them."""
    schema = dict(zip(OVERDUE_COLUMNS, (pl.Utf8, pl.Utf8, pl.Utf8, pl.Utf8, pl.Utf8, pl.Date, pl.Int64, pl.Utf8),
                      strict=True))
    if frame.is_empty():
        return pl.DataFrame(schema=schema)
    mesure = pl.col("mesure") if "mesure" in frame.columns else pl.lit(None, pl.Utf8)
    operateur = pl.col("operateur") if "operateur" in frame.columns else pl.lit(None, pl.Utf8)
    return frame.select(
        pl.col("plateforme").cast(pl.Utf8).alias("Plateforme"),
        pl.col("id_accompagnement").cast(pl.Utf8).alias("Mesure"),
        mesure.replace_strict(labels.MESURES, default=mesure, return_dtype=pl.Utf8).fill_null(EMPTY)
        .alias("Type de mesure"),
        operateur.cast(pl.Utf8).fill_null(EMPTY).alias("Opérateur"),
        pl.col("echeance").cast(pl.Utf8).alias("Échéance"),
        pl.col("date_echeance").cast(pl.Date).alias("Date d'échéance"),
        pl.col("nb_jours_retard").cast(pl.Int64).alias("Jours de retard"),
        pl.when(pl.col("est_manquant")).then(pl.lit("Manquant"))
        .otherwise(pl.lit("Reçu en retard le ") + pl.col("date_bilan").dt.strftime("%d/%m/%Y")).alias("Situation"),
    )


OVERDUE_COUNT_COLUMNS = ("En retard", "Manquants", "Reçus en retard")


def overdue_counts(frame: pl.DataFrame, platforms: list[str]) -> pl.DataFrame:
    """Per platform of the scope: overdue reviews, of which missing and received late; « Ensemble » last."""
    schema = {"Plateforme": pl.Utf8, **{k: pl.Int64 for k in OVERDUE_COUNT_COLUMNS}}
    counts = (frame.group_by("plateforme").agg(pl.len().alias("En retard"),
                                                pl.col("est_manquant").sum().alias("Manquants"))
              if frame.height else pl.DataFrame(schema={"plateforme": pl.Utf8, "En retard": pl.UInt32,
                                                        "Manquants": pl.UInt32}))
    rows = (pl.DataFrame({"Plateforme": sorted(platforms)}, schema={"Plateforme": pl.Utf8})
            .join(counts.rename({"plateforme": "Plateforme"}), on="Plateforme", how="left")
            .with_columns(pl.col("En retard", "Manquants").fill_null(0).cast(pl.Int64))
            .with_columns((pl.col("En retard") - pl.col("Manquants")).alias("Reçus en retard"))
            .select(list(schema)))
    total = rows.select(pl.lit(ENSEMBLE).alias("Plateforme"), *(pl.col(k).sum() for k in OVERDUE_COUNT_COLUMNS))
    return pl.concat([rows, total]).cast(schema)


# --- profile ------------------------------------------------------------------------------------------

def profile_frame(profil: pl.DataFrame, variable: str) -> pl.DataFrame:
    """Shares of the referrals by modality, with French labels, largest first and « non renseigné » last."""
    schema = {"modalite": pl.Utf8, "libelle": pl.Utf8, "nombre": pl.Int64, "masque": pl.Boolean,
              "part": pl.Float64, "part_masque": pl.Boolean}
    if profil.is_empty():
        return pl.DataFrame(schema=schema)
    names = labels.PROFILS.get(variable, {})
    frame = profil.select(
        pl.col("modalite"),
        pl.col("modalite").map_elements(lambda m: labels.label(names, m), return_dtype=pl.Utf8).alias("libelle"),
        pl.col("nb_saisines").alias("nombre"),
        pl.col("nb_saisines_masque").fill_null(False).alias("masque") if "nb_saisines_masque" in profil.columns
        else pl.lit(False).alias("masque"),
        pl.col("taux_part").alias("part"),
        pl.col("taux_part_masque").fill_null(False).alias("part_masque") if "taux_part_masque" in profil.columns
        else pl.lit(False).alias("part_masque"),
    )
    return frame.with_columns((pl.col("modalite") == "non renseigné").alias("_dernier")).sort(
        ["_dernier", "part", "libelle"], descending=[False, True, False], nulls_last=True).drop("_dernier")


def profile_figure(profile: pl.DataFrame, variable: str, caption: Caption, seuil: int | None = None) -> go.Figure:
    """Horizontal bars of the shares of the referrals by modality; masked shares « < 5 » with no bar."""
    names = profile["libelle"].to_list()
    shares = [None if pm or p is None else p * 100 for p, pm in profile.select("part", "part_masque").iter_rows()]
    texts = ["" if pm or p is None else f"{fmt_pct(p, 0)} ({fmt_int(n)})"
             for n, p, pm in profile.select("nombre", "part", "part_masque").iter_rows()]
    hover = [[f"<b>{lab}</b><br>{fmt_masked(n, m, seuil=seuil)} saisines"
              + ("" if pm or p is None else f"<br>{fmt_pct(p, 1)} des saisines")]
             for lab, n, m, p, pm in profile.select("libelle", "nombre", "masque", "part", "part_masque").iter_rows()]
    fig = go.Figure(go.Bar(y=names, x=shares, orientation="h", marker_color=BAR, text=texts, textposition="outside",
                           cliponaxis=False, customdata=hover, hovertemplate=_hovertemplate()))
    hidden = profile.filter(pl.col("part_masque") | pl.col("masque"))
    if hidden.height:
        mark = _masked_text(seuil)
        fig.add_trace(go.Scatter(y=hidden["libelle"].to_list(), x=[0] * hidden.height, mode="text",
                                 text=[mark] * hidden.height, textposition="middle right",
                                 textfont={"color": "#5f6368"}, showlegend=False,
                                 customdata=[[f"<b>{lab}</b><br>{mark} (secret statistique)"]
                                             for lab in hidden["libelle"]],
                                 hovertemplate=_hovertemplate()))
    apply_theme(fig, caption, height=max(340, 130 + 40 * profile.height), legend=False)
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed", title=None, ticksuffix=PAD)
    fig.update_xaxes(title="Part des saisines (%)", ticksuffix=f"{NBSP}%",
                     range=[0, max([s for s in shares if s is not None] + [10]) * 1.25])
    return fig

