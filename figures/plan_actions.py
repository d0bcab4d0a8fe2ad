"""Plan d'actions: the actions of the strategy by axe and statut, their progress, and the late ones.

Pure builders: the `plan_actions` (axe × statut), `actions_en_retard` and `actions` (the full list) frames in,
key figures, Plotly figures and formatted tables out. Actions are not households: nothing is masked.
A late action has passed its échéance at the date of the view (the period's end) without being réalisée or
abandonnée.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go
import polars as pl

from figures.chart_helpers import HOVER, horizontal_categories, hover, legend_right, wrap
from figures.formats import fmt_date, fmt_int, fmt_pct
from figures.labels import AXES, STATUTS_ACTION, axe_label, label
from figures.overview import COUNT, RATE, KeyFigure
from figures.theme import ALERT, GREY, PALETTE, Caption, apply_theme

SOURCE = "Source : plan d'actions de la stratégie Logement d'abord, Copilote"
# Colour-blind safe (Okabe-Ito): réalisée green, en cours blue, à lancer sky blue, reportée orange, abandonnée grey;
# late actions are hatched in vermillion.
STATUT_COLOURS = {"a_lancer": PALETTE[4], "en_cours": PALETTE[0], "realisee": PALETTE[2], "reportee": PALETTE[1],
                  "abandonnee": GREY}
LATE_COLOUR = ALERT["dépassement"]


def statut_label(value: str) -> str:
    """`a_lancer` → « À lancer »."""
    return label(STATUTS_ACTION, value)


def _statuts(frame: pl.DataFrame) -> list[str]:
    present = set(frame["statut"].to_list()) if not frame.is_empty() else set()
    return [s for s in STATUTS_ACTION if s in present] + sorted(present - set(STATUTS_ACTION))


def _axes(frame: pl.DataFrame) -> list[int]:
    present = set(frame["axe"].to_list()) if not frame.is_empty() else set()
    return sorted(set(AXES) | present)


# --- key figures --------------------------------------------------------------------------------------------

def progress_by_axe(plan: pl.DataFrame) -> pl.DataFrame:
    """Per axe: number of actions, of late ones, and average progress of the actions not abandoned."""
    if plan.is_empty():
        return pl.DataFrame(schema={"axe": pl.Int64, "nb_actions": pl.Int64, "nb_actions_en_retard": pl.Int64,
                                    "nb_actions_suivies": pl.Int64, "taux_avancement_moyen": pl.Float64})
    kept = pl.col("statut") != "abandonnee"
    return plan.group_by("axe").agg(
        pl.col("nb_actions").sum(),
        pl.col("nb_actions_en_retard").sum(),
        pl.col("nb_actions").filter(kept).sum().alias("nb_actions_suivies"),
        ((pl.col("taux_avancement_moyen") * pl.col("nb_actions")).filter(kept).sum()
         / pl.col("nb_actions").filter(kept).sum()).alias("taux_avancement_moyen"),
    ).sort("axe")


def key_figures(plan: pl.DataFrame, fin: date) -> list[KeyFigure]:
    """Actions of the plan, réalisées, en cours, en retard at `fin`, average progress (abandoned ones aside)."""
    total = int(plan["nb_actions"].sum()) if not plan.is_empty() else 0

    def count(statut: str) -> int:
        return int(plan.filter(pl.col("statut") == statut)["nb_actions"].sum()) if total else 0

    late = int(plan["nb_actions_en_retard"].sum()) if total else 0
    done, running = count("realisee"), count("en_cours")
    kept = plan.filter(pl.col("statut") != "abandonnee") if total else plan
    followed = int(kept["nb_actions"].sum()) if total else 0
    progress = ((kept["taux_avancement_moyen"] * kept["nb_actions"]).sum() / followed) if followed else None

    def share(n: int) -> str:
        return f"{fmt_pct(n / total, 0)} des actions" if total else ""

    return [
        KeyFigure("actions", "Actions du plan", COUNT, total, higher_is_better=None,
                  definition="Actions du plan d'actions, tous axes et tous statuts.",
                  detail=f"{fmt_int(len(set(plan['axe'].to_list())) if total else 0)} axes sur 5"),
        KeyFigure("realisees", "Réalisées", COUNT, done, higher_is_better=True,
                  definition="Actions au statut « Réalisée ».", detail=share(done)),
        KeyFigure("en_cours", "En cours", COUNT, running, higher_is_better=None,
                  definition="Actions au statut « En cours ».", detail=share(running)),
        KeyFigure("en_retard", f"En retard au {fmt_date(fin)}", COUNT, late, higher_is_better=False,
                  definition="Échéance passée à la date d'arrêté, action ni réalisée ni abandonnée.",
                  detail=share(late)),
        KeyFigure("avancement", "Avancement moyen", RATE, progress, higher_is_better=True,
                  definition="Moyenne de l'avancement des actions (en %), actions abandonnées exclues.",
                  detail=f"sur {fmt_int(followed)} actions suivies"),
    ]


# --- charts -------------------------------------------------------------------------------------------------

def actions_by_axe(plan: pl.DataFrame, period: str) -> go.Figure:
    """Horizontal stacked bars: actions per axe by statut; the late part of a statut is drawn apart, hatched in
    vermillion, so that late actions stand out without losing their statut."""
    axes = _axes(plan)
    labels = [wrap(axe_label(a), 34) for a in axes]
    fig = go.Figure()
    late_legend = True
    for statut in _statuts(plan):
        rows = {r["axe"]: r for r in plan.filter(pl.col("statut") == statut).iter_rows(named=True)}
        name = statut_label(statut)
        on_time = [(rows[a]["nb_actions"] - rows[a]["nb_actions_en_retard"]) if a in rows else 0 for a in axes]
        late = [rows[a]["nb_actions_en_retard"] if a in rows else 0 for a in axes]
        fig.add_bar(
            y=labels, x=[v or None for v in on_time], orientation="h", name=name,
            marker_color=STATUT_COLOURS.get(statut, GREY), legendgroup=statut,
            text=[fmt_int(v) if v else "" for v in on_time], textposition="inside", insidetextanchor="middle",
            customdata=hover([f"Axe {a} — {name.lower()} : {fmt_int(v)} action{'s' if v > 1 else ''}"
                              + (" dans les délais" if lt else "")
                              for a, v, lt in zip(axes, on_time, late, strict=True)]),
            hovertemplate=HOVER,
        )
        if any(late):
            fig.add_bar(
                y=labels, x=[v or None for v in late], orientation="h", name="En retard (échéance dépassée)",
                legendgroup="retard", showlegend=late_legend, legendrank=2000,
                marker={"color": STATUT_COLOURS.get(statut, GREY),
                        "pattern": {"shape": "/", "fgcolor": LATE_COLOUR, "bgcolor": STATUT_COLOURS.get(statut, GREY),
                                    "size": 8, "solidity": 0.5},
                        "line": {"color": LATE_COLOUR, "width": 2}},
                text=[fmt_int(v) if v else "" for v in late], textposition="inside", insidetextanchor="middle",
                customdata=hover([f"Axe {a} — {name.lower()}, en retard : {fmt_int(v)} action{'s' if v > 1 else ''}"
                                  for a, v in zip(axes, late, strict=True)]),
                hovertemplate=HOVER,
            )
            late_legend = False
    fig.update_layout(barmode="stack", bargap=0.35, uniformtext={"minsize": 12, "mode": "hide"})
    horizontal_categories(fig)
    largest = plan.group_by("axe").agg(pl.col("nb_actions").sum())["nb_actions"].max() if not plan.is_empty() else 0
    if (largest or 0) <= 10:
        fig.update_xaxes(dtick=1)
    fig = apply_theme(fig, Caption("Actions du plan par axe et par statut", period, SOURCE,
                                   "Hachuré : actions en retard (échéance dépassée, ni réalisées ni abandonnées)."),
                      height=460)
    return legend_right(fig)


def progress_bars(plan: pl.DataFrame, period: str) -> go.Figure:
    """Horizontal bars 0-100 %: average progress of each axe's actions (abandoned ones aside)."""
    data = progress_by_axe(plan)
    by_axe = {r["axe"]: r for r in data.iter_rows(named=True)}
    axes = _axes(plan)
    labels = [wrap(axe_label(a), 34) for a in axes]
    values = [by_axe[a]["taux_avancement_moyen"] if a in by_axe else None for a in axes]
    texts = [fmt_pct(v, 0) if v is not None else "aucune action" for v in values]
    fig = go.Figure(go.Bar(
        y=labels, x=values, orientation="h", marker_color=PALETTE[2], showlegend=False,
        text=[t if v is not None else "" for t, v in zip(texts, values, strict=True)], textposition="outside",
        cliponaxis=False,
        customdata=hover([f"Axe {a} : avancement moyen {t}" + (
            f" ({fmt_int(by_axe[a]['nb_actions_suivies'])} actions suivies)" if a in by_axe else "")
            for a, t in zip(axes, texts, strict=True)]),
        hovertemplate=HOVER,
    ))
    missing = [(lab, t) for lab, t, v in zip(labels, texts, values, strict=True) if v is None]
    if missing:
        fig.add_scatter(y=[m[0] for m in missing], x=[0] * len(missing), mode="text", text=[m[1] for m in missing],
                        textposition="middle right", textfont={"color": "#5f6368", "size": 14}, showlegend=False,
                        hoverinfo="skip")
    horizontal_categories(fig)
    ticks = [i / 5 for i in range(6)]
    fig.update_xaxes(range=[0, 1.12], tickvals=ticks, ticktext=[fmt_pct(t, 0) for t in ticks])
    return apply_theme(fig, Caption("Avancement moyen des actions par axe", period, SOURCE,
                                    "Actions abandonnées exclues."), height=460, legend=False)


