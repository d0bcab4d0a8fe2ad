"""Every indicator against numbers computed by hand on tests/fixtures/warehouse.

The fixture (2024-2025): platforms Lens-Hénin (EPCIs 246200364, 246200299), Calaisis (200090751) and
Audomarois (200069037, no data at all). Referrals S01-S08, measures A01-A04, housing entries of households
H01, H02, H04, H06 — see the CSV files; each expected value below says how it was counted.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import duckdb
import polars as pl
import pytest

from queries import ParameterError, catalogue, previous_period, run
from queries.targets import targets_status

ALL = ["Audomarois", "Calaisis", "Lens-Hénin"]
Y2025 = {"debut": date(2025, 1, 1), "fin": date(2025, 12, 31), "plateformes": ALL}


def by_territory(frame: pl.DataFrame, column: str) -> dict:
    return dict(zip(frame["territoire"], frame[column], strict=True))


def q(con, name, **params):
    ind = catalogue()[name]
    merged = {**Y2025, **params}
    return run(name, con, **{k: v for k, v in merged.items() if k in ind.parametres})


# --- saisines -----------------------------------------------------------------------------------------

def test_saisines(con):
    # 2025 situations: Lens-Hénin S01 S02 S06 (S03 is espace ressource, S08 is 2024); Calaisis S04 S05 S07.
    assert by_territory(q(con, "saisines"), "nb_saisines") == {"Audomarois": 0, "Calaisis": 3, "Lens-Hénin": 3}


def test_saisines_period_bounds_and_empty_period(con):
    # Bounds are inclusive: S01 is dated 15/01/2025, S02 03/02/2025.
    one_day = q(con, "saisines", debut=date(2025, 1, 15), fin=date(2025, 1, 15))
    assert by_territory(one_day, "nb_saisines")["Lens-Hénin"] == 1
    empty = q(con, "saisines", debut=date(2023, 1, 1), fin=date(2023, 12, 31))
    assert by_territory(empty, "nb_saisines") == {"Audomarois": 0, "Calaisis": 0, "Lens-Hénin": 0}


def test_saisines_by_quarter_commune_and_scope(con):
    quarters = q(con, "saisines", pas="trimestre", plateformes=["Calaisis"])
    assert quarters.select("periode", "nb_saisines").rows() == [
        (date(2025, 1, 1), 0), (date(2025, 4, 1), 2), (date(2025, 7, 1), 0), (date(2025, 10, 1), 1)]
    assert set(quarters["territoire"]) == {"Calaisis"}  # never outside the scope
    communes = q(con, "saisines", maille="commune", plateformes=["Lens-Hénin"])
    nonzero = communes.filter(pl.col("nb_saisines") > 0)
    assert by_territory(nonzero, "nb_saisines") == {"62498": 2, "62510": 1}  # Lens S01 S06, Liévin S02
    assert communes.height == 50  # every commune of the platform
    ensemble = q(con, "saisines", maille="ensemble")
    assert ensemble.select("territoire", "nb_saisines").rows() == [("ensemble", 6)]


def test_sollicitations_and_espace_ressource(con):
    result = q(con, "sollicitations")
    assert result.filter(pl.col("territoire") == "Lens-Hénin").select(
        "nb_sollicitations", "nb_saisines", "nb_espace_ressource").rows() == [(4, 3, 1)]
    assert by_territory(q(con, "sollicitations_espace_ressource"), "nb_espace_ressource") == {
        "Audomarois": 0, "Calaisis": 0, "Lens-Hénin": 1}


def test_saisines_per_10000_inhabitants(con, fixture_warehouse):
    result = q(con, "saisines_pour_10000_habitants")
    population = dict(con.execute("SELECT plateforme, population_municipale FROM ref.plateformes").fetchall())
    rates = by_territory(result, "nb_saisines_pour_10000_hab")
    assert rates["Calaisis"] == pytest.approx(3 * 10000 / population["Calaisis"])
    assert rates["Audomarois"] == 0
    ensemble = q(con, "saisines_pour_10000_habitants", maille="ensemble")
    assert ensemble["nb_saisines_pour_10000_hab"][0] == pytest.approx(6 * 10000 / sum(population.values()))


def test_taux_acceptation_and_division_by_zero(con):
    # Lens-Hénin: S01 S02 S06 accepted (3/3). Calaisis: S04 refused, S05 accepted, S07 pending → 1/2.
    result = q(con, "taux_acceptation")
    assert by_territory(result, "taux_acceptation") == {"Audomarois": None, "Calaisis": 0.5, "Lens-Hénin": 1.0}


def test_delai_decision(con):
    # Lens-Hénin: S01 10 days, S02 17, S06 10 → median 10. Calaisis: S04 10, S05 10 → 10.
    result = q(con, "delai_decision")
    assert by_territory(result, "nb_jours_decision_median") == {"Audomarois": None, "Calaisis": 10, "Lens-Hénin": 10}
    result = q(con, "delai_decision", maille="ensemble", debut=date(2024, 1, 1))  # + S08 (10 days)
    assert result.select("nb_decisions", "nb_jours_decision_median").rows() == [(6, 10)]


def test_profil(con):
    result = q(con, "profil", variable="publics", plateformes=["Lens-Hénin"])
    parts = dict(zip(result["modalite"], result["nb_saisines"], strict=True))
    assert parts == {"sante_mentale": 1, "addictions": 1, "violences_intrafamiliales": 1, "non renseigné": 1}
    assert set(result["nb_saisines_total"]) == {3}
    sexes = q(con, "profil", variable="sexe", maille="ensemble")
    assert dict(zip(sexes["modalite"], sexes["taux_part"], strict=True)) == {"M": 4 / 6, "F": 2 / 6}
    with pytest.raises(ParameterError, match="variable « revenu » inconnue"):
        q(con, "profil", variable="revenu")


# --- accompagnements ----------------------------------------------------------------------------------

def test_accompagnements_debutes(con):
    # 2025: A01 (01/02), A02 (01/03) Lens-Hénin; A03 (10/06) Calaisis. A04 started 01/12/2024.
    assert by_territory(q(con, "accompagnements_debutes"), "nb_accompagnements_debutes") == {
        "Audomarois": 0, "Calaisis": 1, "Lens-Hénin": 2}


def test_file_active_measure_without_end_and_at_a_date(con):
    # Lens-Hénin by quarter: A01 (open, no end), A02 (ends 30/09), A04 (ends 15/05).
    quarters = q(con, "file_active", pas="trimestre", plateformes=["Lens-Hénin"])
    assert quarters["nb_file_active"].to_list() == [3, 3, 2, 1]
    on_a_date = q(con, "file_active", debut=date(2025, 6, 1), fin=date(2025, 6, 1))
    assert by_territory(on_a_date, "nb_file_active") == {"Audomarois": 0, "Calaisis": 0, "Lens-Hénin": 2}


def test_bilans_a_jour_with_a_late_review(con):
    # Lens-Hénin: A01 3m (due 01/05, got 05/05) and 6m (due 01/08, got 10/08) on time; A02 3m on time, 6m (due
    # 01/09, measure open until 30/09) missing; A04 3m due 01/03 received 20/04 (50 days: late), 6m not due
    # (ended 15/05). → 3 on time of 5. Calaisis: A03 3m due 10/09 missing; 6m due 10/12 not yet late → 0 of 1.
    result = q(con, "bilans_a_jour")
    assert result.select("territoire", "nb_bilans_attendus", "nb_bilans_a_jour", "taux_bilans_a_jour").rows() == [
        ("Audomarois", 0, 0, None), ("Calaisis", 1, 0, 0.0), ("Lens-Hénin", 5, 3, 0.6)]


def test_bilans_en_retard_list(con):
    result = q(con, "bilans_en_retard")
    assert result.select("plateforme", "id_accompagnement", "echeance", "nb_jours_retard", "est_manquant").rows() == [
        ("Calaisis", "A03", "3 mois", 112, True),
        ("Lens-Hénin", "A04", "3 mois", 50, False),
        ("Lens-Hénin", "A02", "6 mois", 121, True),
    ]


def test_sorties_and_taux_sortie_positive(con):
    sorties = q(con, "sorties")
    assert sorties.select("territoire", "motif_fin", "nb_sorties").rows() == [
        ("Lens-Hénin", "acces_logement", 1), ("Lens-Hénin", "rupture", 1)]
    assert by_territory(q(con, "taux_sortie_positive"), "taux_sortie_positive") == {
        "Audomarois": None, "Calaisis": None, "Lens-Hénin": 0.5}


def test_duree_accompagnement(con):
    # A02: 01/03 → 30/09 = 213 days; A04: 01/12/2024 → 15/05/2025 = 165 days; median 189.
    result = q(con, "duree_accompagnement", plateformes=["Lens-Hénin"])
    assert result.select("nb_sorties", "nb_jours_accompagnement_median").rows() == [(2, 189)]


# --- logement -----------------------------------------------------------------------------------------

def test_acces_logement_by_type(con):
    result = q(con, "acces_logement")
    assert result.select("territoire", "type_logement", "nb_entrees").rows() == [
        ("Calaisis", "parc_prive", 1),
        ("Lens-Hénin", "IML", 1), ("Lens-Hénin", "parc_social", 1), ("Lens-Hénin", "pension_de_famille", 1)]


def test_acces_logement_sans_domicile(con):
    # H01 (rue at first referral) → IML: counted. H06 (rue) → pension de famille: counted.
    # H02 (hébergé chez un tiers) → parc social: not sans domicile. H04 (logement menacé) → parc privé: no.
    assert by_territory(q(con, "acces_logement_sans_domicile"), "nb_entrees_sans_domicile") == {
        "Audomarois": 0, "Calaisis": 0, "Lens-Hénin": 2}


def test_delai_acces(con):
    # First accepted referral → entry: H06 30/11/2024 → 01/02/2025... from date_saisine 20/11/2024: 73 days;
    # H01 15/01/2025 → 01/06/2025: 137; H02 03/02/2025 → 15/09/2025: 224. Median 137. Calaisis H04: 73.
    assert by_territory(q(con, "delai_acces"), "nb_jours_acces_median") == {
        "Audomarois": None, "Calaisis": 73, "Lens-Hénin": 137}


def test_maintien_6m_relogement_counts_as_retained(con):
    # 6-month anniversaries in 2025: H06 (01/02/2025, left 01/04/2025 for relogement: retained), H01 (01/06/2025,
    # still there). H04 entered 01/08/2025: anniversary in 2026.
    result = q(con, "maintien_6m")
    assert result.select("territoire", "nb_entrees_6m", "nb_maintenus_6m", "taux_maintien_6m").rows() == [
        ("Audomarois", 0, 0, None), ("Calaisis", 0, 0, None), ("Lens-Hénin", 2, 2, 1.0)]
    # In 2026, H04's 6 months end on 01/02/2026: it left on 01/10/2025 (expulsion) → not retained.
    later = q(con, "maintien_6m", debut=date(2026, 1, 1), fin=date(2026, 12, 31), plateformes=["Calaisis"])
    assert later.select("nb_entrees_6m", "nb_maintenus_6m", "taux_maintien_6m").rows() == [(1, 0, 0.0)]


def test_maintien_12m(con):
    # 12-month anniversaries in 2026: H06 (relogement: retained), H01, H02 (still housed), H04 (expulsion).
    result = q(con, "maintien_12m", debut=date(2026, 1, 1), fin=date(2026, 12, 31), maille="ensemble")
    assert result.select("nb_entrees_12m", "nb_maintenus_12m", "taux_maintien_12m").rows() == [(4, 3, 0.75)]


# --- animation, captation, FSE+ -----------------------------------------------------------------------

def test_instances_and_commissions(con):
    instances = q(con, "instances", plateformes=["Lens-Hénin"])
    assert instances.select("type_instance", "nb_instances", "nb_participants", "nb_situations").rows() == [
        ("commission_fluidite", 1, 12, 6), ("coordination", 2, 15, 7)]
    assert by_territory(q(con, "commissions_fluidite"), "nb_commissions_fluidite") == {
        "Audomarois": 0, "Calaisis": 1, "Lens-Hénin": 1}
    assert by_territory(q(con, "situations_examinees"), "nb_situations_examinees") == {
        "Audomarois": 0, "Calaisis": 6, "Lens-Hénin": 13}


def test_logements_captes(con):
    result = q(con, "logements_captes", maille="ensemble")
    assert result.select("parc", "dispositif", "nb_logements_captes").rows() == [
        ("prive", "IML", 4), ("social", "bail_glissant", 2)]


def test_participants_fse(con):
    # Measures started in 2025 lasting > 1 day: A01 (H01, M 25-34), A02 (H02, F 35-49), A03 (H04, F 50-64).
    result = q(con, "participants_fse", maille="ensemble")
    assert result.select("sexe", "tranche_age", "nb_participants").rows() == [
        ("F", "35-49", 1), ("F", "50-64", 1), ("M", "25-34", 1)]


# --- budget -------------------------------------------------------------------------------------------

def test_budget_consommation(con):
    result = q(con, "budget_consommation", fin=date(2025, 6, 30))
    dihal = result.filter(pl.col("id_financement") == "DIHAL-2025-01").row(0, named=True)
    assert dihal["plateforme"] == "Transverse"
    assert (dihal["montant_conventionne"], dihal["montant_engage"], dihal["montant_paye"]) == (
        Decimal("100000.00"), Decimal("50000.00"), Decimal("30000.50"))
    assert dihal["taux_consommation"] == pytest.approx(0.300005)
    assert dihal["montant_reste"] == Decimal("69999.50")
    # A viewer limited to Calaisis sees no transverse line and no Lens-Hénin line.
    assert q(con, "budget_consommation", plateformes=["Calaisis"]).is_empty()
    assert q(con, "budget_consommation", plateformes=["Lens-Hénin"])["id_financement"].to_list() == ["FSE-2025-01"]


def test_budget_projection_and_alert(con):
    # At 30/06/2025 (181 days of 365): DIHAL paid 30 000,50 → projected 60 498,0 of 100 000: under 90 %.
    result = q(con, "budget_projection", fin=date(2025, 6, 30))
    dihal = result.filter(pl.col("financeur") == "DIHAL").row(0, named=True)
    assert dihal["montant_projete"] == pytest.approx(30000.5 * 365 / 181)
    assert dihal["alerte"] == "sous-consommation"
    assert result["financeur"].to_list() == ["DIHAL", "Departement", "FSE+", "Ensemble"]
    ensemble = result.filter(pl.col("financeur") == "Ensemble").row(0, named=True)
    assert ensemble["montant_conventionne"] == Decimal("205600.50")
    assert ensemble["montant_paye"] == Decimal("45000.50")


def test_cout_par_menage(con):
    # 2025: Lens-Hénin pays FSE 15 000 for households H01, H02, H06 (A01, A02, A04 active) → 5 000.
    # Ensemble: 45 000,50 paid (DIHAL 30 000,50 + FSE 15 000) for 4 households.
    result = q(con, "cout_par_menage")
    assert result.select("territoire", "nb_menages_accompagnes", "montant_par_menage").rows() == [
        ("Audomarois", 0, None), ("Calaisis", 1, 0.0), ("Lens-Hénin", 3, 5000.0), ("ensemble", 4, 45000.5 / 4)]


def test_cofinancement(con):
    result = q(con, "cofinancement")
    fse = result.filter(pl.col("action") == "Accompagnement renforcé").row(0, named=True)
    assert (fse["financeur"], fse["taux_part_reelle"], fse["taux_attendu"]) == ("FSE+", 1.0, 0.6)
    assert fse["ecart_points"] == pytest.approx(0.4)


def test_postes_plafonds(con):
    # 2025: 1 + 0,8 ETP, cost 57 000 + 45 600 = 102 600. Département cap = min(1,8 × 22 800 = 41 040,
    # 40 % × 102 600 = 41 040) = 41 040; conventionné 45 600,50 → over the cap by 4 560,50.
    result = q(con, "postes_plafonds")
    dep = result.filter(pl.col("financeur") == "Departement").row(0, named=True)
    assert (dep["nb_etp"], dep["montant_plafond"], dep["montant_ecart"], dep["statut"]) == (
        1.8, Decimal("41040.00"), Decimal("4560.50"), "au-delà du plafond")
    segur = result.filter(pl.col("financeur") == "Segur").row(0, named=True)
    assert segur["montant_plafond"] == Decimal("9486.00")  # 1,8 × 5 270


def test_postes_plafonds_domain_example():
    """domain.md: 7 ETP → Département share at most 159 600 €, Ségur 36 890 €."""
    con = duckdb.connect()
    assert con.execute("SELECT 7 * 22800, 7 * 5270").fetchone() == (159600, 36890)


# --- plan, cibles -------------------------------------------------------------------------------------

def test_plan_actions(con):
    result = run("plan_actions", con, fin=date(2025, 12, 31))
    assert result.select("axe", "statut", "nb_actions", "nb_actions_en_retard").rows() == [
        (1, "en_cours", 1, 0), (2, "realisee", 1, 0), (3, "a_lancer", 1, 1), (5, "en_cours", 1, 0)]
    late = run("actions_en_retard", con, fin=date(2025, 12, 31))
    assert late.select("id_action", "nb_jours_retard").rows() == [("3.1", 275)]


def test_targets_status(con):
    # Target 2025: 10 saisines overall, 6 reached by 31/12 → en retard. Lens-Hénin: target 6, value 3, which is
    # masked (< 5): neither the value nor a status is given, since a status would narrow the masked value.
    result = targets_status(con, date(2025, 12, 31), ALL)
    assert result.select("indicateur", "plateforme", "valeur_cible", "valeur", "valeur_masquee", "statut").rows() == [
        ("saisines", "ensemble", 10.0, 6.0, False, "en retard"),
        ("saisines", "Lens-Hénin", 6.0, None, True, None)]


def test_target_status_rule():
    from queries.targets import status

    # Counts: prorated expectation. Rates: 90 % of the target. Mirrored when a fall is good.
    assert status(10, 10, 5, True) == "atteint"
    assert status(6, 10, 5, True) == "en bonne voie"
    assert status(4, 10, 5, True) == "en retard"
    assert status(20, 30, 33.3, False) == "atteint"
    assert status(32, 30, 33.3, False) == "en bonne voie"
    assert status(40, 30, 33.3, False) == "en retard"
    assert status(None, 30, 33.3, False) is None


# --- runner -------------------------------------------------------------------------------------------

def test_parameter_checking(con):
    with pytest.raises(ParameterError, match="paramètre obligatoire manquant pour saisines : plateformes"):
        run("saisines", con, debut=date(2025, 1, 1), fin=date(2025, 12, 31))
    with pytest.raises(ParameterError, match="paramètre\\(s\\) inconnu\\(s\\) pour saisines : annee"):
        run("saisines", con, annee=2025, **Y2025)
    with pytest.raises(ParameterError, match="indicateur inconnu « saisine »"):
        run("saisine", con, **Y2025)
    with pytest.raises(ParameterError, match="maille « region » inconnue"):
        run("saisines", con, maille="region", **Y2025)


def test_previous_period():
    assert previous_period(date(2025, 1, 1), date(2025, 12, 31)) == (date(2024, 1, 1), date(2024, 12, 31))
    assert previous_period(date(2025, 4, 1), date(2025, 6, 30)) == (date(2025, 1, 1), date(2025, 3, 31))
    assert previous_period(date(2025, 1, 10), date(2025, 1, 19)) == (date(2024, 12, 31), date(2025, 1, 9))


def test_previous_period_year_to_date_and_whole_months():
    # From 1 January to a date of the same year: the same dates one year earlier.
    assert previous_period(date(2025, 1, 1), date(2025, 6, 15)) == (date(2024, 1, 1), date(2024, 6, 15))
    assert previous_period(date(2025, 1, 1), date(2025, 3, 31)) == (date(2024, 1, 1), date(2024, 3, 31))
    assert previous_period(date(2025, 1, 1), date(2025, 1, 1)) == (date(2024, 1, 1), date(2024, 1, 1))
    # 29 February becomes 28 February; 28 February stays 28 February.
    assert previous_period(date(2024, 1, 1), date(2024, 2, 29)) == (date(2023, 1, 1), date(2023, 2, 28))
    assert previous_period(date(2025, 1, 1), date(2025, 2, 28)) == (date(2024, 1, 1), date(2024, 2, 28))
    # A whole year, including a leap one.
    assert previous_period(date(2025, 1, 1), date(2025, 12, 31)) == (date(2024, 1, 1), date(2024, 12, 31))
    assert previous_period(date(2024, 1, 1), date(2024, 12, 31)) == (date(2023, 1, 1), date(2023, 12, 31))
    # From 1 January to a date of a later year: not a year to date, whole months just before.
    assert previous_period(date(2024, 1, 1), date(2025, 6, 30)) == (date(2022, 7, 1), date(2023, 12, 31))
    # Whole months not starting in January: as many months just before, across a year boundary too.
    assert previous_period(date(2025, 3, 1), date(2025, 3, 31)) == (date(2025, 2, 1), date(2025, 2, 28))
    assert previous_period(date(2025, 2, 1), date(2025, 4, 30)) == (date(2024, 11, 1), date(2025, 1, 31))
    assert previous_period(date(2024, 3, 1), date(2024, 3, 31)) == (date(2024, 2, 1), date(2024, 2, 29))
    # Other periods: the same number of days just before.
    assert previous_period(date(2025, 3, 10), date(2025, 3, 16)) == (date(2025, 3, 3), date(2025, 3, 9))
    assert previous_period(date(2025, 6, 15), date(2025, 6, 15)) == (date(2025, 6, 14), date(2025, 6, 14))
    assert previous_period(date(2025, 7, 1), date(2025, 12, 30)) == (date(2024, 12, 30), date(2025, 6, 30))  # 183 days
