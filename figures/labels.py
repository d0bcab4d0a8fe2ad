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

# --- parcours (saisines, accompagnements, profil) -------------------------------------------------------

ORIENTEURS = {
    "SIAO": "SIAO",
    "CCAS": "CCAS",
    "bailleur": "Bailleur social",
    "association": "Association",
    "service_social_departemental": "Service social départemental",
    "sante": "Santé (hôpital, CMP…)",
    "justice": "Justice (SPIP, PJJ…)",
    "menage": "Le ménage lui-même",
    "autre": "Autre orienteur",
    "non renseigné": "Non renseigné",
}

COMPOSITIONS = {
    "personne_seule": "Personne seule",
    "couple_sans_enfant": "Couple sans enfant",
    "famille_monoparentale": "Famille monoparentale",
    "couple_avec_enfants": "Couple avec enfant(s)",
    "autre": "Autre composition",
    "non renseigné": "Non renseigné",
}

TRANCHES_AGE = {
    "18-24": "18 à 24 ans",
    "25-34": "25 à 34 ans",
    "35-49": "35 à 49 ans",
    "50-64": "50 à 64 ans",
    "65+": "65 ans ou plus",
    "non renseigné": "Non renseigné",
}

SEXES = {"F": "Femme", "M": "Homme", "X": "Autre ou non précisé (X)", "non renseigné": "Non renseigné"}

SITUATIONS_LOGEMENT = {
    "rue": "À la rue",
    "habitat_precaire": "Habitat précaire (squat, campement…)",
    "hebergement_urgence": "Hébergement d'urgence",
    "hebergement_insertion": "Hébergement d'insertion",
    "heberge_tiers": "Hébergé chez un tiers",
    "sortie_institution": "Sortie d'institution",
    "logement_menace": "Logement menacé (expulsion)",
    "logement_indigne": "Logement indigne",
    "logement_autonome": "Logement autonome",
    "non renseigné": "Non renseigné",
}

PUBLICS = {
    "jeune_vulnerable": "Jeunes vulnérables",
    "violences_intrafamiliales": "Victimes de violences intrafamiliales",
    "sante_mentale": "Troubles psychiques",
    "addictions": "Conduites addictives",
    "expulsion": "Menacés d'expulsion",
    "sortant_prison": "Sortants de prison",
    "sortant_ase": "Sortants de l'aide sociale à l'enfance",
    "errance": "Personnes en errance",
    "non renseigné": "Aucun public spécifique",
}

VARIABLES_PROFIL = {
    "orienteur": "Orienteur",
    "composition": "Composition du ménage",
    "tranche_age": "Âge de la personne de référence",
    "sexe": "Sexe de la personne de référence",
    "situation_logement": "Situation de logement à la saisine",
    "publics": "Publics spécifiques",
}

PROFILS = {
    "orienteur": ORIENTEURS,
    "composition": COMPOSITIONS,
    "tranche_age": TRANCHES_AGE,
    "sexe": SEXES,
    "situation_logement": SITUATIONS_LOGEMENT,
    "publics": PUBLICS,
}

MOTIFS_FIN = {
    "acces_logement": "Accès au logement",
    "maintien_consolide": "Maintien dans le logement consolidé",
    "rupture": "Rupture de l'accompagnement",
    "non_adhesion": "Non-adhésion du ménage",
    "demenagement": "Déménagement hors du territoire",
    "reorientation": "Réorientation vers un autre dispositif",
    "deces": "Décès",
    "autre": "Autre motif",
    "non renseigné": "Motif non renseigné",
}

MOTIFS_FIN_POSITIFS = ("acces_logement", "maintien_consolide")

MESURES = {
    "accompagnement_renforce": "Accompagnement renforcé",
    "AVDL": "AVDL",
    "ASLL": "ASLL",
    "IML": "Intermédiation locative (IML)",
    "bail_glissant": "Bail glissant",
    "chez_soi_dabord": "Un chez-soi d'abord",
    "autre": "Autre mesure",
}

# --- territoires ----------------------------------------------------------------------------------------

MAILLES = {
    "ensemble": "Ensemble",
    "departement": "Département",
    "plateforme": "Plateforme",
    "epci": "EPCI",
    "commune": "Commune",
}
