"""Partenariat: meetings by type, commissions de fluidité, situations examined, housing capture.

Pure builders: indicator frames as `queries.display` returns them in, key figures, Plotly figures and formatted
tables out. Meetings and captured dwellings are activity counts, not households: they are not masked; a column
that the indicator does mask (a `<column>_masque` flag) is shown as « < 5 » all the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import plotly.graph_objects as go
import polars as pl

from figures.chart_helpers import HOVER, horizontal_categories, hover, legend_right, most_active
from figures.formats import fmt_decimal, fmt_int, fmt_masked, fmt_month
from figures.labels import DISPOSITIFS_CAPTATION, PARCS, TYPES_INSTANCE, label
from figures.overview import COUNT, KeyFigure
from figures.theme import GREY, PALETTE, Caption, apply_theme, french_month_axis

SOURCE = "Source : fichiers de suivi des plateformes (instances, captations), Copilote"
TYPE_COLOURS = {
    "coordination": PALETTE[0], "concertation": PALETTE[4], "commission_fluidite": PALETTE[1],
    "copil": PALETTE[2], "cotech": PALETTE[3], "formation": PALETTE[5],
}
PARC_COLOURS = {"prive": PALETTE[0], "social": PALETTE[2]}

# (id, label, indicator, column, definition)
KEY_SPECS = (
    ("instances", "Réunions et instances", "instances", "nb_instances",
     "Réunions tenues dans la période, tous types : coordination, concertation, commissions de fluidité, COPIL, "
     "COTECH, formations."),
    ("commissions_fluidite", "Commissions de fluidité", "commissions_fluidite", "nb_commissions_fluidite",
     "Participations des plateformes aux commissions de fluidité (hébergement / logement avec les bailleurs)."),
    ("situations_examinees", "Situations examinées", "situations_examinees", "nb_situations_examinees",
     "Situations examinées lors des réunions de la période (une situation vue deux fois compte deux fois)."),
    ("logements_captes", "Logements captés", "logements_captes", "nb_logements_captes",
     "Logements captés dans la période, parc privé et parc social, tous dispositifs."),
)
INDICATORS = tuple(spec[2] for spec in KEY_SPECS)


def total(frame: pl.DataFrame, column: str) -> tuple[float | None, bool]:
    """The sum of a column over the frame, and whether it is masked (any masked cell hides the total)."""
    if frame.is_empty() or column not in frame.columns:
        return 0, False
    flag = f"{column}_masque"
    if flag in frame.columns and frame[flag].any():
        return None, True
    return frame[column].sum(), False


def key_figures(current: Mapping[str, pl.DataFrame], previous: Mapping[str, pl.DataFrame]) -> list[KeyFigure]:
    """The four key figures of the period, each against the previous period.

    `current` and `previous` map each indicator of `INDICATORS` to its frame over the whole scope
    (maille « ensemble », pas « periode »).
    """
    figures = []
    for fid, text, name, column, definition in KEY_SPECS:
        value, masked = total(current[name], column)
        before, before_masked = total(previous[name], column)
        figures.append(KeyFigure(fid, text, COUNT, value, masked, before, before_masked, definition,
                                 higher_is_better=True))
    return figures


def _types(frame: pl.DataFrame) -> list[str]:
    present = set(frame["type_instance"].to_list()) if not frame.is_empty() else set()
    return [t for t in TYPES_INSTANCE if t in present] + sorted(present - set(TYPES_INSTANCE))


def instances_by_platform(frame: pl.DataFrame, platforms: Sequence[str], period: str) -> go.Figure:
    """Stacked bars: meetings per platform, by type (frame: `instances` at maille « plateforme »); the most
    active platforms only when there are many."""
    platforms, note = most_active(frame, "nb_instances", platforms)
    fig = _stacked_by_platform(frame, "type_instance", _types(frame), "nb_instances", platforms,
                               TYPES_INSTANCE, TYPE_COLOURS, "réunion")
    fig = apply_theme(fig, Caption("Réunions et instances par plateforme et par type", period, SOURCE, note),
                      height=max(360, 120 + 44 * len(platforms)))
    return legend_right(fig)


def _stacked_by_platform(frame: pl.DataFrame, column: str, kinds: Sequence[str], value: str,
                         platforms: Sequence[str], labels: dict, colours: dict, unit: str) -> go.Figure:
    """Horizontal bars per platform, one stacked segment per kind of `column`, with French hovers."""
    fig = go.Figure()
    for kind in kinds:
        rows = frame.filter(pl.col(column) == kind).group_by("territoire").agg(pl.col(value).sum())
        counts = dict(zip(rows["territoire"], rows[value], strict=True))
        values = [counts.get(p, 0) for p in platforms]
        name = label(labels, kind)
        fig.add_bar(
            y=list(platforms), x=values, name=name, orientation="h", marker_color=colours.get(kind, GREY),
            customdata=hover([f"{p} — {name} : {fmt_int(v)} {unit}{'s' if v > 1 else ''}"
                              for p, v in zip(platforms, values, strict=True)]),
            hovertemplate=HOVER,
        )
    fig.update_layout(barmode="stack")
    horizontal_categories(fig)
    return fig


def instances_by_month(frame: pl.DataFrame, months: Sequence[date], period: str) -> go.Figure:
    """Stacked bars: meetings per month over the period, by type (frame: `instances`, maille « ensemble »,
    pas « mois »); months without any meeting show an empty bar."""
    fig = go.Figure()
    for kind in _types(frame):
        rows = frame.filter(pl.col("type_instance") == kind)
        counts: dict[date, int] = {}
        for month, value in zip(rows["periode"], rows["nb_instances"], strict=True):
            counts[month] = counts.get(month, 0) + value
        values = [counts.get(m, 0) for m in months]
        name = label(TYPES_INSTANCE, kind)
        fig.add_bar(
            x=list(months), y=values, name=name, marker_color=TYPE_COLOURS.get(kind, GREY),
            customdata=hover([f"{fmt_month(m)} — {name} : {fmt_int(v)} réunion{'s' if v > 1 else ''}"
                               for m, v in zip(months, values, strict=True)]),
            hovertemplate=HOVER,
        )
    fig.update_layout(barmode="stack", bargap=0.25)
    fig.update_yaxes(title="Réunions", rangemode="tozero")
    french_month_axis(fig, months)
    return legend_right(apply_theme(fig, Caption("Réunions tenues chaque mois, par type", period, SOURCE)))


def _dispositif_order(frame: pl.DataFrame) -> list[str]:
    totals = frame.group_by("dispositif").agg(pl.col("nb_logements_captes").sum()).sort(
        ["nb_logements_captes", "dispositif"], descending=[True, False])
    return totals["dispositif"].to_list()


def captations_by_dispositif(frame: pl.DataFrame, period: str) -> go.Figure:
    """Bars: dwellings captured by dispositif, private and social stock side by side (frame:
    `logements_captes` over the whole scope)."""
    order = _dispositif_order(frame)
    labels = [label(DISPOSITIFS_CAPTATION, d) for d in order]
    fig = go.Figure()
    for parc in [p for p in PARCS if p in set(frame["parc"].to_list())]:
        rows = frame.filter(pl.col("parc") == parc).group_by("dispositif").agg(pl.col("nb_logements_captes").sum())
        counts = dict(zip(rows["dispositif"], rows["nb_logements_captes"], strict=True))
        values = [counts.get(d, 0) for d in order]
        name = label(PARCS, parc)
        fig.add_bar(
            y=labels, x=values, name=name, orientation="h", marker_color=PARC_COLOURS.get(parc, GREY),
            text=[fmt_int(v) if v else "" for v in values], textposition="outside", cliponaxis=False,
            customdata=hover([f"{lab} — {name} : {fmt_int(v)} logement{'s' if v > 1 else ''}"
                               for lab, v in zip(labels, values, strict=True)]),
            hovertemplate=HOVER,
        )
    fig.update_layout(barmode="group")
    horizontal_categories(fig, top=max((max(t.x, default=0) for t in fig.data), default=0))
    fig = apply_theme(fig, Caption("Logements captés par dispositif et par parc", period, SOURCE),
                      height=max(380, 140 + 50 * len(order)))
    return legend_right(fig)


def captations_by_platform(frame: pl.DataFrame, platforms: Sequence[str], period: str) -> go.Figure:
    """Stacked bars: dwellings captured per platform, by parc (frame: `logements_captes` at maille
    « plateforme »); the most active platforms only when there are many."""
    parcs = [p for p in PARCS if p in set(frame["parc"].to_list())]
    platforms, note = most_active(frame, "nb_logements_captes", platforms)
    fig = _stacked_by_platform(frame, "parc", parcs, "nb_logements_captes", platforms, PARCS, PARC_COLOURS,
                               "logement")
    fig = apply_theme(fig, Caption("Logements captés par plateforme et par parc", period, SOURCE, note),
                      height=max(380, 140 + 50 * len(platforms)))
    return legend_right(fig)


TABLE_COLUMNS = ("Plateforme", "Réunions", "dont commissions de fluidité", "Participants", "Situations examinées",
                 "Logements captés", "dont parc privé", "dont parc social")


def _by_platform(frame: pl.DataFrame, column: str, where: pl.Expr | None = None) -> dict[str, tuple[int | None, bool]]:
    """Per platform: the sum of a column and whether it is masked."""
    if frame.is_empty():
        return {}
    if where is not None:
        frame = frame.filter(where)
    flag = f"{column}_masque"
    masked = pl.col(flag).any() if flag in frame.columns else pl.lit(False)
    grouped = frame.group_by("territoire").agg(pl.col(column).sum().alias("v"), masked.alias("m"))
    return {r["territoire"]: (None if r["m"] else r["v"], bool(r["m"])) for r in grouped.iter_rows(named=True)}


def platform_table(per_platform: Mapping[str, pl.DataFrame], ensemble: Mapping[str, pl.DataFrame],
                   platforms: Sequence[str]) -> pl.DataFrame:
    """One row per platform and a total row: meetings, commissions, participants, situations, dwellings.

    `per_platform` and `ensemble` map each indicator of `INDICATORS` to its frame at maille « plateforme »
    and « ensemble » (pas « periode »); the total row is read from the latter, so that it matches the key
    figures even where a platform's value is masked. Every value is formatted in French.
    """
    instances, commissions = per_platform["instances"], per_platform["commissions_fluidite"]
    situations, captes = per_platform["situations_examinees"], per_platform["logements_captes"]
    columns = [
        _by_platform(instances, "nb_instances"),
        _by_platform(commissions, "nb_commissions_fluidite"),
        _by_platform(instances, "nb_participants"),
        _by_platform(situations, "nb_situations_examinees"),
        _by_platform(captes, "nb_logements_captes"),
        _by_platform(captes, "nb_logements_captes", pl.col("parc") == "prive"),
        _by_platform(captes, "nb_logements_captes", pl.col("parc") == "social"),
    ]
    rows = []
    for platform in platforms:
        cells = [column.get(platform, (0, False)) for column in columns]
        rows.append([platform, *(fmt_masked(v, m) for v, m in cells)])
    captes_all = ensemble["logements_captes"]
    totals = [
        total(ensemble["instances"], "nb_instances"),
        total(ensemble["commissions_fluidite"], "nb_commissions_fluidite"),
        total(ensemble["instances"], "nb_participants"),
        total(ensemble["situations_examinees"], "nb_situations_examinees"),
        total(captes_all, "nb_logements_captes"),
        total(captes_all.filter(pl.col("parc") == "prive") if not captes_all.is_empty() else captes_all,
              "nb_logements_captes"),
        total(captes_all.filter(pl.col("parc") == "social") if not captes_all.is_empty() else captes_all,
              "nb_logements_captes"),
    ]
    rows.append(["Ensemble", *(fmt_masked(v, m) for v, m in totals)])
    return pl.DataFrame(rows, schema=list(TABLE_COLUMNS), orient="row")


TYPE_COLUMNS = ("Type de réunion", "Réunions", "Participants", "Participants par réunion")


def type_table(instances: pl.DataFrame) -> pl.DataFrame:
    """Meetings by type over the scope: number, participants and average attendance, plus a total row.

    (Situations examined are shown only through their own indicator, which masks small numbers.)
    """
    if instances.is_empty():
        return pl.DataFrame(schema=dict.fromkeys(TYPE_COLUMNS, pl.Utf8))
    grouped = instances.group_by("type_instance").agg(pl.col("nb_instances").sum(), pl.col("nb_participants").sum())
    rows = {r["type_instance"]: r for r in grouped.iter_rows(named=True)}

    def line(name: str, meetings: int, participants: int | None) -> list[str]:
        average = fmt_decimal(participants / meetings) if meetings and participants is not None else "—"
        return [name, fmt_int(meetings), fmt_int(participants), average]

    out = [line(label(TYPES_INSTANCE, kind), rows[kind]["nb_instances"], rows[kind]["nb_participants"])
           for kind in _types(instances)]
    out.append(line("Ensemble", grouped["nb_instances"].sum(), grouped["nb_participants"].sum()))
    return pl.DataFrame(out, schema=list(TYPE_COLUMNS), orient="row")
