"""Read a coordinator's CSV or XLSX file into text frames, one per table.

Every cell comes out as text (or null when empty): typing and validation happen in `etl.parse`, so
that a bad cell becomes a French error message instead of an exception. Each frame carries `_ligne`,
the row number the user sees in Excel or in a text editor (the header is row 1).
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import numpy as np
import polars as pl
import pyarrow as pa

from etl.contracts import CONTRACTS

ROW = "_ligne"
UTF8_BOM = b"\xef\xbb\xbf"
# The bytes of the line boundaries of `str.splitlines` other than \n: \r (alone), \v, \f, \x1c-\x1e, and the
# last bytes of U+0085, U+2028, U+2029 in UTF-8; then the tab and the first bytes of the whitespace characters
# of more than one byte (`_padded_fields`). `scan_lines` deletes every other byte to see which of them occur.
_RARE_BYTES = b"\r\x0b\x0c\x1c\x1d\x1e\x85\xa8\xa9\t\xc2\xe1\xe2\xe3"
_NOT_BREAK_BYTES = bytes(b for b in range(256) if b not in _RARE_BYTES)
FIRST_LINE = re.compile("[^\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]*")
EXPLANATION_SHEETS = ("explications", "lisez_moi", "lisezmoi", "notice", "aide", "readme")


class ReadError(Exception):
    """A file that cannot be read at all (encoding, empty, unknown table or sheet)."""

    def __init__(self, fichier: str, message: str, feuille: str | None = None):
        self.fichier, self.feuille, self.message = fichier, feuille, message
        where = f"Fichier {fichier}" + (f", feuille {feuille}" if feuille else "")
        super().__init__(f"{where} : {message}")


@dataclass
class Sheet:
    """The text content of one table read from a file.

    `frame` is None for a CSV file that `read_file` was told to skip (its content is already imported):
    `path` lets the loader read it in full if it turns out to be needed after all.
    """

    fichier: str
    feuille: str | None
    table: str
    frame: pl.DataFrame | None
    empreinte: str
    path: Path | None = None


def normalise_name(text: str) -> str:
    """Lower case, no accents, `_` for spaces and dashes: how headers, sheet and file names are compared."""
    text = unicodedata.normalize("NFKD", text.strip().lstrip("\ufeff"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[\s\-'’.]+", "_", text).strip("_")


def table_from_name(stem: str) -> str | None:
    """The table a file is named after (`saisines_2025_calaisis` -> `saisines`), if any."""
    name = normalise_name(stem)
    name = name.removeprefix("modele_")
    matches = [t for t in CONTRACTS if name == t or name.startswith(t + "_")]
    return max(matches, key=len) if matches else None


def read_file(path: Path, table: str | None = None, skip: Callable[[str, str], bool] | None = None) -> list[Sheet]:
    """Read one CSV or XLSX file; `table` forces the table when the name does not say it.

    `skip(table, empreinte)` says whether a CSV file's content need not be parsed (the sheet then has no frame).
    """
    path = Path(path)
    if table is not None and table not in CONTRACTS:
        raise ReadError(path.name, f"table « {table} » inconnue ; tables possibles : {', '.join(CONTRACTS)}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_workbook(path, table)
    if suffix in (".csv", ".txt", ".tsv"):
        return [_read_csv(path, table, skip)]
    raise ReadError(path.name, f"format « {path.suffix} » non pris en charge : utilisez un fichier .csv ou .xlsx")


# --- CSV ----------------------------------------------------------------------------------------------

def decode_text(data: bytes, fichier: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM or Windows-1252, or say why not."""
    return _decode(data, fichier)[0]


