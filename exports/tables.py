"""Tables as XLSX, with French number formats, from the same formatted frames the screen shows.

A page's table holds French text (`1 234`, `12,3 %`, `45 600 €`, `22/11/2026`, `< 5`): each cell is read
back into a number, percentage, amount or date written with an Excel number format, so the workbook
computes and sorts, while masked cells stay the text « < 5 ». Excel shows the formats with the reader's
locale separators: `1 234`, `12,3 %`, `45 600 €` in French Excel.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime

import polars as pl
import xlsxwriter

INT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
PCT_FORMAT = "0.0%"
EUR_FORMAT = '#,##0 "€"'
EUR_CENTS_FORMAT = '#,##0.00 "€"'
DATE_FORMAT = "dd/mm/yyyy"
_SPACES = "\u202f\u00a0 "
_NUMBER = re.compile(r"^[−-]?\d{1,3}(?:[\u202f\u00a0 ]\d{3})*(?:,\d+)?$|^[−-]?\d+(?:,\d+)?$")


@dataclass(frozen=True)
class Cell:
    """A value to write and its Excel number format (None: plain text)."""

    value: object
    num_format: str | None = None


def parse_french(text: object) -> Cell:
    """Read a French-formatted display value back into a typed cell."""
    if text is None:
        return Cell(None)
    if isinstance(text, bool):
        return Cell("oui" if text else "non")
    if isinstance(text, int | float):
        return Cell(text, INT_FORMAT if isinstance(text, int) else DECIMAL_FORMAT)
    if isinstance(text, datetime | date):
        return Cell(text, DATE_FORMAT)
    raw = str(text).strip()
    if len(raw) > 1 and raw[0] == "0" and raw.isdigit():  # a code (commune, SIREN…): its zeros matter
        return Cell(raw)
    if re.fullmatch(r"\d{2}/\d{2}/\d{4}", raw):
        day, month, year = map(int, raw.split("/"))
        return Cell(date(year, month, day), DATE_FORMAT)
    unit = None
    body = raw
    for suffix, kind in (("%", "pct"), ("€", "eur"), ("pts", "pts")):
        if raw.endswith(suffix):
            unit, body = kind, raw[: -len(suffix)].rstrip(_SPACES)
            break
    body = body.lstrip("+")
    if not _NUMBER.match(body):
        return Cell(raw)
    number = float(body.replace("−", "-").translate({ord(c): None for c in _SPACES}).replace(",", "."))
    decimals = "," in body
    if unit == "pct":
        return Cell(number / 100, PCT_FORMAT if decimals else "0%")
    if unit == "eur":
        return Cell(number, EUR_CENTS_FORMAT if decimals else EUR_FORMAT)
    if unit == "pts":
        return Cell(number, '0.0 "pts"')
    if decimals:
        return Cell(number, DECIMAL_FORMAT)
    return Cell(int(number), INT_FORMAT)


@dataclass(frozen=True)
class Sheet:
    """One sheet: a formatted table and the lines that say what it is."""

    name: str
    frame: pl.DataFrame
    title: str
    subtitle: str = ""
    notes: tuple[str, ...] = ()


def workbook(sheets: list[Sheet]) -> bytes:
    """An XLSX workbook of formatted tables: title, period, header, typed cells, notes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"title": sheets[0].title if sheets else "Copilote", "author": "Copilote",
                         "comments": "Export de Copilote, tableau de bord Logement d'abord"})
    title_fmt = book.add_format({"bold": True, "font_size": 14})
    sub_fmt = book.add_format({"italic": True, "font_color": "#4a4f55"})
    head_fmt = book.add_format({"bold": True, "bg_color": "#1f4e8c", "font_color": "#ffffff", "text_wrap": True,
                                "valign": "top", "border": 1})
    formats: dict[str | None, object] = {None: book.add_format({"border": 1})}
    masked_fmt = book.add_format({"border": 1, "align": "right", "font_color": "#5f6368", "italic": True})
    for sheet in sheets:
        ws = book.add_worksheet(_sheet_name(sheet.name))
        ws.write(0, 0, sheet.title, title_fmt)
        if sheet.subtitle:
            ws.write(1, 0, sheet.subtitle, sub_fmt)
        header_row = 3
        for col, name in enumerate(sheet.frame.columns):
            ws.write(header_row, col, name, head_fmt)
        widths = [max(10, len(str(c)) + 2) for c in sheet.frame.columns]
        literal = [_is_label_column(c) for c in sheet.frame.columns]
        for r, row in enumerate(sheet.frame.iter_rows(), start=header_row + 1):
            for col, value in enumerate(row):
                cell = Cell(None if value is None else str(value)) if literal[col] else parse_french(value)
                if cell.num_format is None and isinstance(cell.value, str) and cell.value.startswith("<"):
                    ws.write_string(r, col, cell.value, masked_fmt)
                    continue
                if cell.num_format not in formats:
                    formats[cell.num_format] = book.add_format({"num_format": cell.num_format, "border": 1})
                fmt = formats[cell.num_format]
                if cell.value is None:
                    ws.write_blank(r, col, None, fmt)
                elif isinstance(cell.value, date):
                    ws.write_datetime(r, col, datetime.combine(cell.value, datetime.min.time()), fmt)
                elif isinstance(cell.value, int | float):
                    ws.write_number(r, col, cell.value, fmt)
                else:
                    ws.write_string(r, col, str(cell.value), fmt)
                widths[col] = min(60, max(widths[col], len(str(value or "")) + 2))
        for col, width in enumerate(widths):
            ws.set_column(col, col, width)
        ws.freeze_panes(header_row + 1, 0)
        last = header_row + 1 + sheet.frame.height + 1
        for i, note in enumerate(sheet.notes):
            ws.write(last + i, 0, note, sub_fmt)
    book.close()
    return buffer.getvalue()


def _is_label_column(name: str) -> bool:
    """Columns of codes, years and identifiers: written as they read, never as `2 025` or `62 041`."""
    words = re.split(r"[\s_'’]+", name.lower())
    return any(w in ("code", "codes", "annee", "année", "id", "identifiant", "axe", "siren", "insee", "mesure")
               for w in words)


def _sheet_name(name: str) -> str:
    """Excel sheet names: 31 characters at most, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "-", name)[:31] or "Feuille"


def table_xlsx(frame: pl.DataFrame, title: str, subtitle: str = "", notes: tuple[str, ...] = ()) -> bytes:
    """One formatted table as an XLSX workbook."""
    return workbook([Sheet(title[:31], frame, title, subtitle, notes)])
