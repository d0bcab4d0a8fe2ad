"""Fixtures of the export tests: a masked source on the fixture warehouse, and Chromium for images."""

from __future__ import annotations

import os
import shutil
from datetime import date

import pytest

from exports.source import WarehouseSource
from figures.scope import Scope

ALL = ("Audomarois", "Calaisis", "Lens-Hénin")
YEAR_2025 = Scope(date(2025, 1, 1), date(2025, 12, 31), ALL)


@pytest.fixture(scope="session")
def source(fixture_warehouse):
    with WarehouseSource(fixture_warehouse) as src:
        yield src


@pytest.fixture(scope="session")
def chromium():
    """Kaleido renders with the system Chromium; without it these tests skip (fail in CI)."""
    if shutil.which("chromium") is None and not os.environ.get("BROWSER_PATH"):
        if os.environ.get("COPILOTE_E2E_REQUIRED"):
            pytest.fail("Chromium introuvable : apt-get install -y chromium")
        pytest.skip("Chromium introuvable : apt-get install -y chromium")
    yield
    from exports import images

    images.stop()
