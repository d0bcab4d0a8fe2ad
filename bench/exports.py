"""Exports benchmark on the demo data: the COPIL deck (default sequence), the briefing note, the annual report,
and chart images once the browser is warm.

    python bench/exports.py [--warehouse data/warehouse.duckdb]

Aims: the deck in under 15 s on 2 cores, each chart image under 1 s once the browser is warm.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._demo import demo_warehouse  # noqa: E402
from etl import warehouse  # noqa: E402
from exports import bilan, copil, images, note  # noqa: E402
from exports.source import WarehouseSource  # noqa: E402
from figures import screens  # noqa: E402
from figures.scope import Scope  # noqa: E402
from queries.confidentiality import seuil_secret  # noqa: E402


def timed(label: str, func):
    started = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - started
    size = f"{len(result) / 1024:8.0f} Ko" if isinstance(result, bytes) else ""
    print(f"{label:<44}{elapsed:8.2f} s {size}")
    return result, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warehouse", type=Path, default=warehouse.default_path())
    args = parser.parse_args()
    demo_warehouse(args.warehouse)
    today = date.today()
    seuil = seuil_secret()
    with WarehouseSource(args.warehouse, seuil) as source:
        names = tuple(source.platform_names())
        scope = Scope(date(today.year, 1, 1), today, names)
        territory = " – ".join(source.main_departements())
        built, _ = timed("écrans de la séquence (calcul)", lambda: screens.sequence(screens.DEFAULT_SEQUENCE,
                                                                                  source, scope))
        timed("première image (démarrage du navigateur)", lambda: images.png(built[1].chart))
        charts = [s.chart for s in built if s.chart is not None]
        warm = []
        for screen_chart in charts:
            warm.append(timed(f"image PNG : {screen_chart.layout.title.text[:30]}",
                              lambda c=screen_chart: images.png(c))[1])
        timed("image SVG", lambda: images.svg(charts[0]))
        images.stop()
        _, deck_time = timed("support de COPIL (PPTX, navigateur froid)", lambda: copil.deck(
            screens.sequence(screens.DEFAULT_SEQUENCE, source, scope), scope, territory, seuil, "INSEE/IGN"))
        timed("note de synthèse (DOCX)", lambda: note.note(
            screens.summary_of(source, scope), screens.sequence(screens.DEFAULT_SEQUENCE, source, scope), scope,
            territory, seuil, "INSEE/IGN"))
        timed("bilan annuel (XLSX)", lambda: bilan.bilan(source.indicator, today.year, list(names), True,
                                                         territory, seuil))
        images.stop()
    print(f"\nimage PNG à chaud : médiane {statistics.median(warm):.2f} s, max {max(warm):.2f} s (objectif < 1 s)")
    print(f"support complet : {deck_time:.1f} s (objectif < 15 s)")


if __name__ == "__main__":
    main()
