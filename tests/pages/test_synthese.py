"""The Synthèse page shows the key figures of the queries, masked, with their targets and sentences."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from queries import display

ALL = ["Audomarois", "Calaisis", "Lens-Hénin"]


@pytest.fixture
def app(fixture_warehouse, monkeypatch):
    monkeypatch.setenv("COPILOTE_WAREHOUSE", str(fixture_warehouse))

    def run(**query) -> AppTest:
        at = AppTest.from_file("../../app.py", default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        return at.run()

    return run


def test_key_figures_equal_the_masked_queries(app, con):
    at = app(periode="annee", annee="2025")
    assert not at.exception
    assert at.title[0].value == "Synthèse"
    assert at.caption[0].value == "Année 2025 — toutes les plateformes"
    metrics = {m.label: m.value for m in at.metric}
    saisines = display("saisines", con, debut=date(2025, 1, 1), fin=date(2025, 12, 31), plateformes=ALL,
                       maille="ensemble")
    assert saisines["nb_saisines"][0] == 6
    assert metrics["Saisines"] == "6"
    # 3 measures started in 2025 and 3 housing entries: masked, as on every screen.
    assert metrics["Accompagnements débutés"] == "< 5"
    assert metrics["Accès au logement"] == "< 5"
    assert metrics["Sorties positives"] == "< 5"
    assert metrics["Maintien à 12 mois"] == "—"  # no 12-month anniversary in 2025
    # Budget at 31/12/2025: 45 000,50 € paid of 205 600,50 € conventionné.
    assert metrics["Budget consommé 2025"] == "21,9\u00a0%"


def test_change_and_target(app):
    at = app(periode="annee", annee="2025")
    saisines = next(m for m in at.metric if m.label == "Saisines")
    assert saisines.delta == ""  # 2024 had 1 referral: masked, so no change is computed
    # Target 2025 of 10 saisines for all platforms, 6 reached: « en retard ».
    assert "Cible : :red[**en retard**]" in [c.value for c in at.caption]
    targets = at.dataframe[1].value
    assert targets.to_dict("records") == [
        {"Indicateur": "Saisines", "Plateforme": "Ensemble", "Cible": "10", "Valeur": "6", "Statut": "en retard"},
        {"Indicateur": "Saisines", "Plateforme": "Lens-Hénin", "Cible": "6", "Valeur": "< 5", "Statut": "—"},
    ]


def test_platform_table_is_masked_like_the_queries(app):
    at = app(periode="annee", annee="2025")
    table = at.dataframe[0].value.set_index("Plateforme")
    assert list(table.index) == ["Audomarois", "Calaisis", "Lens-Hénin", "Ensemble"]
    assert list(table["Saisines"]) == ["0", "< 5", "< 5", "6"]
    assert table.loc["Lens-Hénin", "dont sans domicile"] == "< 5"
    assert table.loc["Audomarois", "Sorties positives"] == "—"


def test_changing_platform_changes_the_figures(app):
    # Filters live in the URL: a link with ?plateformes=Calaisis is what choosing Calaisis produces.
    at = app(periode="annee", annee="2025", plateformes=["Calaisis"])
    assert not at.exception
    assert at.caption[0].value == "Année 2025 — Calaisis"
    assert {m.label: m.value for m in at.metric}["Saisines"] == "< 5"
    assert list(at.dataframe[0].value["Plateforme"]) == ["Calaisis", "Ensemble"]


def test_period_change_updates_the_page(app):
    at = app(periode="annee", annee="2024")
    assert at.caption[0].value == "Année 2024 — toutes les plateformes"
    assert {m.label: m.value for m in at.metric}["Saisines"] == "< 5"  # S08 only
