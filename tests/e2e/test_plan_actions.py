"""The Plan d'actions page in Chromium on the demo data: no error, the charts drawn, the « en retard » toggle
filters the list and goes into the URL."""

from __future__ import annotations

import re

from tests.e2e.conftest import errors_on, screenshot, wait_for_app, wait_for_charts


def test_plan_actions_loads_and_filters_late_actions(app_url, page):
    page.goto(f"{app_url}/plan-actions")
    wait_for_app(page)
    assert errors_on(page) == []
    assert page.locator("h1").first.inner_text() == "Plan d'actions"
    titles = wait_for_charts(page, 2)
    assert titles[:2] == ["Actions du plan par axe et par statut", "Avancement moyen des actions par axe"]
    screenshot(page, "plan-actions")
    late = int(page.locator("[data-testid='stMetricValue']").nth(3).inner_text())
    page.locator(".st-key-retard_plan label").click()
    wait_for_app(page)
    page.wait_for_url(re.compile(r"retard_plan=true"))
    assert errors_on(page) == []
    table = page.locator("[data-testid='stDataFrame']").last
    table.scroll_into_view_if_needed()
    table.locator("tbody tr").first.wait_for(state="attached")
    listed = table.locator("tbody tr").count()
    assert listed == late
