"""The COPIL screens build on the fixture warehouse, from masked data only."""

from __future__ import annotations

import pytest

from figures import screens
from tests.exports.conftest import YEAR_2025


@pytest.fixture(scope="module")
def source(fixture_warehouse):
    from exports.source import WarehouseSource

    with WarehouseSource(fixture_warehouse) as src:
        yield src


def test_every_default_screen_is_registered():
    assert set(screens.DEFAULT_SEQUENCE) <= set(screens.available())
    assert list(screens.available())[:1] == ["synthese"]


@pytest.mark.parametrize("screen_id", list(screens.available()))
def test_screen_builds_with_a_message_and_masked_figures(source, screen_id):
    screen = screens.build(screen_id, source, YEAR_2025)
    assert screen.id == screen_id and screen.title and screen.message
    for figure in screen.figures:
        if figure.masked:
            assert figure.value_text == "< 5"
    if screen.chart is not None:
        assert screen.chart.layout.title.text
        assert screen.chart.layout.title.subtitle.text.startswith("Année 2025")


def test_synthese_screen_says_the_budget(source):
    screen = screens.build("synthese", source, YEAR_2025)
    assert screen.message.startswith("Budget 2025 : 22\u00a0% des crédits conventionnés sont payés")
    assert {f.label: f.value_text for f in screen.figures}["Saisines"] == "6"


def test_map_screen_ranks_platforms_per_10000(source):
    screen = screens.build("carte", source, YEAR_2025)
    ranking = screen.table
    assert ranking is not None and set(ranking["Territoire"]) == {"Audomarois", "Calaisis", "Lens-Hénin"}
    # Calaisis and Lens-Hénin have 3 referrals each in 2025: masked on the map as everywhere.
    assert set(ranking.filter(ranking["Territoire"] != "Audomarois")["Saisines"]) == {"< 5"}


def test_unknown_screen_is_a_clear_error(source):
    with pytest.raises(KeyError, match="écran inconnu « meteo »"):
        screens.build("meteo", source, YEAR_2025)
