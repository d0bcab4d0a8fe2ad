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


UTF8_CASES = [
    b"", b"abc", "é à – € 🏠".encode(), b"\xc3", b"\xc3\x28", b"\xe2\x82", b"\xed\xa0\x80", b"\xed\x9f\xbf",
    b"\xc0\xaf", b"\xe0\x80\xaf", b"\xf0\x8f\xbf\xbf", b"\xf4\x90\x80\x80", b"\xf4\x8f\xbf\xbf", b"\xf5\x80\x80\x80",
    b"\xff", b"\x80", b"caf\xe9", b"ok\xef\xbf\xbe", b"\xef\xbb\xbfa;b\n",
]


@pytest.mark.parametrize("data", UTF8_CASES)
def test_utf8_validation_agrees_with_python(data):
    from etl.read import is_utf8

    try:
        data.decode("utf-8")
        expected = True
    except UnicodeDecodeError:
        expected = False
    assert is_utf8(data) is expected


CSV_TEXTS = [
    b"a;b\n1;2\n",
    b"\xef\xbb\xbfa;b\r\n1;2\r\n",
    b"\xef\xbb\xbf\xef\xbb\xbfa;b\n1;2\n",
    b"a,b;c\n1,2;3\n",
    b"  \na;b\n1;2\n",
    b"a;b\x0bc\n1;2\n",
    b"a;b\rc;d\n1;2\n",
    "é;à\u2028x\n1;2\n".encode(),
    "caf\xe9;b\n1;2\n".encode("cp1252"),
    b"a;b",
    b"\xef\xbb\xbf",
    b" \n\t\n",
    b"\xff\xfea\x00;\x00b\x00\n\x00",
]


@pytest.mark.parametrize("data", CSV_TEXTS)
def test_header_read_from_bytes_matches_the_decoded_text(data):
    """The header found without decoding the file is the one of the decoded text (or the caller decodes)."""
    from etl import read

    header = read.utf8_header(data)
    try:
        text = read.decode_text(data, "f.csv").lstrip("\ufeff")
    except read.ReadError:
        assert header is None
        return
    if header is not None:
        assert header == read.FIRST_LINE.match(text).group()
        assert text.strip() != ""


CSV_FILES = {
    "saisines_clean.csv": "id_saisine;date_saisine;plateforme\nS1;03/02/2025;Calaisis\nS2;04/02/2025; Lens-Hénin \n\n",
    "saisines_bom.csv": "\ufeffid_saisine;date_saisine\r\nS1;03/02/2025\r\n ; \r\n",
    "saisines_quotes.csv": 'id_saisine;plateforme\nS1;"a;b"\n"S2";\n',
    "saisines_ragged.csv": "id_saisine;plateforme\nS1\nS2;x;y\n",
    "saisines_blank_first.csv": "\n\nid_saisine;plateforme\nS1;x\n",
    "saisines_vide.csv": "\ufeff \n",
}


@pytest.mark.parametrize("name", list(CSV_FILES))
@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_csv_read_without_decoding_matches_the_decoded_path(name, encoding, tmp_path, monkeypatch):
    from etl import read

    path = tmp_path / name
    path.write_bytes(CSV_FILES[name].encode(encoding, errors="ignore"))

    def outcome():
        try:
            [sheet] = read.read_file(path)
        except read.ReadError as exc:
            return str(exc)
        return sheet.table, sheet.empreinte, sheet.frame.to_dicts(), sheet.frame.schema

    fast = outcome()
    monkeypatch.setattr(read, "utf8_header", lambda data: None)
    assert fast == outcome()


def test_plain_utf8_files_take_the_fast_path():
    from etl import read

    assert read.utf8_header(b"\xef\xbb\xbfa;b\r\n1;2\r\n") == "a;b"
    assert read.utf8_header("caf\xe9;b\n".encode("cp1252")) is None


@pytest.mark.parametrize("block", [1, 2, 7, 64])
@pytest.mark.parametrize("text", [*TEXTS, "a;b\n" + "1;2\n" * 20 + "x" * 30 + "\n3;4;5\n\n;\n", "é;à\n\u2028;x\n"])
def test_ragged_rows_scanned_in_small_blocks(text, block, monkeypatch):
    """The bytes are scanned in blocks of whole lines: any block size gives the answer of the whole text."""
    from etl import read

    separator = "\t" if "\t" in text.splitlines()[0] else ("," if "," in text.splitlines()[0] else ";")
    expected = ragged_rows_bytes(text.encode("utf-8"), separator)
    monkeypatch.setattr(read, "LINE_BLOCK", block)
    assert ragged_rows_bytes(text.encode("utf-8"), separator) == expected
    if expected is not None:
        assert expected == ragged_rows(text.splitlines(), separator)


