"""AppTest smoke test of the app on the fixture warehouse."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from etl import warehouse


@pytest.fixture
def app(fixture_warehouse, monkeypatch) -> AppTest:
    monkeypatch.setenv("COPILOTE_WAREHOUSE", str(fixture_warehouse))
    return AppTest.from_file("../../app.py", default_timeout=30)


def test_donnees_page_shows_what_is_loaded(app, fixture_warehouse):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Données chargées"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Tables alimentées"] == "11 / 11"
    total = warehouse.status(fixture_warehouse)["nb_lignes"].sum()
    assert total == 45
    assert metrics["Lignes chargées"] == "45"
    table = app.dataframe[0].value
    assert list(table["Table"])[:3] == ["Découpage territorial", "Lignes de financement", "Saisines et sollicitations"]
    assert list(table["Lignes"])[:3] == ["4", "3", "8"]
    assert list(table["Du"])[2] == "20/11/2024"
    journal = app.dataframe[1].value
    assert set(journal["Résultat"]) == {"✔ importé"}


def test_missing_warehouse_says_how_to_load(monkeypatch, tmp_path):
    monkeypatch.setenv("COPILOTE_WAREHOUSE", str(tmp_path / "absent.duckdb"))
    app = AppTest.from_file("../../app.py", default_timeout=30)
    app.run()
    assert not app.exception
    assert "python -m etl demo" in app.warning[0].value
