"""Type the text cells of an import file according to its contract, collecting every error.

Each parser takes a text column and returns the typed column plus the reason for each cell it could not
read. Parsing is vectorised in Polars: the national benchmark pushes millions of rows through here.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import polars as pl

from etl import contracts as c
from etl.read import ROW

# Columns of the error frame every check returns.
ERROR_SCHEMA = {ROW: pl.Int64, "colonne": pl.Utf8, "valeur": pl.Utf8, "motif": pl.Utf8}
EXCEL_EPOCH = date(1899, 12, 30)
TYPED = "__typed"  # the typed value of the cell, which a parser's `ok` expression may read
YEAR_MIN, YEAR_MAX = 1990, 2100


def empty_errors() -> pl.DataFrame:
    """An error frame with no rows."""
    return pl.DataFrame(schema=ERROR_SCHEMA)


def errors_where(frame: pl.DataFrame, mask: pl.Expr, column: str, reason: str | pl.Expr,
                 value: pl.Expr | None = None) -> pl.DataFrame:
    """One error row per row of `frame` where `mask` holds."""
    reason_expr = reason if isinstance(reason, pl.Expr) else pl.lit(reason)
    return frame.filter(mask).select(
        pl.col(ROW),
        pl.lit(column).alias("colonne"),
        (value if value is not None else pl.col(column)).cast(pl.Utf8).alias("valeur"),
        reason_expr.cast(pl.Utf8).alias("motif"),
    )


def value_key(text: str) -> str:
    """How list values are compared: case, accents, spaces and dashes do not matter."""
    text = unicodedata.normalize("NFKD", text.strip())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return "".join("_" if ch in " -’'" else ch for ch in text)


def _clean_number(expr: pl.Expr) -> pl.Expr:
    """Drop spaces (incl. non-breaking), the euro sign, and read a decimal comma as a point."""
    return (
        expr.str.replace_all(r"[\s\u00a0\u202f]|€|(?i:eur)", "")
        .str.replace(",", ".", literal=True)
    )


def parse_int(col: pl.Expr) -> tuple[pl.Expr, pl.Expr, str]:
    cleaned = _clean_number(col).str.replace(r"\.0+$", "")
    ok = cleaned.str.contains(r"^-?\d{1,15}$")
    return pl.when(ok).then(cleaned).cast(pl.Int64, strict=False), ok, "nombre entier attendu"


def parse_number(col: pl.Expr) -> tuple[pl.Expr, pl.Expr, str]:
    cleaned = _clean_number(col)
    ok = cleaned.str.contains(r"^-?(\d+(\.\d*)?|\.\d+)([eE]-?\d+)?$")
    return pl.when(ok).then(cleaned).cast(pl.Float64, strict=False), ok, "nombre attendu (ex. 12,5)"


def parse_money(col: pl.Expr) -> tuple[pl.Expr, pl.Expr, str]:
    number, ok, _ = parse_number(col)
    return number.round(2), ok, "montant en euros attendu (ex. 45 600,50)"


def parse_rate(col: pl.Expr) -> tuple[pl.Expr, pl.Expr, str]:
    percent = col.str.contains(r"%\s*$")
    number, ok, _ = parse_number(col.str.replace(r"%\s*$", ""))
    rate = pl.when(percent).then(number / 100).otherwise(number)
    return rate, ok, "taux attendu entre 0 et 1 ou en pourcentage (ex. 0,6 ou 60 %)"


def parse_date(col: pl.Expr) -> tuple[pl.Expr, pl.Expr, str]:
    french = col.str.strptime(pl.Date, "%d/%m/%Y", strict=False)
    iso = col.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    serial_text = col.str.replace(r"\.0+$", "")
    is_serial = serial_text.str.contains(r"^\d{4,5}$")
    serial = pl.lit(EXCEL_EPOCH) + pl.duration(days=serial_text.cast(pl.Int64, strict=False))
    parsed = (
        pl.when(col.str.contains(r"^\d{1,2}/\d{1,2}/\d{4}$")).then(french)
        .when(col.str.contains(r"^\d{4}-\d{2}-\d{2}([ T].*)?$")).then(iso)
        .when(is_serial).then(serial.cast(pl.Date))
    )
    in_range = parsed.dt.year().is_between(YEAR_MIN, YEAR_MAX)
    # A date is valid exactly when it was read and is in range, i.e. when the typed value is not null:
    # reading `ok` off the typed column saves parsing every cell twice.
    return pl.when(in_range).then(parsed), pl.col(TYPED).is_not_null(), "date invalide (attendu jj/mm/aaaa)"


def parse_year(col: pl.Expr) -> tuple[pl.Expr, pl.Expr, str]:
    number, ok, _ = parse_int(col)
    ok = ok & number.is_between(YEAR_MIN, YEAR_MAX)
    return number.cast(pl.Int32), ok, f"année attendue sur 4 chiffres ({YEAR_MIN}-{YEAR_MAX})"


def parse_code(col: pl.Expr, width: int, pattern: str, reason: str) -> tuple[pl.Expr, pl.Expr, str]:
    """A code whose leading zeros Excel may have eaten (`1001` -> `01001`)."""
    text = col.str.replace(r"\.0+$", "").str.to_uppercase()
    padded = pl.when(text.str.contains(r"^\d+$")).then(text.str.zfill(width)).otherwise(text)
    return padded, padded.str.contains(pattern), reason


PARSERS = {
    c.INT: parse_int,
    c.NUMBER: parse_number,
    c.MONEY: parse_money,
    c.RATE: parse_rate,
    c.DATE: parse_date,
    c.YEAR: parse_year,
    c.COMMUNE: lambda col: parse_code(col, 5, r"^(\d{5}|2[AB]\d{3})$",
                                      "code commune INSEE sur 5 caractères attendu (ex. 62041)"),
    c.EPCI: lambda col: parse_code(col, 9, r"^\d{9}$", "SIREN d'EPCI sur 9 chiffres attendu"),
}


# Shortcuts for the usual case where every filled cell of a column has the plain form (dates dd/mm/yyyy,
# codes already on 5 or 9 digits, whole numbers): (test on the column, parser giving the same result as the
# general parser on such cells). They spare the general parsers' other patterns on million-row files.
FRENCH_DATE = r"^\d{1,2}/\d{1,2}/\d{4}$"


def parse_french_date(col: pl.Expr) -> tuple[pl.Expr, pl.Expr, str]:
    """`parse_date` for cells that are all dd/mm/yyyy."""
    parsed = col.str.strptime(pl.Date, "%d/%m/%Y", strict=False)
    in_range = parsed.dt.year().is_between(YEAR_MIN, YEAR_MAX)
    return pl.when(in_range).then(parsed), pl.col(TYPED).is_not_null(), "date invalide (attendu jj/mm/aaaa)"


def _as_is(col: pl.Expr) -> tuple[pl.Expr, pl.Expr, str]:
    return col, col.is_not_null(), ""


def _plain_int(col: pl.Expr) -> tuple[pl.Expr, pl.Expr, str]:
    return col.cast(pl.Int64, strict=False), col.is_not_null(), ""


SHORTCUTS = {
    c.DATE: (lambda col: col.str.contains(FRENCH_DATE).all(), parse_french_date),
    c.COMMUNE: (lambda col: col.str.contains(r"^(\d{5}|2[AB]\d{3})$").all(), _as_is),
    c.EPCI: (lambda col: col.str.contains(r"^\d{9}$").all(), _as_is),
    c.INT: (lambda col: col.str.contains(r"^\d{1,15}$").all(), _plain_int),
}


def parser_for(frame: pl.DataFrame, column: c.Column):
    """The parser of a column's kind, or its shortcut when every filled cell has the plain form."""
    shortcut = SHORTCUTS.get(column.kind)
    if shortcut and frame.select(shortcut[0](pl.col(column.name))).item():
        return shortcut[1]
    return PARSERS[column.kind]


