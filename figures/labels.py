"""French labels of the value lists of the data (`commission_fluidite` → « Commission de fluidité »).

Shared by the figure builders and the pages. Append new dictionaries or keys; don't rename existing ones.
"""

from __future__ import annotations


def label(labels: dict, value) -> str:
    """The French label of a value, else the value made readable (`mandat_de_gestion` → « Mandat de gestion »)."""
    if value is None:
        return "Non renseigné"
    if value in labels:
        return labels[value]
    text = str(value).replace("_", " ")
    return text[:1].upper() + text[1:]


# --- partenariat ----------------------------------------------------------------------------------------

TYPES_INSTANCE = {
    "coordination": "Réunion de coordination",
    "concertation": "Concertation",
    "commission_fluidite": "Commission de fluidité",
    "copil": "COPIL",
    "cotech": "COTECH",
    "formation": "Formation",
}

PARCS = {"prive": "Parc privé", "social": "Parc social"}

DISPOSITIFS_CAPTATION = {
    "IML": "Intermédiation locative",
    "bail_glissant": "Bail glissant",
    "mandat_de_gestion": "Mandat de gestion",
    "conventionnement_anah": "Conventionnement Anah",
    "contingent_prefectoral": "Contingent préfectoral",
    "pension_de_famille": "Pension de famille",
    "non renseigné": "Non renseigné",
}

# --- budget ---------------------------------------------------------------------------------------------

FINANCEURS = {
    "DIHAL": "DIHAL",
    "FSE+": "FSE+",
    "Departement": "Département",
    "Etat": "État",
    "EPCI": "EPCI",
    "Segur": "Ségur",
    "autre": "Autres financeurs",
    "Ensemble": "Tous financeurs",
}

# --- plan d'actions -------------------------------------------------------------------------------------

AXES = {
    1: "Produire et mobiliser des logements abordables et adaptés",
    2: "Promouvoir et accélérer l'accès au logement",
    3: "Mieux accompagner les personnes",
    4: "Prévenir les ruptures dans les parcours résidentiels",
    5: "Mobiliser les acteurs locaux",
}

STATUTS_ACTION = {
    "a_lancer": "À lancer",
    "en_cours": "En cours",
    "realisee": "Réalisée",
    "reportee": "Reportée",
    "abandonnee": "Abandonnée",
}


def axe_label(axe: int | None, short: bool = False) -> str:
    """`Axe 3 — Mieux accompagner les personnes`, or `Axe 3` when short."""
    if axe is None:
        return "Axe non renseigné"
    if short or int(axe) not in AXES:
        return f"Axe {int(axe)}"
    return f"Axe {int(axe)} — {AXES[int(axe)]}"
