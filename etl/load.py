"""Import coordinators' files into the warehouse: read, validate against the contract, pseudonymise, load.

A file (or an XLSX sheet) is all or nothing: any error rejects it whole and the warehouse's data stay as
they were (only the journal records the rejection). Rows remember the file they came from: importing a
new version of a file replaces what the earlier version brought, and importing the same content again
changes nothing.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from etl import contracts as c
from etl import parse, pseudonym, warehouse
from etl.read import ROW, ReadError, Sheet, normalise_name, read_file

MAX_ERRORS_KEPT = 1000  # per import, in the journal
MAX_ERRORS_SHOWN = 30  # per file, in the text report
READ_THREADS = 2
IMPORT_LANES = 2  # sheets checked and written at the same time, when their tables are unrelated

IMPORTED, IDENTICAL, REJECTED = "importe", "identique", "rejete"
HIDDEN_VALUE = "(identifiant de ménage non conservé)"


@dataclass
class SheetReport:
    """What happened to one file or sheet."""

    fichier: str
    feuille: str | None
    table: str | None
    statut: str
    nb_lignes: int = 0
    nb_lignes_remplacees: int = 0
    erreurs: pl.DataFrame = field(default_factory=parse.empty_errors)
    avertissements: list[str] = field(default_factory=list)
    message: str = ""

    @property
    def where(self) -> str:
        return f"{self.fichier}" + (f" (feuille {self.feuille})" if self.feuille else "")

    def error_lines(self, limit: int | None = MAX_ERRORS_SHOWN) -> list[str]:
        """French sentences naming file, sheet, row, column, value and reason."""
        feuille = f", feuille {self.feuille}" if self.feuille else ""
        errors = self.erreurs.sort(ROW, "colonne", nulls_last=True)
        rows = (errors if limit is None else errors.head(limit)).iter_rows(named=True)
        lines = []
        for e in rows:
            ligne = f", ligne {e[ROW]}" if e[ROW] is not None else ""
            valeur = f", valeur « {e['valeur']} »" if e["valeur"] is not None else ""
            lines.append(f"Fichier {self.fichier}{feuille}{ligne}, colonne {e['colonne']}{valeur} : {e['motif']}")
        return lines


@dataclass
class LoadReport:
    """The outcome of one `load_files` call."""

    sheets: list[SheetReport]

    @property
    def ok(self) -> bool:
        return all(s.statut != REJECTED for s in self.sheets)

    def text(self) -> str:
        """The French report printed by the CLI and shown in the app."""
        out = []
        for s in self.sheets:
            table = f" → table {s.table}" if s.table else ""
            if s.statut == IMPORTED:
                replaced = f", {s.nb_lignes_remplacees} lignes de la version précédente remplacées" \
                    if s.nb_lignes_remplacees else ""
                out.append(f"✔ {s.where}{table} : {s.nb_lignes} lignes importées{replaced}.")
            elif s.statut == IDENTICAL:
                out.append(f"= {s.where}{table} : {s.message}")
            else:
                n = s.erreurs.height
                message = s.message[:1].upper() + s.message[1:]
                out.append(f"✘ {s.where}{table} : fichier rejeté, rien n'a été modifié. {message}".rstrip())
                out.extend(f"    {line}" for line in s.error_lines())
                if n > MAX_ERRORS_SHOWN:
                    out.append(f"    … et {n - MAX_ERRORS_SHOWN} autres erreurs.")
            out.extend(f"    ⚠ {w}" for w in s.avertissements)
        return "\n".join(out)


def load_files(paths: Iterable[Path], warehouse_path: Path | None = None, table: str | None = None) -> LoadReport:
    """Import files into the warehouse (created with the reference geography if missing)."""
    warehouse_path = Path(warehouse_path or warehouse.default_path())
    key = pseudonym.Pseudonymiser(pseudonym.secret_key(warehouse_path))
    paths = [Path(p) for p in paths]
    with warehouse.working_copy(warehouse_path) as con, ThreadPoolExecutor(READ_THREADS) as pool:
        try:
            ahead = _Ahead(pool, paths, table, key, _imported_contents(con))
            warehouse.ensure_schema(con)  # a new warehouse's reference geography is built while files are read
            reports, sheets = ahead.sheets()
            for report in reports:
                _journal(con, _next_import_id(con), report, None)
            reports += _import_sheets(con, sheets, key, ahead)
        except BaseException:
            pool.shutdown(cancel_futures=True)  # no use typing the files still waiting
            raise
    return LoadReport(reports)


def _import_sheets(con: duckdb.DuckDBPyConnection, sheets: list[Sheet], key: pseudonym.Pseudonymiser,
                   ahead: _Ahead) -> list[SheetReport]:
    """Check and write the sheets (in load order), two at a time when neither's table depends on the other's.

    A sheet waits for every earlier sheet of a related table (the same, one it references or one referencing
    it): what it is checked against is exactly what a one-by-one load would have written before it. Import ids
    are drawn beforehand in load order, as one by one. Small tables are thus written while a large one is:
    writing a table keeps both cores busy only part of the time. Platforms are recomputed once the last
    découpage is loaded, if one was imported, while the other sheets are.
    """
    import_ids = [_next_import_id(con) for _ in sheets]
    reports: list[SheetReport | None] = [None] * len(sheets)
    lanes = _Lanes([s.table for s in sheets])
    decoupages = [i for i, s in enumerate(sheets) if s.table == "decoupage"]

    def lane() -> None:
        cursor = con.cursor()  # a connection of its own to the same database, for this thread
        cursor.execute("SET enable_progress_bar = false")
        try:
            while (i := lanes.take()) is not None:
                try:
                    reports[i] = import_sheet(cursor, sheets[i], key, import_ids[i], ahead.prepared(sheets[i]))
                    _journal(cursor, import_ids[i], reports[i], sheets[i].empreinte)
                    lanes.done(i)
                    if decoupages and i == decoupages[-1] and any(reports[j].statut == IMPORTED for j in decoupages):
                        warehouse.refresh_platforms(cursor)  # the découpages, loaded one by one, are all done
                except BaseException:
                    lanes.stop()
                    raise
        finally:
            cursor.close()

    with ThreadPoolExecutor(max(IMPORT_LANES - 1, 1)) as pool:
        others = [pool.submit(lane) for _ in range(IMPORT_LANES - 1)]
        try:
            lane()
        finally:
            errors = [f.exception() for f in others]
    if errors := [e for e in errors if e is not None]:
        raise errors[0]
    return reports


class _Lanes:
    """Which sheet a free thread imports next: the first, in load order, whose related earlier sheets are done."""

    def __init__(self, tables: list[str]):
        self._waits_for = [{j for j in range(i) if _related(tables[i], tables[j])} for i in range(len(tables))]
        self._waiting, self._done, self._stopped = list(range(len(tables))), set(), False
        self._changed = threading.Condition()

    def take(self) -> int | None:
        """A sheet to import, waiting until one is ready; None when there is none left (or after a failure)."""
        with self._changed:
            while self._waiting and not self._stopped:
                ready = next((i for i in self._waiting if self._waits_for[i] <= self._done), None)
                if ready is not None:
                    self._waiting.remove(ready)
                    return ready
                self._changed.wait()
            return None

    def done(self, i: int) -> None:
        with self._changed:
            self._done.add(i)
            self._changed.notify_all()

    def stop(self) -> None:
        with self._changed:
            self._stopped = True
            self._changed.notify_all()


def _related(table: str, other: str) -> bool:
    """Whether importing one of the tables checks what the other holds: the same table, or a reference."""
    return table == other or any(r.table == other for r in c.CONTRACTS[table].references) \
        or any(r.table == table for r in c.CONTRACTS[other].references)


class _Ahead:
    """Files read, and their sheets typed and validated, by worker threads ahead of the loader.

    Reading and typing are mostly Polars, numpy and DuckDB work, which runs outside the GIL. The files are read
    first, the largest first (the loader needs them all to know the load order, and the largest takes longest);
    then the sheets are prepared in load order, the one the loader waits for first. Sheets whose content the
    warehouse already holds (`imported`) are not prepared, and such a CSV file is not even parsed.
    """

    def __init__(self, pool: ThreadPoolExecutor, paths: list[Path], table: str | None,
                 key: pseudonym.Pseudonymiser, imported: set[tuple[str, str]]):
        self._table, self._key, self._imported = table, key, imported
        self._jobs = _Jobs(pool)
        self._reads = [Future() for _ in paths]
        self._preparing: dict[int, Future] = {}
        for path, read in zip(paths, self._reads, strict=True):
            self._jobs.submit((0, -_size(path)), self._read, path, read)

    def _read(self, path: Path, read: Future) -> None:
        try:
            sheets = read_file(path, self._table, skip=lambda table, empreinte: (table, empreinte) in self._imported)
        except ReadError as exc:
            read.set_result(exc)
            return
        except BaseException as exc:
            read.set_exception(exc)
            return
        for sheet in sheets:
            if sheet.frame is not None and (sheet.table, sheet.empreinte) not in self._imported:
                self._preparing[id(sheet)] = prepared = Future()
                self._jobs.submit((1, c.LOAD_ORDER.index(sheet.table)), self._prepare, sheet, prepared)
        read.set_result(sheets)

    def _prepare(self, sheet: Sheet, prepared: Future) -> None:
        try:
            prepared.set_result(prepare_sheet(sheet, self._key))
        except BaseException as exc:
            prepared.set_exception(exc)
        sheet.frame = None  # typed now: the text need not stay in memory until the sheet is loaded

    def sheets(self) -> tuple[list[SheetReport], list[Sheet]]:
        """The reports of the files that cannot be read (in the order of the paths), and every sheet read, in
        load order."""
        reports, sheets = [], []
        for future in self._reads:
            read = future.result()
            if isinstance(read, ReadError):
                reports.append(SheetReport(read.fichier, read.feuille, self._table, REJECTED, message=read.message))
            else:
                sheets.extend(read)
        sheets.sort(key=lambda s: c.LOAD_ORDER.index(s.table))
        return reports, sheets

    def prepared(self, sheet: Sheet) -> Future | None:
        """The preparation of a sheet, if one was started."""
        return self._preparing.pop(id(sheet), None)


class _Jobs:
    """Jobs run by a thread pool, the most urgent first (smallest key) among those waiting when a thread is free."""

    def __init__(self, pool: ThreadPoolExecutor):
        self._pool, self._waiting, self._lock, self._count = pool, [], threading.Lock(), itertools.count()

    def submit(self, urgency: tuple, job: Callable[..., None], *args) -> None:
        with self._lock:
            heapq.heappush(self._waiting, (urgency, next(self._count), job, args))
        self._pool.submit(self._run_most_urgent)  # one run per job: every job runs once

    def _run_most_urgent(self) -> None:
        with self._lock:
            _, _, job, args = heapq.heappop(self._waiting)
        job(*args)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reading it will say why


def _imported_contents(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(table, fingerprint) of every content the warehouse holds, which `_identical_import` finds identical."""
    if not warehouse.table_exists(con, "meta", "imports"):
        return set()
    return set(con.execute(f"SELECT table_cible, empreinte_sha256 FROM meta.imports i WHERE {_LATEST}").fetchall())


