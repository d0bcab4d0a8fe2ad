"""AppTest helpers for the pages.

Streamlit's AppTest runs the entry point (app.py: router + shared filters in the sidebar) on the first run
only; later runs (after `set_value`, `click`…) execute the page script alone. `ui.filters.current()` then
draws the filters itself, so widgets keep working across runs. Shared filters are bound to the URL: set them
with query parameters before the first run (`open_page(…, periode="annee", annee="2025")`) — exactly what a
bookmarked link does — or with `at.selectbox(key="annee").set_value(…)` afterwards.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


@pytest.fixture
def open_page(fixture_warehouse, monkeypatch):
    """`open_page("pages/budget.py", periode="annee", annee="2025")` → an AppTest that has run once."""
    monkeypatch.setenv("COPILOTE_WAREHOUSE", str(fixture_warehouse))

    def run(page: str | None = None, **query) -> AppTest:
        at = AppTest.from_file("../../app.py", default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        if page:
            at.switch_page(page)
        return at.run()

    return run


@pytest.fixture
def served(warehouse_copy, monkeypatch):
    """A private copy of the fixture warehouse served by the app (an upload or a saved COPIL sequence changes it)."""
    monkeypatch.setenv("COPILOTE_WAREHOUSE", str(warehouse_copy))
    return warehouse_copy


@pytest.fixture(autouse=True)
def _pages_run_alone(monkeypatch):
    """AppTest reruns a page without the entry point by design; the page must not reroute (it would drop the
    click being tested). The rerouting itself is covered by the end-to-end tests."""
    monkeypatch.setattr("ui.router.through_entry_point", lambda: None)
