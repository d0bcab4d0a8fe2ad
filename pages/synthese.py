"""Synthèse: the COPIL overview — key figures of the period, their change and targets, and what they say."""

from __future__ import annotations

import streamlit as st

import data_access
from figures import overview
from ui import components, filters, router

router.through_entry_point()

components.require_data()
scope = filters.current()
components.header("Synthèse", scope)

targets = data_access.targets_status(scope.fin, list(scope.plateformes))
summary = overview.overview(data_access.indicator, scope, scope.precedente(), targets)

for start in range(0, len(summary.figures), 3):
    for column, figure in zip(st.columns(3), summary.figures[start:start + 3], strict=False):
        with column:
            components.key_figure(st, figure)
            if figure.detail:
                st.caption(figure.detail)

st.subheader("À retenir")
if summary.sentences:
    st.markdown("\n".join(f"- {sentence}" for sentence in summary.sentences))
else:
    components.empty("Pas assez de données sur la période pour en tirer des constats.")

st.subheader("Par plateforme")
components.table(overview.platform_table(data_access.indicator, scope), title="Chiffres clés par plateforme",
                 subtitle=scope.legende)

targets_table = overview.targets_table(targets)
if not targets_table.is_empty():
    st.subheader(f"Cibles {scope.fin.year}")
    components.table(targets_table, title=f"Cibles {scope.fin.year}", subtitle=scope.legende)
    st.caption("Statut : « atteint » si la valeur atteint la cible ; « en bonne voie » si elle atteint la cible "
               "au prorata de l'année écoulée (effectifs) ou à 90 % (taux) ; « en retard » sinon.")

st.caption(f"Comparaison : {scope.precedente().periode}. {components.confidentiality_caption()}")