@dataclass
class Prepared:
    """What a sheet gives without the warehouse: column errors and warnings, typed rows, cell and rule errors."""

    column_errors: pl.DataFrame
    warnings: list[str]
    empty: bool = False
    typed: pl.DataFrame | None = None
    errors: pl.DataFrame | None = None
    duplicates: pl.DataFrame | None = None  # keys repeated within the file


def prepare_sheet(sheet: Sheet, key: bytes | pseudonym.Pseudonymiser) -> Prepared:
    """The warehouse-free part of an import, which may run ahead in another thread."""
    contract = c.CONTRACTS[sheet.table]
    frame, column_errors, warnings = _conform_columns(sheet.frame, contract)
    prepared = Prepared(column_errors, warnings, empty=frame.is_empty())
    if column_errors.height or prepared.empty:
        return prepared
    prepared.typed, prepared.errors = typed_rows(frame, contract)
    prepared.duplicates = _duplicate_keys(prepared.typed, contract)
    return prepared


def import_sheet(con: duckdb.DuckDBPyConnection, sheet: Sheet, key: bytes | pseudonym.Pseudonymiser, import_id: int,
                 prepared: Prepared | Future | None = None) -> SheetReport:
    """Validate one sheet and, if it has no error, replace its earlier version in the raw table.

    `prepared` is `prepare_sheet(sheet, key)` (or its future) when it was computed ahead.
    """
    contract = c.CONTRACTS[sheet.table]
    report = SheetReport(sheet.fichier, sheet.feuille, sheet.table, REJECTED)
    identical = _identical_import(con, sheet)
    if identical:
        report.statut, report.message = IDENTICAL, identical
        return report
    if isinstance(prepared, Future):
        prepared = prepared.result()
    if prepared is None:
        if sheet.frame is None:  # skipped as already imported, but this load has replaced that import since
            try:
                [sheet] = read_file(sheet.path, sheet.table)
            except ReadError as exc:
                report.message = exc.message
                return report
        prepared = prepare_sheet(sheet, key)
    report.avertissements = list(prepared.warnings)
    if prepared.column_errors.height:
        report.erreurs, report.message = prepared.column_errors, "Colonnes non conformes au modèle."
        return report
    if prepared.empty:
        report.message = "Le fichier ne contient aucune ligne de données."
        return report
    errors = _with_warehouse_errors(con, prepared.typed, prepared.errors, contract, sheet.fichier, key,
                                    prepared.duplicates)
    if errors.height:
        report.erreurs = errors
        report.message = f"{errors.height} erreur{'s' if errors.height > 1 else ''}."
        return report
    if any(col.kind == c.PSEUDONYM for col in contract.columns):
        report.avertissements.append("identifiants de ménage remplacés par un pseudonyme (HMAC-SHA256)")
    pseudonymiser = key if isinstance(key, pseudonym.Pseudonymiser) else pseudonym.Pseudonymiser(key)
    report.nb_lignes_remplacees = _replace_rows(con, contract, prepared.typed, sheet.fichier, import_id,
                                                pseudonymiser)
    report.statut, report.nb_lignes = IMPORTED, prepared.typed.height
    return report