def _decode(data: bytes, fichier: str) -> tuple[str, str]:
    """The text and the encoding it was read with (`decode_text`)."""
    if data.startswith(UTF8_BOM):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ReadError(fichier, f"encodage UTF-16 invalide à l'octet {exc.start}") from None
    if b"\x00" in data:
        raise ReadError(fichier, "le fichier contient des caractères nuls : ce n'est pas un fichier texte CSV "
                                 "(enregistrez-le en « CSV UTF-8 » ou « CSV (séparateur : point-virgule) »)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReadError(
            fichier,
            f"encodage non reconnu à la ligne {line} (octet 0x{data[exc.start]:02x}) : enregistrez le fichier "
            "en « CSV UTF-8 » ou en Windows-1252",
        ) from None


def detect_separator(header: str) -> str:
    """`;`, `,` or tab: the one that splits the header line into the most fields."""
    counts = {sep: len(next(csv.reader([header], delimiter=sep))) for sep in (";", ",", "\t")}
    return max(counts, key=lambda sep: (counts[sep], sep == ";"))


def _read_csv(path: Path, table: str | None, skip: Callable[[str, str], bool] | None = None) -> Sheet:
    data = path.read_bytes()
    table = table or table_from_name(path.stem)
    if table is None:
        raise ReadError(path.name, "impossible de savoir quelle table contient ce fichier : nommez-le d'après "
                                   f"la table (ex. saisines.csv, saisines_2025.csv) ou précisez-la "
                                   f"(--table). Tables : {', '.join(CONTRACTS)}")
    empreinte = hashlib.sha256(data).hexdigest()
    if skip is not None and skip(table, empreinte):
        return Sheet(path.name, None, table, None, empreinte, path)
    header, body = _header_and_body(data, path.name)
    separator = detect_separator(header)
    scan = scan_lines(body, separator)
    if scan is None:
        scan = LineScan(ragged_rows(_decode(data, path.name)[0].lstrip("\ufeff").splitlines(), separator), True)
    if scan.ragged:
        raise ReadError(path.name, _ragged_rows_message(scan.ragged, header, separator))
    frame = pl.read_csv(body, separator=separator, infer_schema=False, raise_if_empty=False)
    return Sheet(path.name, None, table, _tidy(frame, trim=scan.padded), empreinte, path)


def _header_and_body(data: bytes, fichier: str) -> tuple[str, bytes]:
    """The header line and the UTF-8 bytes the CSV parser reads, or why the file cannot be read."""
    header = utf8_header(data)
    if header is not None:
        return header, csv_body(data, None, "utf-8")
    text, encoding = _decode(data, fichier)
    text = text.lstrip("\ufeff")
    # Every line is blank exactly when the whole text is whitespace (line breaks are whitespace too).
    if text == "" or text.isspace():
        raise ReadError(fichier, "le fichier est vide")
    return FIRST_LINE.match(text).group(), csv_body(data, text, encoding)


def utf8_header(data: bytes) -> str | None:
    """The header line of a valid UTF-8 file whose first line is not blank, without decoding the whole file.

    The same header as `FIRST_LINE` finds in the decoded text: its first line break lies before the first
    `\\n` (which never occurs inside a UTF-8 sequence), and a first line that is not blank means that the
    text is not all blank. None for any other file (UTF-16, not UTF-8, blank first line…): the caller then
    decodes the whole text, which also says what is wrong with it. On a large file, this spares building a
    Python string of the whole text, ten times slower than validating the bytes.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data or not is_utf8(data):
        return None
    start = 0
    while data.startswith(UTF8_BOM, start):
        start += len(UTF8_BOM)
    end = data.find(b"\n", start)
    if end < 0:
        return None
    first = data[start:end].decode("utf-8")
    if first == "" or first.isspace():
        return None
    return FIRST_LINE.match(first).group()


def is_utf8(data: bytes) -> bool:
    """Whether `data.decode("utf-8")` would succeed, checked by Arrow's vectorised validation without a copy."""
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    array = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        array.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def csv_body(data: bytes, text: str | None, encoding: str) -> bytes:
    """The UTF-8 bytes the CSV parser reads: the file itself when it is UTF-8, without a copy.

    The parser skips one leading byte order mark, and a mark in the header line changes none of the
    counts of `ragged_rows_bytes`; further marks are removed (as `str.lstrip` did on the text). `text`, the
    decoded text, is only read for other encodings.
    """
    if encoding != "utf-8":
        return text.encode("utf-8")
    if data.startswith(UTF8_BOM * 2):
        start = 0
        while data.startswith(UTF8_BOM, start):
            start += len(UTF8_BOM)
        return data[start:]
    return data


