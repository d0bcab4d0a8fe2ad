"""Évolutions: an indicator month by month or quarter by quarter, per platform, against the year before and
smoothed by a rolling average, with the values in a table.

The indicator and the time step are page controls bound to the URL, so a COPIL view can be bookmarked; a bound
select box writes the label of its option: `?indicateur_evol=Saisines&pas=Trimestre`. Every value comes masked
from `data_access.indicator`.
"""

from __future__ import annotations

import streamlit as st

import data_access
import queries
from figures import evolutions
from figures.theme import Caption, period_label
from ui import components, filters, router

router.through_entry_point()

components.require_data()
scope = filters.current()
components.header("Évolutions", scope)

left, right = st.columns([3, 2])
key = left.selectbox("Indicateur", list(evolutions.SERIES), format_func=lambda k: evolutions.SERIES[k].label,
                     key="indicateur_evol", bind="query-params")
pas = right.segmented_control("Pas de temps", list(evolutions.PAS), format_func=evolutions.PAS.get, default="mois",
                              required=True, key="pas", bind="query-params") or "mois"
serie = evolutions.SERIES[key]
st.caption(f"{serie.definition} {evolutions.WINDOW_CAPTION}")

data = evolutions.series_data(
    data_access.indicator, scope, serie, pas, data_start=data_access.data_span()[0],
    accepts_public="public" in queries.indicator(serie.indicator).parametres,
)
if not data.window.steps or data.shown_ensemble.is_empty():
    components.empty("Pas de données pour cet indicateur sur la période et les plateformes choisies.")
    st.stop()

w = data.window
period = f"{w.label[:1].upper()}{w.label[1:]} — {scope.perimetre}"
step_word = "mois" if pas == "mois" else "trimestre"
note = evolutions.notes(data)
colours = evolutions.platform_colours(data_access.platform_names())

value_text, before_text, change = evolutions.total_texts(data)
now_name, before_name = w.series_names()
delta_colour = "off" if serie.higher_is_better is None else ("normal" if serie.higher_is_better else "inverse")
first, second, _ = st.columns([1, 1, 2])
# st.metric reads the direction of its arrow from an ASCII minus sign.
delta = f"{change.replace(chr(0x2212), '-')} sur un an" if change else None
first.metric(f"{w.label[:1].upper()}{w.label[1:]}", value_text, delta=delta, delta_color=delta_colour,
             border=True, help=f"{serie.label} : {serie.definition}")
before_label = period_label(*w.year_before)
second.metric(f"Un an avant : {before_label}", before_text, border=True)

components.chart(evolutions.series_figure(
    data, Caption(f"{serie.label} par {step_word}", period, note=note), colours=colours), key="evolutions_series")

col_yoy, col_rolling = st.columns(2)
with col_yoy:
    components.chart(evolutions.year_over_year_figure(
        data, Caption(f"{serie.label} : {now_name} comparé à {before_name}", period, note=note)),
        key="evolutions_un_an")
with col_rolling:
    rolling = evolutions.rolling_label(serie, w)
    components.chart(evolutions.rolling_figure(
        data, Caption(f"{serie.label} : {rolling}", period, note=note)), key="evolutions_moyenne_mobile")

st.subheader(f"Valeurs par plateforme et par {step_word}")
components.table(evolutions.table_frame(data), title=f"{data.serie.label} par plateforme et par période",
                 subtitle=scope.legende)
st.caption(components.confidentiality_caption())