# --- checks against the warehouse, made in DuckDB -----------------------------------------------------------

def _raw_tables():
    """An in-memory database with the raw tables only."""
    import duckdb

    from etl import warehouse
    from etl.contracts import LOAD_ORDER

    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    for table in LOAD_ORDER:
        con.execute(warehouse.raw_table_ddl(table))
    return con


@pytest.mark.parametrize("small", [0, 100_000])
def test_missing_references_match_the_polars_lookup(small, monkeypatch):
    """Looked up in Polars (few allowed values) or by an anti-join in DuckDB (many): the same rows."""
    from etl import load

    monkeypatch.setattr(load, "SMALL_REFERENCE", small)
    con = _raw_tables()
    con.execute("INSERT INTO raw.saisines (id_saisine, _fichier) VALUES ('S1', 'a.csv'), ('S2', 'a.csv'), "
                "('S3', 'b.csv'), (NULL, 'c.csv')")
    typed = pl.DataFrame({ROW: [2, 3, 4, 5, 6, 7], "id_saisine": ["S1", "S9", None, "S3", "S9", "s1"]})
    errors = load._missing_values(con, typed, "id_saisine", "SELECT id_saisine FROM raw.saisines", "inconnu")
    allowed = pl.Series(["S1", "S2", "S3", None])
    values = typed.get_column("id_saisine")
    expected = parse.errors_where(typed, values.is_not_null() & ~values.is_in(allowed.implode()), "id_saisine",
                                  "inconnu")
    assert errors.to_dicts() == expected.to_dicts() and errors.height == 3


def _dependent_errors_by_polars(con, typed, contract, fichier):
    """The checks of a new version of a referenced file as they were made in Polars."""
    from etl import load, warehouse

    errors = [parse.empty_errors()]
    for other in c.CONTRACTS.values():
        for ref in other.references:
            if ref.table != contract.table:
                continue
            kept = con.sql(f"SELECT DISTINCT {ref.target} FROM raw.{ref.table} WHERE {warehouse.SOURCE} <> ?",
                           params=[fichier]).pl().to_series()
            available = pl.concat([kept, typed.get_column(ref.target).drop_nulls()]).unique()
            used = con.sql(f"SELECT {ref.column} AS valeur, count(*) AS n FROM raw.{other.table} "
                           f"WHERE {ref.column} IS NOT NULL GROUP BY 1 ORDER BY 1").pl()
            orphans = used.filter(~pl.col("valeur").is_in(available.implode()))
            errors.append(load.withdrawn_value_errors(orphans, ref.target, other.table))
    return pl.concat(errors)


@pytest.mark.parametrize("new_ids", [["S1", "S2"], ["S1"], [], ["S4", None]])
def test_dependent_values_match_the_polars_check(new_ids):
    from etl import load

    con = _raw_tables()
    con.execute("INSERT INTO raw.saisines (id_saisine, _fichier) VALUES ('S1', 'a.csv'), ('S2', 'a.csv'), "
                "('S3', 'b.csv')")
    con.execute("INSERT INTO raw.accompagnements (id_accompagnement, id_saisine, _fichier) VALUES "
                "('A1', 'S1', 'x.csv'), ('A2', 'S2', 'x.csv'), ('A3', 'S2', 'x.csv'), ('A4', 'S3', 'x.csv'), "
                "('A5', NULL, 'x.csv')")
    typed = pl.DataFrame({ROW: list(range(2, 2 + len(new_ids))), "id_saisine": new_ids},
                         schema={ROW: pl.Int64, "id_saisine": pl.Utf8})
    contract = c.CONTRACTS["saisines"]
    errors = load._dependent_errors(con, typed, contract, "a.csv")
    assert errors.to_dicts() == _dependent_errors_by_polars(con, typed, contract, "a.csv").to_dicts()
    assert load._dependent_errors(_raw_tables(), typed, contract, "a.csv").is_empty()


# --- files already imported ----------------------------------------------------------------------------------

