"""Territoires page benchmark: server-side run time of the page on the demo data, cold and warm.

Runs the page with Streamlit's AppTest (the script run only, no browser) at each level, raw and per 10 000
inhabitants, without and with a selected territory, and with the static export map. Target: under 300 ms
per warm rerun.

    python bench/territoires.py                       # a fresh demo warehouse in a temporary folder
    python bench/territoires.py --warehouse data/warehouse.duckdb
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SELECTED = {"plateforme": "Calaisis", "epci": "200090751", "commune": "62193"}  # Calaisis, CA Grand Calais, Calais


def demo_warehouse(folder: Path) -> Path:
    from etl import demo
    from etl.load import load_files

    files = demo.generate(folder / "fichiers", seed=62, today=date.today())
    path = folder / "warehouse.duckdb"
    report = load_files(files, path)
    if not report.ok:
        raise SystemExit(report.text())
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("COPILOTE_SECRET_KEY", "bench")
    with tempfile.TemporaryDirectory() as tmp:
        path = args.warehouse or demo_warehouse(Path(tmp))
        os.environ["COPILOTE_WAREHOUSE"] = str(path)
        from streamlit.testing.v1 import AppTest

        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params["periode"] = "annee"
        at.query_params["annee"] = str(date.today().year - 1)
        at.switch_page("pages/territoires.py")
        started = time.perf_counter()
        at.run()
        print(f"{'first run (cold caches, platform level)':<52}{(time.perf_counter() - started) * 1000:8.0f} ms")
        check(at)

        def measure(label: str, action=None) -> None:
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                (action or at.run)()
                times.append((time.perf_counter() - started) * 1000)
                check(at)
            print(f"{label:<52}{statistics.median(times):8.0f} ms (min {min(times):.0f}, max {max(times):.0f})")

        for maille in ("plateforme", "epci", "commune"):
            started = time.perf_counter()
            at.selectbox(key="maille").set_value(maille).run()
            check(at)
            label = f"{maille}: first switch (cold map and queries)"
            print(f"{label:<52}{(time.perf_counter() - started) * 1000:8.0f} ms")
            for mode in ("brut", "p10000"):
                at.segmented_control(key="mode").set_value(mode).run()
                measure(f"{maille}, {mode}: warm rerun")
            at.selectbox(key="territoire").set_value(SELECTED[maille]).run()
            measure(f"{maille}, p10000, territory selected: warm rerun")
            at.button[0].click().run()
        at.toggle(key="carte_export").set_value(True).run()
        measure("commune, static export map shown: warm rerun")


def check(at) -> None:
    if at.exception:
        raise SystemExit("\n".join(e.value for e in at.exception))


if __name__ == "__main__":
    main()
