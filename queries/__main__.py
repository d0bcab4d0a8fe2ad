"""Command line of the indicators: `python -m queries list | run NAME … | docs`.

`run` prints masked values only (the same small-count rule as the screen and the exports).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

import polars as pl

from etl import warehouse
from queries import MAILLES, PAS, ParameterError, catalogue, display, scope_all
from queries.docs import write_catalogue_doc


def cmd_list(args: argparse.Namespace) -> int:
    for ind in catalogue().values():
        print(f"{ind.id:<40}{ind.titre} ({ind.unite})")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    with contextlib.closing(warehouse.connect_read_only(Path(args.warehouse))) as con:
        params = {"debut": args.debut, "fin": args.fin,
                  "plateformes": args.plateforme or scope_all(con), "maille": args.maille, "pas": args.pas}
        params.update(dict(p.split("=", 1) for p in args.param))
        ind = catalogue().get(args.indicateur)
        if ind is not None:
            params = {k: v for k, v in params.items() if k in ind.parametres and v is not None}
        try:
            result = display(args.indicateur, con, seuil=args.seuil, **params)
        except ParameterError as exc:
            print(f"Erreur : {exc}", file=sys.stderr)
            return 2
    result = result.with_columns(pl.col(pl.List(pl.Utf8)).list.join("|"))
    if args.format == "json":
        print(result.write_json())
    else:
        print(result.write_csv(separator=";"), end="")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    path = write_catalogue_doc()
    print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m queries", description="Indicateurs de Copilote.")
    parser.add_argument("--warehouse", default=str(warehouse.default_path()))
    sub = parser.add_subparsers(dest="commande", required=True)
    sub.add_parser("list", help="lister les indicateurs").set_defaults(func=cmd_list)
    run = sub.add_parser("run", help="calculer un indicateur (petits effectifs masqués)")
    run.add_argument("indicateur")
    run.add_argument("--debut", required=True, help="AAAA-MM-JJ")
    run.add_argument("--fin", required=True, help="AAAA-MM-JJ")
    run.add_argument("--plateforme", action="append", help="répéter pour plusieurs ; défaut : toutes")
    run.add_argument("--maille", choices=MAILLES, default="plateforme")
    run.add_argument("--pas", choices=PAS, default="periode")
    run.add_argument("--param", action="append", default=[], help="autre paramètre NOM=VALEUR")
    run.add_argument("--seuil", type=int, help="seuil de secret statistique (défaut : 4)")
    run.add_argument("--format", choices=("csv", "json"), default="csv")
    run.set_defaults(func=cmd_run)
    sub.add_parser("docs", help="régénérer docs/indicateurs.md").set_defaults(func=cmd_docs)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