def ragged_rows(lines: list[str], separator: str) -> list[int]:
    """Row numbers (1 = header) whose number of fields differs from the header's.

    Counted vectorised on separators; lines with quotes, where a separator may be quoted, are left to
    the CSV parser.
    """
    series = pl.Series(lines)
    counts = series.str.count_matches(separator, literal=True)
    bad = (counts != counts[0]) & ~series.str.contains('"', literal=True) & (series.str.strip_chars() != "")
    return (bad.arg_true() + 1).to_list()


def ragged_rows_bytes(body: bytes, separator: str) -> list[int] | None:
    """`ragged_rows` computed on the UTF-8 bytes with numpy, without building one Python string per line.

    Only when lines end with `\\n` or `\\r\\n` (None otherwise: `str.splitlines` knows more line breaks,
    and the caller falls back to it). The few lines whose count differs are decoded to tell blank ones.
    """
    scan = scan_lines(body, separator)
    return None if scan is None else scan.ragged


@dataclass
class LineScan:
    """What one pass over the bytes of a CSV file tells: the ragged rows (as `ragged_rows`), and whether some
    field may begin or end with whitespace (when it surely does not, its cells need no trimming)."""

    ragged: list[int]
    padded: bool


def scan_lines(body: bytes, separator: str) -> LineScan | None:
    """`LineScan` of UTF-8 bytes whose lines end with `\\n` or `\\r\\n` (None otherwise)."""
    # One pass keeps the bytes that may belong to another line break (usually none) or to whitespace; the
    # checks run on the few kinds found.
    kept = body.translate(None, _NOT_BREAK_BYTES)
    rare = {b for b in _RARE_BYTES if kept.find(b) >= 0}
    if rare & {0x0B, 0x0C, 0x1C, 0x1D, 0x1E}:
        return None
    if ord("\r") in rare and body.count(b"\r") != body.count(b"\r\n"):
        return None
    # U+0085 ends with 0x85, U+2028 and U+2029 start with 0xE2: without these bytes, the last bytes 0xA8 and
    # 0xA9 are those of é, à… and the slower numpy check is spared.
    unicode_breaks = 0x85 in rare or bool(rare & {0xA8, 0xA9} and 0xE2 in rare)
    quoted = b'"' in body  # lines with quotes are left to the CSV parser; most files have none
    padded = quoted  # a quoted field may hold anything
    starts, separators, quotes = [], [], []
    for offset, block in _line_blocks(body):
        if unicode_breaks and _unicode_line_breaks(block):
            return None
        is_separator, is_break = block == ord(separator), block == ord("\n")
        block_starts = _line_starts(is_break)
        starts.append(block_starts + offset)
        separators.append(_count_per_line(is_separator, block_starts))
        if quoted:
            quotes.append(_count_per_line(block == ord('"'), block_starts))
        padded = padded or _padded_fields(block, is_separator | is_break, separator, rare)
    starts = np.concatenate(starts)
    counts = np.concatenate(separators)
    differs = counts != counts[0]
    if quoted:
        differs &= np.concatenate(quotes) == 0
    candidates = np.flatnonzero(differs)
    if candidates.size:
        # A line ends before the line break that opens the next one; the last one at the end of the text.
        ends = np.append(starts[1:] - 1, len(body) - (body[-1:] == b"\n"))
        lines = pl.Series([body[starts[i]:ends[i]].decode("utf-8") for i in candidates], dtype=pl.Utf8)
        candidates = candidates[(lines.str.strip_chars() != "").to_numpy()]
    return LineScan((candidates + 1).tolist(), padded)


