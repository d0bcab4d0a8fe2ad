"""Value against target (cible) for every indicator that has one, with a status.

The targets come from the `cibles` import table (`queries/sql/cibles.sql`). A target's `indicateur` is the
id of an indicator of the catalogue (or one of `ALIASES`). Its value is computed over the target's year
up to the date of the figures (`fin`), for the platform of the target or the whole scope.

Status (for an indicator where a rise is good; mirrored when a fall is good):
- « atteint » when the value reaches the target;
- « en bonne voie » when it reaches the target prorated to the share of the year elapsed (counts, which
  accumulate over the year) or 90 % of the target (rates and medians, which do not accumulate);
- « en retard » otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from queries import catalogue, display, run

ON_TRACK_SHARE = 0.9
STATUTS = ("atteint", "en bonne voie", "en retard")


@dataclass(frozen=True)
class Target:
    """How to read the value of a target's indicator."""

    query: str
    column: str
    row_filter: dict | None = None


# Targets named after something that is not a catalogue id.
ALIASES = {
    "taux_consommation": Target("budget_projection", "taux_consommation", {"financeur": "Ensemble"}),
    "maintien_6m": Target("maintien_6m", "taux_maintien_6m"),
    "maintien_12m": Target("maintien_12m", "taux_maintien_12m"),
}


def target_for(indicateur: str) -> Target | None:
    """How to compute the value of a target's indicator, or None if unknown."""
    if indicateur in ALIASES:
        return ALIASES[indicateur]
    ind = catalogue().get(indicateur)
    return Target(indicateur, ind.valeur) if ind else None


def status(value: float | None, target: float, expected: float, higher_is_better: bool) -> str | None:
    """« atteint », « en bonne voie » or « en retard » (None when the value is unknown)."""
    if value is None:
        return None
    if higher_is_better:
        if value >= target:
            return "atteint"
        return "en bonne voie" if value >= expected else "en retard"
    if value <= target:
        return "atteint"
    return "en bonne voie" if value <= expected else "en retard"


def expected_value(target: float, elapsed: float, cumulative: bool, higher_is_better: bool) -> float:
    """The value that counts as « en bonne voie »: the target prorated (counts) or within 10 % of it."""
    if cumulative:
        return target * elapsed
    return target * ON_TRACK_SHARE if higher_is_better else target / ON_TRACK_SHARE


def targets_status(con: duckdb.DuckDBPyConnection, fin: date, plateformes: list[str]) -> pl.DataFrame:
    """Every target of the year of `fin` in the scope, with its value (masked like the screen) and status.

    `colonne` names the indicator's column the value comes from: its prefix gives the unit (`taux_` a 0-1 rate,
    `nb_jours` days, other `nb_` counts)."""
    targets = run("cibles", con, fin=fin, plateformes=plateformes)
    start = date(fin.year, 1, 1)
    elapsed = ((fin - start).days + 1) / ((date(fin.year + 1, 1, 1) - start).days)
    rows = []
    per_platform = _platform_values(con, targets, start, fin)
    for t in targets.iter_rows(named=True):
        how = target_for(t["indicateur"])
        if how is None:
            rows.append({**t, "titre": t["indicateur"], "colonne": None, "valeur": None, "valeur_masquee": False,
                         "valeur_attendue": None, "statut": None})
            continue
        ind = catalogue()[how.query]
        if (how.query, how.column, t["plateforme"]) in per_platform:
            value, masked = per_platform[(how.query, how.column, t["plateforme"])]
        else:
            value, masked = _value(con, how, ind.parametres, start, fin, t["plateforme"], plateformes)
        cumulative = how.column.startswith("nb_") and ind.unite not in ("jours (médiane)",)
        higher = ind.sens != "baisse_favorable"
        target = float(t["valeur_cible"])
        expected = expected_value(target, elapsed, cumulative, higher)
        rows.append({**t, "titre": ind.titre, "colonne": how.column, "valeur": value, "valeur_masquee": masked,
                     "valeur_attendue": expected, "statut": status(value, target, expected, higher)})
    return pl.DataFrame(rows, schema={
        "indicateur": pl.Utf8, "plateforme": pl.Utf8, "annee": pl.Int32, "valeur_cible": pl.Float64,
        "titre": pl.Utf8, "colonne": pl.Utf8, "valeur": pl.Float64, "valeur_masquee": pl.Boolean,
        "valeur_attendue": pl.Float64, "statut": pl.Utf8,
    })


def _platform_values(con, targets: pl.DataFrame, start: date, fin: date) -> dict[tuple[str, str, str], tuple]:
    """(indicator, column, platform) → (value, masked) for the platform targets, one query per indicator.

    A plan with a target per platform (hundreds of platforms) would otherwise run one query per target. The
    values are those of the indicator by platform, masked like the screen's tables of platforms.
    """
    wanted: dict[tuple[str, str], list[str]] = {}
    for t in targets.filter(pl.col("plateforme") != "ensemble").iter_rows(named=True):
        how = target_for(t["indicateur"])
        if how is not None and not how.row_filter and {"maille", "plateformes"} <= set(
                catalogue()[how.query].parametres):
            wanted.setdefault((how.query, how.column), []).append(t["plateforme"])
    values = {}
    for (query, column), platforms in wanted.items():
        ind = catalogue()[query]
        params = {"debut": start, "fin": fin, "plateformes": sorted(set(platforms)), "maille": "plateforme",
                  "pas": "periode"}
        result = display(query, con, **{k: v for k, v in params.items() if k in ind.parametres})
        flag = f"{column}_masque"
        for row in result.iter_rows(named=True):
            value = row.get(column)
            values[(query, column, row["territoire"])] = (None if value is None else float(value),
                                                          bool(row.get(flag, False)))
    return values


def _value(con, how: Target, parametres: dict, start: date, fin: date, plateforme: str,
           scope: list[str]) -> tuple[float | None, bool]:
    """The indicator's value for the target's platform (or the scope), and whether it is masked."""
    platforms = scope if plateforme == "ensemble" else [plateforme]
    params = {"debut": start, "fin": fin, "plateformes": platforms, "maille": "ensemble", "pas": "periode"}
    result = display(how.query, con, **{k: v for k, v in params.items() if k in parametres})
    for column, wanted in (how.row_filter or {}).items():
        result = result.filter(pl.col(column) == wanted)
    if result.is_empty():
        return None, False
    masked_col = f"{how.column}_masque"
    masked = bool(result[masked_col][0]) if masked_col in result.columns else False
    value = result[how.column][0]
    return (None if value is None else float(value)), masked
