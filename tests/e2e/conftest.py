"""End-to-end fixtures: the demo warehouse, a real `streamlit run` server, Debian's Chromium via Playwright.

The server reads a demo warehouse built by the real ETL (`etl.demo` → `load_files`). Screenshots of every
page are saved under test-output/screenshots/. Chromium is Debian's (`apt-get install -y chromium`):
Playwright never downloads a browser here. Without it the tests are skipped, unless COPILOTE_E2E_REQUIRED
is set (CI), where its absence fails the run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from etl import demo
from etl.load import load_files

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("COPILOTE_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-output" / "screenshots"
TODAY = date.today()
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
    # WebGL (pydeck) without a GPU: Chromium's software renderer.
    "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """The demonstration warehouse, generated for today and loaded through the normal import path."""
    folder = tmp_path_factory.mktemp("demo")
    files = demo.generate(folder / "fichiers", seed=62, today=TODAY)
    path = folder / "warehouse.duckdb"
    report = load_files(files, path)
    assert report.ok, report.text()
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit s'est arrêté (code {process.returncode})")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit ne répond pas sur {url}")


@pytest.fixture(scope="session")
def served_warehouse(demo_warehouse, tmp_path_factory) -> Path:
    """A private copy of the demo warehouse that the server reads and that upload tests may change."""
    path = tmp_path_factory.mktemp("served") / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, path)
    return path


@pytest.fixture(scope="session")
def app_url(served_warehouse) -> str:
    """A real `streamlit run app.py` server on a free port, reading the served warehouse."""
    port = _free_port()
    env = {**os.environ, "COPILOTE_WAREHOUSE": str(served_warehouse), "COPILOTE_SECRET_KEY": "e2e"}
    log = open(served_warehouse.with_name("streamlit.log"), "w")  # noqa: SIM115 - closed at teardown
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("COPILOTE_E2E_REQUIRED"):
            pytest.fail(f"Chromium introuvable ({CHROMIUM}) : apt-get install -y chromium")
        pytest.skip(f"Chromium introuvable ({CHROMIUM}) : apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh page, 1600×900 like a projector, French locale, downloads accepted."""
    context = browser.new_context(viewport={"width": 1600, "height": 900}, locale="fr-FR", accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


def wait_for_app(tab, timeout: float = 60_000) -> None:
    """Wait until Streamlit has run the script to the end (a rerun may just have been triggered)."""
    tab.wait_for_selector("[data-testid='stApp']")
    tab.wait_for_timeout(250)
    tab.wait_for_function(
        "() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
        " return app && app.getAttribute('data-test-script-state') === 'notRunning'"
        " && app.getAttribute('data-test-connection-state') === 'CONNECTED'"
        " && document.querySelector('[data-testid=\"stMain\"] [data-testid=\"stElementContainer\"]'); }",
        timeout=timeout,
    )
    tab.wait_for_timeout(200)


# Streamlit's key figures, as the browser tests look for them.
METRICS = "[data-testid='stMetricValue']"


def errors_on(tab) -> list[str]:
    """Error elements Streamlit draws: exceptions and error alerts."""
    return (tab.locator("[data-testid='stException']").all_inner_texts()
            + tab.locator("[data-testid='stAlertContentError']").all_inner_texts())


def wait_for_charts(tab, count: int, timeout: float = 30_000) -> list[str]:
    """Wait until at least `count` Plotly charts are drawn with their title (a chart holds several SVG layers: they
    are not counted); their titles."""
    tab.wait_for_function(
        "n => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
        ".filter(c => c.querySelector('.main-svg .gtitle')).length >= n", arg=count, timeout=timeout)
    return tab.locator("[data-testid='stPlotlyChart'] .gtitle").all_text_contents()


def wait_for_title(tab, start: str) -> None:
    """Wait until a chart titled `start…` is drawn (charts are redrawn after the script has run)."""
    tab.wait_for_function(
        "start => Array.from(document.querySelectorAll('.js-plotly-plot .gtitle'))"
        ".some(e => e.textContent.startsWith(start))", arg=start)


def screenshot(tab, name: str) -> Path:
    """Save a screenshot of the whole page, charts drawn, in the test output.

    Streamlit scrolls its main area inside a fixed-height window, so a "full page" screenshot would show the first
    screen only: the window is made as tall as the page for the shot, then given back its size.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = tab.viewport_size
    height = tab.evaluate(
        "() => Math.max(...[...document.querySelectorAll("
        "'[data-testid=\"stMain\"], [data-testid=\"stMainBlockContainer\"]')]"
        ".map(e => e.scrollHeight), document.body.scrollHeight)")
    tab.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), 12_000)})
    try:
        _wait_until_all_charts_drawn(tab)
        tab.screenshot(path=str(path))
    finally:
        tab.set_viewport_size(size)
    return path


def _wait_until_all_charts_drawn(tab, timeout: float = 15_000) -> None:
    """Wait until every Plotly chart of the page has drawn (they draw after the script has run)."""
    tab.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
        ".every(c => c.querySelector('.main-svg'))",
        timeout=timeout,
    )
    tab.wait_for_timeout(300)