def test_identical_files_are_not_parsed_again(warehouse_copy, monkeypatch):
    from etl import read
    from etl.load import IDENTICAL, load_files
    from tests.conftest import WAREHOUSE_FILES

    def no_parsing(*args):
        raise AssertionError("an identical file was parsed")

    monkeypatch.setattr(read, "_header_and_body", no_parsing)
    report = load_files(sorted(WAREHOUSE_FILES.glob("*.csv")), warehouse_copy)
    assert [s.statut for s in report.sheets] == [IDENTICAL] * 11


def test_a_file_skipped_as_identical_is_read_when_this_load_replaced_its_twin(warehouse_copy, tmp_path):
    """instances_copie.csv holds what instances.csv held: identical when the load starts, no longer once the new
    version of instances.csv, loaded first, has replaced it."""
    import shutil

    from etl.load import IMPORTED, load_files
    from tests.conftest import WAREHOUSE_FILES
    from tests.helpers import scalar

    twin = tmp_path / "instances_copie.csv"
    shutil.copyfile(WAREHOUSE_FILES / "instances.csv", twin)
    lines = (WAREHOUSE_FILES / "instances.csv").read_text().splitlines()
    new_version = tmp_path / "instances.csv"
    new_version.write_text("\n".join(lines[:3]) + "\n")
    report = load_files([new_version, twin], warehouse_copy)
    assert [(s.fichier, s.statut, s.nb_lignes) for s in report.sheets] == [
        ("instances.csv", IMPORTED, 2), ("instances_copie.csv", IMPORTED, 6)]
    assert scalar(warehouse_copy, "SELECT count(*) FROM raw.instances") == 8


def test_pseudonyms_written_by_the_insert_are_the_keyed_hash(warehouse_copy, tmp_path):
    """The insert hashes household identifiers in DuckDB: the same pseudonyms as `pseudonym`, value by value."""
    import duckdb

    from etl.load import load_files
    from etl.pseudonym import Pseudonymiser, pseudonym
    from tests.conftest import TEST_KEY

    ids = ["H90", "ménage 42 – é", "🏠", "x" * 200, "M-LH-00001", "H91"]
    rows = [f"{h};Calaisis;0{i + 1}/06/2025;IML;62193;;" for i, h in enumerate(ids)]
    path = tmp_path / "logements_2025b.csv"
    path.write_text("id_menage;plateforme;date_entree;type_logement;code_commune;date_sortie;motif_sortie\n"
                    + "\n".join(rows) + "\n", encoding="utf-8")
    assert load_files([path], warehouse_copy).ok
    with duckdb.connect(str(warehouse_copy), read_only=True) as con:
        stored = [r[0] for r in con.execute("SELECT id_menage FROM raw.logements WHERE _fichier = ? ORDER BY _ligne",
                                            [path.name]).fetchall()]
    key = TEST_KEY.encode()
    assert stored == [pseudonym(h, key) for h in ids]
    assert stored == Pseudonymiser(key)(pl.Series(ids)).to_list()


@pytest.mark.parametrize(("kind", "values", "cells"), [
    (c.ENUM, c.DECISIONS, ["acceptee", None, "refusee", "acceptee"]),
    (c.ENUM_LIST, c.PUBLICS, ["errance", "sante_mentale|addictions", None]),
    (c.ENUM, c.AXES, ["1", "5", None]),
    (c.ENUM, c.DECISIONS, ["acceptee", "Acceptée", None]),
])
def test_value_lists_already_canonical_match_the_mapping(kind, values, cells):
    """Cells written exactly as the list are kept as they are: the same as mapping every cell."""
    frame = pl.DataFrame({ROW: list(range(2, 2 + len(cells))), "x": cells}, schema={ROW: pl.Int64, "x": pl.Utf8})
    column = c.Column("x", kind, values=values)
    typed, errors = parse.parse_column(frame, column)
    raw = frame.get_column("x")
    mapping = parse.enum_mapping(raw.drop_nulls().unique().to_list(), values, kind == c.ENUM_LIST)
    joined = raw.replace_strict(mapping, default=None, return_dtype=pl.Utf8)
    if kind == c.ENUM_LIST:
        joined = joined.str.split("|")
    elif all(isinstance(v, int) for v in values):
        joined = joined.cast(pl.Int64)
    assert typed.to_list() == joined.to_list() and typed.dtype == joined.dtype and typed.name == "x"
    assert errors.is_empty()


