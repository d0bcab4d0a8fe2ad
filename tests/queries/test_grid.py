"""The grid that completes territory × period results (`queries.scope_territories`, `queries.period_starts`) is
built in Python for speed: it must list exactly what the staging macros stg.perimetre and stg.periodes list."""

from __future__ import annotations

from datetime import date

import pytest

from queries import period_starts, run, scope_territories

SCOPES = [["Audomarois", "Calaisis", "Lens-Hénin"], ["Calaisis"], ["Plateforme inconnue"], []]
PERIODS = [(date(2024, 1, 1), date(2026, 12, 31)), (date(2025, 2, 15), date(2025, 2, 15)),
           (date(2025, 3, 31), date(2026, 4, 1)), (date(2023, 11, 30), date(2024, 1, 1))]


@pytest.mark.parametrize("maille", ["ensemble", "plateforme", "epci", "commune", "departement"])
@pytest.mark.parametrize("plateformes", SCOPES)
def test_territories_are_those_of_the_macro(con, maille, plateformes):
    expected = con.execute("SELECT territoire FROM stg.perimetre($m, $p)", {"m": maille, "p": plateformes}).fetchall()
    assert sorted(scope_territories(con, maille, plateformes)) == sorted(t for (t,) in expected)


def test_territories_by_hand(con):
    assert scope_territories(con, "plateforme", ["Lens-Hénin", "Calaisis", "Plateforme inconnue"]) == [
        "Calaisis", "Lens-Hénin"]
    assert scope_territories(con, "ensemble", ["Calaisis"]) == ["ensemble"]
    assert scope_territories(con, "ensemble", ["Plateforme inconnue"]) == []


@pytest.mark.parametrize("pas", ["periode", "mois", "trimestre", "annee"])
@pytest.mark.parametrize(("debut", "fin"), PERIODS)
def test_periods_are_those_of_the_macro(con, debut, fin, pas):
    expected = con.execute("SELECT periode FROM stg.periodes($d, $f, $s) ORDER BY periode",
                           {"d": debut, "f": fin, "s": pas}).fetchall()
    assert period_starts(debut, fin, pas) == [p for (p,) in expected]


def test_periods_by_hand():
    assert period_starts(date(2025, 2, 15), date(2025, 5, 1), "mois") == [
        date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1)]
    assert period_starts(date(2025, 3, 31), date(2025, 7, 1), "trimestre") == [date(2025, 1, 1), date(2025, 4, 1),
                                                                                 date(2025, 7, 1)]
    assert period_starts(date(2024, 12, 31), date(2025, 1, 1), "annee") == [date(2024, 1, 1), date(2025, 1, 1)]
    assert period_starts(date(2025, 3, 31), date(2025, 7, 1), "periode") == [date(2025, 3, 31)]


def test_a_platform_without_activity_gets_zero_in_every_month(con):
    result = run("saisines", con, debut=date(2030, 1, 1), fin=date(2030, 3, 31), plateformes=["Calaisis"],
                 maille="plateforme", pas="mois")
    assert result.select("territoire", "periode", "nb_saisines").rows() == [
        ("Calaisis", date(2030, 1, 1), 0), ("Calaisis", date(2030, 2, 1), 0), ("Calaisis", date(2030, 3, 1), 0)]
