"""Partenariat: the platforms' meetings by type, commissions de fluidité, situations examined and housing capture,
over the period and against the previous one."""

from __future__ import annotations

import streamlit as st

import data_access
from figures import partenariat
from figures.chart_helpers import months_between
from ui import components, filters, router

router.through_entry_point()

components.require_data()
scope = filters.current()
previous = scope.precedente()
components.header(
    "Partenariat", scope,
    "Animation du partenariat par les plateformes — réunions, commissions de fluidité, situations examinées — "
    "et captation de logements.",
)


def fetch(s, maille: str, pas: str = "periode") -> dict:
    return {name: data_access.indicator(name, **s.params(maille=maille, pas=pas)) for name in partenariat.INDICATORS}


ensemble = fetch(scope, "ensemble")
platforms = list(scope.plateformes)
columns = st.columns(4)
for column, figure in zip(columns, partenariat.key_figures(ensemble, fetch(previous, "ensemble")), strict=True):
    components.key_figure(column, figure)
st.caption(f"Comparaison avec la période précédente : {previous.periode}.")

per_platform = fetch(scope, "plateforme")
instances = per_platform["instances"]

st.subheader("Réunions et instances")
if instances.is_empty():
    components.empty("Aucune réunion enregistrée sur la période pour ces plateformes.")
else:
    monthly = data_access.indicator("instances", **scope.params(maille="ensemble", pas="mois"))
    components.chart(partenariat.instances_by_month(monthly, months_between(scope.debut, scope.fin),
                                                    scope.legende), key="instances_mois")
    components.chart(partenariat.instances_by_platform(instances, platforms, scope.legende),
                     key="instances_plateformes")
    components.table(partenariat.type_table(ensemble["instances"]), title="Réunions par type", subtitle=scope.legende)

st.subheader("Captation de logements")
captes = per_platform["logements_captes"]
if captes.is_empty():
    components.empty("Aucun logement capté sur la période pour ces plateformes.")
else:
    left, right = st.columns(2)
    with left:
        components.chart(partenariat.captations_by_dispositif(ensemble["logements_captes"], scope.legende),
                         key="captations_dispositifs")
    with right:
        components.chart(partenariat.captations_by_platform(captes, platforms, scope.legende),
                         key="captations_plateformes")

st.subheader("Activité par plateforme")
components.table(partenariat.platform_table(per_platform, ensemble, platforms), title="Partenariat par plateforme",
                 subtitle=scope.legende)
st.caption("Nombres de réunions, de participants et de logements : activité des plateformes, non soumise au secret "
           f"statistique. {components.confidentiality_caption()}")
