"""Command line of the exports: `python -m exports copil|note|bilan --annee … [--plateforme …] --out FICHIER`.

Builds the same documents as the app's download buttons, from the same masked indicators, so they can be
scheduled (e.g. the deck of the month, every first Monday).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from etl import warehouse
from exports import bilan, copil, images, note, settings
from exports.source import WarehouseSource
from figures import screens
from figures.scope import Scope
from queries.confidentiality import seuil_secret


def build_scope(source: WarehouseSource, args: argparse.Namespace, today: date) -> Scope:
    """The period (a year, up to today for the current one, or --debut/--fin) and the platforms."""
    names = source.platform_names()
    unknown = [p for p in args.plateforme or [] if p not in names]
    if unknown:
        raise SystemExit(f"Plateforme(s) inconnue(s) : {', '.join(unknown)} ; plateformes : {', '.join(names)}")
    chosen = tuple(args.plateforme or names)
    if args.debut or args.fin:
        if not (args.debut and args.fin):
            raise SystemExit("Donnez --debut et --fin ensemble (AAAA-MM-JJ).")
        debut, fin = date.fromisoformat(args.debut), date.fromisoformat(args.fin)
    else:
        year = args.annee or today.year
        debut, fin = date(year, 1, 1), min(date(year, 12, 31), today)
    return Scope(debut, fin, chosen, public=args.public, toutes_plateformes=len(chosen) == len(names))


def territory_label(source: WarehouseSource, scope: Scope) -> str:
    """`Pas-de-Calais` (the département of the découpage) or the platforms chosen."""
    if not scope.toutes_plateformes:
        return ", ".join(scope.plateformes)
    return " – ".join(source.main_departements()) or "Ensemble des plateformes"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exports", description="Documents de Copilote.")
    parser.add_argument("document", choices=("copil", "note", "bilan"),
                        help="copil : support de COPIL (PPTX) ; note : note de synthèse (DOCX) ; "
                             "bilan : bilan annuel (XLSX)")
    parser.add_argument("--annee", type=int, help="année (défaut : l'année en cours, jusqu'à aujourd'hui)")
    parser.add_argument("--debut", help="début de période AAAA-MM-JJ (au lieu de --annee)")
    parser.add_argument("--fin", help="fin de période AAAA-MM-JJ")
    parser.add_argument("--plateforme", action="append", help="répéter pour plusieurs ; défaut : toutes")
    parser.add_argument("--public", default="tous", help="public (défaut : tous)")
    parser.add_argument("--ecrans", help="écrans du support, séparés par des virgules (défaut : la séquence "
                                         "enregistrée ou synthese,carte,parcours,budget,plan_actions)")
    parser.add_argument("--out", required=True, type=Path, help="fichier à écrire")
    parser.add_argument("--warehouse", default=str(warehouse.default_path()))
    args = parser.parse_args(argv)

    today = date.today()
    started = time.perf_counter()
    seuil = seuil_secret()
    with WarehouseSource(Path(args.warehouse), seuil) as source:
        scope = build_scope(source, args, today)
        territory = territory_label(source, scope)
        geography = source.con.execute("SELECT valeur FROM ref.source WHERE cle = 'millesime'").fetchall()[0][0]
        geography = f"INSEE/IGN via {geography}"
        if args.document == "bilan":
            data = bilan.bilan(source.indicator, scope.fin.year, list(scope.plateformes), scope.toutes_plateformes,
                               territory, seuil, today)
        else:
            ids = args.ecrans.split(",") if args.ecrans else settings.saved_sequence(Path(args.warehouse))
            built = screens.sequence(ids, source, scope)
            if args.document == "copil":
                data = copil.deck(built, scope, territory, seuil, geography, today,
                                  progress=lambda share, text: print(f"{share:4.0%} {text}", file=sys.stderr))
            else:
                summary = screens.summary_of(source, scope)
                data = note.note(summary, built, scope, territory, seuil, geography, today)
            images.stop()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"{args.out} ({len(data) / 1024:.0f} Ko, {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
