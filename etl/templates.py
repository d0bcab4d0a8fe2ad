"""XLSX import templates, one per table, written from the contracts (`etl.contracts`).

A template has a data sheet named exactly after the table (bold frozen header, dates as dd/mm/yyyy,
drop-down lists for list columns, a help bubble per column) and an « Explications » sheet describing each
column. `write_workbook` writes the same layout filled with rows: the demonstration data use it, so they
are exactly in the templates' format. Output is byte-deterministic (fixed creation date, in-memory zip
with fixed timestamps), so regenerating an unchanged file does not look like a new version to the loader.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from etl import contracts as c

EXPLANATION_SHEET = "Explications"
# Fixed so that the same content gives the same bytes (xlsxwriter stamps "now" otherwise).
CREATED = datetime(2022, 1, 1)
VALIDATED_ROWS = 5000  # rows of an empty template that carry the drop-down lists
MAX_INLINE_LIST = 255  # Excel's limit on an inline list of allowed values, in characters
DATE_FORMAT = "dd/mm/yyyy"
NUMBER_FORMATS = {
    c.MONEY: '#,##0.00 "€"',
    c.RATE: "0%",
    c.INT: "0",
    c.YEAR: "0",
    c.NUMBER: "General",
}
# Columns whose text must stay text in Excel (codes with leading zeros, identifiers).
TEXT_KINDS = (c.TEXT, c.COMMUNE, c.EPCI, c.PSEUDONYM, c.ENUM, c.ENUM_LIST)
EXPLANATION_HEADERS = ("colonne", "obligatoire", "description", "format attendu", "valeurs autorisées", "exemple")


def template_name(table: str) -> str:
    """File name of a table's template (`etl.read.table_from_name` strips the `modele_` prefix)."""
    return f"modele_{table}.xlsx"


def write_templates(folder: Path) -> list[Path]:
    """Write one empty template per table into `folder`; return their paths in load order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [write_workbook(folder / template_name(table), table, ()) for table in c.LOAD_ORDER]


def write_workbook(path: Path, table: str, rows: Iterable[Mapping[str, object]]) -> Path:
    """Write a table's workbook: the data sheet filled with `rows` (dicts by column name) and its explanations.

    Values may be `date`/`datetime` (written as Excel dates), numbers, text, lists (joined with `|`) or None.
    """
    contract = c.CONTRACTS[table]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_numbers": False,
                                               "strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties({"title": f"Copilote — modèle {table}", "author": "Copilote", "created": CREATED})
    formats = _formats(workbook)
    data = workbook.add_worksheet(table)
    explanations = workbook.add_worksheet(EXPLANATION_SHEET)
    list_ranges = _write_explanations(explanations, contract, formats)
    n_rows = _write_data(data, contract, rows, formats)
    _add_validations(data, contract, max(n_rows, VALIDATED_ROWS), list_ranges)
    workbook.close()
    return path


def _formats(workbook: xlsxwriter.Workbook) -> dict[str, object]:
    formats = {
        "header": workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                       "valign": "top"}),
        "required": workbook.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True,
                                         "valign": "top"}),
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "text": workbook.add_format({"num_format": "@"}),
        c.DATE: workbook.add_format({"num_format": DATE_FORMAT}),
    }
    for kind, num_format in NUMBER_FORMATS.items():
        formats[kind] = workbook.add_format({"num_format": num_format})
    return formats


def column_width(column: c.Column) -> float:
    """A width that shows the header and a typical value without wrapping (capped)."""
    if column.kind == c.DATE:
        typical = 12
    elif column.kind in (c.ENUM, c.ENUM_LIST) and column.values:
        typical = max(len(str(v)) for v in column.values) + (8 if column.kind == c.ENUM_LIST else 2)
    else:
        typical = len(column.example) + 4
    return float(min(max(len(column.name) + 3, typical, 8), 40))


def _column_format(column: c.Column, formats: dict) -> object:
    if column.kind in TEXT_KINDS:
        return formats["text"]
    return formats.get(column.kind)


def _write_data(sheet, contract: c.Contract, rows: Iterable[Mapping[str, object]], formats: dict) -> int:
    """Header and rows of the data sheet; the number of data rows written."""
    for j, column in enumerate(contract.columns):
        sheet.set_column(j, j, column_width(column), _column_format(column, formats))
        sheet.write_string(0, j, column.name, formats["required" if column.required else "header"])
    sheet.freeze_panes(1, 0)
    n = 0
    for n, row in enumerate(rows, start=1):
        for j, column in enumerate(contract.columns):
            _write_cell(sheet, n, j, row.get(column.name), column, formats)
    sheet.autofilter(0, 0, max(n, 1), len(contract.columns) - 1)
    return n


def _write_cell(sheet, i: int, j: int, value: object, column: c.Column, formats: dict) -> None:
    """One cell, typed the way a coordinator's Excel would hold it."""
    if value is None or value == "":
        return
    if isinstance(value, (list, tuple)):
        value = "|".join(str(v) for v in value)
    if isinstance(value, datetime):
        sheet.write_datetime(i, j, value, formats[c.DATE])
    elif isinstance(value, date):
        sheet.write_datetime(i, j, datetime(value.year, value.month, value.day), formats[c.DATE])
    elif isinstance(value, bool):
        sheet.write_string(i, j, str(value), formats["text"])
    elif isinstance(value, (int, float)) and column.kind not in TEXT_KINDS:
        sheet.write_number(i, j, value, formats.get(column.kind))
    else:
        sheet.write_string(i, j, str(value), formats["text"])