# --- tables -------------------------------------------------------------------------------------------------

LATE_COLUMNS = ("Action", "Axe", "Intitulé", "Pilote", "Statut", "Échéance", "Jours de retard")
LIST_COLUMNS = ("Action", "Axe", "Intitulé", "Pilote", "Statut", "Avancement", "Échéance", "Retard")


def _natural(id_action: str) -> tuple:
    """`1.10` after `1.2`."""
    return tuple(int(p) if p.isdigit() else p for p in str(id_action).replace("-", ".").split("."))


def late_table(late: pl.DataFrame) -> pl.DataFrame:
    """The late actions, the latest first: id, axe, intitulé, pilote, statut, échéance, days late."""
    rows = sorted(late.iter_rows(named=True), key=lambda r: (-r["nb_jours_retard"], _natural(r["id_action"])))
    return pl.DataFrame(
        [[r["id_action"], axe_label(r["axe"], short=True), r["intitule"], r["pilote"] or "—", statut_label(r["statut"]),
          fmt_date(r["date_echeance"]), fmt_int(r["nb_jours_retard"])] for r in rows],
        schema=list(LATE_COLUMNS), orient="row")


def filter_actions(actions: pl.DataFrame, axes: Sequence[int | str] = (), statuts: Sequence[str] = (),
                   late_only: bool = False) -> pl.DataFrame:
    """The actions of the chosen axes and statuts (nothing chosen: all), optionally only the late ones."""
    if axes:
        actions = actions.filter(pl.col("axe").is_in([int(a) for a in axes]))
    if statuts:
        actions = actions.filter(pl.col("statut").is_in(list(statuts)))
    if late_only:
        actions = actions.filter(pl.col("est_en_retard"))
    return actions


def actions_table(actions: pl.DataFrame) -> pl.DataFrame:
    """Every action, by axe and number: statut, progress, échéance and delay (`275 jours`) if late."""
    rows = sorted(actions.iter_rows(named=True), key=lambda r: (r["axe"], _natural(r["id_action"])))
    return pl.DataFrame(
        [[r["id_action"], axe_label(r["axe"], short=True), r["intitule"], r["pilote"] or "—", statut_label(r["statut"]),
          fmt_pct(r["taux_avancement"], 0), fmt_date(r["date_echeance"]),
          f"{fmt_int(r['nb_jours_retard'])} jours" if r["est_en_retard"] else "—"] for r in rows],
        schema=list(LIST_COLUMNS), orient="row")