# The imports whose content the warehouse holds: each file's latest accepted import (`meta.imports i`).
_LATEST = """statut = 'importe' AND import_id = (
    SELECT max(import_id) FROM meta.imports j
    WHERE j.table_cible = i.table_cible AND j.fichier = i.fichier AND j.statut = 'importe')"""


def _identical_import(con: duckdb.DuckDBPyConnection, sheet: Sheet) -> str:
    """A message if this exact content is what the warehouse already holds for this table."""
    row = con.execute(f"""
        SELECT fichier FROM meta.imports i WHERE table_cible = ? AND empreinte_sha256 = ? AND {_LATEST} LIMIT 1
    """, [sheet.table, sheet.empreinte]).fetchone()
    if row is None:
        return ""
    if row[0] == sheet.fichier:
        return "contenu identique à la version déjà importée : rien à faire."
    return f"contenu identique au fichier déjà importé « {row[0]} » : rien à faire."


def _conform_columns(frame: pl.DataFrame, contract: c.Contract) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    """Rename headers to the contract's, drop identifying and unknown columns, add missing optional ones."""
    warnings, errors, renames, seen = [], [], {}, {}
    known = set(contract.column_names)
    for header in frame.columns:
        if header == ROW:
            continue
        name = normalise_name(header)
        if name in known:
            if name in seen:
                errors.append((1, name, header, f"colonne en double (déjà présente sous « {seen[name]} »)"))
            seen[name], renames[header] = header, name
        elif name in c.IDENTIFYING_COLUMNS:
            warnings.append(f"colonne « {header} » supprimée : donnée directement identifiante, "
                            "interdite dans l'entrepôt")
        elif header.strip():
            warnings.append(f"colonne « {header} » ignorée : elle ne fait pas partie du modèle {contract.table}")
    for col in contract.columns:
        if col.required and col.name not in seen:
            errors.append((1, col.name, None, "colonne obligatoire absente de l'en-tête"))
    error_frame = pl.DataFrame(errors, schema=parse.ERROR_SCHEMA, orient="row")
    kept = frame.select([ROW, *renames]).rename(renames)
    missing = [pl.lit(None, pl.Utf8).alias(col.name) for col in contract.columns if col.name not in seen]
    return kept.with_columns(missing).select(ROW, *contract.column_names), error_frame, warnings


