"""The Parcours page in Chromium on the demo data: every section draws, and the delay shown can be changed and is
kept in the URL."""

from __future__ import annotations

import re

from tests.e2e.conftest import errors_on, screenshot, wait_for_app, wait_for_title


def test_parcours_draws_every_section_and_switches_delay(app_url, page):
    page.goto(f"{app_url}/parcours?periode=annee&annee=2025")
    wait_for_app(page)
    assert errors_on(page) == []
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 6")
    main = page.locator("[data-testid='stMain']")
    for heading in ("De la saisine au logement", "Sorties d'accompagnement", "Délais", "Bilans d'accompagnement",
                    "Profil des ménages orientés"):
        assert main.get_by_role("heading", name=heading).count() == 1
    assert main.locator("[data-testid='stDataFrame']").count() >= 2  # overdue counts and list
    screenshot(page, "parcours-2025")

    page.get_by_role("radio", name="Délai d'accès au logement").click()
    wait_for_app(page)
    page.wait_for_url(re.compile(r"delai=D"))
    wait_for_title(page, "Délai d'accès au logement médian par plateforme")
    assert errors_on(page) == []
