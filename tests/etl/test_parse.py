"""Cell parsers: French numbers, dates, codes and value lists."""

from __future__ import annotations

from datetime import date

import polars as pl

from etl import contracts as c
from etl.parse import parse_column
from etl.read import ROW


def parsed(kind: str, cells: list[str | None], **column) -> tuple[list, list[tuple[int, str]]]:
    """Typed values and (row, reason) errors for one column of text cells starting at row 2."""
    frame = pl.DataFrame({ROW: list(range(2, 2 + len(cells))), "x": cells}, schema={ROW: pl.Int64, "x": pl.Utf8})
    typed, errors = parse_column(frame, c.Column("x", kind, **column))
    return typed.to_list(), sorted((e[ROW], e["motif"].split(" (")[0]) for e in errors.iter_rows(named=True))


def test_dates():
    values, errors = parsed(c.DATE, ["03/02/2026", "3/2/2026", "2026-02-03", "2026-02-03 00:00:00", "46056",
                                     "31/02/2026", "02/03/26", None])
    assert values == [date(2026, 2, 3)] * 5 + [None, None, None]
    assert errors == [(7, "date invalide"), (8, "date invalide")]


def test_numbers_money_rates():
    values, errors = parsed(c.MONEY, ["45 600,50", "45\u202f600 €", "1234.5", "-3", "douze"])
    assert values == [45600.5, 45600.0, 1234.5, -3.0, None]
    assert errors == [(5, "valeur hors limites"), (6, "montant en euros attendu")]
    values, errors = parsed(c.RATE, ["60 %", "0,6", "0.4", "60", "12,5%"])
    assert values == [0.6, 0.6, 0.4, 60.0, 0.125]
    assert errors == [(5, "valeur hors limites")]
    values, errors = parsed(c.INT, ["3", "3.0", "3,5", "1 200"], min=0)
    assert values == [3, 3, None, 1200]
    assert errors == [(4, "nombre entier attendu")]


def test_codes_keep_or_restore_leading_zeros():
    values, errors = parsed(c.COMMUNE, ["62041", "1001", "2a004", "2A004", "6204", "ABCDE"])
    assert values == ["62041", "01001", "2A004", "2A004", "06204", None]
    assert errors == [(7, "code commune INSEE sur 5 caractères attendu")]


def test_value_lists_ignore_case_accents_and_spaces():
    values, errors = parsed(c.ENUM, ["Acceptée", "EN ATTENTE", "en-attente", "oui"], values=c.DECISIONS)
    assert values == ["acceptee", "en_attente", "en_attente", None]
    assert errors == [(5, "valeur hors liste")]
    values, errors = parsed(c.ENUM_LIST, ["sante_mentale | Addictions", "errance", "errance|vélo"], values=c.PUBLICS)
    assert values == [["sante_mentale", "addictions"], ["errance"], None]
    assert errors == [(4, "valeur hors liste")]


def test_required():
    _, errors = parsed(c.TEXT, ["a", None], required=True)
    assert errors == [(3, "valeur obligatoire manquante")]