# --- cells that need no trimming ---------------------------------------------------------------------------

WHITESPACE = ["\t", " ", "\u00a0", "\u1680", "\u2000", "\u200a", "\u202f", "\u205f", "\u3000"]
NOT_WHITESPACE = ["é", "à", "€", "’", "–", "\u200b", "\ufeff", "x", "É", "\u2027", "\u00e9\u00a0x"]


def _random_csv(rng, separator: str, line_break: str) -> str:
    def cell():
        roll = rng.random()
        if roll < 0.15:
            return ""
        text = "".join(rng.choice([*NOT_WHITESPACE, "a", "1"]) for _ in range(rng.randint(1, 3)))
        if roll < 0.25:
            text = rng.choice(WHITESPACE) + text
        elif roll < 0.35:
            text = text + rng.choice(WHITESPACE)
        elif roll < 0.4:
            text = text[:1] + rng.choice(WHITESPACE) + text[1:]
        elif roll < 0.45:
            text = rng.choice(WHITESPACE)
        return text.replace(separator, "")

    lines = [separator.join(["a", "b", "c"])]
    for _ in range(rng.randint(1, 6)):
        lines.append("" if rng.random() < 0.1 else separator.join(cell() for _ in range(3)))
    return line_break.join(lines) + (line_break if rng.random() < 0.7 else "")


@pytest.mark.parametrize("seed", range(300))
def test_untrimmed_cells_only_when_trimming_changes_nothing(seed, monkeypatch):
    import random

    from etl import read

    rng = random.Random(seed)
    monkeypatch.setattr(read, "LINE_BLOCK", rng.choice([1, 5, read.LINE_BLOCK]))
    separator = rng.choice([";", ",", "\t"])
    text = _random_csv(rng, separator, rng.choice(["\n", "\r\n"]))
    body = text.encode("utf-8")
    scan = read.scan_lines(body, separator)
    assert scan is not None and scan.ragged == ragged_rows(text.splitlines(), separator)
    frame = pl.read_csv(body, separator=separator, infer_schema=False, raise_if_empty=False)
    assert read._tidy(frame, trim=scan.padded).equals(read._tidy(frame))


@pytest.mark.parametrize("cell", WHITESPACE)
@pytest.mark.parametrize("where", ["start", "end"])
def test_every_whitespace_at_a_field_edge_is_seen(cell, where):
    from etl import read

    value = cell + "x" if where == "start" else "x" + cell
    for text in (f"a;b\n1;{value}\n", f"a;b\r\n{value};2\r\n", f"a;b\n1;{value}", f"a;b\n{value}"):
        assert read.scan_lines(text.encode(), ";").padded, text


def test_clean_files_are_not_trimmed():
    from etl import read

    text = "a;b;c\r\nCalaisis;é;12,5 €\r\n;;\r\n\r\nLens-Hénin;à côté;x\u00a0y\r\n"
    assert read.scan_lines(text.encode(), ";").padded is False
    assert read.scan_lines(b'a;b\n"x";y\n', ";").padded is True