def enum_mapping(raw_values: list[str], allowed: tuple, multi: bool) -> dict[str, str | None]:
    """Raw cell text -> canonical value (or `|`-joined values), None when some value is not allowed."""
    canonical = {value_key(str(v)): str(v) for v in allowed}
    mapping = {}
    for raw in raw_values:
        parts = [p for p in raw.split("|")] if multi else [raw]
        keys = [value_key(p) for p in parts if p.strip()]
        found = [canonical.get(k) for k in keys]
        mapping[raw] = "|".join(found) if found and all(found) else None
    return mapping


def parse_column(frame: pl.DataFrame, column: c.Column) -> tuple[pl.Series, pl.DataFrame]:
    """The typed column and the error rows for `column` of a text frame."""
    raw = frame.get_column(column.name)
    errors = []
    if column.kind in (c.ENUM, c.ENUM_LIST):
        typed, bad = _parse_enum(frame, column)
        errors.append(bad)
    elif column.kind in PARSERS:
        expr, ok, reason = parser_for(frame, column)(pl.col(column.name))
        # Lazy, so that the optimiser computes the subexpressions `expr` and `ok` share only once.
        result = (frame.lazy().select(pl.col(column.name), expr.alias(TYPED))
                  .select(TYPED, ok.fill_null(False).alias("ok")).collect())
        typed = result.get_column(TYPED)
        bad_mask = raw.is_not_null() & ~result.get_column("ok")
        errors.append(errors_where(frame, bad_mask, column.name, reason))
        typed = pl.Series(column.name, typed).set(bad_mask, None) if bad_mask.any() else typed
    else:
        typed = raw
    typed = typed.alias(column.name)
    errors.append(_range_errors(frame, typed, column))
    if column.required:
        errors.append(errors_where(frame, raw.is_null(), column.name, "valeur obligatoire manquante"))
    return typed, pl.concat(errors)


