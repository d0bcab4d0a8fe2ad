"""The screens of the COPIL sequence, one builder each (registered in `figures.screens`)."""

from __future__ import annotations

import polars as pl

from figures import (
    budget,
    chart_helpers,
    evolutions,
    maps,
    overview,
    parcours,
    partenariat,
    plan_actions,
    territoires,
)
from figures.formats import fmt_date, fmt_decimal, fmt_pct
from figures.scope import Scope
from figures.screens import Screen, Source, screen, summary_of
from figures.theme import Caption


@screen("synthese", "Synthèse")
def synthese(source: Source, scope: Scope) -> Screen:
    """The key figures of the period and what they say."""
    summary = summary_of(source, scope)
    message = summary.sentences[0] if summary.sentences else f"Les chiffres clés {scope.pendant}."
    notes = (*summary.sentences[1:], f"Comparaison : {scope.precedente().periode}.")
    return Screen("synthese", "Les chiffres clés", message, summary.figures,
                  table=overview.platform_table(source.indicator, scope), notes=notes,
                  definitions=("saisines", "accompagnements_debutes", "entrees_logement",
                               "acces_logement_sans_domicile", "maintien_12m", "taux_sortie_positive",
                               "budget_projection"))


@screen("evolutions", "Évolution des saisines")
def evolutions_screen(source: Source, scope: Scope) -> Screen:
    """Referrals month by month against the same months a year before."""
    serie = evolutions.SERIES["saisines"]
    data = evolutions.series_data(source.indicator, scope, serie, "mois")
    chart = evolutions.year_over_year_figure(data, Caption("Saisines par mois, comparées à l'année précédente",
                                                           scope.legende))
    summary = summary_of(source, scope)
    figure = summary.figure("saisines")
    message = next((s for s in summary.sentences if s.startswith("Les saisines")),
                   f"{figure.value_text} saisines {scope.pendant}.")
    return Screen("evolutions", "Évolution des saisines", message, (figure,), chart=chart,
                  notes=(f"Comparaison : mêmes mois de l'année précédente ({scope.precedente().periode}).",),
                  definitions=("saisines",))


@screen("parcours", "Parcours : de la saisine au logement")
def parcours_screen(source: Source, scope: Scope) -> Screen:
    """The funnel of the period, with exits and access to housing."""
    stages = parcours.funnel_stages(source.indicator, scope).get("ensemble", [])
    chart = parcours.funnel_figure(stages, Caption("Parcours de la période : de la saisine au logement",
                                                   scope.legende, note=parcours.FUNNEL_SHORT_NOTE))
    summary = summary_of(source, scope)
    figures = tuple(summary.figure(i) for i in ("acces_logement", "sorties_positives", "maintien"))
    logement = summary.figure("acces_logement")
    message = (f"{logement.value_text} ménages sont entrés dans un logement {scope.pendant}, "
               f"{logement.detail}.") if not logement.masked else "De la saisine à l'accès au logement."
    return Screen("parcours", "Parcours : de la saisine au logement", message, figures, chart=chart,
                  notes=(parcours.FUNNEL_NOTE,),
                  definitions=("saisines", "taux_acceptation", "accompagnements_debutes", "entrees_logement",
                               "maintien_12m", "taux_sortie_positive"))


@screen("budget", "Budget : consommation des crédits")
def budget_screen(source: Source, scope: Scope) -> Screen:
    """Payments of the year against the conventions, with the projection to 31 December."""
    params = {"fin": scope.fin, "plateformes": list(scope.plateformes)}
    lines = source.indicator("budget_consommation", **params)
    projection = source.indicator("budget_projection", **params)
    previous = scope.precedente()
    previous_params = {"fin": previous.fin, "plateformes": list(previous.plateformes)}
    figures = budget.key_figures(lines, projection, source.indicator("budget_consommation", **previous_params),
                                 source.indicator("budget_projection", **previous_params), scope.fin)
    cumul = source.indicator("budget_cumul", **params)
    options = budget.burnup_options(cumul)
    chart = budget.burn_up(cumul, options[0], projection, scope.fin, scope.legende) if options else None
    row = budget.ensemble_projection(projection)
    if row and row.get("montant_conventionne"):
        message = (f"{fmt_pct(row['taux_consommation'], 0)} des crédits {scope.fin.year} sont payés au "
                   f"{fmt_date(scope.fin)} ; au rythme actuel, {fmt_pct(row['taux_consommation_projete'], 0)} "
                   f"au 31 décembre ({row['alerte']}).")
    else:
        message = f"Aucune convention de financement pour {scope.fin.year} dans le périmètre."
    wanted = ("Payé", "Taux de consommation", "Projection au 31/12")
    chosen = tuple(f for f in figures if f.label.startswith(wanted)) or tuple(figures[:3])
    return Screen("budget", "Budget : consommation des crédits", message, chosen, chart=chart,
                  table=budget.projection_table(projection),
                  notes=("Projection : payé × jours de l'année / jours écoulés ; alerte sous 90 % ou au-delà de "
                         "100 % du conventionné.",),
                  definitions=("budget_consommation", "budget_projection"))