def typed_rows(frame: pl.DataFrame, contract: c.Contract) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Typed rows, with the errors of their cells and of the contract's rules."""
    typed_columns, errors = [frame.get_column(ROW)], []
    for col in contract.columns:
        series, col_errors = parse.parse_column(frame, col)
        typed_columns.append(series)
        errors.append(col_errors)
    typed = pl.DataFrame(typed_columns)
    errors.append(_rule_errors(typed, frame, contract))
    return typed, pl.concat(errors)


def _with_warehouse_errors(con: duckdb.DuckDBPyConnection, typed: pl.DataFrame, errors: pl.DataFrame,
                           contract: c.Contract, fichier: str, key: bytes | pseudonym.Pseudonymiser,
                           duplicates: pl.DataFrame | None = None) -> pl.DataFrame:
    """`errors` followed by the key and reference errors, which depend on what the warehouse holds (and the
    keys repeated within the file, `duplicates` when found ahead)."""
    pseudonymise = key if isinstance(key, pseudonym.Pseudonymiser) else pseudonym.Pseudonymiser(key)
    return pl.concat([
        errors, _key_errors(con, typed, contract, fichier, pseudonymise, duplicates),
        _reference_errors(con, typed, contract, fichier),
    ]).unique(maintain_order=True)


# --- rules --------------------------------------------------------------------------------------------

