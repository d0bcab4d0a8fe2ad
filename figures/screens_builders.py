"""The screens of the COPIL sequence, one builder each (registered in `figures.screens`)."""

from __future__ import annotations

from figures import overview
from figures.scope import Scope
from figures.screens import Screen, Source, screen, summary_of


@screen("synthese", "Synthèse")
def synthese(source: Source, scope: Scope) -> Screen:
    """The key figures of the period and what they say."""
    summary = summary_of(source, scope)
    message = summary.sentences[0] if summary.sentences else f"Les chiffres clés, {scope.periode}."
    notes = (*summary.sentences[1:], f"Comparaison : {scope.precedente().periode}.")
    return Screen("synthese", "Les chiffres clés", message, summary.figures,
                  table=overview.platform_table(source.indicator, scope), notes=notes,
                  definitions=("saisines", "accompagnements_debutes", "entrees_logement",
                               "acces_logement_sans_domicile", "maintien_12m", "taux_sortie_positive",
                               "budget_projection"))
