"""Declarative contracts of the import tables (domain.md section 3).

One `Contract` per table says which columns a coordinator's file carries, their type, whether they are
required, their allowed values, the table's key, row-level rules and references to other tables.
The loader (`etl.load`), the templates (`etl.templates`) and the demo generator (`etl.demo`) all read
these contracts: nothing about a table's shape is written anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Column kinds. Each maps to a parser in `etl.parse` and a DuckDB type in `SQL_TYPES`.
TEXT = "text"  # free short text (identifiers, labels)
INT = "int"  # whole number, >= min
NUMBER = "number"  # decimal number (decimal comma accepted)
MONEY = "money"  # euros, decimal comma and "€" accepted, >= 0
RATE = "rate"  # share 0-1 ("60 %" and 0,6 accepted)
DATE = "date"  # dd/mm/yyyy, yyyy-mm-dd or Excel serial
YEAR = "year"  # 4-digit year
ENUM = "enum"  # one value of `values`
ENUM_LIST = "enum_list"  # `|`-separated values of `values`
COMMUNE = "commune"  # INSEE commune code, must exist in the reference geography
EPCI = "epci"  # EPCI SIREN, must exist in the reference geography
PSEUDONYM = "pseudonym"  # household identifier: always replaced by a keyed hash

SQL_TYPES = {
    TEXT: "VARCHAR",
    INT: "BIGINT",
    NUMBER: "DOUBLE",
    MONEY: "DECIMAL(18,2)",
    RATE: "DOUBLE",
    DATE: "DATE",
    YEAR: "INTEGER",
    ENUM: "VARCHAR",
    ENUM_LIST: "VARCHAR[]",
    COMMUNE: "VARCHAR",
    EPCI: "VARCHAR",
    PSEUDONYM: "VARCHAR",
}

KIND_LABELS = {
    TEXT: "texte",
    INT: "nombre entier",
    NUMBER: "nombre (virgule décimale acceptée)",
    MONEY: "montant en euros (ex. 45 600,50)",
    RATE: "taux entre 0 et 1 ou en pourcentage (ex. 0,6 ou 60 %)",
    DATE: "date jj/mm/aaaa",
    YEAR: "année sur 4 chiffres",
    ENUM: "une valeur de la liste",
    ENUM_LIST: "une ou plusieurs valeurs de la liste, séparées par |",
    COMMUNE: "code commune INSEE sur 5 caractères (ex. 62041, 2A004)",
    EPCI: "SIREN de l'EPCI sur 9 chiffres (ex. 246200364)",
    PSEUDONYM: "identifiant du ménage (remplacé par un pseudonyme à l'import)",
}


@dataclass(frozen=True)
class Column:
    """One column of an import file."""

    name: str
    kind: str
    required: bool = False
    values: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    description: str = ""
    example: str = ""


@dataclass(frozen=True)
class DateOrder:
    """`after` must not be earlier than `before` when both are filled."""

    before: str
    after: str


@dataclass(frozen=True)
class ExactlyOne:
    """Exactly one of the columns is filled."""

    columns: tuple[str, ...]


@dataclass(frozen=True)
class FilledTogether:
    """The columns are either all filled or all empty."""

    columns: tuple[str, ...]


@dataclass(frozen=True)
class Reference:
    """Every filled value of `column` must exist in `table`.`target` (as loaded after this import)."""

    column: str
    table: str
    target: str


Rule = DateOrder | ExactlyOne | FilledTogether


@dataclass(frozen=True)
class Contract:
    """The shape of one import table."""

    table: str
    title: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    references: tuple[Reference, ...] = ()
    grain: str = ""
    examples: tuple[dict, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


# --- value lists (domain.md section 3) ---------------------------------------------------------------

PLATEFORME_DESC = "nom de la plateforme, tel qu'il figure dans le découpage"

TYPES_SOLLICITATION = ("situation", "espace_ressource")
ORIENTEURS = (
    "SIAO", "CCAS", "bailleur", "association", "service_social_departemental", "sante", "justice",
    "menage", "autre",
)
COMPOSITIONS = (
    "personne_seule", "couple_sans_enfant", "famille_monoparentale", "couple_avec_enfants", "autre",
)
TRANCHES_AGE = ("18-24", "25-34", "35-49", "50-64", "65+")
SEXES = ("F", "M", "X")
SITUATIONS_LOGEMENT = (
    "rue", "habitat_precaire", "hebergement_urgence", "hebergement_insertion", "heberge_tiers",
    "sortie_institution", "logement_menace", "logement_indigne", "logement_autonome",
)
SITUATIONS_SANS_DOMICILE = ("rue", "habitat_precaire", "hebergement_urgence", "hebergement_insertion")
PUBLICS = (
    "jeune_vulnerable", "violences_intrafamiliales", "sante_mentale", "addictions", "expulsion",
    "sortant_prison", "sortant_ase", "errance",
)
DECISIONS = ("acceptee", "reorientee", "refusee", "sans_suite", "en_attente")
MESURES = ("accompagnement_renforce", "AVDL", "ASLL", "IML", "bail_glissant", "chez_soi_dabord", "autre")
MOTIFS_FIN = (
    "acces_logement", "maintien_consolide", "rupture", "non_adhesion", "demenagement", "reorientation",
    "deces", "autre",
)
MOTIFS_FIN_POSITIFS = ("acces_logement", "maintien_consolide")
TYPES_LOGEMENT = (
    "parc_social", "parc_prive", "IML", "bail_glissant", "pension_de_famille", "residence_accueil",
    "residence_sociale", "autre",
)
# National count of "accès au logement des personnes sans domicile": résidence sociale and private
# housing outside IML are excluded.
TYPES_LOGEMENT_ACCES_SANS_DOMICILE = (
    "parc_social", "IML", "bail_glissant", "pension_de_famille", "residence_accueil",
)
MOTIFS_SORTIE = (
    "expulsion", "depart_volontaire", "relogement", "hospitalisation", "incarceration", "deces", "autre",
)
TYPES_INSTANCE = ("coordination", "concertation", "commission_fluidite", "copil", "cotech", "formation")
PARCS = ("prive", "social")
FINANCEURS = ("DIHAL", "FSE+", "Departement", "Etat", "EPCI", "Segur", "autre")
NATURES_DEPENSE = ("personnel", "fonctionnement", "prestation")
MOUVEMENTS = ("engagement", "paiement", "versement_recu")
STATUTS_ACTION = ("a_lancer", "en_cours", "realisee", "reportee", "abandonnee")
AXES = (1, 2, 3, 4, 5)

_PLATEFORME_REF = Reference("plateforme", "decoupage", "plateforme")


def _plateforme(required: bool = True) -> Column:
    return Column("plateforme", TEXT, required=required, description=PLATEFORME_DESC,
                  example="Calaisis")


CONTRACTS: dict[str, Contract] = {}


def _register(contract: Contract) -> Contract:
    CONTRACTS[contract.table] = contract
    return contract


_register(Contract(
    table="decoupage",
    title="Découpage territorial",
    description="Les EPCI ou communes couverts par chaque plateforme. Une ligne par EPCI ou commune : "
                "renseigner soit code_epci (toutes les communes de l'EPCI), soit code_commune.",
    grain="une ligne par EPCI ou commune rattaché à une plateforme",
    columns=(
        _plateforme(),
        Column("code_epci", EPCI, description="SIREN de l'EPCI couvert", example="246200364"),
        Column("code_commune", COMMUNE, description="code INSEE de la commune couverte",
               example="62498"),
    ),
    key=("code_epci", "code_commune"),
    rules=(ExactlyOne(("code_epci", "code_commune")),),
))

_register(Contract(
    table="saisines",
    title="Saisines et sollicitations",
    description="Les fiches saisines reçues par les plateformes (situations) et les sollicitations de "
                "l'espace ressource (conseil sans suivi individuel).",
    grain="une ligne par saisine ou sollicitation",
    columns=(
        Column("id_saisine", TEXT, required=True, description="identifiant unique de la saisine",
               example="S-2026-0001"),
        Column("date_saisine", DATE, required=True, description="date de réception", example="03/02/2026"),
        _plateforme(),
        Column("type_sollicitation", ENUM, required=True, values=TYPES_SOLLICITATION,
               description="situation individuelle ou sollicitation de l'espace ressource",
               example="situation"),
        Column("id_menage", PSEUDONYM, description="identifiant du ménage (pseudonymisé à l'import)",
               example="M-0001"),
        Column("code_commune", COMMUNE, description="commune de résidence ou de domiciliation",
               example="62193"),
        Column("orienteur", ENUM, values=ORIENTEURS, description="partenaire à l'origine de la saisine",
               example="SIAO"),
        Column("composition", ENUM, values=COMPOSITIONS, description="composition du ménage",
               example="personne_seule"),
        Column("nb_personnes", INT, min=1, max=30, description="nombre de personnes du ménage",
               example="1"),
        Column("tranche_age", ENUM, values=TRANCHES_AGE, description="tranche d'âge de la personne de "
               "référence", example="25-34"),
        Column("sexe", ENUM, values=SEXES, description="sexe de la personne de référence (F, M ou X)",
               example="F"),
        Column("situation_logement", ENUM, values=SITUATIONS_LOGEMENT,
               description="situation de logement à la saisine", example="heberge_tiers"),
        Column("publics", ENUM_LIST, values=PUBLICS, description="publics spécifiques, séparés par |",
               example="sante_mentale|addictions"),
        Column("decision", ENUM, required=True, values=DECISIONS, description="décision de la plateforme",
               example="acceptee"),
        Column("date_decision", DATE, description="date de la décision", example="17/02/2026"),
    ),
    key=("id_saisine",),
    rules=(DateOrder("date_saisine", "date_decision"),),
    references=(_PLATEFORME_REF,),
))

_register(Contract(
    table="accompagnements",
    title="Mesures d'accompagnement",
    description="Les mesures d'accompagnement mobilisées, avec les dates de bilans et la sortie.",
    grain="une ligne par mesure d'accompagnement",
    columns=(
        Column("id_accompagnement", TEXT, required=True, description="identifiant unique de la mesure",
               example="A-2026-0001"),
        Column("id_menage", PSEUDONYM, required=True, description="identifiant du ménage", example="M-0001"),
        Column("id_saisine", TEXT, description="saisine à l'origine de la mesure", example="S-2026-0001"),
        _plateforme(),
        Column("mesure", ENUM, required=True, values=MESURES, description="type de mesure",
               example="accompagnement_renforce"),
        Column("operateur", TEXT, description="opérateur qui porte la mesure", example="Association X"),
        Column("date_debut", DATE, required=True, description="début de la mesure", example="01/03/2026"),
        Column("date_bilan_3m", DATE, description="date de réception du bilan à 3 mois",
               example="05/06/2026"),
        Column("date_bilan_6m", DATE, description="date de réception du bilan à 6 mois",
               example="02/09/2026"),
        Column("date_bilan_12m", DATE, description="date de réception du bilan à 12 mois", example=""),
        Column("date_fin", DATE, description="fin de la mesure (vide si en cours)", example=""),
        Column("motif_fin", ENUM, values=MOTIFS_FIN, description="motif de fin (obligatoire si date_fin)",
               example=""),
    ),
    key=("id_accompagnement",),
    rules=(
        DateOrder("date_debut", "date_bilan_3m"),
        DateOrder("date_debut", "date_bilan_6m"),
        DateOrder("date_debut", "date_bilan_12m"),
        DateOrder("date_debut", "date_fin"),
        FilledTogether(("date_fin", "motif_fin")),
    ),
    references=(_PLATEFORME_REF, Reference("id_saisine", "saisines", "id_saisine")),
))

_register(Contract(
    table="logements",
    title="Entrées dans un logement",
    description="L'entrée d'un ménage accompagné dans un logement, et sa sortie éventuelle.",
    grain="une ligne par entrée d'un ménage dans un logement",
    columns=(
        Column("id_menage", PSEUDONYM, required=True, description="identifiant du ménage", example="M-0001"),
        _plateforme(),
        Column("date_entree", DATE, required=True, description="date d'entrée dans le logement",
               example="15/05/2026"),
        Column("type_logement", ENUM, required=True, values=TYPES_LOGEMENT, description="type de logement",
               example="parc_social"),
        Column("code_commune", COMMUNE, description="commune du logement", example="62193"),
        Column("date_sortie", DATE, description="date de sortie du logement (vide si toujours logé)",
               example=""),
        Column("motif_sortie", ENUM, values=MOTIFS_SORTIE,
               description="motif de sortie (obligatoire si date_sortie)", example=""),
    ),
    key=("id_menage", "date_entree"),
    rules=(DateOrder("date_entree", "date_sortie"), FilledTogether(("date_sortie", "motif_sortie"))),
    references=(_PLATEFORME_REF,),
))

_register(Contract(
    table="instances",
    title="Instances et réunions",
    description="Les réunions organisées ou auxquelles la plateforme a participé.",
    grain="une ligne par réunion",
    columns=(
        Column("date", DATE, required=True, description="date de la réunion", example="12/03/2026"),
        _plateforme(),
        Column("type_instance", ENUM, required=True, values=TYPES_INSTANCE, description="type de réunion",
               example="commission_fluidite"),
        Column("nb_participants", INT, min=0, description="nombre de participants", example="12"),
        Column("nb_situations", INT, min=0, description="nombre de situations examinées", example="6"),
    ),
    references=(_PLATEFORME_REF,),
))

_register(Contract(
    table="captations",
    title="Captation de logements",
    description="Les logements captés (parc privé ou social), par exemple en intermédiation locative.",
    grain="une ligne par captation (un ou plusieurs logements)",
    columns=(
        Column("date", DATE, required=True, description="date de la captation", example="20/04/2026"),
        _plateforme(),
        Column("code_commune", COMMUNE, description="commune du ou des logements", example="62160"),
        Column("parc", ENUM, required=True, values=PARCS, description="parc privé ou social", example="prive"),
        Column("dispositif", TEXT, description="dispositif de captation", example="IML"),
        Column("typologie", TEXT, description="typologie (T1, T2…)", example="T2"),
        Column("nb_logements", INT, required=True, min=1, description="nombre de logements captés",
               example="1"),
    ),
    references=(_PLATEFORME_REF,),
))

_register(Contract(
    table="financements",
    title="Lignes de financement",
    description="Les lignes des conventions de financement (DIHAL, FSE+, Département, Ségur…).",
    grain="une ligne par ligne de convention et par année",
    columns=(
        Column("id_financement", TEXT, required=True, description="identifiant unique de la ligne",
               example="DIHAL-2026-01"),
        Column("financeur", ENUM, required=True, values=FINANCEURS, description="financeur", example="DIHAL"),
        Column("annee", YEAR, required=True, description="année de la convention", example="2026"),
        Column("action", TEXT, required=True, description="action financée", example="Coordination"),
        Column("axe", INT, required=True, min=1, max=5, description="axe du plan (1 à 5)", example="3"),
        _plateforme(required=False),
        Column("montant_conventionne", MONEY, required=True, description="montant conventionné en euros",
               example="120 000"),
        Column("taux_cofinancement", RATE, description="part attendue de ce financeur dans le coût de "
               "l'action", example="60 %"),
        Column("date_signature", DATE, description="date de signature de la convention",
               example="15/02/2026"),
    ),
    key=("id_financement",),
    references=(_PLATEFORME_REF,),
))

_register(Contract(
    table="depenses",
    title="Dépenses et recettes",
    description="Les mouvements sur chaque ligne de financement : engagements, paiements, versements reçus.",
    grain="une ligne par mouvement",
    columns=(
        Column("date", DATE, required=True, description="date du mouvement", example="31/03/2026"),
        Column("id_financement", TEXT, required=True, description="ligne de financement concernée",
               example="DIHAL-2026-01"),
        Column("nature", ENUM, required=True, values=NATURES_DEPENSE, description="nature de la dépense",
               example="personnel"),
        Column("mouvement", ENUM, required=True, values=MOUVEMENTS, description="type de mouvement",
               example="paiement"),
        Column("montant", MONEY, required=True, description="montant en euros", example="9 500,00"),
    ),
    references=(Reference("id_financement", "financements", "id_financement"),),
))

_register(Contract(
    table="postes",
    title="Postes de coordination",
    description="Les postes de coordinateur de chaque plateforme, par année.",
    grain="une ligne par plateforme et par année",
    columns=(
        _plateforme(),
        Column("annee", YEAR, required=True, description="année", example="2026"),
        Column("etp", NUMBER, required=True, min=0, max=50, description="équivalents temps plein",
               example="1"),
        Column("cout_annuel", MONEY, required=True, description="coût annuel chargé en euros",
               example="57 000"),
        Column("operateur", TEXT, description="employeur du poste", example="Association X"),
    ),
    key=("plateforme", "annee"),
    references=(_PLATEFORME_REF,),
))

_register(Contract(
    table="plan_actions",
    title="Plan d'actions",
    description="Les actions du plan Logement d'abord, par axe.",
    grain="une ligne par action",
    columns=(
        Column("id_action", TEXT, required=True, description="identifiant de l'action", example="1.2"),
        Column("axe", INT, required=True, min=1, max=5, description="axe du plan (1 à 5)", example="1"),
        Column("intitule", TEXT, required=True, description="intitulé de l'action",
               example="Mobiliser le parc privé"),
        Column("pilote", TEXT, description="pilote de l'action", example="DDETS"),
        Column("statut", ENUM, required=True, values=STATUTS_ACTION, description="statut", example="en_cours"),
        Column("avancement_pct", NUMBER, min=0, max=100, description="avancement en % (0 à 100)",
               example="40"),
        Column("echeance", DATE, description="échéance", example="31/12/2026"),
    ),
    key=("id_action",),
))

_register(Contract(
    table="cibles",
    title="Cibles",
    description="Les valeurs cibles des indicateurs, pour toutes les plateformes (plateforme vide) ou "
                "une plateforme.",
    grain="une ligne par indicateur, plateforme et année",
    columns=(
        Column("indicateur", TEXT, required=True, description="identifiant de l'indicateur",
               example="saisines"),
        _plateforme(required=False),
        Column("annee", YEAR, required=True, description="année", example="2026"),
        Column("valeur_cible", NUMBER, required=True, min=0, description="valeur cible", example="300"),
    ),
    key=("indicateur", "plateforme", "annee"),
    references=(_PLATEFORME_REF,),
))

# Load order: referenced tables first.
LOAD_ORDER = (
    "decoupage", "financements", "saisines", "accompagnements", "logements", "instances", "captations",
    "depenses", "postes", "plan_actions", "cibles",
)
assert set(LOAD_ORDER) == set(CONTRACTS)

# Column names that reveal a person. Matched on the normalised header (lower case, no accents,
# `_` for spaces); such a column is dropped with a warning and never reaches the warehouse.
IDENTIFYING_COLUMNS = (
    "nom", "prenom", "prenoms", "nom_prenom", "nom_usage", "nom_naissance", "nom_de_naissance",
    "nom_famille", "nom_de_famille", "date_naissance", "date_de_naissance", "ddn", "lieu_naissance",
    "lieu_de_naissance", "telephone", "tel", "portable", "mobile", "email", "e_mail", "mail", "courriel",
    "adresse", "adresse_postale", "adresse_mail", "rue", "numero_rue", "code_postal", "nir",
    "numero_securite_sociale", "num_secu", "securite_sociale", "n_secu", "caf", "numero_caf",
    "numero_allocataire", "ine", "num_dossier_siao",
)
