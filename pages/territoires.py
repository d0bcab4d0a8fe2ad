"""Territoires: a map of an indicator by platform, EPCI or commune (raw or per 10 000 inhabitants), the
ranking of the territories, and the selected territory against the whole scope with its trend.

A click on the map (or the list next to it) selects a territory; the ranking, the comparison and the trend
follow. The map has no basemap: it works offline and needs no token. Every value shown, on the map and in
its tooltips included, comes masked from the queries (`data_access.indicator`): small counts read « < 5 ».
"""

from __future__ import annotations

from functools import partial

import polars as pl
import streamlit as st

import data_access
from figures import maps
from figures import territoires as terr
from figures.formats import fmt_masked
from figures.labels import MAILLES
from figures.theme import Caption, confidentiality_note
from queries.confidentiality import masked_label, seuil_secret
from ui import components, filters, router, url

router.through_entry_point()

SELECTION_KEY = "territoire"
GENERATION_KEY = "_carte_generation"
MAP_HEIGHT = 560


def _new_generation() -> None:
    """A new map widget (new key): its own selection state no longer contradicts the page's selection."""
    st.session_state[GENERATION_KEY] = st.session_state.get(GENERATION_KEY, 0) + 1


def _on_map_select(chart_key: str) -> None:
    """A click on the map: select the territory clicked (a cleared map selection clears it)."""
    state = st.session_state.get(chart_key)
    selection = state["selection"] if state else None
    objects = (selection or {}).get("objects") or {}
    if not any(objects.values()):
        st.session_state[SELECTION_KEY] = None
        return
    clicked = maps.selected_territory(selection)
    if clicked is not None:
        st.session_state[SELECTION_KEY] = clicked
    else:  # a territory without a value (not covered…): the selection stays, the map forgets the click
        _new_generation()




def _clear_selection() -> None:
    st.session_state[SELECTION_KEY] = None
    _new_generation()


components.require_data()
scope = filters.current()
components.header("Territoires", scope, "Cliquez sur un territoire de la carte, ou choisissez-le dans la liste, "
                  "pour le comparer à l'ensemble et suivre son évolution.")
seuil = seuil_secret()

# --- controls -----------------------------------------------------------------------------------------
c_indicator, c_mode, c_level = st.columns([2.2, 1.6, 1.2])
url.seed("indicateur", terr.SPECS_BY_ID, terr.SPECS[0].id)
indicator = terr.spec(c_indicator.selectbox(
    "Indicateur", [s.id for s in terr.SPECS], format_func=lambda i: terr.spec(i).label, key="indicateur",
    help="Indicateurs territorialisés : chaque ligne de données est rattachée à un territoire."))
url.seed("mode", indicator.modes, terr.RAW)
mode = terr.effective_mode(indicator, c_mode.segmented_control(
    "Valeurs", indicator.modes, format_func=terr.MODES.get, required=True, key="mode",
    help="Pour 10 000 habitants : valeur × 10 000 / population municipale (INSEE) du territoire. Sans objet "
         "pour les taux et les délais."))
url.seed("maille", indicator.mailles, "plateforme")
maille = c_level.selectbox("Maille", list(indicator.mailles), format_func=MAILLES.get, key="maille")

# --- data (masked by the queries) ---------------------------------------------------------------------
frame = data_access.indicator(indicator.indicator, **scope.params(maille=maille))
outlines = data_access.outlines(maille)
in_scope = outlines.filter(pl.col("plateforme").is_in(list(scope.plateformes)))["territoire"].to_list()
values = terr.territory_values(frame, indicator, outlines, in_scope)
platforms = data_access.platforms()
scope_population = int(platforms.filter(pl.col("plateforme").is_in(list(scope.plateformes)))
                        ["population_municipale"].sum() or 0) or None
overall = terr.scope_value(data_access.indicator(indicator.indicator, **scope.params(maille="ensemble")), indicator,
                        scope_population)
scope_label = "Ensemble des plateformes" if scope.toutes_plateformes else "Ensemble du périmètre"
names = dict(zip(values["territoire"], values["libelle"], strict=True))
options = values.sort("libelle")["territoire"].to_list()
source = data_access.reference_source()
geo_source = f"Contours et populations : {source.get('source', 'INSEE, IGN')} ({source.get('millesime', '')})"


def territory_label(code: str) -> str:
    name = names.get(code, code)
    return f"{name} ({code})" if maille == "commune" else name


# --- map, legend and selection ------------------------------------------------------------------------
title = terr.map_title(indicator, mode, maille)
map_col, side_col = st.columns([3, 1.1])
with side_col:
    legend_slot = st.container()
    url.seed(SELECTION_KEY, options, None)
    selected = st.selectbox(
        "Territoire sélectionné", options, index=None, format_func=territory_label,
        placeholder="Cliquez sur la carte ou choisissez…", key=SELECTION_KEY, on_change=_new_generation)
    # A COPIL view can be bookmarked or sent: ?indicateur=taux_acceptation&maille=epci&territoire=200069037
    url.write({"indicateur": indicator.id, "mode": None if mode == terr.RAW else mode,
             "maille": None if maille == "plateforme" else maille, SELECTION_KEY: selected})
    st.button("Effacer la sélection", on_click=_clear_selection, disabled=selected is None,
              icon=":material/close:")