def test_jobs_run_most_urgent_first():
    """Files are read before sheets are prepared, and sheets prepared in load order, whatever the submission order."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from etl.load import _Jobs

    ran, gate = [], threading.Event()
    with ThreadPoolExecutor(1) as pool:
        jobs = _Jobs(pool)
        jobs.submit((0, 0), gate.wait)  # holds the only thread while the others are queued
        for urgency in [(1, 5), (0, -10), (1, 2), (0, -30)]:
            jobs.submit(urgency, ran.append, urgency)
        gate.set()
    assert ran == [(0, -30), (0, -10), (1, 2), (1, 5)]


def test_sheets_wait_for_related_tables_only():
    """A sheet waits for the earlier sheets of its own table, of the tables it references and of those
    referencing it; the others may be loaded meanwhile."""
    from etl.load import _Lanes

    tables = ["decoupage", "financements", "saisines", "accompagnements", "logements", "depenses", "plan_actions"]
    lanes = _Lanes(tables)
    first = lanes.take()
    assert first == 0  # everything but plan_actions refers to the découpage
    assert lanes.take() == 6  # plan_actions refers to nothing
    lanes.done(0)
    assert [lanes.take(), lanes.take(), lanes.take()] == [1, 2, 4]  # accompagnements waits for saisines
    lanes.done(2)
    assert lanes.take() == 3
    lanes.done(1)
    assert lanes.take() == 5  # depenses waited for financements
    lanes.stop()
    assert lanes.take() is None


@pytest.mark.parametrize("lanes", [1, 2])
def test_loading_two_sheets_at_a_time_gives_the_one_by_one_result(lanes, tmp_path, monkeypatch):
    """Good, bad and repeated files loaded together: same reports, rows, journal and import ids either way."""
    import duckdb

    from etl import load
    from tests.conftest import WAREHOUSE_FILES
    from tests.helpers import data_snapshot

    files = sorted(WAREHOUSE_FILES.glob("*.csv"))
    bad = tmp_path / "instances_bis.csv"
    bad.write_text("date;plateforme;type_instance\n14/01/2025;Nulle-Part;coordination\n", encoding="utf-8")
    twin = tmp_path / "cibles_bis.csv"
    twin.write_bytes((WAREHOUSE_FILES / "cibles.csv").read_bytes())
    unreadable = tmp_path / "saisines_vide.csv"
    unreadable.write_text("")

    def load_all(n: int, name: str):
        monkeypatch.setattr(load, "IMPORT_LANES", n)
        path = tmp_path / name
        report = load.load_files([*files, bad, twin, unreadable], path)
        with duckdb.connect(str(path), read_only=True) as con:
            journal = con.execute("SELECT import_id, fichier, table_cible, statut, nb_lignes, nb_erreurs, message "
                                  "FROM meta.imports ORDER BY import_id").fetchall()
            ids = con.execute("SELECT DISTINCT _fichier, _import_id FROM raw.saisines ORDER BY 1").fetchall()
            platforms = con.execute("SELECT * FROM ref.plateformes ORDER BY plateforme").fetchall()
        assert platforms
        return report.text(), data_snapshot(path), journal, ids, platforms

    assert load_all(lanes, "a.duckdb") == load_all(1, "b.duckdb")


def test_a_new_warehouse_starts_with_the_reference_tables_install_reference_builds(tmp_path):
    """A new warehouse is a copy of the reference database: its `ref` tables are those built in place."""
    import duckdb

    from etl import geo, warehouse

    built = tmp_path / "built.duckdb"
    with duckdb.connect(str(built)) as con:
        geo.install_reference(con)
    copied = tmp_path / "copied.duckdb"
    with warehouse.working_copy(copied) as con:
        warehouse.ensure_schema(con)
    for table in ("communes", "epci", "departements", "source"):
        query = f"SELECT * FROM ref.{table}"
        with duckdb.connect(str(built), read_only=True) as a, duckdb.connect(str(copied), read_only=True) as b:
            assert a.execute(query).fetchall() == b.execute(query).fetchall(), table
            assert a.execute(f"DESCRIBE ref.{table}").fetchall() == b.execute(f"DESCRIBE ref.{table}").fetchall()
    assert geo.reference_database() == geo.reference_database()  # built once


@pytest.mark.parametrize("seed", range(40))
def test_repeated_keys_found_by_hashes_as_by_grouping(seed):
    """Distinct key hashes spare grouping the rows; the repeated keys found are those grouping finds."""
    import random

    from etl import load

    rng = random.Random(seed)
    contract = c.CONTRACTS[rng.choice(["saisines", "logements", "decoupage", "cibles"])]
    key = list(contract.key)
    n = rng.randint(1, 30)
    values = {k: [rng.choice([None, "a", "b", "c", "d"]) if rng.random() < 0.5 else f"v{i}" for i in range(n)]
              for k in key}
    typed = pl.DataFrame({ROW: list(range(2, n + 2)), **values}, schema={ROW: pl.Int64, **{k: pl.Utf8 for k in key}})
    keyed = typed.select(ROW, *key)
    first_row = keyed.group_by(key, maintain_order=True).agg(pl.col(ROW).min().alias("__premiere"))
    dup = keyed.join(first_row, on=key, nulls_equal=True).filter(pl.col(ROW) != pl.col("__premiere"))
    found = load._duplicate_keys(typed, contract)
    assert sorted(found.get_column(ROW).to_list()) == sorted(dup.get_column(ROW).to_list())
    assert found.schema == parse.empty_errors().schema