def _parse_enum(frame: pl.DataFrame, column: c.Column) -> tuple[pl.Series, pl.DataFrame]:
    raw = frame.get_column(column.name)
    multi = column.kind == c.ENUM_LIST
    mapping = enum_mapping(raw.drop_nulls().unique().to_list(), column.values, multi)
    if all(raw_text == value for raw_text, value in mapping.items()):
        # The usual file writes every value as the list does: the cells are their own canonical values.
        joined, errors = raw, empty_errors()
    else:
        joined = raw.replace_strict(mapping, default=None, return_dtype=pl.Utf8)
        bad_mask = raw.is_not_null() & joined.is_null()
        allowed = ", ".join(str(v) for v in column.values)
        reason = f"valeur hors liste (valeurs possibles : {allowed})"
        errors = errors_where(frame, bad_mask, column.name, reason)
    if multi:
        return joined.str.split("|"), errors
    if all(isinstance(v, int) for v in column.values):
        return joined.cast(pl.Int64), errors
    return joined, errors


def _range_errors(frame: pl.DataFrame, typed: pl.Series, column: c.Column) -> pl.DataFrame:
    low = 0 if column.kind in (c.MONEY, c.RATE) and column.min is None else column.min
    high = 1 if column.kind == c.RATE and column.max is None else column.max
    if low is None and high is None:
        return empty_errors()
    checked = frame.with_columns(typed.alias(TYPED))
    mask = pl.lit(False)
    if low is not None:
        mask = mask | (pl.col(TYPED) < low)
    if high is not None:
        mask = mask | (pl.col(TYPED) > high)
    bounds = _bounds_text(low, high, column.kind)
    return errors_where(checked, mask.fill_null(False), column.name, f"valeur hors limites ({bounds})")


def _bounds_text(low: float | None, high: float | None, kind: str) -> str:
    def fmt(x: float) -> str:
        if kind == c.RATE:
            return f"{x * 100:g} %"
        return f"{x:g}".replace(".", ",")

    if low is not None and high is not None:
        return f"entre {fmt(low)} et {fmt(high)}"
    if low is not None:
        return "valeur négative interdite" if low == 0 else f"au moins {fmt(low)}"
    return f"au plus {fmt(high)}"
