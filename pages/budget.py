"""Budget: the year's credits by financeur, action, axe and platform (conventionné, engagé, payé), the burn-up with
its projection to 31 December and the 90 % / 100 % alert, the reste à consommer, the co-financing split, the cost
per household supported and the coordinator posts against the funding caps."""

from __future__ import annotations

import streamlit as st

import data_access
import queries
from figures import budget
from figures.formats import fmt_date
from figures.labels import AXES, FINANCEURS, axe_label
from ui import components, filters, router

router.through_entry_point()

components.require_data()
scope = filters.current()
previous = scope.precedente()
year = scope.fin.year
# Budget charts show the year of the period's end up to that date (not the period itself); no public filter applies.
platforms_text = "toutes les plateformes" if scope.toutes_plateformes else ", ".join(scope.plateformes)
year_legend = f"Budget {year}, situation au {fmt_date(scope.fin)} — {platforms_text}"
components.header("Budget", scope, budget.budget_year_note(scope.fin))

# Rules of the conventions: parameters of the indicators, set in the expanders below (defaults of the SQL headers).
RULES = {"seuil_bas": 90, "seuil_haut": 100, "taux_departement": 40, "plafond_departement_etp": 22_800,
         "montant_segur_etp": 5_270}
rules = {key: st.session_state.get(f"regle_{key}", default) for key, default in RULES.items()}
alert_rules = {k: rules[k] for k in ("seuil_bas", "seuil_haut")}
post_rules = {k: rules[k] for k in ("taux_departement", "plafond_departement_etp", "montant_segur_etp")}

lines = data_access.indicator("budget_consommation", **scope.params())
projection = data_access.indicator("budget_projection", **scope.params(**alert_rules))
figures = budget.key_figures(lines, projection, data_access.indicator("budget_consommation", **previous.params()),
                             data_access.indicator("budget_projection", **previous.params(**alert_rules)), scope.fin)
for i, figure in enumerate(figures):
    if i % 3 == 0:
        columns = st.columns(3)
    components.key_figure(columns[i % 3], figure)
    if figure.detail:
        columns[i % 3].caption(figure.detail)
st.caption(f"Évolutions : par rapport à la situation au {fmt_date(previous.fin)} (budget {previous.fin.year})."
           + ("" if scope.toutes_plateformes else " Les lignes transverses (sans plateforme) ne sont comptées "
              "qu'avec toutes les plateformes."))

if lines.is_empty():
    components.empty(f"Aucune ligne de financement {year} pour ces plateformes : importez les conventions de "
                     "l'année (fichier « financements ») depuis la page Données.")
else:
    st.subheader("Conventionné, engagé et payé")
    # Page controls bound to the URL show and store French labels (`?budget_vue=Axe`), mapped back to codes here.
    views = {text: code for code, text in budget.VENTILATIONS.items()}
    view = st.segmented_control("Ventiler par", list(views), default="Financeur", required=True, key="budget_vue",
                                bind="query-params")
    components.chart(budget.consumption_bars(lines, views.get(view, "financeur"), year_legend),
                     key="budget_barres")

    st.subheader(f"Rythme de consommation et projection au 31/12/{year}")
    cumul = data_access.indicator("budget_cumul", **scope.params())
    options = budget.burnup_options(cumul)
    if options:
        who = {budget.financeur_label(code): code for code in options}
        chosen_label = st.selectbox("Financeur", list(who), key="budget_financeur", bind="query-params")
        components.chart(budget.burn_up(cumul, who.get(chosen_label, options[0]), projection, scope.fin,
                                        year_legend, **alert_rules), key="budget_burnup")
    components.table(budget.projection_table(projection), title=f"Projection au 31 décembre {year}",
                     subtitle=scope.legende)
    with st.expander("Seuils d'alerte de la projection"):
        left, right = st.columns(2)
        left.number_input("Sous-consommation en dessous de (% du conventionné)", min_value=0, max_value=100,
                          value=RULES["seuil_bas"], step=5, key="regle_seuil_bas")
        right.number_input("Dépassement au-delà de (% du conventionné)", min_value=50, max_value=200,
                           value=RULES["seuil_haut"], step=5, key="regle_seuil_haut")

    st.subheader("Reste à consommer")
    components.chart(budget.reste_bars(lines, year_legend), key="budget_reste")

    st.subheader("Cofinancement par action")
    cofin = data_access.indicator("cofinancement", **scope.params())
    components.chart(budget.cofinancing(cofin, year_legend), key="budget_cofinancement")

st.subheader("Coût par ménage accompagné")
cost = data_access.indicator("cout_par_menage", **scope.params())
public_label = None if scope.public == queries.PUBLIC_TOUS else queries.PUBLICS_FILTRE[scope.public]
components.chart(budget.cost_per_household(cost, scope.legende), key="budget_cout_menage")
components.table(budget.cost_table(cost, public_label), title="Coût par ménage accompagné", subtitle=scope.legende)
st.caption("Paiements datés dans la période, toutes lignes de financement du périmètre, rapportés aux ménages "
               "accompagnés pendant la période (file active). " + components.confidentiality_caption()
               + " Un coût calculé sur un nombre de ménages masqué est masqué aussi.")

st.subheader("Postes de coordination et plafonds de financement")
postes = data_access.indicator("postes_plafonds", **scope.params(**post_rules))
if postes.is_empty() or not postes["nb_etp"].sum():
    components.empty(f"Aucun poste de coordination renseigné pour {year} (fichier « postes »).")
else:
    components.chart(budget.caps(postes, year_legend, **post_rules), key="budget_plafonds")
    components.table(budget.caps_table(postes), title=f"Postes de coordination et plafonds {year}",
                     subtitle=scope.legende)
with st.expander("Règles de financement des postes (conventions)"):
    first, second, third = st.columns(3)
    first.number_input("Part du Département dans le coût d'un poste (%)", min_value=0, max_value=100,
                       value=RULES["taux_departement"], step=5, key="regle_taux_departement")
    second.number_input("Plafond du Département par ETP et par an (€)", min_value=0, max_value=200_000,
                        value=RULES["plafond_departement_etp"], step=100, key="regle_plafond_departement_etp")
    third.number_input("Ségur par ETP et par an (€)", min_value=0, max_value=50_000, value=RULES["montant_segur_etp"],
                       step=10, key="regle_montant_segur_etp")

if not lines.is_empty():
    st.subheader(f"Lignes de financement {year}")
    present = set(lines["financeur"].to_list())
    financeurs = {budget.financeur_label(f): f for f in [f for f in FINANCEURS if f in present]
                  + sorted(present - set(FINANCEURS))}
    axes = {axe_label(a, short=True): a for a in AXES}
    left, right = st.columns(2)
    chosen = left.multiselect("Financeurs", list(financeurs), key="financeurs", bind="query-params",
                              placeholder="Tous les financeurs")
    chosen_axes = right.multiselect("Axes", list(axes), key="axes", bind="query-params", placeholder="Tous les axes",
                                    help="\n".join(f"- {axe_label(a)}" for a in AXES))
    shown = budget.filter_lines(lines, [financeurs[f] for f in chosen if f in financeurs],
                                [axes[a] for a in chosen_axes if a in axes])
    if shown.is_empty():
        components.empty("Aucune ligne de financement pour ces financeurs et ces axes.")
    else:
        components.table(budget.lines_table(shown), height=min(40 + 35 * (shown.height + 2), 900),
                     title=f"Lignes de financement {year}", subtitle=scope.legende)