def allowed_values_text(column: c.Column) -> str:
    """The allowed values of a list column, as shown in the explanations."""
    if not column.values:
        return ""
    joined = ", ".join(str(v) for v in column.values)
    return f"{joined} (plusieurs valeurs séparées par |)" if column.kind == c.ENUM_LIST else joined


def _write_explanations(sheet, contract: c.Contract, formats: dict) -> dict[str, str]:
    """The « Explications » sheet; returns, per list column, the cell range holding its values."""
    sheet.write_string(0, 0, f"{contract.title} — table {contract.table}", formats["title"])
    sheet.write_string(1, 0, contract.description)
    if contract.grain:
        sheet.write_string(2, 0, f"Grain : {contract.grain}.")
    start = 4
    for j, header in enumerate(EXPLANATION_HEADERS):
        sheet.write_string(start, j, header, formats["header"])
    for i, column in enumerate(contract.columns, start=start + 1):
        cells = (column.name, "oui" if column.required else "non", column.description,
                 _format_text(column), allowed_values_text(column), column.example)
        for j, text in enumerate(cells):
            sheet.write_string(i, j, text, formats["wrap"])
    row = start + len(contract.columns) + 2
    for note in explanation_notes(contract):
        sheet.write_string(row, 0, note)
        row += 1
    for j, width in enumerate((22, 12, 45, 32, 50, 22)):
        sheet.set_column(j, j, width)
    sheet.freeze_panes(start + 1, 0)
    return _write_value_lists(sheet, contract, formats, first_column=len(EXPLANATION_HEADERS) + 1)


def _format_text(column: c.Column) -> str:
    label = c.KIND_LABELS[column.kind]
    bounds = []
    if column.min is not None:
        bounds.append(f"minimum {column.min:g}")
    if column.max is not None:
        bounds.append(f"maximum {column.max:g}")
    return label + (f" ({', '.join(bounds)})" if bounds else "")


def explanation_notes(contract: c.Contract) -> list[str]:
    """French sentences for the key, rules and references of a table."""
    notes = ["Les colonnes en orangé sont obligatoires. Les dates s'écrivent jj/mm/aaaa.",
             "Ne renommez pas les colonnes ni la feuille de données : l'import les reconnaît par leur nom."]
    if contract.key:
        notes.append(f"Clé : {' + '.join(contract.key)} (deux lignes ne peuvent pas avoir la même valeur).")
    for rule in contract.rules:
        if isinstance(rule, c.DateOrder):
            notes.append(f"Règle : {rule.after} ne peut pas être antérieure à {rule.before}.")
        elif isinstance(rule, c.ExactlyOne):
            notes.append(f"Règle : renseigner un seul de {' ou '.join(rule.columns)} par ligne.")
        elif isinstance(rule, c.FilledTogether):
            notes.append(f"Règle : {' et '.join(rule.columns)} sont renseignés ensemble ou laissés vides ensemble.")
    for ref in contract.references:
        notes.append(f"Référence : chaque {ref.column} doit exister dans la table {ref.table} "
                     f"(colonne {ref.target}) ; importez-la d'abord.")
    if any(col.kind == c.PSEUDONYM for col in contract.columns):
        notes.append("Données personnelles : n'ajoutez ni nom, ni date de naissance, ni coordonnées ; "
                     "l'identifiant du ménage est remplacé par un pseudonyme à l'import.")
    return notes


def _write_value_lists(sheet, contract: c.Contract, formats: dict, first_column: int) -> dict[str, str]:
    """One column of allowed values per list column, referenced by drop-downs too long to be inline."""
    ranges = {}
    list_columns = [col for col in contract.columns if col.kind == c.ENUM and col.values]
    if list_columns:
        sheet.write_string(3, first_column, "Listes de valeurs (menus déroulants de la feuille de données)")
    for k, column in enumerate(list_columns):
        j = first_column + k
        sheet.write_string(4, j, column.name, formats["header"])
        for i, value in enumerate(column.values, start=5):
            sheet.write_string(i, j, str(value))
        letter = xl_col_to_name(j)
        ranges[column.name] = f"='{EXPLANATION_SHEET}'!${letter}$6:${letter}${5 + len(column.values)}"
        sheet.set_column(j, j, column_width(column))
    return ranges


def _add_validations(sheet, contract: c.Contract, last_row: int, list_ranges: dict[str, str]) -> None:
    """Drop-down lists for list columns and an input message (description) on every column."""
    for j, column in enumerate(contract.columns):
        message = _input_message(column)
        if column.kind == c.ENUM and column.values:
            values = [str(v) for v in column.values]
            source = values if len(",".join(values)) <= MAX_INLINE_LIST else list_ranges[column.name]
            sheet.data_validation(1, j, last_row, j, {
                "validate": "list", "source": source, "input_title": column.name[:32],
                "input_message": message, "error_title": "Valeur hors liste",
                "error_message": f"Choisissez une valeur de la liste ({column.name})."[:255],
            })
        else:
            sheet.data_validation(1, j, last_row, j, {
                "validate": "any", "input_title": column.name[:32], "input_message": message,
            })


def _input_message(column: c.Column) -> str:
    text = column.description
    if column.kind == c.ENUM_LIST:
        text += " — valeurs séparées par |"
    elif column.kind not in (c.ENUM, c.TEXT):
        text += f" — {c.KIND_LABELS[column.kind]}"
    return text[:255]