@screen("plan_actions", "Plan d'actions")
def plan_screen(source: Source, scope: Scope) -> Screen:
    """The actions by axe and statut, the late ones highlighted."""
    plan = source.indicator("plan_actions", fin=scope.fin)
    figures = plan_actions.key_figures(plan, scope.fin)
    late = source.indicator("actions_en_retard", fin=scope.fin)
    total = int(plan["nb_actions"].sum()) if not plan.is_empty() else 0
    done = int(plan.filter(pl.col("statut") == "realisee")["nb_actions"].sum()) if total else 0
    message = (f"{done} action{'s' if done > 1 else ''} réalisée{'s' if done > 1 else ''} sur {total} ; "
               f"{late.height} en retard au {fmt_date(scope.fin)}.") if total else "Aucune action dans le plan."
    return Screen("plan_actions", "Plan d'actions", message, tuple(figures[:3]),
                  chart=plan_actions.actions_by_axe(plan, scope.legende) if total else None,
                  table=plan_actions.late_table(late) if late.height else None,
                  notes=tuple(f"En retard : {r['id_action']} — {r['intitule']}" for r in late.head(8).iter_rows(
                      named=True)),
                  definitions=("plan_actions", "actions_en_retard"))


@screen("partenariat", "Partenariat et captation")
def partenariat_screen(source: Source, scope: Scope) -> Screen:
    """Meetings, commissions de fluidité and housing captured."""
    names = ("instances", "commissions_fluidite", "situations_examinees", "logements_captes")
    current = {n: source.indicator(n, **scope.params(maille="ensemble")) for n in names}
    before = {n: source.indicator(n, **scope.precedente().params(maille="ensemble")) for n in names}
    figures = partenariat.key_figures(current, before)
    months = source.indicator("instances", **scope.params(maille="ensemble", pas="mois"))
    chart = partenariat.instances_by_month(months, chart_helpers.months_between(scope.debut, scope.fin),
                                           scope.legende)
    texts = {f.label: f.value_text for f in figures}
    message = "Animation du réseau : " + " ; ".join(f"{v} {k.lower()}" for k, v in list(texts.items())[:3]) + "."
    return Screen("partenariat", "Partenariat et captation", message, tuple(figures[:3]), chart=chart,
                  definitions=names)


@screen("carte", "Carte des territoires")
def carte_screen(source: Source, scope: Scope) -> Screen:
    """Referrals per 10 000 inhabitants by platform, the area covered by no platform shown as such."""
    indicator = territoires.spec("saisines")
    mode = territoires.PER_10000
    frame = source.indicator(indicator.indicator, **scope.params(maille="plateforme"))
    outlines = source.outlines("plateforme")
    values = territoires.territory_values(frame, indicator, outlines, list(scope.plateformes))
    title = territoires.map_title(indicator, mode, "plateforme")
    styled = maps.style(source.map_base("plateforme"), territoires.shown_frame(values, indicator, mode),
                        territoires.classes_for(values, indicator, mode), title)
    chart = maps.choropleth_figure(styled, Caption(title, scope.legende))
    platforms = source.platforms()
    population = int(platforms.filter(pl.col("plateforme").is_in(list(scope.plateformes)))
                     ["population_municipale"].sum() or 0) or None
    overall = territoires.scope_value(source.indicator(indicator.indicator, **scope.params(maille="ensemble")),
                                      indicator, population)
    ranked = values.filter(~pl.col("masque") & pl.col("pour_10000").is_not_null()).sort("pour_10000",
                                                                                         descending=True)
    if ranked.height >= 2 and overall.pour_10000 is not None:
        top, bottom = ranked.row(0, named=True), ranked.row(-1, named=True)
        message = (f"{fmt_decimal(overall.pour_10000)} saisines pour 10 000 habitants {scope.pendant} : de "
                   f"{fmt_decimal(bottom['pour_10000'])} ({bottom['libelle']}) à {fmt_decimal(top['pour_10000'])} "
                   f"({top['libelle']}).")
    else:
        message = f"Saisines pour 10 000 habitants par plateforme {scope.pendant}."
    table = territoires.ranking_table(values, indicator, mode, "plateforme", None)
    return Screen("carte", "Carte des territoires", message, chart=chart, table=table,
                  notes=("Taux pour 10 000 habitants : population municipale INSEE des communes de la plateforme. "
                         "Les territoires couverts par aucune plateforme sont hachurés.",),
                  definitions=("saisines_pour_10000_habitants",))
