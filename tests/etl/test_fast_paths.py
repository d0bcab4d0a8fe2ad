"""The shortcuts taken for large files give the same answers as the general path."""

from __future__ import annotations

import polars as pl
import pytest

from etl import contracts as c
from etl import parse
from etl.read import ROW, ragged_rows, ragged_rows_bytes

TEXTS = [
    "a;b;c\n1;2;3\n4;5\n",
    "a;b;c\r\n1;2;3\r\n4;5;6;7\r\n\r\n   \r\n8;9;10",
    "a;b;c\n1;\"2;x\";3\n\n\u00a0\n;;\n;\n",
    "a,b\n1,2,3\n\"q\",2,3\n",
    "a\tb\n1\t2\n3\n \t \n",
    "é;à\nç;ù;ê\n€;£\n",
    "a;b\n1;2",
    "a;b\n",
]


@pytest.mark.parametrize("text", TEXTS)
def test_ragged_rows_on_bytes_match_the_lines(text):
    separator = "\t" if "\t" in text.splitlines()[0] else ("," if "," in text.splitlines()[0] else ";")
    assert ragged_rows_bytes(text.encode("utf-8"), separator) == ragged_rows(text.splitlines(), separator)


@pytest.mark.parametrize("text", ["a;b\r1;2;3\r", "a;b\x0c1;2\n", "a;b\u20281;2;3\n", "a;b\x851\n"])
def test_other_line_breaks_fall_back_to_python(text):
    assert ragged_rows_bytes(text.encode("utf-8"), ";") is None


CELLS = {
    c.DATE: [["03/02/2026", "3/2/2026", None, "31/12/1989", "01/01/2101", "29/02/2025"],
             ["03/02/2026", "2026-02-03", "46056", None]],
    c.COMMUNE: [["62041", "2A004", "2B033", None, "00000"], ["62041", "1001", "2a004", "ABCDE"]],
    c.EPCI: [["246200364", None], ["246200364", "24620036", "x"]],
    c.INT: [["0", "12", None, "999999999999999"], ["3", "3.0", "-1", "1 200"]],
}


@pytest.mark.parametrize("kind", list(CELLS))
def test_parse_shortcuts_match_the_general_parsers(kind, monkeypatch):
    for cells in CELLS[kind]:
        frame = pl.DataFrame({ROW: list(range(2, 2 + len(cells))), "x": cells}, schema={ROW: pl.Int64, "x": pl.Utf8})
        column = c.Column("x", kind, min=0 if kind == c.INT else None)
        typed, errors = parse.parse_column(frame, column)
        with monkeypatch.context() as m:
            m.setattr(parse, "SHORTCUTS", {})
            general_typed, general_errors = parse.parse_column(frame, column)
        assert typed.to_list() == general_typed.to_list()
        assert typed.dtype == general_typed.dtype
        assert errors.sort(ROW).to_dicts() == general_errors.sort(ROW).to_dicts()


def test_shortcuts_apply_to_plain_columns():
    frame = pl.DataFrame({"x": ["03/02/2026", None]})
    assert parse.parser_for(frame, c.Column("x", c.DATE)) is parse.parse_french_date
    frame = pl.DataFrame({"x": ["03/02/2026", "2026-02-03"]})
    assert parse.parser_for(frame, c.Column("x", c.DATE)) is parse.parse_date


def test_platform_outlines_are_dissolved_from_their_communes(warehouse_copy, tmp_path):
    """Platforms made of one whole EPCI reuse its outline: the same bytes as dissolving their communes."""
    import duckdb

    from etl import geo
    from etl.load import load_files

    decoupage = tmp_path / "decoupage_test.csv"
    decoupage.write_text("plateforme;code_epci;code_commune\nBoulonnais;246200729;\nMixte;200018083;\n"
                         "Mixte;;62041\n", encoding="utf-8")
    assert load_files([decoupage], warehouse_copy).ok
    con = duckdb.connect(str(warehouse_copy), read_only=True)
    try:
        members = con.sql("SELECT p.plateforme, c.geometry FROM stg.plateforme_communes p "
                          "JOIN ref.communes c USING (code_commune) ORDER BY p.plateforme, c.code_commune").pl()
        stored = dict(con.execute("SELECT plateforme, geometry FROM ref.plateformes").fetchall())
    finally:
        con.close()
    expected = dict(geo.dissolve(members, "plateforme").iter_rows())
    assert set(stored) == {"Lens-Hénin", "Calaisis", "Audomarois", "Boulonnais", "Mixte"}
    assert stored == expected


def test_ragged_rows_on_very_long_lines():
    text = "a;b\n" + ";" * 70_000 + "\n1;2\n" + "x" * 70_000 + "\n"
    assert ragged_rows_bytes(text.encode(), ";") == ragged_rows(text.splitlines(), ";") == [2, 4]


def test_accented_text_keeps_the_fast_path():
    text = "plateforme;opérateur\nHénin;à côté – 10 €\n\u00a0;x\u2027\n"
    assert ragged_rows_bytes(text.encode(), ";") == ragged_rows(text.splitlines(), ";") == []


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf"])
def test_csv_body_with_byte_order_marks(prefix, tmp_path):
    from etl.read import read_file

    path = tmp_path / "instances.csv"
    path.write_bytes(prefix + "date;plateforme;type_instance\n14/01/2025;Lens-Hénin;coordination\n".encode())
    [sheet] = read_file(path)
    assert sheet.frame.columns == ["_ligne", "date", "plateforme", "type_instance"]
    assert sheet.frame.row(0) == (2, "14/01/2025", "Lens-Hénin", "coordination")
