"""Indicators: one documented SQL file per indicator in `queries/sql/`, and a small runner.

    from queries import run, display, catalogue
    run("saisines", con, debut=date(2026, 1, 1), fin=date(2026, 12, 31), plateformes=["Calaisis"])

`run` returns raw values, for code that needs them (sentences, totals that are themselves shown);
`display` returns the same rows with small counts masked (`queries.confidentiality`): every screen and
export path goes through it. Parameters are always bound (`$debut`), never formatted into SQL text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from etl.contracts import PUBLICS

SQL_DIR = Path(__file__).with_name("sql")

MAILLES = ("ensemble", "departement", "plateforme", "epci", "commune")
VARIABLES_PROFIL = ("orienteur", "composition", "tranche_age", "sexe", "situation_logement", "publics")
PAS = ("periode", "mois", "trimestre", "annee")
SENS = ("hausse_favorable", "baisse_favorable", "neutre")

# The `public` filter of the household indicators (referrals, measures, housing entries), value -> French label:
# every household, the sans domicile (situation at referral rue, habitat précaire, hébergement d'urgence or
# d'insertion), or one of the `publics` of the referral (etl.contracts.PUBLICS). See stg.du_public.
PUBLIC_TOUS = "tous"
_PUBLICS_LABELS = {
    "jeune_vulnerable": "Jeunes vulnérables",
    "violences_intrafamiliales": "Victimes de violences intrafamiliales",
    "sante_mentale": "Personnes souffrant de troubles psychiques",
    "addictions": "Personnes avec des conduites addictives",
    "expulsion": "Ménages menacés d'expulsion",
    "sortant_prison": "Sortants de prison",
    "sortant_ase": "Jeunes sortants de l'aide sociale à l'enfance",
    "errance": "Personnes en errance",
}
PUBLICS_FILTRE = {
    PUBLIC_TOUS: "Tous les publics",
    "sans_domicile": "Personnes sans domicile",
    **{p: _PUBLICS_LABELS.get(p, p.replace("_", " ").capitalize()) for p in PUBLICS},
}

# Parameters every indicator may take, with their default (None: required).
COMMON_DEFAULTS = {"debut": None, "fin": None, "plateformes": None, "maille": "plateforme", "pas": "periode"}

_HEADER_LINE = re.compile(r"^--\s?(\w+)\s*:\s*(.*)$")
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


class ParameterError(ValueError):
    """A missing, unknown or invalid indicator parameter."""


@dataclass(frozen=True)
class Indicator:
    """An indicator: its SQL and the header that documents it."""

    id: str
    titre: str
    definition: str
    unite: str
    grain: str
    parametres: dict[str, str | None]  # name -> default as text (None: required)
    sources: str
    sens: str
    valeur: str  # the headline column
    dimensions: tuple[str, ...]
    comptes: tuple[str, ...]  # count columns, masked when small
    taux: dict[str, tuple[str | None, str | None]]  # rate column -> (numerator, denominator)
    totaux: dict[str, tuple[str, ...]]  # total column -> its parts
    repetes: dict[str, tuple[str, ...]]  # count column -> dimensions along which its value is repeated
    secret: bool  # False: counts of activity (meetings, dwellings, euros), not of households: never masked
    sql: str

    @property
    def maille_possible(self) -> tuple[str, ...]:
        return MAILLES

    @property
    def definition_lisible(self) -> str:
        """The definition for users: a parameter reads as its default value (`sous $seuil_bas %` → `sous 90 %`),
        or as its name between quotes when it has none that reads as a number."""
        def value(match: re.Match) -> str:
            default = self.parametres.get(match.group(1))
            return str(default) if default is not None and str(default).replace(".", "").isdigit() \
                else f"« {match.group(1)} »"

        return _PARAM.sub(value, self.definition)


def _parse_header(name: str, text: str) -> dict[str, str]:
    header: dict[str, str] = {}
    last = None
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        match = _HEADER_LINE.match(line)
        if match and match.group(1) in _HEADER_KEYS:
            last = match.group(1)
            header[last] = match.group(2).strip()
        elif last and line[2:].strip():
            header[last] += " " + line[2:].strip()
    missing = [k for k in _REQUIRED_KEYS if k not in header]
    if missing:
        raise ValueError(f"{name}.sql: header without {', '.join(missing)}")
    return header


_REQUIRED_KEYS = ("id", "titre", "definition", "unite", "grain", "parametres", "sources", "sens", "valeur")
_HEADER_KEYS = (*_REQUIRED_KEYS, "dimensions", "comptes", "taux", "totaux", "repetes", "secret")


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _parse_rates(text: str) -> dict[str, tuple[str | None, str | None]]:
    """`taux_acceptation = nb_acceptees / nb_decidees, taux_10000 = nb_saisines / population`."""
    rates = {}
    for part in _split(text):
        name, _, formula = part.partition("=")
        num, _, den = formula.partition("/")
        rates[name.strip()] = (num.strip() or None, den.strip() or None)
    return rates


def _parse_totals(text: str) -> dict[str, tuple[str, ...]]:
    """`nb_sollicitations = nb_saisines + nb_espace_ressource` (totaux), `nb_saisines_total = modalite` (repetes)."""
    totals = {}
    for part in _split(text):
        name, _, formula = part.partition("=")
        totals[name.strip()] = tuple(p.strip() for p in formula.split("+"))
    return totals


def _parse_params(text: str) -> dict[str, str | None]:
    params = {}
    for part in _split(text):
        name, _, default = part.partition("=")
        params[name.strip()] = default.strip() or COMMON_DEFAULTS.get(name.strip())
    return params


def load_indicator(path: Path) -> Indicator:
    """Read an indicator's SQL file and its header; check the header against the SQL."""
    sql = path.read_text(encoding="utf-8")
    h = _parse_header(path.stem, sql)
    params = _parse_params(h["parametres"])
    used = set(_PARAM.findall(_strip_comments(sql)))
    if used != set(params):
        raise ValueError(f"{path.name}: header parameters {sorted(params)} differ from SQL's {sorted(used)}")
    if h["id"] != path.stem:
        raise ValueError(f"{path.name}: id {h['id']} differs from the file name")
    if h["sens"] not in SENS:
        raise ValueError(f"{path.name}: sens must be one of {SENS}")
    return Indicator(
        id=h["id"], titre=h["titre"], definition=h["definition"], unite=h["unite"], grain=h["grain"],
        parametres=params, sources=h["sources"], sens=h["sens"], valeur=h["valeur"],
        dimensions=tuple(_split(h.get("dimensions", "territoire, periode"))),
        comptes=tuple(_split(h.get("comptes", ""))), taux=_parse_rates(h.get("taux", "")),
        totaux=_parse_totals(h.get("totaux", "")), repetes=_parse_totals(h.get("repetes", "")),
        secret=h.get("secret", "oui").strip() != "non", sql=sql,
    )


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


