"""The annual report (XLSX) for the dialogue de gestion with the DIHAL and the FSE+ report: per financeur
and action, conventionné / engagé / payé; the year's activity per platform; FSE+ participants by sex and age;
coordinator posts against the funding caps; the action plan.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from exports.tables import Sheet, workbook
from figures import labels
from figures.formats import fmt_date, fmt_eur, fmt_int, fmt_masked, fmt_pct
from figures.overview import COUNT, RATE, Fetch, platform_table
from figures.scope import Scope
from figures.theme import confidentiality_note

ACTIVITY_COLUMNS = (
    ("saisines", "nb_saisines", "Saisines", COUNT),
    ("sollicitations_espace_ressource", "nb_espace_ressource", "Sollicitations espace ressource", COUNT),
    ("taux_acceptation", "taux_acceptation", "Taux d'acceptation", RATE),
    ("accompagnements_debutes", "nb_accompagnements_debutes", "Accompagnements débutés", COUNT),
    ("file_active", "nb_file_active", "Ménages accompagnés (file active)", COUNT),
    ("taux_sortie_positive", "nb_sorties", "Sorties d'accompagnement", COUNT),
    ("taux_sortie_positive", "taux_sortie_positive", "Taux de sortie positive", RATE),
    ("entrees_logement", "nb_entrees", "Accès au logement", COUNT),
    ("acces_logement_sans_domicile", "nb_entrees_sans_domicile", "dont personnes sans domicile", COUNT),
    ("maintien_12m", "taux_maintien_12m", "Maintien dans le logement à 12 mois", RATE),
    ("bilans_a_jour", "taux_bilans_a_jour", "Bilans à jour", RATE),
    ("instances", "nb_instances", "Instances organisées", COUNT),
    ("commissions_fluidite", "nb_commissions_fluidite", "Commissions de fluidité", COUNT),
    ("logements_captes", "nb_logements_captes", "Logements captés", COUNT),
)


def _money(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    return frame.with_columns(pl.col(c).map_elements(lambda v: fmt_eur(v, cents=True), return_dtype=pl.Utf8)
                              for c in columns)


def financements(fetch: Fetch, scope: Scope) -> pl.DataFrame:
    """Per financeur and action: conventionné, engagé, payé, versé, taux de consommation, reste."""
    lines = fetch("budget_consommation", fin=scope.fin, plateformes=list(scope.plateformes))
    if lines.is_empty():
        return pl.DataFrame({"Financeur": [], "Action": []}, schema={"Financeur": pl.Utf8, "Action": pl.Utf8})
    amounts = ["montant_conventionne", "montant_engage", "montant_paye", "montant_verse_recu", "montant_reste"]
    grouped = lines.group_by("financeur", "action", "axe", maintain_order=True).agg(pl.col(amounts).sum())
    totals = lines.group_by("financeur", maintain_order=True).agg(pl.col(amounts).sum()).with_columns(
        pl.lit("Total du financeur").alias("action"), pl.lit(None, pl.Int64).alias("axe"))
    everything = lines.select(pl.col(amounts).sum()).with_columns(
        pl.lit("Tous financeurs").alias("financeur"), pl.lit("Total général").alias("action"),
        pl.lit(None, pl.Int64).alias("axe"))
    rows = pl.concat([grouped.sort("financeur", "axe", "action"), totals.select(grouped.columns),
                      everything.select(grouped.columns)], how="vertical_relaxed")
    rows = rows.with_columns((pl.col("montant_paye").cast(pl.Float64)
                              / pl.col("montant_conventionne").cast(pl.Float64)).alias("taux"))
    out = rows.select(
        pl.col("financeur").replace(labels.FINANCEURS).alias("Financeur"),
        pl.col("action").alias("Action"),
        pl.col("axe").cast(pl.Utf8).fill_null("").alias("Axe"),
        *[pl.col(c) for c in amounts],
        pl.col("taux").map_elements(fmt_pct, return_dtype=pl.Utf8).alias("Taux de consommation"),
    )
    out = _money(out, amounts)
    return out.rename({"montant_conventionne": "Conventionné", "montant_engage": "Engagé", "montant_paye": "Payé",
                       "montant_verse_recu": "Versé au porteur", "montant_reste": "Reste à consommer"})


def participants_fse(fetch: Fetch, scope: Scope) -> pl.DataFrame:
    """FSE+ participants by sex and age band, masked like the screen."""
    frame = fetch("participants_fse", **scope.params(maille="ensemble"))
    return frame.select(
        pl.col("sexe").replace(labels.SEXES).alias("Sexe"),
        pl.col("tranche_age").fill_null("non renseignée").alias("Tranche d'âge"),
        pl.struct("nb_participants", "nb_participants_masque").map_elements(
            lambda r: fmt_masked(r["nb_participants"], r["nb_participants_masque"]), return_dtype=pl.Utf8
        ).alias("Participants"),
    )


def postes(fetch: Fetch, scope: Scope) -> pl.DataFrame:
    """Coordinator posts against the funding caps (Département, Ségur)."""
    frame = fetch("postes_plafonds", fin=scope.fin, plateformes=list(scope.plateformes))
    return frame.select(
        pl.col("financeur").replace(labels.FINANCEURS).alias("Financeur"),
        pl.col("nb_etp").map_elements(lambda v: f"{v:.2f}".replace(".", ","), return_dtype=pl.Utf8).alias("ETP"),
        *[pl.col(c).map_elements(lambda v: fmt_eur(v, cents=True), return_dtype=pl.Utf8).alias(label)
          for c, label in (("montant_cout_postes", "Coût des postes"), ("montant_conventionne", "Conventionné"),
                           ("montant_plafond", "Plafond"), ("montant_ecart", "Écart au plafond"))],
        pl.col("statut").alias("Statut"),
    )


def plan(fetch: Fetch, scope: Scope) -> pl.DataFrame:
    """The action plan by axe and statut."""
    frame = fetch("plan_actions", fin=scope.fin)
    return frame.select(
        pl.col("axe").map_elements(lambda a: f"{a}. {labels.AXES.get(a, '')}", return_dtype=pl.Utf8).alias("Axe"),
        pl.col("statut").replace(labels.STATUTS_ACTION).alias("Statut"),
        pl.col("nb_actions").map_elements(fmt_int, return_dtype=pl.Utf8).alias("Actions"),
        pl.col("taux_avancement_moyen").map_elements(lambda v: fmt_pct(v, 0), return_dtype=pl.Utf8)
        .alias("Avancement moyen"),
        pl.col("nb_actions_en_retard").map_elements(fmt_int, return_dtype=pl.Utf8).alias("En retard"),
    )


def bilan(fetch: Fetch, year: int, plateformes: list[str], all_platforms: bool, territory: str, seuil: int,
          today: date | None = None) -> bytes:
    """The annual report of a year as an XLSX workbook."""
    today = today or date.today()
    fin = min(date(year, 12, 31), today)
    scope = Scope(date(year, 1, 1), fin, tuple(plateformes), toutes_plateformes=all_platforms)
    subtitle = f"{territory} — {scope.legende} — état au {fmt_date(fin)}"
    notice = (confidentiality_note(seuil),)
    sheets = [
        Sheet("Financements", financements(fetch, scope), f"Bilan {year} : crédits par financeur et par action",
              subtitle, ("Montants conventionnés de l'année, engagements et paiements cumulés à la date d'état ; "
                         "« versé au porteur » : versements reçus des financeurs.",)),
        Sheet("Activité", platform_table(fetch, scope, ACTIVITY_COLUMNS), f"Bilan {year} : activité par plateforme",
              subtitle, notice),
        Sheet("Participants FSE+", participants_fse(fetch, scope), f"Bilan {year} : participants FSE+ par sexe et "
              "âge", subtitle, ("Participants : ménages distincts dans une mesure d'accompagnement de plus d'un jour "
                                "débutée dans l'année.", *notice)),
        Sheet("Postes", postes(fetch, scope), f"Bilan {year} : postes de coordination et plafonds de financement",
              subtitle, ("Département : 40 % du coût, au plus 22 800 € par ETP et par an ; Ségur : 5 270 € par "
                         "ETP.",)),
        Sheet("Plan d'actions", plan(fetch, scope), f"Bilan {year} : plan d'actions", subtitle),
    ]
    return workbook(sheets)