def _rule_errors(typed: pl.DataFrame, text: pl.DataFrame, contract: c.Contract) -> pl.DataFrame:
    errors = [parse.empty_errors()]
    for rule in contract.rules:
        if isinstance(rule, c.DateOrder):
            mask = (pl.col(rule.after) < pl.col(rule.before)).fill_null(False)
            reason = pl.format(f"date antérieure à {rule.before} ({{}})", pl.col(f"{rule.before}_texte"))
            frame = typed.with_columns(text.get_column(rule.before).alias(f"{rule.before}_texte"),
                                       text.get_column(rule.after).alias("__valeur"))
            errors.append(parse.errors_where(frame, mask, rule.after, reason, pl.col("__valeur")))
        elif isinstance(rule, c.ExactlyOne):
            filled = pl.sum_horizontal(pl.col(n).is_not_null().cast(pl.Int32) for n in rule.columns)
            names = " ou ".join(rule.columns)
            errors.append(parse.errors_where(
                typed, filled != 1, rule.columns[0],
                pl.when(filled == 0).then(pl.lit(f"renseigner {names}"))
                .otherwise(pl.lit(f"renseigner un seul de {names}, pas les deux")),
                pl.lit(None, pl.Utf8),
            ))
        elif isinstance(rule, c.FilledTogether):
            filled = pl.sum_horizontal(pl.col(n).is_not_null().cast(pl.Int32) for n in rule.columns)
            mismatch = (filled > 0) & (filled < len(rule.columns))
            for name in rule.columns:
                others = ", ".join(n for n in rule.columns if n != name)
                errors.append(parse.errors_where(
                    typed, mismatch & pl.col(name).is_null(), name,
                    f"obligatoire quand {others} est renseigné", pl.lit(None, pl.Utf8),
                ))
    return pl.concat(errors)


