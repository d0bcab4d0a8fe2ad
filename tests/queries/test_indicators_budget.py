"""The month-by-month budget (`budget_cumul`) and the list of the plan's actions (`actions`), by hand.

Fixture 2025 funding lines (tests/fixtures/warehouse): DIHAL-2025-01 (transverse, 100 000 €), FSE-2025-01
(Lens-Hénin, 60 000 €), DEP-2025-01 (transverse, 45 600,50 €). Movements: DIHAL engaged 50 000 on 31/03, paid
20 000 on 30/04 and 10 000,50 on 30/06; FSE+ paid 15 000 on 30/06; the Département only has a receipt.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from queries import catalogue, display, run

ALL = ["Audomarois", "Calaisis", "Lens-Hénin"]


def series(frame: pl.DataFrame, financeur: str, column: str) -> list:
    return frame.filter(pl.col("financeur") == financeur).sort("mois")[column].to_list()


# --- budget_cumul -------------------------------------------------------------------------------------

def test_budget_cumul_month_by_month(con):
    result = run("budget_cumul", con, fin=date(2025, 6, 30), plateformes=ALL)
    assert result["financeur"].unique(maintain_order=True).to_list() == ["DIHAL", "Departement", "FSE+", "Ensemble"]
    months = [date(2025, m, 1) for m in range(1, 7)]
    assert series(result, "DIHAL", "mois") == months
    assert series(result, "DIHAL", "date_arrete") == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31),
                                                      date(2025, 4, 30), date(2025, 5, 31), date(2025, 6, 30)]
    d = Decimal
    assert series(result, "DIHAL", "montant_paye_cumule") == [d(0), d(0), d(0), d(20000), d(20000), d("30000.50")]
    assert series(result, "DIHAL", "montant_paye_mois") == [d(0), d(0), d(0), d(20000), d(0), d("10000.50")]
    assert series(result, "DIHAL", "montant_engage_cumule") == [d(0), d(0), d(50000), d(50000), d(50000), d(50000)]
    assert series(result, "DIHAL", "montant_engage_mois") == [d(0), d(0), d(50000), d(0), d(0), d(0)]
    assert set(series(result, "DIHAL", "montant_conventionne")) == {d(100000)}
    # A receipt (versement reçu) is neither engaged nor paid.
    assert set(series(result, "Departement", "montant_paye_cumule")) == {d(0)}
    assert series(result, "FSE+", "montant_paye_cumule")[-1] == d(15000)
    # Ensemble: 100 000 + 60 000 + 45 600,50 conventionné; paid 20 000 in April, 45 000,50 at the end of June.
    assert set(series(result, "Ensemble", "montant_conventionne")) == {d("205600.50")}
    assert series(result, "Ensemble", "montant_paye_cumule") == [d(0), d(0), d(0), d(20000), d(20000), d("45000.50")]
    assert series(result, "Ensemble", "taux_consommation_cumule")[-1] == pytest.approx(45000.5 / 205600.5)


def test_budget_cumul_ends_on_the_consumption_at_the_same_date(con):
    for fin in (date(2025, 6, 30), date(2025, 5, 10), date(2025, 12, 31)):
        cumul = run("budget_cumul", con, fin=fin, plateformes=ALL)
        lines = run("budget_consommation", con, fin=fin, plateformes=ALL)
        last = cumul.filter(pl.col("mois") == cumul["mois"].max())
        for financeur, group in lines.group_by("financeur"):
            row = last.filter(pl.col("financeur") == financeur[0]).row(0, named=True)
            assert row["montant_paye_cumule"] == group["montant_paye"].sum()
            assert row["montant_engage_cumule"] == group["montant_engage"].sum()
        assert last.filter(pl.col("financeur") == "Ensemble")["montant_paye_cumule"].item() == \
            lines["montant_paye"].sum()


def test_budget_cumul_last_month_stops_at_the_date(con):
    # At 15/04/2025 the DIHAL payment of 30/04 is not made yet; April is cut at the 15th.
    result = run("budget_cumul", con, fin=date(2025, 4, 15), plateformes=ALL)
    assert series(result, "DIHAL", "date_arrete")[-1] == date(2025, 4, 15)
    assert series(result, "DIHAL", "montant_paye_cumule")[-1] == 0
    assert series(result, "DIHAL", "montant_engage_cumule")[-1] == 50000
    # At 31/12/2025 all twelve months are there and nothing more is paid after June.
    year = run("budget_cumul", con, fin=date(2025, 12, 31), plateformes=ALL)
    assert len(series(year, "Ensemble", "mois")) == 12
    assert series(year, "Ensemble", "montant_paye_cumule")[-1] == Decimal("45000.50")


def test_budget_cumul_scope_and_transverse_lines(con):
    # Transverse lines (DIHAL, Département) only count with the whole scope; Lens-Hénin has its FSE+ line.
    lens = run("budget_cumul", con, fin=date(2025, 6, 30), plateformes=["Lens-Hénin"])
    assert lens["financeur"].unique(maintain_order=True).to_list() == ["FSE+", "Ensemble"]
    assert series(lens, "Ensemble", "montant_paye_cumule")[-1] == 15000
    assert set(series(lens, "Ensemble", "montant_conventionne")) == {60000}
    assert run("budget_cumul", con, fin=date(2025, 6, 30), plateformes=["Calaisis"]).is_empty()
    # Another year: 2024 has no funding line.
    assert run("budget_cumul", con, fin=date(2024, 12, 31), plateformes=ALL).is_empty()


def test_budget_cumul_is_not_masked(con):
    assert not catalogue()["budget_cumul"].secret
    shown = display("budget_cumul", con, fin=date(2025, 6, 30), plateformes=ALL)
    assert not [c for c in shown.columns if c.endswith("_masque")]
    assert shown.equals(run("budget_cumul", con, fin=date(2025, 6, 30), plateformes=ALL))


# --- actions ------------------------------------------------------------------------------------------

def test_actions_list_and_delays(con):
    # At 31/12/2025: 3.1 (à lancer, due 31/03/2025) is 275 days late; 1.1 is due that very day (not late);
    # 2.1 is done; 5.1 is due in 2026.
    result = run("actions", con, fin=date(2025, 12, 31))
    assert result.select("id_action", "axe", "statut", "est_en_retard", "nb_jours_retard").rows() == [
        ("1.1", 1, "en_cours", False, None), ("2.1", 2, "realisee", False, None),
        ("3.1", 3, "a_lancer", True, 275), ("5.1", 5, "en_cours", False, None)]
    assert result.filter(pl.col("id_action") == "1.1")["taux_avancement"].item() == pytest.approx(0.4)
    assert result.filter(pl.col("id_action") == "3.1")["pilote"].item() == "Plateformes"


def test_actions_depend_on_the_date(con):
    # At 01/07/2025: 3.1 is 92 days late; 2.1 (due 30/06) is done, so never late.
    mid = run("actions", con, fin=date(2025, 7, 1))
    assert mid.filter(pl.col("est_en_retard")).select("id_action", "nb_jours_retard").rows() == [("3.1", 92)]
    # At 01/01/2027 1.1 and 5.1 are late too.
    later = run("actions", con, fin=date(2027, 1, 1))
    assert later.filter(pl.col("est_en_retard"))["id_action"].to_list() == ["1.1", "3.1", "5.1"]
    assert later.filter(pl.col("id_action") == "5.1")["nb_jours_retard"].item() == 1


def test_actions_agree_with_the_late_list(con):
    for fin in (date(2025, 7, 1), date(2025, 12, 31), date(2027, 1, 1)):
        late = run("actions_en_retard", con, fin=fin)
        listed = run("actions", con, fin=fin).filter(pl.col("est_en_retard"))
        assert sorted(listed.select("id_action", "nb_jours_retard").rows()) == sorted(
            late.select("id_action", "nb_jours_retard").rows())
    assert not catalogue()["actions"].secret
