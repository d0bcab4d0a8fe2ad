"""Indicator benchmark: every indicator on the national-scale warehouse, warm, median of a few runs.

The national data set (`etl.demo.generate_national`: one platform per EPCI over all France, ≥ 1 million
referrals) is generated and imported once, then cached in bench/out/ (gitignored): later runs reuse it
(`--reconstruire` to rebuild it). Times, in milliseconds, on a read-only connection as the app opens it:
- every indicator, for all platforms and for one platform, maille plateforme, pas periode (`run`);
- `display` (the same with the confidentiality masking) for all platforms, and the masking's share;
- the set a COPIL overview needs (7 indicators, each with its previous period: 14 `display` calls).
Aims: each indicator under 100 ms, the overview under 500 ms, on 2 cores.

    python bench/queries.py [--saisines 1000000] [--repetitions 5] [--reconstruire]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from etl.contracts import LOAD_ORDER  # noqa: E402
from queries import catalogue, display, previous_period, run, scope_all  # noqa: E402

OUT = ROOT / "bench" / "out"
AIM_INDICATOR_MS = 100
AIM_OVERVIEW_MS = 500
OVERVIEW = ("saisines", "accompagnements_debutes", "file_active", "acces_logement_sans_domicile", "maintien_12m",
            "taux_sortie_positive", "budget_projection")


def national_warehouse(n_saisines: int, rebuild: bool) -> Path:
    """The national warehouse, built once (files generated, then imported by the real ETL).

    A cached warehouse gets the current staging definitions (etl/sql/staging.sql) again, so that the
    figures measure the code as it is.
    """
    target = OUT / f"national_{n_saisines}.duckdb"
    if target.exists() and not rebuild:
        from etl.warehouse import STAGING_SQL

        with duckdb.connect(str(target)) as con:
            con.execute(STAGING_SQL.read_text(encoding="utf-8"))
        return target
    from etl import demo
    from etl.load import load_files

    folder = OUT / f"national_{n_saisines}"
    files = [folder / f"{t}.csv" for t in LOAD_ORDER]
    if rebuild or not all(f.exists() for f in files):
        started = time.perf_counter()
        files = demo.generate_national(folder, n_saisines=n_saisines)
        print(f"génération des fichiers   {time.perf_counter() - started:8.1f} s")
    os.environ.setdefault("COPILOTE_SECRET_KEY", "bench")
    partial = target.with_name(f".{target.name}.partiel")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    report = load_files(files, partial)
    if not report.ok:
        print(report.text()[-3000:])
        raise SystemExit("import rejeté")
    partial.replace(target)
    Path(f"{partial}.lock").unlink(missing_ok=True)
    print(f"import dans l'entrepôt    {time.perf_counter() - started:8.1f} s")
    return target


def timed(fn, repetitions: int) -> tuple[float, float, object]:
    """Median wall-clock and CPU milliseconds of `repetitions` warm calls (after one untimed call), and the
    last result. CPU time (all threads of the process) tells the cost apart from the machine's load."""
    result = fn()
    wall, cpu = [], []
    for _ in range(repetitions):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu), result


def params_for(name: str, debut: date, fin: date, plateformes: list[str]) -> dict:
    wanted = {"debut": debut, "fin": fin, "plateformes": plateformes, "maille": "plateforme", "pas": "periode"}
    return {k: v for k, v in wanted.items() if k in catalogue()[name].parametres}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saisines", type=int, default=1_000_000)
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--reconstruire", action="store_true", help="régénérer et réimporter l'entrepôt")
    parser.add_argument("--debut", default="2025-01-01")
    parser.add_argument("--fin", default="2025-12-31")
    parser.add_argument("--indicateur", action="append", help="limiter à ces indicateurs (répéter)")
    args = parser.parse_args()
    debut, fin = date.fromisoformat(args.debut), date.fromisoformat(args.fin)

    path = national_warehouse(args.saisines, args.reconstruire)
    con = duckdb.connect(str(path), read_only=True)
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    everyone = scope_all(con)
    one = con.execute("""
        SELECT plateforme FROM raw.saisines GROUP BY plateforme ORDER BY count(*) DESC, plateforme LIMIT 1
    """).fetchall()[0][0]
    counts = {t: con.execute(f"SELECT count(*) FROM raw.{t}").fetchall()[0][0] for t in LOAD_ORDER}
    print(f"entrepôt {path.name} ({path.stat().st_size / 1e6:,.0f} Mo), {os.cpu_count()} cœurs, "
          f"DuckDB {duckdb.__version__} ({threads} threads)")
    print("  " + ", ".join(f"{t} {n:,}" for t, n in counts.items()).replace(",", " "))
    print(f"période {debut} → {fin} ; {len(everyone)} plateformes ; plateforme seule : {one} ; "
          f"médiane de {args.repetitions} exécutions à chaud, en ms (cpu : temps processeur de tous les threads ;"
          f" masquage : temps processeur de display moins celui de run)\n")
    print(f"charge de la machine : {' '.join(f'{x:.1f}' for x in os.getloadavg())}\n")

    names = args.indicateur or list(catalogue())
    header = (f"{'indicateur':<34}{'toutes':>9}{'(cpu)':>8}{'une':>9}{'(cpu)':>8}{'display':>9}{'masquage':>10}"
              f"{'lignes':>8}  ")
    print(header)
    print("-" * len(header))
    slow = []
    for name in names:
        all_params = params_for(name, debut, fin, everyone)
        one_params = params_for(name, debut, fin, [one])
        t_all, c_all, raw = timed(lambda n=name, p=all_params: run(n, con, **p), args.repetitions)
        t_one, c_one, _ = timed(lambda n=name, p=one_params: run(n, con, **p), args.repetitions)
        t_display, c_display, _ = timed(lambda n=name, p=all_params: display(n, con, **p), args.repetitions)
        flag = "" if max(t_all, t_one) < AIM_INDICATOR_MS else "  > 100 ms"
        if flag:
            slow.append(name)
        print(f"{name:<34}{t_all:9.1f}{c_all:8.0f}{t_one:9.1f}{c_one:8.0f}{t_display:9.1f}{c_display - c_all:10.1f}"
              f"{raw.height:8d}{flag}")

    previous = previous_period(debut, fin)

    def overview(plateformes: list[str]) -> None:
        for name in OVERVIEW:
            for d, f in ((debut, fin), previous):
                display(name, con, **params_for(name, d, f, plateformes))

    t_overview_all, c_overview_all, _ = timed(lambda: overview(everyone), args.repetitions)
    t_overview_one, c_overview_one, _ = timed(lambda: overview([one]), args.repetitions)
    print(f"\nsynthèse COPIL ({len(OVERVIEW) * 2} appels display, période et période précédente "
          f"{previous[0]} → {previous[1]})")
    print(f"  toutes les plateformes  {t_overview_all:8.1f} ms (cpu {c_overview_all:.0f} ms)"
          f"{'' if t_overview_all < AIM_OVERVIEW_MS else '  > 500 ms'}")
    print(f"  une plateforme          {t_overview_one:8.1f} ms (cpu {c_overview_one:.0f} ms)"
          f"{'' if t_overview_one < AIM_OVERVIEW_MS else '  > 500 ms'}")
    if slow:
        print(f"\nau-delà de {AIM_INDICATOR_MS} ms : {', '.join(slow)}")
    con.close()


if __name__ == "__main__":
    main()
