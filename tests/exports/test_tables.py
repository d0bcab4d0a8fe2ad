"""XLSX tables: French display values become typed cells with Excel number formats; masked cells stay text."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import polars as pl

from exports.tables import DATE_FORMAT, EUR_FORMAT, INT_FORMAT, PCT_FORMAT, parse_french, table_xlsx


def test_french_values_are_read_back():
    assert (parse_french("1\u202f234").value, parse_french("1\u202f234").num_format) == (1234, INT_FORMAT)
    rate = parse_french("12,3\u00a0%")
    assert abs(rate.value - 0.123) < 1e-12 and rate.num_format == PCT_FORMAT
    assert (parse_french("45\u202f600\u00a0€").value, parse_french("45\u202f600\u00a0€").num_format) == (
        45600, EUR_FORMAT)
    assert parse_french("−4,0\u00a0%").value == -0.04
    assert parse_french("< 5").value == "< 5" and parse_french("< 5").num_format is None
    assert parse_french("Calaisis").num_format is None
    assert parse_french("01001").value == "01001"  # a code keeps its zero


def test_workbook_has_typed_cells_and_french_formats():
    frame = pl.DataFrame({"Plateforme": ["Calaisis", "Lens-Hénin"], "Code commune": ["62193", "62498"],
                          "Saisines": ["1\u202f234", "< 5"], "Taux": ["12,3\u00a0%", "—"],
                          "Montant": ["45\u202f600\u00a0€", "0\u00a0€"], "Date": ["22/11/2026", "01/01/2026"]})
    data = table_xlsx(frame, "Saisines par plateforme", "Année 2026", ("Effectifs de 1 à 4 masqués.",))
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "Saisines par plateforme" and ws["A2"].value == "Année 2026"
    assert [c.value for c in ws[4]] == list(frame.columns)
    saisines, masked = ws["C5"], ws["C6"]
    assert (saisines.value, saisines.number_format) == (1234, INT_FORMAT)
    assert masked.value == "< 5" and masked.data_type == "s"
    assert ws["B5"].value == "62193" and ws["B5"].data_type == "s"  # codes are not numbers
    assert ws["D5"].number_format == PCT_FORMAT and abs(ws["D5"].value - 0.123) < 1e-12
    assert (ws["E5"].value, ws["E5"].number_format) == (45600, EUR_FORMAT)
    assert ws["F5"].value == datetime(2026, 11, 22) and ws["F5"].number_format == DATE_FORMAT
    assert ws["A8"].value == "Effectifs de 1 à 4 masqués."
