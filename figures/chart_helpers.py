"""Small layout helpers shared by the figure builders of the Partenariat, Budget and Plan d'actions pages."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go
import polars as pl

from figures.formats import fmt_int

# Beyond this many platforms a chart of one bar per platform is too long to read (a national découpage has a
# thousand): it shows the most active ones and says so; the tables below the charts keep every platform.
MAX_PLATFORM_BARS = 30


def hover(lines: Sequence[str]) -> list[list[str]]:
    """French hover texts as `customdata` (read with `hovertemplate="%{customdata[0]}<extra></extra>"`)."""
    return [[line] for line in lines]


HOVER = "%{customdata[0]}<extra></extra>"


def legend_right(fig: go.Figure) -> go.Figure:
    """The legend in a column on the right, in trace order: it never runs into the tick labels or the source."""
    fig.update_layout(legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top",
                              "traceorder": "normal", "title": None})
    return fig


def horizontal_categories(fig: go.Figure, top: float | None = None) -> go.Figure:
    """Horizontal bars: categories top-down in the given order, values along x (the title says what they count:
    no x title, which would run into the source line); `top` leaves room for value labels."""
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=None, rangemode="tozero")
    if top:
        fig.update_xaxes(range=[0, top * 1.18])
    return fig


def wrap(text: str, width: int = 28) -> str:
    """A long category label on several lines (`<br>`), for axis ticks."""
    return "<br>".join(textwrap.wrap(text, width=width)) or text


def months_between(debut: date, fin: date) -> list[date]:
    """The first days of the months of [debut, fin]."""
    months, current = [], date(debut.year, debut.month, 1)
    while current <= fin:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def most_active(frame: pl.DataFrame, value: str, platforms: Sequence[str], limit: int | None = None,
                table: str | None = "le tableau", ranked: str = "les plus actives") -> tuple[list[str], str]:
    """The platforms to draw, in their given order (all of them, or the `limit` (default MAX_PLATFORM_BARS) with
    the largest total of `value` in `frame`, by `territoire`), and the note saying so (empty when all are drawn):
    « Les 30 plateformes `ranked` sur 1 253 (toutes dans `table`). », `table` None when no table lists them all."""
    limit = MAX_PLATFORM_BARS if limit is None else limit
    if len(platforms) <= limit:
        return list(platforms), ""
    totals = frame.group_by("territoire").agg(pl.col(value).sum().fill_null(0).alias("total"))
    order = totals.sort(["total", "territoire"], descending=[True, False])["territoire"].to_list()
    order += sorted(set(platforms) - set(order))
    chosen = set(order[:limit])
    note = f"Les {limit} plateformes {ranked} sur {fmt_int(len(platforms))}" + (
        f" (toutes dans {table})." if table else ".")
    return [p for p in platforms if p in chosen], note
