"""The look of every chart: French number formats, colour-blind-safe palette, readable sizes, and the
title / period / source / confidentiality lines drawn into the figure (so an exported image carries them).

Figure builders (`figures/*.py`) take Polars frames already masked by `queries.display` and return Plotly
figures; they never read the warehouse and never import Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go

from figures.formats import MONTHS, MONTHS_SHORT, fmt_date

# Okabe-Ito: distinguishable with the common colour-vision deficiencies (same as .streamlit/config.toml).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
# Sequential blues for choropleths (light = low), and the grey of "no data" / "not covered".
SEQUENTIAL = ("#eef4fb", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b")
GREY = "#bdbdbd"
HATCH_GREY = "#e0e0e0"
ALERT = {"sous-consommation": "#E69F00", "conforme": "#009E73", "dépassement": "#D55E00"}
STATUS_COLOURS = {"atteint": "#009E73", "en bonne voie": "#56B4E9", "en retard": "#D55E00"}
FONT = "Segoe UI, Helvetica Neue, Arial, Liberation Sans, DejaVu Sans, sans-serif"
SEPARATORS = ",\u202f"  # decimal comma, narrow no-break space between thousands
CONFIDENTIALITY_NOTE = "Effectifs de 1 à {seuil} masqués (« < {next} ») : secret statistique."


@dataclass(frozen=True)
class Caption:
    """What every chart says about itself: title, period and territories, source."""

    title: str
    period: str = ""
    source: str = "Source : fichiers de suivi des plateformes, Copilote"
    note: str = ""


def period_label(debut: date, fin: date) -> str:
    """`du 01/01/2026 au 22/11/2026`, or `année 2025` for a calendar year."""
    if (debut.month, debut.day, fin.month, fin.day) == (1, 1, 12, 31) and debut.year == fin.year:
        return f"année {debut.year}"
    return f"du {fmt_date(debut)} au {fmt_date(fin)}"


def month_label(d: date, short: bool = False) -> str:
    """`novembre 2026`, or `nov. 2026` when short."""
    return f"{(MONTHS_SHORT if short else MONTHS)[d.month - 1]} {d.year}"


def apply_theme(fig: go.Figure, caption: Caption, height: int = 460, legend: bool = True) -> go.Figure:
    """Title, subtitle (period), source line, French separators, fonts and palette."""
    footer = caption.source + (f" — {caption.note}" if caption.note else "")
    fig.update_layout(
        title={"text": caption.title, "x": 0, "xref": "paper", "xanchor": "left", "y": 0.97, "yref": "container",
               "font": {"size": 20},
               "subtitle": {"text": caption.period, "font": {"size": 14, "color": "#4a4f55"}}},
        separators=SEPARATORS,
        font={"family": FONT, "size": 15, "color": "#1b1f24"},
        colorway=list(PALETTE),
        height=height,
        margin={"l": 60, "r": 20, "t": 120 if legend else 90, "b": 80},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0, "xanchor": "left", "title": None},
        hoverlabel={"font": {"family": FONT, "size": 14}},
    )
    fig.add_annotation(text=footer, xref="paper", yref="paper", x=0, y=0, yshift=-60, xanchor="left",
                       yanchor="top", showarrow=False, font={"size": 11, "color": "#5f6368"}, align="left",
                       name="source")
    fig.update_xaxes(gridcolor="#eceff3", zerolinecolor="#c9ced6", automargin=True)
    # Thousands separated (« 1 200 ») on value axes; category and date axes ignore the format.
    fig.update_yaxes(gridcolor="#eceff3", zerolinecolor="#c9ced6", automargin=True, tickformat=",~f")
    return fig


def french_month_axis(fig: go.Figure, months: Sequence[date], axis: str = "x", max_ticks: int = 12) -> go.Figure:
    """Month ticks in French (`janv. 2026`), since Plotly's own names are English without a locale bundle."""
    months = sorted(set(months))
    if not months:
        return fig
    step = max(1, -(-len(months) // max_ticks))
    ticks = months[::step]
    update = {"tickmode": "array", "tickvals": ticks, "ticktext": [month_label(m, short=True) for m in ticks]}
    (fig.update_xaxes if axis == "x" else fig.update_yaxes)(**update)
    return fig


def confidentiality_note(seuil: int) -> str:
    """The notice drawn on charts and exports."""
    return CONFIDENTIALITY_NOTE.format(seuil=seuil, next=seuil + 1)
