"""The Évolutions page in Chromium on the demo data: a shared link restores its controls, the charts draw, and
changing the indicator updates the URL and the charts."""

from __future__ import annotations

import re
from urllib.parse import quote

from playwright.sync_api import expect

from tests.e2e.conftest import errors_on, screenshot, wait_for_app, wait_for_title


def test_evolutions_from_a_shared_link_then_another_indicator(app_url, page):
    indicator = quote("Sollicitations (saisines et espace ressource)")
    page.goto(f"{app_url}/evolutions?periode=annee&annee=2025&indicateur_evol={indicator}&pas=Trimestre")
    wait_for_app(page)
    assert errors_on(page) == []
    wait_for_title(page, "Sollicitations (saisines et espace ressource) par trimestre")
    expect(page.locator(".js-plotly-plot")).to_have_count(3)  # the charts draw one after the other
    assert "indicateur_evol=Sollicitations" in page.url and "pas=Trimestre" in page.url
    screenshot(page, "evolutions-sollicitations-trimestre")

    page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name="Délai de décision médian").click()
    wait_for_app(page)
    page.wait_for_url(re.compile(r"indicateur_evol=D%C3%A9lai|indicateur_evol=Délai"))
    wait_for_title(page, "Délai de décision médian par trimestre")
    assert errors_on(page) == []