def _key_label(key: list[str]) -> pl.Expr:
    """How a key is shown in an error: its values joined by « / »."""
    return pl.concat_str([pl.col(k).cast(pl.Utf8).fill_null("") for k in key], separator=" / ")


def _key_column(key: list[str]) -> str:
    return key[-1] if len(key) == 1 else " / ".join(key)


def _duplicate_keys(typed: pl.DataFrame, contract: c.Contract) -> pl.DataFrame:
    """Rows whose key an earlier row of the file already has (no warehouse needed: checked ahead)."""
    if not contract.key:
        return parse.empty_errors()
    key = list(contract.key)
    keyed = typed.select(ROW, *key)
    # The usual file repeats no key: when the keys' hashes are all different (equal keys, nulls included, hash
    # alike), no key repeats, which one cheap pass over integers tells; otherwise the rows are grouped.
    if keyed.select(key).hash_rows().n_unique() < keyed.height:
        first_row = keyed.group_by(key, maintain_order=True).agg(pl.col(ROW).min().alias("__premiere"))
        dup = keyed.join(first_row, on=key, nulls_equal=True).filter(pl.col(ROW) != pl.col("__premiere"))
    else:
        dup = keyed.clear().with_columns(pl.lit(None, pl.Int64).alias("__premiere"))
    return dup.select(
        ROW, pl.lit(_key_column(key)).alias("colonne"), _key_label(key).alias("valeur"),
        pl.format("clé en double dans le fichier (déjà ligne {})", pl.col("__premiere")).alias("motif"),
    )


def _key_errors(con: duckdb.DuckDBPyConnection, typed: pl.DataFrame, contract: c.Contract,
                fichier: str, pseudonymise: pseudonym.Pseudonymiser,
                duplicates: pl.DataFrame | None = None) -> pl.DataFrame:
    """Duplicate keys inside the file (`duplicates`, when found ahead), and keys already brought by another file.

    The warehouse holds pseudonyms: a key with a household identifier is compared once pseudonymised.
    """
    if not contract.key:
        return parse.empty_errors()
    key = list(contract.key)
    errors = [duplicates if duplicates is not None else _duplicate_keys(typed, contract)]
    existing = warehouse.frame(
        con,
        f"SELECT DISTINCT {', '.join(key)}, {warehouse.SOURCE} AS __fichier FROM raw.{contract.table} "
        f"WHERE {warehouse.SOURCE} <> ?", [fichier],
    )
    if existing.height:
        existing = existing.with_columns(pl.col(k).cast(typed.schema[k]) for k in key)
        # The label shows the key as written in the file, before pseudonymisation.
        keyed = typed.select(ROW, *key)
        comparable = keyed.with_columns(_key_label(key).alias("__cle")).with_columns(
            pseudonymise(keyed.get_column(k)) for k in key if contract.column(k).kind == c.PSEUDONYM
        )
        clash = comparable.join(existing, on=key, nulls_equal=True)
        errors.append(clash.select(
            ROW, pl.lit(_key_column(key)).alias("colonne"), pl.col("__cle").alias("valeur"),
            pl.format("clé déjà importée depuis le fichier « {} » (pour corriger ce fichier, réimportez-le "
                      "sous le même nom)", pl.col("__fichier")).alias("motif"),
        ))
    return pl.concat(errors)


