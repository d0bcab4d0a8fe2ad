"""Mode COPIL: one screen at a time, next / previous, the sequence saved beside the warehouse."""

from __future__ import annotations

import json

import pytest

from exports import settings


def open_copil(**query):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file("../../app.py", default_timeout=60)
    for key, value in {"periode": "annee", "annee": "2025", **query}.items():
        at.query_params[key] = value
    at.switch_page("pages/copil.py")
    return at.run()


def stamp(at) -> str:
    return next(m.value for m in at.markdown if "copil-stamp" in m.value)


def test_first_screen_is_the_synthesis_with_the_meeting_stamp(served):
    at = open_copil()
    assert not at.exception
    assert "Écran 1 / 5 — Année 2025 — toutes les plateformes" in stamp(at)
    title = next(m.value for m in at.markdown if "copil-title" in m.value)
    assert "Les chiffres clés" in title and "Budget 2025" in title
    assert {m.label: m.value for m in at.metric}["Saisines"] == "6"


def test_next_and_previous(served):
    at = open_copil()
    at.button[1].click().run()  # « Suivant ▶ »
    assert "Écran 2 / 5" in stamp(at)
    assert any("Carte des territoires" in m.value for m in at.markdown)
    at.button[1].click().run()
    assert "Écran 3 / 5" in stamp(at)
    at.button[0].click().run()  # « ◀ Précédent »
    assert "Écran 2 / 5" in stamp(at)
    assert not at.exception


def test_a_sequence_in_the_link_and_a_saved_one(served):
    at = open_copil(ecrans="budget,plan_actions")
    assert "Écran 1 / 2" in stamp(at)
    assert any("Budget : consommation des crédits" in m.value for m in at.markdown)
    settings.save_sequence(served, ["plan_actions", "synthese"])
    assert json.loads(settings.sequence_path(served).read_text()) == {"ecrans": ["plan_actions", "synthese"]}
    at = open_copil()
    assert "Écran 1 / 2" in stamp(at)
    assert any("Plan d'actions" in m.value for m in at.markdown)


def test_an_unknown_saved_screen_falls_back_to_the_default(served):
    settings.sequence_path(served).write_text('{"ecrans": ["meteo"]}')
    assert settings.saved_sequence(served) == settings.DEFAULT_SEQUENCE
    with pytest.raises(ValueError, match="écrans inconnus"):
        settings.save_sequence(served, ["meteo"])
