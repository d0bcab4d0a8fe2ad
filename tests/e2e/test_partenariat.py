"""The Partenariat page in Chromium on the demo data: no error, the four key figures, the charts drawn, the table
of one platform."""

from __future__ import annotations

from tests.e2e.conftest import METRICS, errors_on, screenshot, wait_for_app, wait_for_charts


def test_partenariat_loads_with_its_charts(app_url, page):
    page.goto(f"{app_url}/partenariat?plateformes=Calaisis&plateformes=Lens-H%C3%A9nin")
    wait_for_app(page)
    assert errors_on(page) == []
    assert page.locator("h1").first.inner_text() == "Partenariat"
    assert "Calaisis, Lens-Hénin" in page.locator(
        "[data-testid='stMain'] [data-testid='stCaptionContainer']").first.inner_text()
    page.wait_for_function(f"() => document.querySelectorAll(\"{METRICS}\").length === 4")
    labels = page.locator("[data-testid='stMetricLabel']").all_inner_texts()
    assert labels == ["Réunions et instances", "Commissions de fluidité", "Situations examinées", "Logements captés"]
    titles = wait_for_charts(page, 4)
    assert "Réunions tenues chaque mois, par type" in titles
    assert "Logements captés par plateforme et par parc" in titles
    assert page.locator("[data-testid='stPlotlyChart']").first.locator("g.point").count() > 0  # bars drawn
    table = page.locator("[data-testid='stDataFrame']").last  # the table per platform
    table.scroll_into_view_if_needed()
    table.locator("tbody tr").first.wait_for(state="attached")
    first_cells = [row.locator("td").first.text_content() for row in table.locator("tbody tr").all()]
    assert first_cells == ["Calaisis", "Lens-Hénin", "Ensemble"]
    screenshot(page, "partenariat")
