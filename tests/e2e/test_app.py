"""The whole app in Chromium against a real `streamlit run` server on the demo data."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import errors_on, screenshot, wait_for_app
from tests.helpers import data_snapshot

# The default page (Synthèse) lives at the root of the app: Streamlit ignores a default page's url_path.
PAGES = ("", "territoires", "evolutions", "parcours", "partenariat", "budget", "plan-actions", "copil",
         "documents", "donnees")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_loads_without_error(app_url, page, path):
    page.goto(f"{app_url}/{path}?periode=annee&annee=2025")
    wait_for_app(page)
    assert errors_on(page) == []
    screenshot(page, f"page-{path or 'synthese'}")


def test_a_shared_url_restores_the_filters_across_pages(app_url, page):
    page.goto(f"{app_url}/?periode=annee&annee=2025&plateformes=Calaisis&public=sans_domicile")
    wait_for_app(page)
    caption = page.locator("[data-testid='stMain'] [data-testid='stCaptionContainer']").first.inner_text()
    assert caption == "Année 2025 — Calaisis — personnes sans domicile"
    page.get_by_role("link", name="Budget").click()
    wait_for_app(page)
    assert "Année 2025 — Calaisis" in page.locator("[data-testid='stMain'] [data-testid='stCaptionContainer']"
                                                   ).first.inner_text()
    assert re.search(r"annee=2025", page.url) and "plateformes=Calaisis" in page.url


def test_changing_the_year_updates_the_url_and_the_figures(app_url, page):
    page.goto(f"{app_url}/?periode=annee&annee=2025")
    wait_for_app(page)
    before = page.locator("[data-testid='stMetricValue']").first.inner_text()
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").nth(1).click()
    page.get_by_role("option", name="2024").click()
    wait_for_app(page)
    page.wait_for_url(re.compile(r"annee=2024"))
    assert "Année 2024" in page.locator("[data-testid='stMain'] [data-testid='stCaptionContainer']"
                                        ).first.inner_text()
    assert page.locator("[data-testid='stMetricValue']").first.inner_text() != before


def test_a_bad_upload_shows_its_report_and_changes_nothing(app_url, page, served_warehouse, tmp_path):
    before = data_snapshot(served_warehouse)
    bad = tmp_path / "saisines_erreur.csv"
    bad.write_text("id_saisine;date_saisine;plateforme;type_sollicitation;decision\n"
                   "X1;31/02/2026;Calaisis;situation;acceptee\n", encoding="utf-8")
    page.goto(f"{app_url}/donnees")
    wait_for_app(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(bad))
    page.get_by_role("button", name="Importer").click()
    page.wait_for_selector("text=Import refusé")
    report = page.locator("[data-testid='stCode']").inner_text()
    assert "saisines_erreur.csv" in report and "ligne 2, colonne date_saisine, valeur « 31/02/2026 »" in report
    screenshot(page, "import-refuse")
    assert data_snapshot(served_warehouse) == before


def test_copil_mode_moves_with_buttons_and_keys(app_url, page):
    page.goto(f"{app_url}/copil?periode=annee&annee=2025")
    wait_for_app(page)
    expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()  # once the page's style is applied
    stamp = page.locator(".copil-stamp").first
    assert stamp.inner_text().startswith("Écran 1 / 5")
    page.get_by_role("button", name="Suivant ▶").click()
    page.wait_for_function("() => document.querySelector('.copil-stamp').innerText.startsWith('Écran 2 / 5')")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.copil-stamp').innerText.startsWith('Écran 3 / 5')")
    page.keyboard.press("PageUp")
    page.wait_for_function("() => document.querySelector('.copil-stamp').innerText.startsWith('Écran 2 / 5')")
    wait_for_app(page)
    assert errors_on(page) == []
    screenshot(page, "copil-ecran-2")


def test_a_document_download_gives_a_valid_file(app_url, page, tmp_path):
    import openpyxl

    page.goto(f"{app_url}/documents?periode=annee&annee=2025")
    wait_for_app(page)
    page.locator(".st-key-preparer_bilan button").click()
    button = page.locator(".st-key-telecharger_bilan button")
    button.wait_for(timeout=60_000)
    with page.expect_download() as info:
        button.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == "bilan_2025.xlsx"
    assert openpyxl.load_workbook(path).sheetnames[0] == "Financements"
