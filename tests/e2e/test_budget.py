"""The Budget page in Chromium on the demo data: no error, key figures in euros, the burn-up and the other charts
drawn; a page control (the breakdown) redraws the chart and goes into the URL."""

from __future__ import annotations

import re

from tests.e2e.conftest import METRICS, errors_on, screenshot, wait_for_app, wait_for_charts


def test_budget_loads_with_the_burn_up(app_url, page):
    page.goto(f"{app_url}/budget")
    wait_for_app(page)
    assert errors_on(page) == []
    assert page.locator("h1").first.inner_text() == "Budget"
    page.wait_for_function(f"() => document.querySelectorAll(\"{METRICS}\").length === 6")
    values = page.locator(METRICS).all_inner_texts()
    assert values[0].endswith("\u00a0€") and values[3].endswith("\u00a0%")
    titles = wait_for_charts(page, 6)
    assert any(t.startswith("Consommation des crédits") and "projection au 31 décembre" in t for t in titles)
    assert "Cofinancement par action : part réelle de chaque financeur et part attendue" in titles
    screenshot(page, "budget")

    page.locator(".st-key-budget_vue").get_by_role("radio", name="Axe", exact=True).click()
    wait_for_app(page)
    page.wait_for_url(re.compile(r"budget_vue=Axe"))
    page.wait_for_function(
        "() => [...document.querySelectorAll('.gtitle')].some(t => t.textContent.endsWith('payés par axe'))")
    assert errors_on(page) == []