@cache
def catalogue() -> dict[str, Indicator]:
    """Every indicator, by id, in file-name order."""
    return {p.stem: load_indicator(p) for p in sorted(SQL_DIR.glob("*.sql"))}


def indicator(name: str) -> Indicator:
    """One indicator, or a clear error listing the known ones."""
    try:
        return catalogue()[name]
    except KeyError:
        raise ParameterError(f"indicateur inconnu « {name} » ; indicateurs : {', '.join(catalogue())}") from None


def bind_parameters(ind: Indicator, params: dict) -> dict:
    """Check and convert parameters: unknown or missing names and invalid values raise ParameterError."""
    unknown = set(params) - set(ind.parametres)
    if unknown:
        raise ParameterError(f"paramètre(s) inconnu(s) pour {ind.id} : {', '.join(sorted(unknown))} ; "
                             f"paramètres attendus : {', '.join(ind.parametres)}")
    bound = {}
    for name, default in ind.parametres.items():
        value = params.get(name, default)
        if value is None:
            raise ParameterError(f"paramètre obligatoire manquant pour {ind.id} : {name}")
        bound[name] = _convert(name, value)
    if "debut" in bound and "fin" in bound and bound["debut"] > bound["fin"]:
        raise ParameterError(f"période invalide : début {bound['debut']} après fin {bound['fin']}")
    return bound


def _convert(name: str, value):
    if name in ("debut", "fin") or name.startswith("date_"):
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if name == "plateformes":
        if isinstance(value, str):
            raise ParameterError("plateformes : une liste de plateformes est attendue, pas un texte")
        return [str(v) for v in value]
    if name == "maille" and value not in MAILLES:
        raise ParameterError(f"maille « {value} » inconnue ; mailles : {', '.join(MAILLES)}")
    if name == "pas" and value not in PAS:
        raise ParameterError(f"pas « {value} » inconnu ; pas possibles : {', '.join(PAS)}")
    if name == "variable" and value not in VARIABLES_PROFIL:
        raise ParameterError(f"variable « {value} » inconnue ; variables : {', '.join(VARIABLES_PROFIL)}")
    if name == "public" and (not isinstance(value, str) or value not in PUBLICS_FILTRE):
        raise ParameterError(f"public « {value} » inconnu ; publics possibles : {', '.join(PUBLICS_FILTRE)}")
    if name in ("maille", "pas", "variable", "public"):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} : nombre entier attendu, reçu « {value} »") from None


def run(name: str, con: duckdb.DuckDBPyConnection, **params) -> pl.DataFrame:
    """Raw result of an indicator (no masking): only for code that needs raw values.

    Territory × period results are completed to the full grid of the scope, so a platform or a month
    with no activity shows 0 (counts) or an empty value (rates, medians) instead of being absent.
    """
    ind = indicator(name)
    bound = bind_parameters(ind, params)
    result = con.sql(ind.sql, params=bound).pl()
    if {"territoire", "periode"} <= set(ind.dimensions) and {"maille", "pas"} <= set(bound):
        result = _complete_grid(con, ind, result, bound)
    return result