def _padded_fields(block: np.ndarray, is_boundary: np.ndarray, separator: str, present: set[int]) -> bool:
    """Whether a field of a block of whole lines without quotes begins or ends with whitespace.

    `is_boundary` marks its separators and line breaks. The whitespace `str.strip_chars` removes (Unicode
    White_Space) that can meet such a field once \\v, \\f, U+0085, U+2028 and U+2029 are set aside (line
    breaks: `scan_lines` gives up on them) and \\r is only met before \\n: space and tab, U+00A0 (C2 A0 in
    UTF-8), U+1680 (E1 9A 80), U+2000-U+200A (E2 80 80-8A), U+202F (E2 80 AF), U+205F (E2 81 9F) and U+3000
    (E3 80 80). One is at the edge of a field when it begins the block (a line) or follows a boundary, or when
    it ends the block or comes before a boundary or the \\r of \\r\\n. `present` holds the \\r, the tab and
    the first bytes of the others if the text has them at all: most files have only spaces to look at.
    """
    is_end = is_boundary | (block == ord("\r")) if ord("\r") in present else is_boundary

    def at_edge(is_space: np.ndarray) -> bool:
        return bool(is_space[0] or is_space[-1] or (is_space[1:] & is_boundary[:-1]).any()
                    or (is_space[:-1] & is_end[1:]).any())

    if at_edge(block == ord(" ")) or (0x09 in present and separator != "\t" and at_edge(block == 0x09)):
        return True
    wide = []  # (position, width) of the whitespace characters of more than one byte
    if 0xC2 in present:
        lead = np.flatnonzero(block[:-1] == 0xC2)
        wide.append((lead[block[lead + 1] == 0xA0], 2))
    if present & {0xE1, 0xE2, 0xE3}:
        lead = np.flatnonzero((block[:-2] >= 0xE1) & (block[:-2] <= 0xE3))
        b1, b2, b3 = block[lead], block[lead + 1], block[lead + 2]
        three = ((b1 == 0xE2) & (b2 == 0x80) & (((b3 >= 0x80) & (b3 <= 0x8A)) | (b3 == 0xAF))) \
            | ((b1 == 0xE2) & (b2 == 0x81) & (b3 == 0x9F)) | ((b1 == 0xE1) & (b2 == 0x9A) & (b3 == 0x80)) \
            | ((b1 == 0xE3) & (b2 == 0x80) & (b3 == 0x80))
        wide.append((lead[three], 3))
    for positions, width in wide:
        if positions.size:
            before, after = np.maximum(positions - 1, 0), np.minimum(positions + width, len(block) - 1)
            first = (positions == 0) | is_boundary[before]
            last = (positions + width == len(block)) | is_end[after]
            if (first | last).any():
                return True
    return False


# Bytes per block of whole lines that `scan_lines` scans at a time: its temporary arrays stay in the
# processor's cache and are reused, instead of new pages the size of the file for each of them.
LINE_BLOCK = 1 << 18


def _line_blocks(body: bytes) -> Iterator[tuple[int, np.ndarray]]:
    """(offset, bytes) of consecutive blocks of about `LINE_BLOCK` bytes, each ending after a `\\n`
    (the last one at the end of the text), as numpy views of `body`."""
    start, size = 0, len(body)
    while start < size:
        end = body.find(b"\n", min(start + LINE_BLOCK, size) - 1)
        end = size if end < 0 else end + 1
        yield start, np.frombuffer(body, dtype=np.uint8, count=end - start, offset=start)
        start = end


def _line_starts(is_break: np.ndarray) -> np.ndarray:
    """The offsets where the lines of a block of whole lines start, given where its line breaks are."""
    starts = np.concatenate(([0], np.flatnonzero(is_break) + 1))
    return starts[:-1] if starts[-1] == len(is_break) else starts  # a final line break opens no other line


