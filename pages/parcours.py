"""Parcours: the path from referral to housing — funnel of the period, exits by motif, delays, reviews (with the
list of overdue ones per platform) and the profile of the people referred.

Page controls (delay shown, profile variable) are bound to the URL with the label of the option chosen
(`?delai=Délai+d'accès+au+logement&variable_profil=Orienteur`). Every value comes masked from
`data_access.indicator`; the overdue list names measures by their pseudonymous id only.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

import data_access
import queries
from figures import labels, parcours
from figures.formats import fmt_days, fmt_int, fmt_masked, fmt_pct
from figures.theme import Caption
from ui import components, filters, router

router.through_entry_point()

MAX_OVERDUE_ROWS = 2000

components.require_data()
scope = filters.current()
components.header("Parcours", scope, intro="Du repérage de la situation à l'accès et au maintien dans le logement.")
period = scope.legende
fetch = data_access.indicator


def ensemble(name: str):
    return fetch(name, **scope.params(maille="ensemble", pas="periode"))


def per_platform(name: str):
    return fetch(name, **scope.params(maille="plateforme", pas="periode"))


def ignores_public(*names: str) -> list[str]:
    """The indicators among `names` that do not take the public filter, when one is chosen."""
    if scope.public == "tous":
        return []
    return [n for n in names if "public" not in queries.indicator(n).parametres]


# --- funnel -------------------------------------------------------------------------------------------

st.subheader("De la saisine au logement")
funnel = parcours.funnel_stages(fetch, scope).get("ensemble", [])
note = parcours.FUNNEL_NOTE
if ignores_public(*(name for name, _, _ in parcours.FUNNEL)):
    note += " Les entrées dans un logement comptent tous les publics (indicateur non décliné par public)."
if funnel:
    components.chart(parcours.funnel_figure(funnel, Caption("Parcours de la période : de la saisine au logement",
                                                              period, note=parcours.FUNNEL_SHORT_NOTE)),
                     key="parcours_entonnoir")
    st.caption(note)
    by_platform = parcours.funnel_stages(fetch, scope, maille="plateforme")
    if len(by_platform) > 1:
        with st.expander("Étapes par plateforme", expanded=False):
            components.table(parcours.funnel_table({**by_platform, "ensemble": funnel}),
                             title="Parcours de la période par plateforme", subtitle=scope.legende)
else:
    components.empty("Aucune saisine ni entrée dans un logement sur la période.")

# --- exits --------------------------------------------------------------------------------------------

st.subheader("Sorties d'accompagnement")
rate, rate_masked = parcours.value_of(ensemble("taux_sortie_positive"), "taux_sortie_positive")
exits_count, exits_masked = parcours.value_of(ensemble("taux_sortie_positive"), "nb_sorties")
duration, duration_masked = parcours.value_of(ensemble("duree_accompagnement"), "nb_jours_accompagnement_median")
first, second, third = st.columns(3)
first.metric("Mesures terminées", fmt_masked(exits_count, exits_masked), border=True,
             help="Mesures d'accompagnement terminées dans la période, tous motifs.")
second.metric("Taux de sortie positive", fmt_masked(rate, rate_masked, fmt_pct), border=True,
              help="Part des mesures terminées par un accès au logement ou un maintien consolidé.")
third.metric("Durée médiane d'accompagnement", fmt_masked(duration, duration_masked, fmt_days),
             border=True, help="Médiane des jours entre le début et la fin des mesures terminées dans la période.")
if duration is not None and not duration_masked:
    third.caption(f"soit {parcours.fmt_months(duration)}")
exits = parcours.exits_frame(ensemble("sorties"))
if exits.is_empty():
    components.empty("Aucune mesure terminée sur la période.")
else:
    components.chart(parcours.exits_figure(exits, Caption("Sorties d'accompagnement par motif", period)),
                     key="parcours_sorties")

# --- delays -------------------------------------------------------------------------------------------

st.subheader("Délais")
delay_key = st.segmented_control("Délai", list(parcours.DELAYS), format_func=lambda k: parcours.DELAYS[k].label,
                                 default="decision", required=True, key="delai", bind="query-params") or "decision"
delay = parcours.DELAYS[delay_key]
st.caption(delay.definition)
left, right = st.columns(2)
with left:
    components.chart(parcours.delay_medians_figure(
        per_platform(delay.median_indicator), ensemble(delay.median_indicator), delay,
        Caption(f"{delay.label} médian par plateforme", period)), key="parcours_delai_median")
with right:
    distribution = parcours.delay_classes_frame(ensemble(delay.classes_indicator), delay)
    components.chart(parcours.delay_classes_figure(
        distribution, delay, Caption(f"{delay.label} : répartition par durée", period)), key="parcours_delai_classes")

# --- reviews ------------------------------------------------------------------------------------------

st.subheader("Bilans d'accompagnement")
reviews_overall = ensemble("bilans_a_jour")
on_time, on_time_masked = parcours.value_of(reviews_overall, "taux_bilans_a_jour")
due, due_masked = parcours.value_of(reviews_overall, "nb_bilans_attendus")
overdue = fetch("bilans_en_retard", **scope.params())
left, right = st.columns([3, 2])
with left:
    components.chart(parcours.reviews_figure(
        per_platform("bilans_a_jour"), reviews_overall,
        Caption("Bilans à 3, 6 et 12 mois reçus à temps", period,
                note="à temps : reçu au plus tard 30 jours après l'échéance")), key="parcours_bilans")
with right:
    st.metric("Bilans reçus à temps", fmt_masked(on_time, on_time_masked, fmt_pct), border=True,
              help="Parmi les bilans attendus dans la période (3, 6 et 12 mois après le début d'une mesure encore "
                   "ouverte), part de ceux reçus au plus tard 30 jours après l'échéance.")
    st.caption(f"Bilans attendus sur la période : {fmt_masked(due, due_masked)}")
    components.table(parcours.overdue_counts(overdue, list(scope.plateformes)).with_columns(
        *(pl.col(c).map_elements(fmt_int, return_dtype=pl.Utf8)
          for c in parcours.OVERDUE_COUNT_COLUMNS)), title="Bilans en retard par plateforme", subtitle=scope.legende)

st.markdown("**Bilans en retard** — mesures désignées par leur identifiant pseudonyme ; cliquez sur un en-tête "
            "de colonne pour trier.")
late = parcours.overdue_table(overdue)
if late.is_empty():
    components.empty("Aucun bilan en retard sur la période.")
else:
    # A national découpage may list a hundred thousand overdue reviews: the most overdue are shown, all exported.
    shown = late if late.height <= MAX_OVERDUE_ROWS else \
        late.sort("Jours de retard", descending=True, maintain_order=True).head(MAX_OVERDUE_ROWS)
    st.dataframe(shown, hide_index=True, width="stretch", height=min(420, 38 + 35 * shown.height),
                 key="bilans_retard", column_config={
                     "Date d'échéance": st.column_config.DateColumn(format="DD/MM/YYYY"),
                     "Jours de retard": st.column_config.NumberColumn(format="%d j"),
                 })
    if late.height > shown.height:
        st.caption(f"Les {fmt_int(shown.height)} bilans les plus en retard sur {fmt_int(late.height)} ; "
                   "l'export Excel les contient tous.")
    components.xlsx_download(late, "Bilans en retard", scope.legende, key="xlsx_bilans_retard")

# --- profile ------------------------------------------------------------------------------------------

st.subheader("Profil des ménages orientés")
variable = st.selectbox("Caractéristique", list(labels.VARIABLES_PROFIL), format_func=labels.VARIABLES_PROFIL.get,
                        key="variable_profil", bind="query-params")
profile = parcours.profile_frame(
    fetch("profil", **scope.params(maille="ensemble", pas="periode", variable=variable)), variable)
if profile.is_empty():
    components.empty("Aucune saisine sur la période.")
else:
    profile_note = ("une saisine peut relever de plusieurs publics : les parts ne s'additionnent pas à 100 %"
                    if variable == "publics" else "")
    components.chart(parcours.profile_figure(profile, variable, Caption(
        f"Saisines de la période par {labels.VARIABLES_PROFIL[variable].lower()}", period, note=profile_note)),
        key="parcours_profil")
st.caption(components.confidentiality_caption())