def _complete_grid(con: duckdb.DuckDBPyConnection, ind: Indicator, result: pl.DataFrame, bound: dict) -> pl.DataFrame:
    others = [d for d in ind.dimensions if d not in ("territoire", "periode")]
    if others:  # extra dimensions (e.g. a category): keep observed combinations only
        return result
    territories = scope_territories(con, bound["maille"], bound["plateformes"])
    periods = period_starts(bound["debut"], bound["fin"], bound["pas"])
    grid = pl.DataFrame({"territoire": territories}, schema={"territoire": pl.Utf8}).join(
        pl.DataFrame({"periode": periods}, schema={"periode": pl.Date}), how="cross")
    completed = grid.join(result, on=["territoire", "periode"], how="full", coalesce=True)
    counts = [c for c in ind.comptes if c in completed.columns]
    return completed.with_columns(pl.col(c).fill_null(0) for c in counts).sort(
        "territoire", "periode", nulls_last=True)


def scope_territories(con: duckdb.DuckDBPyConnection, maille: str, plateformes: list[str]) -> list[str]:
    """The territories of a level inside a viewer's scope, as the macro `stg.perimetre` lists them.

    The platform and whole-scope levels, the most asked for, are read from the short list of platforms rather
    than through the macro: binding a national list of platforms into a query costs more than the query.
    """
    if maille in ("plateforme", "ensemble"):
        known = {row[0] for row in con.execute("SELECT plateforme FROM ref.plateformes").fetchall()}
        inside = sorted(known.intersection(plateformes))
        if maille == "ensemble":
            return ["ensemble"] if inside else []
        return inside
    rows = con.execute("SELECT territoire FROM stg.perimetre($maille, $plateformes)",
                       {"maille": maille, "plateformes": list(plateformes)}).fetchall()
    return [row[0] for row in rows]


def period_starts(debut: date, fin: date, pas: str) -> list[date]:
    """The first day of each period of [debut, fin] (bound dates, debut <= fin) for a time step, as the macro
    `stg.periodes` lists them: calendar months, quarters or years from the one holding `debut`; `periode` is the
    whole range (its start)."""
    if pas not in ("mois", "trimestre", "annee"):
        return [debut]
    months = {"mois": 1, "trimestre": 3, "annee": 12}[pas]
    first_month = (debut.month - 1) // months * months + 1
    index, starts = debut.year * 12 + first_month - 1, []
    while (start := date(index // 12, index % 12 + 1, 1)) <= fin:
        starts.append(start)
        index += months
    return starts


def display(name: str, con: duckdb.DuckDBPyConnection, seuil: int | None = None, **params) -> pl.DataFrame:
    """The indicator as it may be shown or exported: small counts masked, with `<col>_masque` flags."""
    from queries import confidentiality

    ind = indicator(name)
    raw = run(name, con, **params)
    if not ind.secret:
        return raw
    return confidentiality.mask(
        raw, counts=list(ind.comptes), rates=ind.taux, groups=[d for d in ind.dimensions if d in raw.columns],
        totals={k: list(v) for k, v in ind.totaux.items()}, seuil=seuil,
        total_labels={"territoire": "ensemble"}, repeated={k: list(v) for k, v in ind.repetes.items()},
    )


def previous_period(debut: date, fin: date) -> tuple[date, date]:
    """The equivalent period just before, to compare with.

    - a period from 1 January to a date of the same year (a whole year, or the year to date): the same dates
      one year earlier (29 February becomes 28 February);
    - whole months (from a 1st to a last day of month): as many months just before;
    - any other period: the days just before, same length.
    """
    if (debut.month, debut.day) == (1, 1) and fin.year == debut.year:
        return _one_year_earlier(debut), _one_year_earlier(fin)
    if debut.day == 1 and (fin + _one_day()).day == 1:
        months = (fin.year - debut.year) * 12 + fin.month - debut.month + 1
        start = _add_months(debut, -months)
        return start, debut - _one_day()
    length = fin - debut
    return debut - length - _one_day(), debut - _one_day()


def _one_year_earlier(d: date) -> date:
    if (d.month, d.day) == (2, 29):
        return date(d.year - 1, 2, 28)
    return d.replace(year=d.year - 1)


def _one_day():
    from datetime import timedelta

    return timedelta(days=1)


def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def scope_all(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every platform of the découpage: the scope of a viewer who may see everything."""
    return [r[0] for r in con.execute("SELECT plateforme FROM ref.plateformes ORDER BY 1").fetchall()]


def accepted_params(name: str, params: dict) -> dict:
    """The parameters an indicator takes, out of a set of shared filters (None values dropped)."""
    taken = indicator(name).parametres
    return {k: v for k, v in params.items() if k in taken and v is not None}
