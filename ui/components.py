"""Small Streamlit building blocks shared by the pages: header, key figure, chart, table, empty state.

They only display: values arrive already masked and formatted by `figures/`.
"""

from __future__ import annotations

import re
import unicodedata

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from figures.overview import KeyFigure
from figures.scope import Scope

EXPORT_WIDTH, EXPORT_HEIGHT = 1600, 900  # 16:9, ready for a slide


def slug(text: str) -> str:
    """`Saisines par mois` → `saisines-par-mois`: file names of exports."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def header(title: str, scope: Scope, intro: str | None = None) -> None:
    """Page title, the period and territories in force, and an optional one-line introduction."""
    st.title(title)
    st.caption(scope.legende)
    if intro:
        st.markdown(intro)


def key_figure(container, figure: KeyFigure) -> None:
    """One key figure as a metric: value, change against the previous period, target status."""
    help_text = figure.definition
    if figure.target_text:
        help_text = f"{help_text}\n\n{figure.target_text}"
    container.metric(
        figure.label, figure.value_text, delta=figure.change_text, delta_color=figure.delta_color,
        help=help_text, border=True,
    )
    if figure.status:
        container.caption(f"Cible : {figure.status_badge}")


def chart_config(title: str) -> dict:
    """Plotly's modebar: French-friendly PNG export in 16:9 at slide resolution, no logo."""
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
        "toImageButtonOptions": {"format": "png", "filename": slug(title) or "graphique",
                                 "width": EXPORT_WIDTH, "height": EXPORT_HEIGHT, "scale": 2},
    }


def chart(fig: go.Figure, key: str | None = None, export: bool = True, **kwargs):
    """Show a Plotly figure (PNG export in the modebar) with PNG / SVG downloads; returns the selection state."""
    title = fig.layout.title.text or "graphique"
    state = st.plotly_chart(fig, key=key, config=chart_config(title), theme=None, **kwargs)
    if export:
        _chart_downloads(fig, title, key or slug(title))
    return state


def _chart_downloads(fig: go.Figure, title: str, key: str) -> None:
    """PNG (16:9, slide-ready) and SVG of the chart, rendered server-side only when clicked."""
    from exports import images

    notice = confidentiality_caption()
    with st.popover("Exporter le graphique", icon=":material/download:", type="tertiary"):
        st.download_button("Image PNG (diapositive 16:9)", lambda: images.png(fig, notice),
                           file_name=f"{slug(title)}.png", mime="image/png", on_click="ignore", key=f"{key}_png")
        st.download_button("Image SVG (vectorielle)", lambda: images.svg(fig, notice),
                           file_name=f"{slug(title)}.svg", mime="image/svg+xml", on_click="ignore",
                           key=f"{key}_svg")


def table(frame: pl.DataFrame, height: int | str = "auto", title: str | None = None, subtitle: str = "",
          key: str | None = None) -> None:
    """A table of already formatted (text) columns, with an XLSX export (French number formats)."""
    st.dataframe(frame, hide_index=True, width="stretch", height=height)
    if title and not frame.is_empty():
        xlsx_download(frame, title, subtitle, key)


def xlsx_download(frame: pl.DataFrame, title: str, subtitle: str = "", key: str | None = None) -> None:
    """An « Exporter le tableau (Excel) » button: the XLSX, with French number formats, built when clicked."""
    from exports import tables

    st.download_button(
        "Exporter le tableau (Excel)", lambda: tables.table_xlsx(frame, title, subtitle,
                                                                  (confidentiality_caption(),)),
        file_name=f"{slug(title)}.xlsx", on_click="ignore", key=key or f"xlsx_{slug(title)}",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/table:",
        type="tertiary")


def empty(message: str) -> None:
    """What a page shows where there is nothing to show for the filters."""
    st.info(message, icon=":material/info:")


def require_data() -> None:
    """Stop the page with a French explanation when there is no warehouse or no découpage yet."""
    import data_access

    if data_access.warehouse_version() is None:
        st.warning(f"Aucun entrepôt de données à {data_access.warehouse_path()}. Chargez la démonstration avec "
                   "`python -m etl demo` ou vos fichiers depuis la page Données.")
        st.page_link("pages/donnees.py", label="Aller à la page Données", icon=":material/database:")
        st.stop()
    if data_access.platforms().is_empty():
        st.warning("Aucune plateforme définie : importez d'abord le découpage territorial (page Données).")
        st.page_link("pages/donnees.py", label="Aller à la page Données", icon=":material/database:")
        st.stop()


def confidentiality_caption() -> str:
    """The notice shown under figures that may be masked."""
    from figures.theme import confidentiality_note
    from queries.confidentiality import seuil_secret

    return confidentiality_note(seuil_secret())
