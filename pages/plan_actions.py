"""Plan d'actions: the actions of the strategy along its 5 axes by statut, their progress, the late ones and the full
list, at the end of the period."""

from __future__ import annotations

import streamlit as st

import data_access
from figures import plan_actions
from figures.formats import fmt_date
from figures.labels import AXES, STATUTS_ACTION, axe_label
from ui import components, filters, router

router.through_entry_point()

components.require_data()
scope = filters.current()
components.header(
    "Plan d'actions", scope,
    f"Situation du plan d'actions au {fmt_date(scope.fin)}, fin de la période : une action est en retard si son "
    "échéance est passée sans qu'elle soit réalisée ni abandonnée. Le plan couvre tout le territoire : les filtres "
    "des plateformes et du public ne s'y appliquent pas.",
)

plan = data_access.indicator("plan_actions", fin=scope.fin)
if plan.is_empty():
    components.empty("Aucune action dans le plan d'actions : importez le fichier « plan_actions » depuis la page "
                     "Données.")
    st.stop()

figures = plan_actions.key_figures(plan, scope.fin)
for column, figure in zip(st.columns(len(figures)), figures, strict=True):
    components.key_figure(column, figure)
    if figure.detail:
        column.caption(figure.detail)

period = f"Au {fmt_date(scope.fin)} — plan d'actions de tout le territoire"
components.chart(plan_actions.actions_by_axe(plan, period), key="plan_axes")
components.chart(plan_actions.progress_bars(plan, period), key="plan_avancement")

st.subheader(f"Actions en retard au {fmt_date(scope.fin)}")
late = data_access.indicator("actions_en_retard", fin=scope.fin)
if late.is_empty():
    components.empty("Aucune action en retard à cette date.")
else:
    components.table(plan_actions.late_table(late), height=min(40 + 35 * (late.height + 1), 600),
                     title="Actions en retard", subtitle=scope.legende)

st.subheader("Toutes les actions")
actions = data_access.indicator("actions", fin=scope.fin)
# Controls bound to the URL store the French labels (`?statuts_plan=En cours`), mapped back to codes here.
axes = {axe_label(a, short=True): a for a in AXES}
statuts = {text: code for code, text in STATUTS_ACTION.items()}
left, middle, right = st.columns([2, 2, 1], vertical_alignment="bottom")
chosen_axes = left.multiselect("Axes", list(axes), key="axes_plan", bind="query-params", placeholder="Tous les axes",
                               help="\n".join(f"- {axe_label(a)}" for a in AXES))
chosen_statuts = middle.multiselect("Statuts", list(statuts), key="statuts_plan", bind="query-params",
                                    placeholder="Tous les statuts")
late_only = right.toggle("En retard seulement", key="retard_plan", bind="query-params")
shown = plan_actions.filter_actions(actions, [axes[a] for a in chosen_axes if a in axes],
                                    [statuts[s] for s in chosen_statuts if s in statuts], late_only)
if shown.is_empty():
    components.empty("Aucune action pour ces axes et ces statuts.")
else:
    components.table(plan_actions.actions_table(shown), height=min(40 + 35 * (shown.height + 1), 900),
                     title="Actions du plan", subtitle=scope.legende)
