"""The `public` filter of the household indicators, against values counted by hand on the fixture warehouse.

Referrals (situations) of the fixture, with their situation at referral and publics:
- S01 15/01/2025 Lens-Hénin H01 rue (sans domicile), sante_mentale + addictions, accepted after 10 days;
- S02 03/02/2025 Lens-Hénin H02 hébergé chez un tiers, violences_intrafamiliales, accepted after 17 days;
- S04 02/04/2025 Calaisis H03 hébergement d'urgence (sans domicile), jeune_vulnerable, refused after 10 days;
- S05 20/05/2025 Calaisis H04 logement menacé, expulsion, accepted after 10 days;
- S06 01/07/2025 Lens-Hénin H01 hébergement d'insertion (sans domicile), no public, accepted after 10 days;
- S07 15/12/2025 Calaisis H05 sortie d'institution, sortant_prison, pending;
- S08 20/11/2024 Lens-Hénin H06 rue (sans domicile), errance, accepted after 10 days.
S03 is an espace ressource solicitation (no household, no public, no situation).
Measures take the publics of their referral: A01 (S01: sans domicile, sante_mentale, addictions), A02 (S02:
violences_intrafamiliales), A03 (S05: expulsion), A04 (S08: sans domicile, errance). Housing entries take the
household's: H01 and H06 sans domicile, H02 violences_intrafamiliales, H04 expulsion.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from etl.contracts import PUBLICS
from queries import PUBLICS_FILTRE, ParameterError, catalogue, run

ALL = ["Audomarois", "Calaisis", "Lens-Hénin"]
Y2025 = {"debut": date(2025, 1, 1), "fin": date(2025, 12, 31), "plateformes": ALL}
SD = "sans_domicile"

HOUSEHOLD_INDICATORS = {
    "saisines", "sollicitations", "sollicitations_espace_ressource", "saisines_pour_10000_habitants",
    "taux_acceptation", "delai_decision", "profil", "accompagnements_debutes", "file_active", "bilans_a_jour",
    "bilans_en_retard", "sorties", "taux_sortie_positive", "duree_accompagnement", "acces_logement",
    "acces_logement_sans_domicile", "delai_acces", "maintien_6m", "maintien_12m", "participants_fse",
    "cout_par_menage", "entrees_logement",
}
# Activity and money: meetings, dwellings, euros, the plan and the targets are not about households.
NOT_HOUSEHOLD_INDICATORS = {
    "instances", "commissions_fluidite", "situations_examinees", "logements_captes", "budget_consommation",
    "budget_projection", "cofinancement", "postes_plafonds", "plan_actions", "actions_en_retard", "cibles",
}


def q(con, name, public, **params):
    ind = catalogue()[name]
    merged = {**Y2025, "public": public, **params}
    return run(name, con, **{k: v for k, v in merged.items() if k in ind.parametres})


def by_territory(frame, column):
    return dict(zip(frame["territoire"], frame[column], strict=True))


def rows(frame, *columns):
    return frame.select(*columns).rows()


# --- the parameter ------------------------------------------------------------------------------------

def test_household_indicators_take_public_and_activity_money_ones_do_not():
    taking = {name for name, ind in catalogue().items() if "public" in ind.parametres}
    assert taking >= HOUSEHOLD_INDICATORS
    assert not taking & NOT_HOUSEHOLD_INDICATORS
    assert all(catalogue()[name].parametres["public"] == "tous" for name in taking)
    for name in taking:  # documented in the definition
        assert "public" in catalogue()[name].definition.lower(), name


def test_publics_filtre_lists_every_value_with_a_french_label():
    assert list(PUBLICS_FILTRE) == ["tous", SD, *PUBLICS]
    assert PUBLICS_FILTRE["tous"] == "Tous les publics"
    assert PUBLICS_FILTRE[SD] == "Personnes sans domicile"
    assert PUBLICS_FILTRE["jeune_vulnerable"] == "Jeunes vulnérables"
    for value, label in PUBLICS_FILTRE.items():
        assert label and label[0].isupper() and "_" not in label, value


def test_unknown_public_is_refused_with_the_allowed_values(con):
    with pytest.raises(ParameterError, match="public « sdf » inconnu ; publics possibles : tous, sans_domicile, "
                                             "jeune_vulnerable, violences_intrafamiliales"):
        run("saisines", con, public="sdf", **Y2025)
    with pytest.raises(ParameterError, match="public"):
        run("saisines", con, public=["errance"], **Y2025)
    with pytest.raises(ParameterError, match="paramètre\\(s\\) inconnu\\(s\\) pour instances : public"):
        run("instances", con, public=SD, **Y2025)


def test_tous_is_the_default(con):
    for name in sorted(HOUSEHOLD_INDICATORS):
        ind = catalogue()[name]
        params = {k: v for k, v in Y2025.items() if k in ind.parametres}
        assert run(name, con, **params).equals(run(name, con, public="tous", **params)), name


# --- referrals ----------------------------------------------------------------------------------------

def test_saisines_by_public(con):
    # Sans domicile: Lens-Hénin S01 (rue), S06 (hébergement d'insertion); Calaisis S04 (hébergement d'urgence).
    assert by_territory(q(con, "saisines", SD), "nb_saisines") == {"Audomarois": 0, "Calaisis": 1, "Lens-Hénin": 2}
    assert by_territory(q(con, "saisines", "jeune_vulnerable"), "nb_saisines") == {
        "Audomarois": 0, "Calaisis": 1, "Lens-Hénin": 0}  # S04
    # A referral with two publics counts for each: S01 is sante_mentale and addictions.
    assert by_territory(q(con, "saisines", "addictions"), "nb_saisines")["Lens-Hénin"] == 1
    assert by_territory(q(con, "saisines", "sortant_ase"), "nb_saisines") == {
        "Audomarois": 0, "Calaisis": 0, "Lens-Hénin": 0}
    # S08 (errance) is dated 2024.
    assert q(con, "saisines", "errance", maille="ensemble", debut=date(2024, 1, 1))["nb_saisines"].to_list() == [1]


def test_sollicitations_espace_ressource_only_match_tous(con):
    # S03, the only espace ressource solicitation, has no household: it counts only for « tous ».
    result = q(con, "sollicitations", SD)
    assert rows(result, "territoire", "nb_sollicitations", "nb_saisines", "nb_espace_ressource") == [
        ("Audomarois", 0, 0, 0), ("Calaisis", 1, 1, 0), ("Lens-Hénin", 2, 2, 0)]
    assert by_territory(q(con, "sollicitations_espace_ressource", "tous"), "nb_espace_ressource")["Lens-Hénin"] == 1
    for public in PUBLICS_FILTRE:
        if public != "tous":
            assert set(q(con, "sollicitations_espace_ressource", public)["nb_espace_ressource"]) == {0}, public


def test_saisines_per_10000_inhabitants_by_public(con):
    population = dict(con.execute("SELECT plateforme, population_municipale FROM ref.plateformes").fetchall())
    result = q(con, "saisines_pour_10000_habitants", SD)
    assert by_territory(result, "nb_saisines") == {"Audomarois": 0, "Calaisis": 1, "Lens-Hénin": 2}
    rates = by_territory(result, "nb_saisines_pour_10000_hab")
    assert rates["Lens-Hénin"] == pytest.approx(2 * 10000 / population["Lens-Hénin"])  # population unchanged


def test_taux_acceptation_and_delai_decision_by_public(con):
    # Sans domicile: Lens-Hénin S01, S06 accepted (2/2, 10 and 10 days); Calaisis S04 refused (0/1, 10 days).
    result = q(con, "taux_acceptation", SD)
    assert rows(result, "territoire", "nb_decidees", "nb_acceptees", "taux_acceptation") == [
        ("Audomarois", 0, 0, None), ("Calaisis", 1, 0, 0.0), ("Lens-Hénin", 2, 2, 1.0)]
    assert by_territory(q(con, "taux_acceptation", "expulsion"), "taux_acceptation")["Calaisis"] == 1.0  # S05
    assert by_territory(q(con, "delai_decision", SD), "nb_jours_decision_median") == {
        "Audomarois": None, "Calaisis": 10, "Lens-Hénin": 10}
    # Violences intrafamiliales: S02 only, decided after 17 days.
    assert by_territory(q(con, "delai_decision", "violences_intrafamiliales"), "nb_jours_decision_median") == {
        "Audomarois": None, "Calaisis": None, "Lens-Hénin": 17}


def test_profil_by_public(con):
    # Sans domicile, Lens-Hénin: S01 (sante_mentale, addictions) and S06 (no public).
    result = q(con, "profil", SD, variable="publics", plateformes=["Lens-Hénin"])
    assert dict(zip(result["modalite"], result["nb_saisines"], strict=True)) == {
        "addictions": 1, "sante_mentale": 1, "non renseigné": 1}
    assert set(result["nb_saisines_total"]) == {2}
    # Sexes of S01, S06, S04: all M.
    sexes = q(con, "profil", SD, variable="sexe", maille="ensemble")
    assert rows(sexes, "modalite", "nb_saisines", "taux_part") == [("M", 3, 1.0)]


# --- measures -----------------------------------------------------------------------------------------

def test_accompagnements_debutes_and_file_active_by_public(con):
    # 2025 starts: A01 (sans domicile) Lens-Hénin; A03 (expulsion) Calaisis. A04 started in 2024.
    assert by_territory(q(con, "accompagnements_debutes", SD), "nb_accompagnements_debutes") == {
        "Audomarois": 0, "Calaisis": 0, "Lens-Hénin": 1}
    assert by_territory(q(con, "accompagnements_debutes", "expulsion"), "nb_accompagnements_debutes") == {
        "Audomarois": 0, "Calaisis": 1, "Lens-Hénin": 0}
    # Sans domicile, Lens-Hénin by quarter: A01 (01/02/2025, open) and A04 (until 15/05/2025).
    quarters = q(con, "file_active", SD, pas="trimestre", plateformes=["Lens-Hénin"])
    assert quarters["nb_file_active"].to_list() == [2, 2, 1, 1]


def test_bilans_by_public(con):
    # Sans domicile, Lens-Hénin: A01 3 and 6 months on time, A04 3 months late → 2 of 3. Calaisis: A03 is not.
    result = q(con, "bilans_a_jour", SD)
    assert rows(result, "territoire", "nb_bilans_attendus", "nb_bilans_a_jour") == [
        ("Audomarois", 0, 0), ("Calaisis", 0, 0), ("Lens-Hénin", 3, 2)]
    assert by_territory(result, "taux_bilans_a_jour")["Lens-Hénin"] == pytest.approx(2 / 3)
    assert rows(q(con, "bilans_en_retard", SD), "id_accompagnement", "echeance") == [("A04", "3 mois")]
    assert rows(q(con, "bilans_en_retard", "violences_intrafamiliales"), "id_accompagnement", "echeance") == [
        ("A02", "6 mois")]


def test_sorties_by_public(con):
    # Ended in 2025: A04 (sans domicile, rupture, 165 days), A02 (violences, accès au logement, 213 days).
    assert rows(q(con, "sorties", SD), "territoire", "motif_fin", "nb_sorties") == [("Lens-Hénin", "rupture", 1)]
    assert by_territory(q(con, "taux_sortie_positive", SD), "taux_sortie_positive") == {
        "Audomarois": None, "Calaisis": None, "Lens-Hénin": 0.0}
    assert by_territory(q(con, "taux_sortie_positive", "violences_intrafamiliales"), "taux_sortie_positive") == {
        "Audomarois": None, "Calaisis": None, "Lens-Hénin": 1.0}
    result = q(con, "duree_accompagnement", SD, plateformes=["Lens-Hénin"])
    assert rows(result, "nb_sorties", "nb_jours_accompagnement_median") == [(1, 165)]


def test_participants_fse_by_public(con):
    # 2025 measures lasting > 1 day: only A01 (H01, M 25-34) is sans domicile; A03 (H04, F 50-64) is expulsion.
    assert rows(q(con, "participants_fse", SD, maille="ensemble"), "sexe", "tranche_age", "nb_participants") == [
        ("M", "25-34", 1)]
    assert rows(q(con, "participants_fse", "expulsion", maille="ensemble"), "sexe", "tranche_age",
                "nb_participants") == [("F", "50-64", 1)]


def test_cout_par_menage_by_public(con):
    # Households followed in 2025: Lens-Hénin H01 (A01), H02 (A02), H06 (A04), Calaisis H04 (A03). Sans domicile:
    # H01, H06. Payments cannot be split by public: the cost per household stays the average over all of them
    # (Lens-Hénin 15 000 / 3; ensemble 45 000,50 / 4), empty where the public has no household.
    result = q(con, "cout_par_menage", SD)
    assert rows(result, "territoire", "nb_menages_accompagnes", "nb_menages_tous_publics", "montant_par_menage") == [
        ("Audomarois", 0, 0, None), ("Calaisis", 0, 1, None), ("Lens-Hénin", 2, 3, 5000.0),
        ("ensemble", 2, 4, 45000.5 / 4)]


# --- housing ------------------------------------------------------------------------------------------

def test_entrees_logement_by_public(con):
    # Sans domicile: H01, H06 (Lens-Hénin); expulsion: H04 (Calaisis).
    assert by_territory(q(con, "entrees_logement", SD), "nb_entrees") == {
        "Audomarois": 0, "Calaisis": 0, "Lens-Hénin": 2}
    assert by_territory(q(con, "entrees_logement", "expulsion"), "nb_entrees") == {
        "Audomarois": 0, "Calaisis": 1, "Lens-Hénin": 0}


def test_acces_logement_by_public(con):
    # Sans domicile households entering in 2025: H01 (IML), H06 (pension de famille), both Lens-Hénin.
    assert rows(q(con, "acces_logement", SD), "territoire", "type_logement", "nb_entrees") == [
        ("Lens-Hénin", "IML", 1), ("Lens-Hénin", "pension_de_famille", 1)]
    assert rows(q(con, "acces_logement", "expulsion"), "territoire", "type_logement", "nb_entrees") == [
        ("Calaisis", "parc_prive", 1)]  # H04
    # The national headline is already sans domicile; a public narrows it: H06 is errance, H01 is not.
    assert by_territory(q(con, "acces_logement_sans_domicile", SD), "nb_entrees_sans_domicile")["Lens-Hénin"] == 2
    assert by_territory(q(con, "acces_logement_sans_domicile", "errance"), "nb_entrees_sans_domicile") == {
        "Audomarois": 0, "Calaisis": 0, "Lens-Hénin": 1}
    assert set(q(con, "acces_logement_sans_domicile", "expulsion")["nb_entrees_sans_domicile"]) == {0}


def test_delai_acces_by_public(con):
    # Sans domicile: H06 73 days, H01 137 days → median 105.
    assert by_territory(q(con, "delai_acces", SD), "nb_jours_acces_median") == {
        "Audomarois": None, "Calaisis": None, "Lens-Hénin": 105}
    assert by_territory(q(con, "delai_acces", "violences_intrafamiliales"), "nb_jours_acces_median")[
        "Lens-Hénin"] == 224  # H02


def test_maintien_by_public(con):
    # 6 months, 2025, sans domicile: H06 (relogement: retained), H01 (still housed) → 2/2.
    result = q(con, "maintien_6m", SD)
    assert rows(result, "territoire", "nb_entrees_6m", "nb_maintenus_6m") == [
        ("Audomarois", 0, 0), ("Calaisis", 0, 0), ("Lens-Hénin", 2, 2)]
    # 12 months, 2026: sans domicile H06, H01 retained → 2/2; expulsion: H04 left (expulsion) → 0/1.
    y2026 = {"debut": date(2026, 1, 1), "fin": date(2026, 12, 31), "maille": "ensemble"}
    assert rows(q(con, "maintien_12m", SD, **y2026), "nb_entrees_12m", "nb_maintenus_12m", "taux_maintien_12m") == [
        (2, 2, 1.0)]
    assert rows(q(con, "maintien_12m", "expulsion", **y2026), "nb_entrees_12m", "nb_maintenus_12m",
                "taux_maintien_12m") == [(1, 0, 0.0)]


def test_publics_partition_is_consistent(con):
    """For every public, the filtered count never exceeds « tous »; sans domicile + others = tous."""
    for name, column in (("saisines", "nb_saisines"), ("accompagnements_debutes", "nb_accompagnements_debutes"),
                         ("file_active", "nb_file_active"), ("maintien_6m", "nb_entrees_6m")):
        total = q(con, name, "tous", maille="ensemble", debut=date(2024, 1, 1))[column][0]
        for public in PUBLICS_FILTRE:
            assert q(con, name, public, maille="ensemble", debut=date(2024, 1, 1))[column][0] <= total


# --- fallbacks (on a private copy of the warehouse) ---------------------------------------------------

@pytest.fixture
def con_rw(warehouse_copy):
    connection = duckdb.connect(str(warehouse_copy))
    yield connection
    connection.close()


def _pseudonym(con, id_saisine):
    return con.execute("SELECT id_menage FROM raw.saisines WHERE id_saisine = ?", [id_saisine]).fetchone()[0]


def test_measure_without_referral_takes_the_households_first_referral(con_rw):
    # A05: a measure of H01 naming no referral → H01's first referral S01 (rue, sante_mentale, addictions),
    # not its later S06 (hébergement d'insertion, no public).
    con_rw.execute(
        "INSERT INTO raw.accompagnements (id_accompagnement, id_menage, id_saisine, plateforme, mesure, date_debut, "
        "_fichier) VALUES ('A05', ?, NULL, 'Lens-Hénin', 'ASLL', DATE '2025-09-01', 'test')",
        [_pseudonym(con_rw, "S01")])
    started = {p: by_territory(q(con_rw, "accompagnements_debutes", p), "nb_accompagnements_debutes")["Lens-Hénin"]
               for p in ("tous", SD, "sante_mentale", "addictions", "errance")}
    assert started == {"tous": 3, SD: 2, "sante_mentale": 2, "addictions": 2, "errance": 0}


def test_housing_entry_takes_the_publics_of_all_the_households_referrals(con_rw):
    # H02 gets a second referral S09 (sortant_ase, in the street): its housing entry now counts for sortant_ase,
    # while « sans domicile » stays read on its first referral S02 (hébergé chez un tiers), as in the national
    # count.
    # Its measure A02 keeps the publics of S02, the referral it came from.
    con_rw.execute(
        "INSERT INTO raw.saisines (id_saisine, date_saisine, plateforme, type_sollicitation, id_menage, "
        "code_commune, situation_logement, publics, decision, _fichier) VALUES ('S09', DATE '2025-06-01', "
        "'Lens-Hénin', 'situation', ?, '62510', 'rue', ['sortant_ase'], 'en_attente', 'test')",
        [_pseudonym(con_rw, "S02")])
    sortant_ase = q(con_rw, "acces_logement", "sortant_ase")
    assert rows(sortant_ase, "territoire", "type_logement", "nb_entrees") == [("Lens-Hénin", "parc_social", 1)]
    assert rows(q(con_rw, "acces_logement", SD), "type_logement") == [("IML",), ("pension_de_famille",)]
    assert by_territory(q(con_rw, "accompagnements_debutes", "sortant_ase"), "nb_accompagnements_debutes")[
        "Lens-Hénin"] == 0
    assert by_territory(q(con_rw, "saisines", "sortant_ase"), "nb_saisines")["Lens-Hénin"] == 1  # S09 itself