def _count_per_line(marks: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """How many bytes are marked on each line (and its line break) of a block starting at `starts`."""
    # Summed in the narrowest integers that the longest line cannot overflow: bytes into bytes is the fastest.
    longest = np.diff(np.append(starts, len(marks))).max(initial=0)
    dtype = next(t for t in (np.uint8, np.uint16, np.int64) if longest <= np.iinfo(t).max)
    return np.add.reduceat(marks.view(np.uint8), starts, dtype=dtype).astype(np.int64)


def _unicode_line_breaks(data: np.ndarray) -> bool:
    """Whether UTF-8 bytes hold U+0085, U+2028 or U+2029 (their last bytes also occur in é, à…)."""
    lead = np.flatnonzero(data[:-2] == 0xE2)
    if lead.size and ((data[lead + 1] == 0x80) & ((data[lead + 2] == 0xA8) | (data[lead + 2] == 0xA9))).any():
        return True
    lead = np.flatnonzero(data[:-1] == 0xC2)
    return bool(lead.size and (data[lead + 1] == 0x85).any())


def _ragged_rows_message(rows: list[int], header: str, separator: str) -> str:
    expected = header.count(separator) + 1
    shown = ", ".join(str(n) for n in rows[:10]) + (" …" if len(rows) > 10 else "")
    where = "à la ligne" if len(rows) == 1 else "aux lignes"
    return (f"nombre de colonnes incorrect {where} {shown} ({expected} colonnes attendues d'après l'en-tête, "
            f"séparateur « {separator} »)")


# --- XLSX ---------------------------------------------------------------------------------------------

def _read_workbook(path: Path, table: str | None) -> list[Sheet]:
    data = path.read_bytes()
    empreinte = hashlib.sha256(data).hexdigest()
    try:
        reader = fastexcel.read_excel(data)
    except Exception as exc:
        raise ReadError(path.name, f"classeur Excel illisible ({exc.__class__.__name__})") from None
    names = [n for n in reader.sheet_names if normalise_name(n) not in EXPLANATION_SHEETS]
    chosen = _sheets_to_read(path.name, names, table)
    sheets = []
    for sheet_name, sheet_table in chosen:
        frame = reader.load_sheet(sheet_name, dtypes="string", dtype_coercion="coerce").to_polars()
        sheets.append(Sheet(path.name, sheet_name, sheet_table, _tidy(frame), empreinte, path))
    if not sheets:
        raise ReadError(path.name, "le classeur ne contient aucune feuille de données")
    return sheets


def _sheets_to_read(fichier: str, names: list[str], table: str | None) -> list[tuple[str, str]]:
    """(sheet, table) pairs: every sheet must be named after a table, unless `table` is forced."""
    by_table = {normalise_name(n): n for n in names}
    if table is not None:
        if table in by_table:
            return [(by_table[table], table)]
        if len(names) == 1:
            return [(names[0], table)]
        raise ReadError(fichier, f"aucune feuille nommée « {table} » (feuilles : {', '.join(names)})")
    unknown = [n for n in names if normalise_name(n) not in CONTRACTS]
    if unknown:
        raise ReadError(
            fichier,
            f"feuille{'s' if len(unknown) > 1 else ''} {', '.join(f'« {n} »' for n in unknown)} : le nom "
            f"d'une feuille doit être celui d'une table ({', '.join(CONTRACTS)}) ou « Explications »",
        )
    return [(n, normalise_name(n)) for n in names]


# --- common -------------------------------------------------------------------------------------------

def _tidy(frame: pl.DataFrame, trim: bool = True) -> pl.DataFrame:
    """Add the user-visible row number, trim cells, turn blanks into nulls and drop empty rows.

    `trim=False` when no cell can begin or end with whitespace nor be blank (`LineScan.padded`): trimming a
    large file's every cell costs more than reading it.
    """
    frame = frame.select(pl.all().cast(pl.Utf8))
    trimmed = frame.with_columns(
        pl.col(c).str.strip_chars().replace("", None) for c in frame.columns
    ) if trim else frame
    trimmed = trimmed.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    data_columns = [c for c in trimmed.columns if c != ROW]
    if not data_columns:
        return trimmed
    return trimmed.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in data_columns))
