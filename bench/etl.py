"""ETL benchmark: load a national-scale data set (all départements, ≥ 1 million saisines) from scratch.

Prints rows per second and the peak memory of the loading process. The load runs in a child process
(`python -m etl load …`) so its peak memory is measured alone, without the generator's.

    python bench/etl.py [--saisines 1000000] [--garder]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl import demo, warehouse  # noqa: E402
from etl.contracts import LOAD_ORDER  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saisines", type=int, default=1_000_000)
    parser.add_argument("--dossier", type=Path, default=ROOT / "bench" / "out" / "national")
    parser.add_argument("--garder", action="store_true", help="réutiliser les fichiers déjà générés")
    args = parser.parse_args()

    files = [args.dossier / f"{t}.csv" for t in LOAD_ORDER]
    if not (args.garder and all(f.exists() for f in files)):
        started = time.perf_counter()
        files = demo.generate_national(args.dossier, n_saisines=args.saisines)
        print(f"génération          {time.perf_counter() - started:8.1f} s")
    size_mb = sum(f.stat().st_size for f in files) / 1e6

    from etl import geo  # the reference geography caches (files, database new warehouses copy) are built
    geo.reference_database()  # beforehand, not timed

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "national.duckdb"
        env = {**os.environ, "COPILOTE_SECRET_KEY": "bench"}
        cmd = [sys.executable, "-m", "etl", "--warehouse", str(target), "load", *map(str, files)]
        load_before = os.getloadavg()[0]  # other processes' share of the machine (the import's own comes after)
        started = time.perf_counter()
        result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        if result.returncode != 0:
            print(result.stdout[-3000:], result.stderr[-3000:])
            raise SystemExit("import rejeté")
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_mb = usage.ru_maxrss / 1024
        # CPU time of the import process (all its threads): a fairer figure than wall time on a busy machine.
        cpu = usage.ru_utime + usage.ru_stime
        status = warehouse.status(target)
        rows = int(status["nb_lignes"].sum())
        started = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=True)
        again = time.perf_counter() - started
        db_mb = target.stat().st_size / 1e6

    print(f"fichiers            {len(files):8d}   ({size_mb:,.0f} Mo de CSV)")
    for row in status.iter_rows(named=True):
        print(f"  {row['table']:<18}{row['nb_lignes']:>12,}")
    print(f"lignes importées    {rows:12,}")
    print(f"import complet      {elapsed:8.1f} s   → {rows / elapsed:,.0f} lignes/s")
    print(f"temps CPU (import)  {cpu:8.1f} s   (charge de la machine : {load_before:.1f} avant, "
          f"{os.getloadavg()[0]:.1f} après)")
    print(f"mémoire maximale    {peak_mb:8.0f} Mo")
    print(f"réimport identique  {again:8.1f} s")
    print(f"taille de l'entrepôt{db_mb:8.0f} Mo")


if __name__ == "__main__":
    main()
