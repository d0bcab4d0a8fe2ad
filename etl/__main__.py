"""Command line of the ETL: `python -m etl demo | load FICHIER... | templates | status`."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from etl import warehouse
from etl.contracts import LOAD_ORDER
from etl.load import load_files

DEMO_DIR = warehouse.REPO_ROOT / "data" / "demo"
TEMPLATES_DIR = warehouse.REPO_ROOT / "data" / "modeles"


def french_int(n: int | None) -> str:
    """`1 234` with a narrow no-break space, as French typography wants."""
    return "—" if n is None else f"{n:,}".replace(",", "\u202f")


def french_date(d: date | None) -> str:
    return "—" if d is None else d.strftime("%d/%m/%Y")


def cmd_load(args: argparse.Namespace) -> int:
    report = load_files(args.fichiers, args.warehouse, table=args.table)
    print(report.text())
    return 0 if report.ok else 1


def cmd_demo(args: argparse.Namespace) -> int:
    from etl import demo  # imported here: only this command needs the generator

    target = Path(args.warehouse)
    if target.exists() and not args.remplacer:
        print(f"L'entrepôt {target} existe déjà : ajoutez --remplacer pour le remplacer par la démonstration.",
              file=sys.stderr)
        return 1
    started = time.perf_counter()
    out_dir = Path(args.dossier)
    files = demo.generate(out_dir, seed=args.graine, today=date.today())
    print(f"Données de démonstration écrites dans {out_dir} ({len(files)} fichiers).")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".demo-", suffix=".duckdb", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        report = load_files(files, tmp)
        print(report.text())
        if not report.ok:
            return 1
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    print(f"Entrepôt de démonstration prêt : {target} ({time.perf_counter() - started:.1f} s).")
    return 0


def cmd_templates(args: argparse.Namespace) -> int:
    from etl import templates

    paths = templates.write_templates(Path(args.dossier))
    for path in paths:
        print(path)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    path = Path(args.warehouse)
    if not path.exists():
        print(f"Aucun entrepôt à {path} : lancez `python -m etl demo` ou `python -m etl load FICHIER…`.")
        return 1
    status = warehouse.status(path)
    today = date.today()
    print(f"Entrepôt : {path}")
    print(f"{'table':<16}{'lignes':>10}{'fichiers':>10}  {'période couverte':<25}{'dernier import':<18}fraîcheur")
    for row in status.iter_rows(named=True):
        period = f"{french_date(row['date_debut'])} → {french_date(row['date_fin'])}" if row["date_fin"] else "—"
        last = row["dernier_import"].strftime("%d/%m/%Y %H:%M") if row["dernier_import"] else "jamais"
        age = f"{(today - row['date_fin']).days} j" if row["date_fin"] else "—"
        print(f"{row['table']:<16}{french_int(row['nb_lignes']):>10}{row['nb_fichiers']:>10}  {period:<25}"
              f"{last:<18}{age}")
    source = warehouse.reference_source(path)
    print(f"Géographie : {source.get('source', '?')} — {source.get('millesime', '?')}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description="Chargement des données de Copilote.")
    parser.add_argument("--warehouse", default=str(warehouse.default_path()),
                        help="entrepôt DuckDB (défaut : $COPILOTE_WAREHOUSE ou data/warehouse.duckdb)")
    # --warehouse is accepted before or after the command name.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--warehouse", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="commande", required=True)

    load = sub.add_parser("load", parents=[common], help="importer des fichiers CSV ou XLSX")
    load.add_argument("fichiers", nargs="+", type=Path)
    load.add_argument("--table", choices=LOAD_ORDER, help="table des fichiers, si leur nom ne la donne pas")
    load.set_defaults(func=cmd_load)

    demo = sub.add_parser("demo", parents=[common],
                          help="générer et charger les données de démonstration (Pas-de-Calais)")
    demo.add_argument("--graine", type=int, default=62, help="graine aléatoire (défaut : 62)")
    demo.add_argument("--dossier", default=str(DEMO_DIR), help="où écrire les fichiers de démonstration")
    demo.add_argument("--remplacer", action="store_true", help="remplacer un entrepôt existant")
    demo.set_defaults(func=cmd_demo)

    tpl = sub.add_parser("templates", parents=[common], help="écrire les modèles XLSX de chaque table")
    tpl.add_argument("--dossier", default=str(TEMPLATES_DIR))
    tpl.set_defaults(func=cmd_templates)

    st = sub.add_parser("status", parents=[common], help="état de l'entrepôt : lignes, période, dernier import")
    st.set_defaults(func=cmd_status)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
