"""Chart images for slides and notes: PNG (16:9, high resolution) and SVG, rendered by kaleido with the
system Chromium, kept warm between exports.

Kaleido ≥ 1 drives a browser it does not ship: it finds Debian's `/usr/bin/chromium` by name, or the one
named by `BROWSER_PATH`. One kaleido server (a browser tab kept open) serves every export of the process;
calls are serialised because kaleido's synchronous server is not thread-safe.
"""

from __future__ import annotations

import copy
import threading

import kaleido
import plotly.graph_objects as go

WIDTH, HEIGHT = 1600, 900  # 16:9, the shape of a slide
SCALE = 2  # 3200 × 1800 pixels: sharp on a projector and in print
_lock = threading.Lock()


def _ensure_server() -> None:
    """Start the shared kaleido server once (no MathJax: nothing is fetched from the network)."""
    kaleido.start_sync_server(silence_warnings=True, mathjax=False)


def render(fig: go.Figure, fmt: str = "png", width: int = WIDTH, height: int = HEIGHT, scale: float = SCALE) -> bytes:
    """The figure as PNG or SVG bytes, at the size of a 16:9 slide."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"format d'image non pris en charge : {fmt}")
    with _lock:
        _ensure_server()
        return kaleido.calc_fig_sync(fig, opts={"format": fmt, "width": width, "height": height, "scale": scale})


def for_export(fig: go.Figure, notice: str | None = None) -> go.Figure:
    """A copy of the figure laid out for a slide: fixed size, and the confidentiality notice drawn in."""
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    out.update_layout(width=WIDTH, height=HEIGHT, margin={"t": 150, "b": 100}, font={"size": 18},
                      title={"font": {"size": 26}, "subtitle": {"font": {"size": 18}}})
    if notice:
        out.add_annotation(text=notice, xref="paper", yref="paper", x=1, y=0, yshift=-60, xanchor="right",
                           yanchor="top", showarrow=False, font={"size": 11, "color": "#5f6368"})
    return out


def png(fig: go.Figure, notice: str | None = None) -> bytes:
    """A slide-ready PNG (3200 × 1800 px) of the figure with its notice."""
    return render(for_export(fig, notice), "png")


def svg(fig: go.Figure, notice: str | None = None) -> bytes:
    """A slide-ready SVG of the figure with its notice."""
    return render(for_export(fig, notice), "svg", scale=1)


def stop() -> None:
    """Close the shared browser (tests and the command line, at the end)."""
    with _lock:
        kaleido.stop_sync_server(silence_warnings=True)
