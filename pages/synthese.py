"""Synthèse: the COPIL overview — key figures of the period, their change and targets, and what they say."""

from __future__ import annotations

import streamlit as st

import data_access
from figures import overview
from ui import components, filters

components.require_data()
scope = filters.current()
components.header("Synthèse", scope)

targets = data_access.targets_status(scope.fin, list(scope.plateformes))
summary = overview.overview(data_access.indicator, scope, scope.precedente(), targets)

columns = st.columns(3)
for i, figure in enumerate(summary.figures):
    with columns[i % 3]:
        components.key_figure(st, figure)
        if figure.detail:
            st.caption(figure.detail)

st.subheader("À retenir")
if summary.sentences:
    st.markdown("\n".join(f"- {sentence}" for sentence in summary.sentences))
else:
    components.empty("Pas assez de données sur la période pour en tirer des constats.")
st.caption(f"Comparaison : {scope.precedente().periode}. {components.confidentiality_caption()}")