styled = maps.style(data_access.map_base(maille), terr.shown_frame(values, indicator, mode),
                    terr.classes_for(values, indicator, mode), title, seuil)
with legend_slot:
    st.markdown(maps.legend_html(styled, scope.legende), unsafe_allow_html=True)
with side_col:  # the selected territory against the whole scope, right under the list that chose it
    measure_fmt = terr.metric_fmt(indicator, terr.PER_10000 if indicator.per_10000 else terr.RAW)
    scope_measure = overall.pour_10000 if indicator.per_10000 else overall.valeur
    scope_text = fmt_masked(scope_measure, overall.masque, measure_fmt, seuil)
    comparison = terr.comparison(values, overall, indicator, selected, scope_label) if selected else None
    if comparison is None:
        measure_label = f"{indicator.label} pour 10 000 habitants" if indicator.per_10000 else indicator.label
        st.metric(f"{scope_label} — {measure_label}", scope_text, border=True)
        st.info("Cliquez sur un territoire de la carte pour le comparer à l'ensemble.", icon=":material/touch_app:")
    else:
        st.metric(f"{comparison.territory_label} — {comparison.measure}", comparison.territory_text,
                  delta=comparison.delta_text, delta_color=comparison.delta_color, border=True)
        st.metric(f"{comparison.scope_label} — {comparison.measure}", comparison.scope_text, border=True)
        st.markdown(comparison.sentence)
    unlocated, unlocated_masked = terr.unlocated(frame, indicator)
    if unlocated_masked or unlocated:
        st.caption(f"Non localisé (sans {MAILLES[maille].lower() if maille != 'epci' else 'EPCI'} connu(e)) : "
                   f"{fmt_masked(unlocated, unlocated_masked, indicator.fmt)}.")
    if indicator.where:
        st.caption(f"Territoire retenu : {indicator.where}.")

with map_col:
    st.markdown(f"**{title}**")
    chart_key = f"carte-{maille}-{st.session_state.get(GENERATION_KEY, 0)}"
    st.pydeck_chart(maps.deck(styled, selected, height=MAP_HEIGHT), on_select=partial(_on_map_select, chart_key),
                    selection_mode="single-object", key=chart_key, height=MAP_HEIGHT,
                    alt=f"Carte : {title}, {scope.periode}")
    st.caption(f"{components.confidentiality_caption()} {geo_source}.")

# --- ranking -----------------------------------------------------------------------------------------
st.subheader("Classement des territoires")
if values.is_empty():
    components.empty("Aucun territoire dans le périmètre choisi.")
else:
    components.table(terr.ranking_table(values, indicator, mode, maille, selected),
                     height=min(38 + 35 * values.height, 420), title=f"Classement — {title}",
                     subtitle=scope.legende)
    st.caption("▶ territoire sélectionné. Rang : de la valeur la plus élevée à la plus faible ; « — » : "
               "valeur masquée ou non calculable, sans rang.")

# --- trend --------------------------------------------------------------------------------------------
st.subheader("Évolution")
pas = st.segmented_control("Pas de temps", list(terr.PAS_TENDANCE), format_func=terr.PAS_TENDANCE.get, default="mois",
                           required=True, key="pas_tendance")
periods = terr.period_starts(scope.debut, scope.fin, pas)
per_10000 = indicator.per_10000 and (selected is not None or mode == terr.PER_10000)
scope_points = terr.series(data_access.indicator(indicator.indicator, **scope.params(maille="ensemble", pas=pas)),
                        indicator, "ensemble", scope_population, scope_label, periods, per_10000)
points = [scope_points]
if selected is not None:
    by_period = data_access.indicator(indicator.indicator, **scope.params(maille=maille, pas=pas))
    population = values.filter(pl.col("territoire") == selected)["population"].to_list()
    points.insert(0, terr.series(by_period, indicator, selected, population[0] if population else None,
                              names.get(selected, selected), periods, per_10000))
trend = pl.concat(points)
step = "par mois" if pas == "mois" else "par trimestre"
measure = f"{indicator.label}{' pour 10 000 habitants' if per_10000 else ''} {step}"
trend_title = (f"{measure} : {names.get(selected, selected)} et {terr.the(scope_label)}" if selected
               else f"{measure} — {scope_label}")
note = terr.masked_periods_note(trend, pas, masked_label(seuil))
components.chart(terr.trend_figure(trend, indicator, per_10000, pas, Caption(trend_title, scope.legende, note=note),
                                seuil), key="tendance")
if selected is None:
    st.caption("Sélectionnez un territoire sur la carte pour comparer son évolution à celle de l'ensemble.")

# --- static map for exports ---------------------------------------------------------------------------
if st.toggle("Carte exportable (image PNG)", key="carte_export",
             help="La même carte en image fixe, à télécharger avec l'icône d'appareil photo (format 16:9)."):
    export = maps.choropleth_figure(styled, Caption(title, scope.legende, note=confidentiality_note(seuil)),
                                    selected)
    components.chart(export, key="carte_statique")
