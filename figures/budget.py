"""Budget: credits conventionnés, engagés and payés by financeur, action, axe and platform; the burn-up of the
year with its projection to 31 December; the co-financing split; the cost per household; the posts against the
funding caps.

Pure builders: indicator frames as `queries.display` returns them in (budget_consommation, budget_projection,
budget_cumul, cofinancement, cout_par_menage, postes_plafonds), key figures, Plotly figures and formatted tables
out. Amounts are not household counts and are never masked; the cost per household is masked with the number of
households it divides by (`montant_par_menage_masque`), and then shows « masqué ».
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go
import polars as pl

from figures import chart_helpers
from figures.chart_helpers import HOVER, horizontal_categories, hover, legend_right, wrap
from figures.formats import EMPTY, MONTHS_SHORT, fmt_date, fmt_decimal, fmt_eur, fmt_int, fmt_masked, fmt_pct
from figures.labels import FINANCEURS, axe_label, label
from figures.overview import RATE, KeyFigure
from figures.theme import ALERT, GREY, PALETTE, Caption, apply_theme

EUR = "eur"
SOURCE = "Source : conventions de financement et suivi des dépenses, Copilote"
MASKED_COST = "masqué"
FINANCEUR_COLOURS = {
    "DIHAL": PALETTE[0], "FSE+": PALETTE[1], "Departement": PALETTE[2], "Etat": PALETTE[4], "EPCI": PALETTE[3],
    "Segur": PALETTE[5], "autre": GREY,
}
AMOUNTS = (("montant_conventionne", "Conventionné", GREY), ("montant_engage", "Engagé", PALETTE[4]),
           ("montant_paye", "Payé", PALETTE[0]))
VENTILATIONS = {"financeur": "Financeur", "action": "Action", "axe": "Axe", "plateforme": "Plateforme"}
CAP_STATUS_COLOURS = {"dans le plafond": PALETTE[2], "au-delà du plafond": ALERT["dépassement"]}
MONEY_COLUMNS = ("montant_conventionne", "montant_engage", "montant_paye", "montant_verse_recu", "montant_reste",
                 "montant_projete", "montant_engage_cumule", "montant_paye_cumule", "montant_engage_mois",
                 "montant_paye_mois", "montant_cout_postes", "montant_plafond", "montant_ecart", "montant_par_menage")


@dataclass(frozen=True)
class MoneyFigure(KeyFigure):
    """A key figure in euros, compared in % with the previous period. Shown to the euro (`1 075 759 €`): cents
    on a card read at the back of a room are noise; the tables keep them."""

    @property
    def value_text(self) -> str:
        return fmt_masked(self.value, self.masked, fmt_eur)


def fmt_money(amount: float | None) -> str:
    """`45 600 €`, with the cents only when there are some (`30 000,50 €`)."""
    if amount is None:
        return EMPTY
    return fmt_eur(amount, cents=abs(float(amount) - round(float(amount))) >= 0.005)


def as_float(frame: pl.DataFrame) -> pl.DataFrame:
    """Amounts (DuckDB decimals) as floats, for sums and charts."""
    return frame.with_columns(pl.col(c).cast(pl.Float64) for c in MONEY_COLUMNS if c in frame.columns)


def financeur_label(value: str) -> str:
    """`Departement` → « Département »."""
    return label(FINANCEURS, value)


def budget_year_note(fin: date) -> str:
    """What the page says about the year it shows."""
    return (f"Budget de l'année {fin.year} (l'année de la fin de la période), situation au {fmt_date(fin)} : "
            f"conventions de {fin.year}, dépenses engagées et payées jusqu'à cette date.")


# --- key figures --------------------------------------------------------------------------------------------

def _sums(lines: pl.DataFrame) -> dict[str, float | None]:
    if lines.is_empty():
        return {c: None for c in ("montant_conventionne", "montant_engage", "montant_paye", "montant_reste")}
    lines = as_float(lines)
    return {c: lines[c].sum() for c in ("montant_conventionne", "montant_engage", "montant_paye", "montant_reste")}


def ensemble_projection(projection: pl.DataFrame) -> dict | None:
    """The « Ensemble » row of `budget_projection`, amounts as floats."""
    rows = as_float(projection).filter(pl.col("financeur") == "Ensemble") if not projection.is_empty() else projection
    return rows.row(0, named=True) if rows.height else None


def key_figures(lines: pl.DataFrame, projection: pl.DataFrame, previous_lines: pl.DataFrame,
                previous_projection: pl.DataFrame, fin: date) -> list[KeyFigure]:
    """Conventionné, engagé, payé, taux de consommation, reste à consommer and the projection to 31 December, each
    against the previous period (the same indicators at the previous period's end date)."""
    now, before = _sums(lines), _sums(previous_lines)
    proj, proj_before = ensemble_projection(projection), ensemble_projection(previous_projection)
    conv, paid = now["montant_conventionne"], now["montant_paye"]

    def share(value):
        return fmt_pct(value / conv) if value is not None and conv else "—"

    year = fin.year
    figures = [
        MoneyFigure("conventionne", f"Conventionné {year}", EUR, conv, previous=before["montant_conventionne"],
                    definition=f"Montants des conventions de financement de {year} (toutes lignes du périmètre).",
                    higher_is_better=None, detail=f"{fmt_int(lines.height)} lignes de financement"),
        MoneyFigure("engage", "Engagé", EUR, now["montant_engage"], previous=before["montant_engage"],
                    definition=f"Dépenses engagées au {fmt_date(fin)} sur les conventions de {year}.",
                    higher_is_better=None, detail=f"{share(now['montant_engage'])} du conventionné"),
        MoneyFigure("paye", f"Payé au {fmt_date(fin)}", EUR, paid, previous=before["montant_paye"],
                    definition=f"Paiements effectués au {fmt_date(fin)} sur les conventions de {year}.",
                    higher_is_better=None, detail=f"{share(paid)} du conventionné"),
        KeyFigure("taux", "Taux de consommation", RATE, paid / conv if conv and paid is not None else None,
                  previous=(before["montant_paye"] / before["montant_conventionne"]
                            if before["montant_conventionne"] and before["montant_paye"] is not None else None),
                  definition="Payé / conventionné à la date d'arrêté.", higher_is_better=None,
                  detail=f"{fmt_eur(paid)} payés sur {fmt_eur(conv)}"),
        MoneyFigure("reste", "Reste à consommer", EUR, now["montant_reste"], previous=before["montant_reste"],
                    definition="Conventionné moins payé.", higher_is_better=None,
                    detail=f"{share(now['montant_reste'])} du conventionné"),
    ]
    projected = proj and proj.get("montant_projete")
    detail = ""
    if proj and proj.get("taux_consommation_projete") is not None:
        detail = f"{fmt_pct(proj['taux_consommation_projete'])} du conventionné — {proj.get('alerte') or '—'}"
    figures.append(MoneyFigure(
        "projection", "Projection au 31/12", EUR, projected,
        previous=proj_before and proj_before.get("montant_projete"),
        definition=f"Payé au {fmt_date(fin)} prolongé jusqu'au 31 décembre au rythme constaté depuis le 1er janvier.",
        higher_is_better=None, status=None, detail=detail))
    return figures


# --- conventionné / engagé / payé ---------------------------------------------------------------------------

def _category_label(by: str, value) -> str:
    if by == "financeur":
        return financeur_label(value)
    if by == "axe":
        return wrap(axe_label(value), 30)
    return wrap(str(value), 30)


def consumption_by(lines: pl.DataFrame, by: str) -> pl.DataFrame:
    """Conventionné, engagé, payé, reste and rate per financeur, action, axe or platform (largest first)."""
    grouped = as_float(lines).group_by(by).agg(
        pl.col("montant_conventionne").sum(), pl.col("montant_engage").sum(), pl.col("montant_paye").sum(),
        pl.col("montant_reste").sum())
    grouped = grouped.with_columns(
        (pl.col("montant_paye") / pl.when(pl.col("montant_conventionne") != 0).then(pl.col("montant_conventionne")))
        .alias("taux_consommation"))
    order = [by] if by == "axe" else ["montant_conventionne", by]
    return grouped.sort(order, descending=[False] if by == "axe" else [True, False])


def consumption_bars(lines: pl.DataFrame, by: str, period: str) -> go.Figure:
    """Grouped horizontal bars: conventionné / engagé / payé per `by` (financeur, action, axe, plateforme), with
    the consumption rate (payé / conventionné) at the end of the payé bar."""
    data = consumption_by(lines, by)
    note = "Étiquette : taux de consommation (payé / conventionné)."
    if by == "plateforme":
        kept, limited = chart_helpers.most_active(
            data.rename({by: "territoire"}), "montant_conventionne", data[by].to_list(),
            table="le tableau des lignes", ranked="aux montants conventionnés les plus élevés")
        data, note = data.filter(pl.col(by).is_in(kept)), f"{note} {limited}".strip()
    categories = [_category_label(by, v) for v in data[by]]
    names = [financeur_label(v) if by == "financeur" else (axe_label(v) if by == "axe" else str(v)) for v in data[by]]
    fig = go.Figure()
    for column, name, colour in AMOUNTS:
        values = data[column].to_list()
        text = None
        if column == "montant_paye":
            text = [fmt_pct(r) for r in data["taux_consommation"]]
        fig.add_bar(
            y=categories, x=values, name=name, orientation="h", marker_color=colour, text=text,
            textposition="outside", cliponaxis=False,
            customdata=hover([f"{n} — {name.lower()} : {fmt_money(v)}" for n, v in zip(names, values, strict=True)]),
            hovertemplate=HOVER,
        )
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    top = max([*data["montant_conventionne"].to_list(), *data["montant_paye"].to_list(), 0])
    horizontal_categories(fig, top=top)
    fig.update_xaxes(ticksuffix="\u00a0€", tickformat=",.0f")
    title = f"Crédits conventionnés, engagés et payés par {VENTILATIONS[by].lower()}"
    fig = apply_theme(fig, Caption(title, period, SOURCE, note), height=max(400, 150 + 78 * len(categories)))
    return legend_right(fig)


def reste_bars(lines: pl.DataFrame, period: str) -> go.Figure:
    """Horizontal bars: what remains to be paid per financeur (conventionné − payé); a negative rest (more paid than
    conventionné) is drawn in the alert colour."""
    data = consumption_by(lines, "financeur")
    names = [financeur_label(v) for v in data["financeur"]]
    values = data["montant_reste"].to_list()
    colours = [ALERT["dépassement"] if v < 0 else PALETTE[0] for v in values]
    texts = [fmt_money(v) if v >= 0 else f"dépassement de {fmt_money(-v)}" for v in values]
    fig = go.Figure(go.Bar(
        y=names, x=values, orientation="h", marker_color=colours,
        text=[t if v >= 0 else "" for t, v in zip(texts, values, strict=True)], textposition="outside",
        cliponaxis=False, showlegend=False,
        customdata=hover([f"{n} — reste à consommer : {t}" for n, t in zip(names, texts, strict=True)]),
        hovertemplate=HOVER,
    ))
    over = [(n, t) for n, t, v in zip(names, texts, values, strict=True) if v < 0]
    if over:  # written from zero to the right, where it runs into nothing
        fig.add_scatter(y=[n for n, _ in over], x=[0] * len(over), mode="text", text=[t for _, t in over],
                        textposition="middle right", textfont={"color": ALERT["dépassement"], "size": 14},
                        showlegend=False, hoverinfo="skip")
    horizontal_categories(fig, top=max([*values, 0]))
    low = min([*values, 0])
    if low < 0:
        high = max([*values, 0])
        fig.update_xaxes(range=[low * 1.2, max(high * 1.25, -low * 3)])
    fig.update_xaxes(ticksuffix="\u00a0€", tickformat=",.0f")
    return apply_theme(fig, Caption("Reste à consommer par financeur", period, SOURCE),
                       height=max(320, 150 + 50 * len(names)), legend=False)


# --- burn-up ------------------------------------------------------------------------------------------------

def burnup_options(cumul: pl.DataFrame) -> list[str]:
    """« Ensemble » first, then the financeurs present in the year."""
    present = cumul["financeur"].unique(maintain_order=True).to_list() if not cumul.is_empty() else []
    return (["Ensemble"] if "Ensemble" in present else []) + [f for f in present if f != "Ensemble"]


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def burn_up(cumul: pl.DataFrame, financeur: str, projection: pl.DataFrame, fin: date, period: str,
            seuil_bas: float = 90, seuil_haut: float = 100) -> go.Figure:
    """Cumulative payments (and engagements) of the year month by month against the conventionné, the band of
    a conforming consumption (seuil_bas to seuil_haut % of it) and the straight-line projection to 31 December."""
    rows = as_float(cumul).filter(pl.col("financeur") == financeur).sort("mois")
    year = fin.year
    start, end = date(year, 1, 1), date(year, 12, 31)
    conv = rows["montant_conventionne"][0] if rows.height else 0.0
    proj_rows = as_float(projection).filter(pl.col("financeur") == financeur) if not projection.is_empty() \
        else projection
    proj = proj_rows.row(0, named=True) if proj_rows.height else {}
    who = financeur_label(financeur)
    fig = go.Figure()
    low, high = conv * seuil_bas / 100, conv * seuil_haut / 100
    band = f"Zone conforme au 31/12 ({fmt_int(seuil_bas)} à {fmt_pct(seuil_haut / 100, 0)})"
    fig.add_scatter(
        x=[start, end, end, start, start], y=[low, low, high, high, low], fill="toself", mode="lines",
        fillcolor=_rgba(ALERT["conforme"], 0.14), line={"width": 0}, name=band, hoverinfo="skip",
    )
    fig.add_scatter(
        x=[start, end], y=[conv, conv], mode="lines", line={"color": "#4a4f55", "width": 2},
        name="Conventionné",
        customdata=hover([f"Conventionné {year} : {fmt_money(conv)}"] * 2), hovertemplate=HOVER,
    )
    fig.add_scatter(
        x=[start, end], y=[low, low], mode="lines", line={"color": ALERT["sous-consommation"], "width": 1.5,
                                                          "dash": "dot"},
        name=f"Seuil de sous-consommation ({fmt_pct(seuil_bas / 100, 0)})",
        customdata=hover([f"{fmt_int(seuil_bas)} % du conventionné : {fmt_money(low)}"] * 2), hovertemplate=HOVER,
    )
    dates = [start, *rows["date_arrete"].to_list()]
    for column, name, colour, width, dash in (
        ("montant_engage_cumule", "Engagé cumulé", PALETTE[4], 2, "dash"),
        ("montant_paye_cumule", "Payé cumulé", PALETTE[0], 4, "solid"),
    ):
        values = [0.0, *rows[column].to_list()]
        texts = [f"{name} au {fmt_date(d)} : {fmt_money(v)} ({fmt_pct(v / conv) if conv else '—'})"
                 for d, v in zip(dates, values, strict=True)]
        fig.add_scatter(x=dates, y=values, mode="lines+markers", name=name,
                        line={"color": colour, "width": width, "dash": dash}, marker={"size": 7 if width > 2 else 5},
                        customdata=hover(texts), hovertemplate=HOVER)
    projected = proj.get("montant_projete")
    if projected is not None and rows.height:
        paid = rows["montant_paye_cumule"][-1]
        alerte = proj.get("alerte") or "conforme"
        colour = ALERT.get(alerte, GREY)
        rate = proj.get("taux_consommation_projete")
        text = f"Projection au 31/12 : {fmt_money(projected)} ({fmt_pct(rate)}) — {alerte}"
        fig.add_scatter(
            x=[fin, end], y=[paid, projected], mode="lines+markers", name="Projection au 31/12",
            line={"color": colour, "width": 3, "dash": "dash"}, marker={"size": [0, 12], "color": colour},
            customdata=hover([f"Payé au {fmt_date(fin)} : {fmt_money(paid)}", text]), hovertemplate=HOVER,
        )
        fig.add_annotation(x=end, y=projected, text=f"{fmt_money(projected)}<br>{fmt_pct(rate)} — {alerte}",
                           showarrow=False, xanchor="right", yanchor="bottom", yshift=10,
                           font={"size": 14, "color": colour}, bgcolor="rgba(255,255,255,0.8)")
    months = [date(year, m, 1) for m in range(1, 13)]
    fig.update_xaxes(range=[start, end], title=None, tickmode="array", tickvals=months,
                     ticktext=list(MONTHS_SHORT), tickangle=0)
    top = max([conv, high, projected or 0, *(rows["montant_engage_cumule"].to_list() if rows.height else [])])
    fig.update_yaxes(title=None, ticksuffix="\u00a0€", tickformat=",.0f", range=[0, top * 1.12 or 1])
    title = f"Consommation des crédits {year} — {who} : payé cumulé et projection au 31 décembre"
    note = "Projection : payé prolongé jusqu'au 31/12 au rythme constaté depuis le 1er janvier."
    fig = apply_theme(fig, Caption(title, period, SOURCE, note), height=500)
    return legend_right(fig)


def projection_table(projection: pl.DataFrame) -> pl.DataFrame:
    """Per financeur and overall: conventionné, payé, rate, projection to 31/12, projected rate and alert."""
    rows = []
    for r in as_float(projection).iter_rows(named=True):
        rows.append([financeur_label(r["financeur"]), fmt_money(r["montant_conventionne"]),
                     fmt_money(r["montant_paye"]), fmt_pct(r["taux_consommation"]), fmt_money(r["montant_projete"]),
                     fmt_pct(r["taux_consommation_projete"]), r["alerte"] or "—"])
    return pl.DataFrame(rows, schema=["Financeur", "Conventionné", "Payé", "Taux de consommation",
                                      "Projection au 31/12", "Taux projeté", "Alerte"], orient="row")


# --- co-financing -------------------------------------------------------------------------------------------

def cofinancing(cofin: pl.DataFrame, period: str) -> go.Figure:
    """100 % stacked bars per action: each financeur's actual share of the conventionné, and below it the expected
    shares of the conventions (drawn only for actions whose lines give an expected rate)."""
    data = as_float(cofin)
    totals = data.group_by("action").agg(pl.col("montant_conventionne").sum()).sort(
        ["montant_conventionne", "action"], descending=[True, False])
    actions = totals["action"].to_list()
    with_expected = set(data.filter(pl.col("taux_attendu").is_not_null())["action"].to_list())
    level1, level2, keys = [], [], []
    for action in actions:
        level1.append(wrap(action, 26))
        level2.append("Réel")
        keys.append((action, "reel"))
        if action in with_expected:
            level1.append(wrap(action, 26))
            level2.append("Attendu")
            keys.append((action, "attendu"))
    financeurs = [f for f in FINANCEUR_COLOURS if f in set(data["financeur"].to_list())]
    financeurs += sorted(set(data["financeur"].to_list()) - set(financeurs))
    fig = go.Figure()
    remainder = {key: 1.0 for key in keys if key[1] == "attendu"}
    for financeur in financeurs:
        rows = {r["action"]: r for r in data.filter(pl.col("financeur") == financeur).iter_rows(named=True)}
        values, texts = [], []
        for action, kind in keys:
            row = rows.get(action)
            value = None
            if row is not None:
                value = row["taux_part_reelle"] if kind == "reel" else row["taux_attendu"]
            if kind == "attendu" and value is not None:
                remainder[(action, kind)] -= value
            values.append(value)
            what = "part réelle" if kind == "reel" else "part attendue (convention)"
            amount = f", {fmt_money(row['montant_conventionne'])}" if row is not None and kind == "reel" else ""
            texts.append(f"{action} — {financeur_label(financeur)}, {what} : {fmt_pct(value)}{amount}"
                         if value is not None else "")
        fig.add_bar(
            y=[level1, level2], x=values, orientation="h", name=financeur_label(financeur),
            marker_color=FINANCEUR_COLOURS.get(financeur, GREY),
            text=[fmt_pct(v, 0) if v is not None and v >= 0.07 else "" for v in values], textposition="inside",
            insidetextanchor="middle", customdata=hover(texts), hovertemplate=HOVER,
        )
    gaps = [max(remainder.get(key, 0.0), 0.0) if key[1] == "attendu" else None for key in keys]
    if any(g and g > 0.005 for g in gaps):
        fig.add_bar(
            y=[level1, level2], x=[g if g and g > 0.005 else None for g in gaps], orientation="h",
            name="Taux attendu non renseigné", marker={"color": "#ffffff", "line": {"color": GREY, "width": 1},
                                                       "pattern": {"shape": "/", "fgcolor": GREY}},
            customdata=hover([f"{a} — part sans taux attendu : {fmt_pct(g)}" if g else "" for (a, _), g in
                              zip(keys, gaps, strict=True)]), hovertemplate=HOVER,
        )
    fig.update_layout(barmode="stack", bargap=0.3)
    fig.update_yaxes(autorange="reversed", title=None)
    ticks = [i / 5 for i in range(6)]
    fig.update_xaxes(range=[0, 1], tickvals=ticks, ticktext=[fmt_pct(t, 0) for t in ticks], title=None)
    fig = apply_theme(fig, Caption("Cofinancement par action : part réelle de chaque financeur et part attendue",
                                   period, SOURCE, "Attendu : taux de cofinancement des conventions."),
                      height=max(380, 150 + 46 * len(keys)))
    fig.update_layout(uniformtext={"minsize": 12, "mode": "hide"})
    return legend_right(fig)


# --- cost per household -------------------------------------------------------------------------------------

def _cost_text(row: Mapping) -> str:
    if row.get("montant_par_menage_masque"):
        return MASKED_COST
    if row.get("montant_par_menage") is None:
        return "aucun ménage"
    return fmt_eur(row["montant_par_menage"])


def cost_per_household(frame: pl.DataFrame, period: str, seuil_label: str = "< 5") -> go.Figure:
    """Horizontal bars: amount paid in the period per household supported, per platform, with the overall value as
    a reference line. A masked cost (too few households) is not drawn: « masqué » is written instead."""
    data = as_float(frame)
    platforms = data.filter(pl.col("territoire") != "ensemble")
    overall = data.filter(pl.col("territoire") == "ensemble")
    kept, limited = chart_helpers.most_active(platforms, "montant_paye", platforms["territoire"].to_list())
    platforms = platforms.filter(pl.col("territoire").is_in(kept))
    names = platforms["territoire"].to_list()
    rows = list(platforms.iter_rows(named=True))
    values = [None if r.get("montant_par_menage_masque") else r["montant_par_menage"] for r in rows]
    texts = [_cost_text(r) for r in rows]
    fig = go.Figure(go.Bar(
        y=names, x=values, orientation="h", marker_color=PALETTE[0], name="Coût par ménage",
        text=[t if v is not None else "" for t, v in zip(texts, values, strict=True)], textposition="outside",
        cliponaxis=False, showlegend=False,
        customdata=hover([f"{n} : {t} par ménage accompagné" if v is not None else f"{n} : {t}"
                          for n, t, v in zip(names, texts, values, strict=True)]),
        hovertemplate=HOVER,
    ))
    hidden = [(n, t) for n, t, v in zip(names, texts, values, strict=True) if v is None]
    if hidden:
        note = {MASKED_COST: f"masqué (moins de {seuil_label.removeprefix('< ')} ménages)"}
        fig.add_scatter(y=[n for n, _ in hidden], x=[0] * len(hidden), mode="text", showlegend=False,
                        text=[note.get(t, t) for _, t in hidden], textposition="middle right",
                        textfont={"color": "#5f6368", "size": 14}, hoverinfo="skip")
    top = max([v for v in values if v is not None] + [0])
    if overall.height:
        row = overall.row(0, named=True)
        if not row.get("montant_par_menage_masque") and row.get("montant_par_menage") is not None:
            value = row["montant_par_menage"]
            top = max(top, value)
            fig.add_vline(x=value, line={"color": "#4a4f55", "dash": "dash", "width": 2})
            fig.add_annotation(x=value, y=1, yref="paper", yanchor="bottom", text=f"Ensemble : {fmt_eur(value)}",
                               showarrow=False, font={"size": 14, "color": "#4a4f55"}, xanchor="left", xshift=4)
    horizontal_categories(fig, top=top)
    fig.update_xaxes(ticksuffix="\u00a0€", tickformat=",.0f")
    return apply_theme(fig, Caption("Coût par ménage accompagné, par plateforme", period, SOURCE,
                                    f"Paiements de la période / ménages accompagnés (file active). {limited}".strip()),
                       height=max(340, 150 + 50 * len(names)), legend=False)


def cost_table(frame: pl.DataFrame, public_label: str | None = None) -> pl.DataFrame:
    """Per platform and overall: paid, households supported (and of the chosen public), cost per household."""
    columns = ["Territoire", "Payé dans la période", "Ménages accompagnés"]
    if public_label:
        columns.append(f"dont {public_label.lower()}")
    columns.append("Coût par ménage")
    rows = []
    for r in as_float(frame).iter_rows(named=True):
        name = "Ensemble" if r["territoire"] == "ensemble" else r["territoire"]
        everyone = r.get("nb_menages_tous_publics", r.get("nb_menages_accompagnes"))
        everyone_masked = r.get("nb_menages_tous_publics_masque", r.get("nb_menages_accompagnes_masque", False))
        row = [name, fmt_money(r["montant_paye"]), fmt_masked(everyone, bool(everyone_masked))]
        if public_label:
            row.append(fmt_masked(r["nb_menages_accompagnes"], bool(r.get("nb_menages_accompagnes_masque"))))
        row.append(_cost_text(r))
        rows.append(row)
    return pl.DataFrame(rows, schema=columns, orient="row")


# --- posts against the caps ---------------------------------------------------------------------------------

def caps(postes: pl.DataFrame, period: str, taux_departement: float = 40, plafond_departement_etp: float = 22_800,
         montant_segur_etp: float = 5_270) -> go.Figure:
    """Bars: conventionné by the Département and the Ségur for the coordinator posts, each with its cap (marker)
    and its status (« dans le plafond » / « au-delà du plafond »)."""
    data = as_float(postes)
    rows = list(data.iter_rows(named=True))
    names = [financeur_label(r["financeur"]) for r in rows]
    values = [r["montant_conventionne"] for r in rows]
    status = [r["statut"] for r in rows]
    fig = go.Figure()
    fig.add_bar(
        y=names, x=values, orientation="h", name="Conventionné", showlegend=False,
        marker_color=[CAP_STATUS_COLOURS.get(s, GREY) for s in status],
        text=[f"{fmt_money(v)} — {s}" for v, s in zip(values, status, strict=True)], textposition="outside",
        cliponaxis=False,
        customdata=hover([f"{n} : {fmt_money(v)} conventionnés, plafond {fmt_money(r['montant_plafond'])} — {s}"
                          for n, v, r, s in zip(names, values, rows, status, strict=True)]),
        hovertemplate=HOVER,
    )
    fig.add_scatter(
        y=names, x=[r["montant_plafond"] for r in rows], mode="markers", name="Plafond",
        marker={"symbol": "line-ns-open", "size": 46, "color": "#1b1f24", "line": {"width": 4, "color": "#1b1f24"}},
        customdata=hover([f"Plafond {n} : {fmt_money(r['montant_plafond'])}"
                          for n, r in zip(names, rows, strict=True)]),
        hovertemplate=HOVER,
    )
    for status_name, colour in CAP_STATUS_COLOURS.items():  # legend entries of the statuses
        fig.add_bar(y=[None], x=[None], orientation="h", name=status_name.capitalize(), marker_color=colour)
    top = max([*values, *(r["montant_plafond"] for r in rows), 0])
    horizontal_categories(fig, top=top * 1.25)
    fig.update_xaxes(ticksuffix="\u00a0€", tickformat=",.0f")
    etp = rows[0]["nb_etp"] if rows else 0
    cost = rows[0]["montant_cout_postes"] if rows else 0
    note = (f"{fmt_decimal(etp)} ETP, coût des postes {fmt_money(cost)}. Plafonds : Département "
            f"{fmt_pct(taux_departement / 100, 0)} du coût dans la limite de "
            f"{fmt_money(plafond_departement_etp)} par ETP ; "
            f"Ségur {fmt_money(montant_segur_etp)} par ETP.")
    fig = apply_theme(fig, Caption("Postes de coordination : financements au regard des plafonds", period, SOURCE,
                                   note), height=340)
    return legend_right(fig)


def caps_table(postes: pl.DataFrame) -> pl.DataFrame:
    """Département and Ségur: ETP, cost of the posts, conventionné, cap, gap, status."""
    rows = [[financeur_label(r["financeur"]), fmt_decimal(r["nb_etp"]), fmt_money(r["montant_cout_postes"]),
             fmt_money(r["montant_conventionne"]), fmt_money(r["montant_plafond"]), fmt_money(r["montant_ecart"]),
             r["statut"]] for r in as_float(postes).iter_rows(named=True)]
    return pl.DataFrame(rows, schema=["Financeur", "ETP", "Coût des postes", "Conventionné", "Plafond",
                                      "Écart au plafond", "Statut"], orient="row")


# --- funding lines ------------------------------------------------------------------------------------------

LINE_COLUMNS = ("Financeur", "Année", "Action", "Axe", "Plateforme", "Conventionné", "Engagé", "Payé",
                "Taux de consommation", "Reste à consommer")


def filter_lines(lines: pl.DataFrame, financeurs: Sequence[str] = (), axes: Sequence[int | str] = ()) -> pl.DataFrame:
    """The funding lines of the chosen financeurs and axes (nothing chosen: all)."""
    if financeurs:
        lines = lines.filter(pl.col("financeur").is_in(list(financeurs)))
    if axes:
        lines = lines.filter(pl.col("axe").is_in([int(a) for a in axes]))
    return lines


def lines_table(lines: pl.DataFrame) -> pl.DataFrame:
    """The funding lines formatted in euros and %, with a total row."""
    data = as_float(lines)
    rows = [[financeur_label(r["financeur"]), str(r["annee"]), r["action"], axe_label(r["axe"], short=True),
             r["plateforme"], fmt_money(r["montant_conventionne"]), fmt_money(r["montant_engage"]),
             fmt_money(r["montant_paye"]), fmt_pct(r["taux_consommation"]), fmt_money(r["montant_reste"])]
            for r in data.iter_rows(named=True)]
    if data.height:
        conv, paid = data["montant_conventionne"].sum(), data["montant_paye"].sum()
        rows.append(["Total", "", f"{fmt_int(data.height)} lignes", "", "", fmt_money(conv),
                     fmt_money(data["montant_engage"].sum()), fmt_money(paid), fmt_pct(paid / conv if conv else None),
                     fmt_money(data["montant_reste"].sum())])
    return pl.DataFrame(rows, schema=list(LINE_COLUMNS), orient="row")
