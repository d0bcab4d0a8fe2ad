"""The delay distributions of the Parcours page against numbers computed by hand on tests/fixtures/warehouse.

Decision delays of the 2025 situations (date_decision - date_saisine): Lens-Hénin S01 10 days, S02 17, S06 10;
Calaisis S04 10, S05 10 (S07 is pending, S08 dated 2024 took 10 days). Access delays of the 2025 entries (first
accepted referral → entry): H06 73 days (20/11/2024 → 01/02/2025), H01 137 (15/01 → 01/06), H02 224
(03/02 → 15/09), all Lens-Hénin; H04 73 (20/05 → 01/08), Calaisis.
"""

from __future__ import annotations

from datetime import date

from queries import catalogue, display, run

ALL = ["Audomarois", "Calaisis", "Lens-Hénin"]
Y2025 = {"debut": date(2025, 1, 1), "fin": date(2025, 12, 31), "plateformes": ALL}


def rows(frame, *columns):
    return frame.select(*columns).rows()


def test_delai_decision_classes_by_platform(con):
    result = run("delai_decision_classes", con, **Y2025)
    assert rows(result, "territoire", "classe_delai", "nb_decisions", "nb_decisions_total") == [
        ("Calaisis", "moins de 15 jours", 2, 2),  # S04, S05: 10 days each
        ("Lens-Hénin", "moins de 15 jours", 2, 3),  # S01, S06
        ("Lens-Hénin", "15 à 30 jours", 1, 3),  # S02: 17 days
    ]
    assert result.filter(result["territoire"] == "Lens-Hénin")["taux_part"].to_list() == [2 / 3, 1 / 3]


def test_delai_decision_classes_bounds_and_ensemble(con):
    # 14 days is « moins de 15 jours », 15 and 30 days « 15 à 30 jours », 31 days « 1 à 3 mois »: S02 (17 days)
    # is the only one over 14 days; the 2024 referral S08 (10 days) joins the first class.
    result = run("delai_decision_classes", con, maille="ensemble", **{**Y2025, "debut": date(2024, 1, 1)})
    assert rows(result, "classe_delai", "ordre_classe", "nb_decisions", "nb_decisions_total") == [
        ("moins de 15 jours", 1, 5, 6), ("15 à 30 jours", 2, 1, 6)]
    assert sum(result["nb_decisions"]) == run("delai_decision", con, maille="ensemble", **{
        **Y2025, "debut": date(2024, 1, 1)})["nb_decisions"][0]


def test_delai_decision_classes_public_and_mask(con):
    # Sans domicile (situation at referral rue / hébergement): S01 (rue), S04 (urgence), S06 (insertion).
    result = run("delai_decision_classes", con, maille="ensemble", public="sans_domicile", **Y2025)
    assert rows(result, "classe_delai", "nb_decisions") == [("moins de 15 jours", 3)]
    shown = display("delai_decision_classes", con, maille="ensemble", **Y2025)
    # 4 + 1 decisions: both classes are small, so both are masked, and so are the shares.
    assert rows(shown, "classe_delai", "nb_decisions", "nb_decisions_masque", "taux_part_masque") == [
        ("moins de 15 jours", None, True, True), ("15 à 30 jours", None, True, True)]


def test_delai_acces_classes(con):
    result = run("delai_acces_classes", con, **Y2025)
    assert rows(result, "territoire", "classe_delai", "nb_entrees", "nb_entrees_total") == [
        ("Calaisis", "moins de 3 mois", 1, 1),  # H04: 73 days
        ("Lens-Hénin", "moins de 3 mois", 1, 3),  # H06: 73 days
        ("Lens-Hénin", "3 à 6 mois", 1, 3),  # H01: 137 days
        ("Lens-Hénin", "6 à 12 mois", 1, 3),  # H02: 224 days
    ]
    ensemble = run("delai_acces_classes", con, maille="ensemble", **Y2025)
    assert rows(ensemble, "classe_delai", "nb_entrees") == [
        ("moins de 3 mois", 2), ("3 à 6 mois", 1), ("6 à 12 mois", 1)]
    assert ensemble["nb_entrees"].sum() == run("delai_acces", con, maille="ensemble", **Y2025)["nb_entrees"][0]


def test_delai_acces_classes_by_quarter_and_scope(con):
    result = run("delai_acces_classes", con, pas="trimestre", **{**Y2025, "plateformes": ["Lens-Hénin"]})
    assert rows(result, "periode", "classe_delai", "nb_entrees") == [
        (date(2025, 1, 1), "moins de 3 mois", 1), (date(2025, 4, 1), "3 à 6 mois", 1),
        (date(2025, 7, 1), "6 à 12 mois", 1)]
    assert set(result["territoire"]) == {"Lens-Hénin"}


def test_headers():
    for name in ("delai_decision_classes", "delai_acces_classes"):
        ind = catalogue()[name]
        assert ind.dimensions == ("territoire", "periode", "classe_delai")
        assert ind.parametres["public"] == "tous"
        assert ind.secret
