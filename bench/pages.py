"""Page benchmark: server-side run of every page (warm) and, in a real browser, page load and filter change.

    python bench/pages.py [--warehouse data/warehouse.duckdb] [--national]

Server side: each page run in-process by Streamlit's AppTest, cold then warm (median of 5 warm runs).
Browser: a real `streamlit run` server driven by Debian's Chromium (Playwright): time from navigation to the end
of the script, then from the choice of another year in the shared filters (click on the option) to the end of the
rerun.
`--national` adds the same measures on the national-scale warehouse of bench/queries.py (bench/out/).
Aims: demo data — 300 ms server-side once warm, 1 s for a filter change in the browser; national — 1 s and 2 s.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._demo import demo_warehouse  # noqa: E402

PAGES = {"": "pages/synthese.py", "territoires": "pages/territoires.py", "evolutions": "pages/evolutions.py",
         "parcours": "pages/parcours.py", "partenariat": "pages/partenariat.py", "budget": "pages/budget.py",
         "plan-actions": "pages/plan_actions.py", "copil": "pages/copil.py", "documents": "pages/documents.py",
         "donnees": "pages/donnees.py"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist"]
IDLE = ("() => { const a = document.querySelector('[data-testid=\"stApp\"]'); return a && "
        "a.getAttribute('data-test-script-state') === 'notRunning' && "
        "document.querySelector('[data-testid=\"stMain\"] [data-testid=\"stElementContainer\"]'); }")


RUNNING = "() => document.querySelector('[data-testid=\"stApp\"]').getAttribute('data-test-script-state') === 'running'"


def server_side(warehouse: Path, year: int) -> dict[str, tuple[float, float]]:
    """(cold, warm median) seconds of each page's script run, in-process."""
    os.environ["COPILOTE_WAREHOUSE"] = str(warehouse)
    from streamlit.testing.v1 import AppTest

    import ui.router

    ui.router.through_entry_point = lambda: None  # AppTest reruns pages alone by design
    results = {}
    for name, path in PAGES.items():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params["periode"], at.query_params["annee"] = "annee", str(year)
        at.switch_page(path)
        started = time.perf_counter()
        at.run()
        cold = time.perf_counter() - started
        warm = []
        for _ in range(5):
            started = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - started)
        if at.exception:
            raise SystemExit(f"{name} : {at.exception[0].message}")
        results[name] = (cold, statistics.median(warm))
    return results


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def browser(warehouse: Path, year: int) -> dict[str, tuple[float, float]]:
    """(load, filter change) seconds of each page in Chromium against `streamlit run`."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    port = _free_port()
    env = {**os.environ, "COPILOTE_WAREHOUSE": str(warehouse)}
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                               "--server.headless", "true"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    results = {}
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            page = chromium.new_page(viewport={"width": 1600, "height": 900})
            page.goto(f"{url}/?periode=annee&annee={year}")  # warms the caches and the imports
            page.wait_for_function(IDLE, timeout=120_000)
            for name in PAGES:
                started = time.perf_counter()
                page.goto(f"{url}/{name}?periode=annee&annee={year}")
                page.wait_for_timeout(100)
                page.wait_for_function(IDLE, timeout=120_000)
                load = time.perf_counter() - started
                if name == "copil":
                    results[name] = (load, float("nan"))
                    continue
                selects = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']")
                selects.nth(1).click()
                option = page.get_by_role("option", name=str(year - 1), exact=True)
                option.wait_for()
                started = time.perf_counter()  # from the choice: opening the list is the browser's, not the app's
                option.click()
                with contextlib.suppress(PlaywrightTimeout):  # a very short rerun may be over before it is seen
                    page.wait_for_function(RUNNING, timeout=3_000, polling=10)
                page.wait_for_function(IDLE, timeout=120_000, polling=20)
                results[name] = (load, time.perf_counter() - started)
            chromium.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    return results


def report(title: str, server: dict, client: dict, aims: tuple[float, float]) -> None:
    print(f"\n{title}")
    print(f"{'page':<14}{'serveur froid':>14}{'serveur chaud':>14}{'navigateur':>12}{'changement filtre':>19}")
    for name in PAGES:
        cold, warm = server[name]
        load, change = client.get(name, (float("nan"), float("nan")))
        flag = "" if warm * 1000 <= aims[0] and (change != change or change <= aims[1]) else "  ← au-delà de l'objectif"
        label = name or "synthese"
        print(f"{label:<14}{cold * 1000:11.0f} ms{warm * 1000:11.0f} ms{load:10.2f} s{change:17.2f} s{flag}")
    print(f"objectifs : serveur chaud < {aims[0]:.0f} ms, changement de filtre < {aims[1]:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warehouse", type=Path, default=ROOT / "data" / "warehouse.duckdb")
    parser.add_argument("--annee", type=int, default=2025)
    parser.add_argument("--national", action="store_true")
    args = parser.parse_args()
    demo_warehouse(args.warehouse)
    report(f"Démonstration ({args.warehouse})", server_side(args.warehouse, args.annee),
           browser(args.warehouse, args.annee), (300, 1))
    if args.national:
        national = sorted((ROOT / "bench" / "out").glob("national_*.duckdb"))
        if not national:
            raise SystemExit("pas d'entrepôt national : lancez d'abord python bench/queries.py")
        report(f"National ({national[-1].name})", server_side(national[-1], args.annee),
               browser(national[-1], args.annee), (1000, 2))


if __name__ == "__main__":
    main()