def _reference_errors(con: duckdb.DuckDBPyConnection, typed: pl.DataFrame, contract: c.Contract,
                      fichier: str) -> pl.DataFrame:
    """Values that must exist elsewhere: platforms, communes, EPCIs, referral and funding ids."""
    errors = [parse.empty_errors()]
    for ref in contract.references:
        allowed = f"SELECT {ref.target} FROM raw.{ref.table}"
        errors.append(_missing_values(con, typed, ref.column, allowed, _reference_reason(ref)))
    for col in contract.columns:
        if col.kind == c.COMMUNE:
            errors.append(_missing_values(con, typed, col.name, "SELECT code_commune FROM ref.communes",
                                          "commune inconnue du Code officiel géographique de l'INSEE"))
        elif col.kind == c.EPCI:
            errors.append(_missing_values(con, typed, col.name, "SELECT code_epci FROM ref.epci",
                                          "EPCI inconnu (SIREN absent du référentiel)"))
    errors.append(_dependent_errors(con, typed, contract, fichier))
    return pl.concat(errors)


def _reference_reason(ref: c.Reference) -> str:
    if ref.table == "decoupage":
        return "plateforme absente du découpage (importez d'abord le découpage qui la définit)"
    return f"{ref.target} inconnu dans la table {ref.table} (importez-la d'abord)"


# Up to this many allowed values (platforms, communes, EPCIs), they are fetched and looked up in Polars;
# beyond (referral or funding ids), the file's values are compared in DuckDB, where the allowed ones lie.
SMALL_REFERENCE = 100_000


def _missing_values(con: duckdb.DuckDBPyConnection, typed: pl.DataFrame, column: str, allowed_sql: str,
                    reason: str) -> pl.DataFrame:
    """Rows whose value of `column` is not among the values `allowed_sql` selects.

    A few allowed values are cheaper to copy out and look up; many (a million referral ids for the
    accompaniments) cost more to copy than to compare in DuckDB with an anti-join.
    """
    values = typed.get_column(column)
    if con.execute(f"SELECT count(*) FROM ({allowed_sql})").fetchall()[0][0] <= SMALL_REFERENCE:
        allowed = con.sql(allowed_sql).pl().to_series()
        mask = values.is_not_null() & ~values.is_in(allowed.cast(values.dtype).implode())
    else:
        file_values = typed.select(pl.col(column).alias("valeur"))  # noqa: F841 - read by DuckDB below
        missing = con.sql(f"""
            SELECT DISTINCT valeur FROM file_values
            WHERE valeur IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ({allowed_sql}) a(cible) WHERE cible = valeur)
        """).pl().to_series()
        mask = values.is_in(missing.implode())
    if not mask.any():
        return parse.empty_errors()
    return parse.errors_where(typed, mask, column, reason)


def _dependent_errors(con: duckdb.DuckDBPyConnection, typed: pl.DataFrame, contract: c.Contract,
                      fichier: str) -> pl.DataFrame:
    """A new version of a referenced file must keep every value other tables still use."""
    errors = [parse.empty_errors()]
    for other in c.CONTRACTS.values():
        for ref in other.references:
            if ref.table != contract.table:
                continue
            # Usually nothing uses the table yet (a first load) and its values need not be collected.
            if not con.execute(f"SELECT 1 FROM raw.{other.table} WHERE {ref.column} IS NOT NULL LIMIT 1").fetchall():
                continue
            new_values = typed.select(pl.col(ref.target).alias("valeur"))  # noqa: F841 - read by DuckDB below
            orphans = con.sql(f"""
                SELECT valeur, n FROM (
                    SELECT {ref.column} AS valeur, count(*) AS n FROM raw.{other.table}
                    WHERE {ref.column} IS NOT NULL GROUP BY 1
                ) used
                WHERE NOT EXISTS (SELECT 1 FROM raw.{ref.table} kept
                                  WHERE kept.{ref.target} = used.valeur AND kept.{warehouse.SOURCE} <> ?)
                  AND NOT EXISTS (SELECT 1 FROM new_values WHERE new_values.valeur = used.valeur)
                ORDER BY 1
            """, params=[fichier]).pl()
            errors.append(withdrawn_value_errors(orphans, ref.target, other.table))
    return pl.concat(errors)


def withdrawn_value_errors(orphans: pl.DataFrame, column: str, using_table: str) -> pl.DataFrame:
    """Error rows for values (`valeur`, used `n` times by `using_table`) that a new version of a file withdraws."""
    return orphans.select(
        pl.lit(None, pl.Int64).alias(ROW), pl.lit(column).alias("colonne"),
        pl.col("valeur").cast(pl.Utf8),
        pl.format(f"valeur retirée par cette version alors que {{}} ligne(s) de la table {using_table} "
                  "l'utilisent encore", pl.col("n")).alias("motif"),
    )


# --- writing ------------------------------------------------------------------------------------------

def _replace_rows(con: duckdb.DuckDBPyConnection, contract: c.Contract, typed: pl.DataFrame,
                  fichier: str, import_id: int, pseudonymiser: pseudonym.Pseudonymiser) -> int:
    """Swap the rows of this file's earlier version for the new ones, in one transaction.

    Household identifiers are pseudonymised by the statement that writes the rows: DuckDB hashes them in its
    parallel insert, which costs less than hashing the distinct values apart and joining them back.
    """
    # Handed to DuckDB as Arrow: about twice as fast as letting it scan the Polars frame.
    rows = typed.select(*contract.column_names, ROW).to_arrow(compat_level=pl.CompatLevel.newest())  # noqa: F841 - read by DuckDB below
    params = {"fichier": fichier, "import_id": import_id}
    columns = []
    for col in contract.columns:
        if col.kind == c.PSEUDONYM:
            expression, params_ = pseudonymiser.sql(col.name)
            columns.append(f"{expression} AS {col.name}")
            params.update(params_)
        else:
            columns.append(col.name)
    con.execute("BEGIN TRANSACTION")
    try:
        replaced = con.execute(
            f"DELETE FROM raw.{contract.table} WHERE {warehouse.SOURCE} = ?", [fichier]
        ).fetchone()[0]
        con.execute(f"INSERT INTO raw.{contract.table} SELECT {', '.join(columns)}, $fichier, {ROW}, "
                    "$import_id::BIGINT FROM rows", params)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return replaced


def _next_import_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT nextval('meta.import_seq')").fetchall()[0][0]


def _journal(con: duckdb.DuckDBPyConnection, import_id: int, report: SheetReport, empreinte: str | None) -> None:
    con.execute(
        "INSERT INTO meta.imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [import_id, warehouse.now(), report.fichier, report.feuille, report.table, empreinte, report.statut,
         report.nb_lignes, report.nb_lignes_remplacees, report.erreurs.height, report.message,
         report.avertissements],
    )
    if report.erreurs.height:
        kept = _without_household_ids(report.erreurs.head(MAX_ERRORS_KEPT), report.table).select(  # noqa: F841
            pl.lit(import_id, pl.Int64).alias("import_id"), pl.col(ROW).alias("ligne"), "colonne", "valeur", "motif"
        )
        con.execute("INSERT INTO meta.import_erreurs SELECT * FROM kept")


def _without_household_ids(errors: pl.DataFrame, table: str | None) -> pl.DataFrame:
    """Errors as the journal keeps them: the value of a household identifier (or of a key holding one) is not
    kept, since the warehouse never holds a raw identifier. The report shown to the user keeps it."""
    contract = c.CONTRACTS.get(table)
    if contract is None:
        return errors
    ids = [col.name for col in contract.columns if col.kind == c.PSEUDONYM]
    if not ids:
        return errors
    touches = pl.any_horizontal(pl.col("colonne").str.contains(name, literal=True) for name in ids)
    return errors.with_columns(pl.when(touches & pl.col("valeur").is_not_null())
                               .then(pl.lit(HIDDEN_VALUE)).otherwise(pl.col("valeur")).alias("valeur"))
