"""Import coordinators' files into the warehouse: read, validate against the contract, pseudonymise, load.

A file (or an XLSX sheet) is all or nothing: any error rejects it whole and the warehouse's data stay as
they were (only the journal records the rejection). Rows remember the file they came from: importing a
new version of a file replaces what the earlier version brought, and importing the same content again
changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    sheets: list[Sheet] = []
    reports: list[SheetReport] = []
    for read in _read_all(paths, table):
        if isinstance(read, ReadError):
            reports.append(SheetReport(read.fichier, read.feuille, table, REJECTED, message=read.message))
        else:
            sheets.extend(read)
    sheets.sort(key=lambda s: c.LOAD_ORDER.index(s.table))
    with warehouse.working_copy(warehouse_path) as con, ThreadPoolExecutor(1) as ahead:
        for report in reports:
            _journal(con, _next_import_id(con), report, None)
        # While a sheet is checked against the warehouse and written, the next one is typed and validated
        # in another thread (Polars, numpy and DuckDB work outside the GIL); not when it is already loaded.
        upcoming = _prepare_ahead(ahead, con, sheets, 0, key)
        for i, sheet in enumerate(sheets):
            prepared = upcoming.result() if upcoming else None
            upcoming = _prepare_ahead(ahead, con, sheets, i + 1, key)
            import_id = _next_import_id(con)
            report = import_sheet(con, sheet, key, import_id, prepared)
            _journal(con, import_id, report, sheet.empreinte)
            reports.append(report)
        if any(r.table == "decoupage" and r.statut == IMPORTED for r in reports):
            warehouse.refresh_platforms(con)
    return LoadReport(reports)


def _prepare_ahead(pool: ThreadPoolExecutor, con: duckdb.DuckDBPyConnection, sheets: list[Sheet], i: int,
                   key: pseudonym.Pseudonymiser) -> Future | None:
    if i >= len(sheets) or _identical_import(con, sheets[i]):
        return None
    return pool.submit(prepare_sheet, sheets[i], key)


def _read_all(paths: Iterable[Path], table: str | None) -> list[list[Sheet] | ReadError]:
    """Each file's sheets, or why it cannot be read, in the order of `paths`.

    Files are read `READ_THREADS` at a time: reading is mostly Polars and numpy work, which runs outside
    the GIL, so a large file no longer waits for the previous one.
    """
    def read(path: Path) -> list[Sheet] | ReadError:
        try:
            return read_file(Path(path), table)
        except ReadError as exc:
            return exc

    with ThreadPoolExecutor(READ_THREADS) as pool:
        return list(pool.map(read, paths))


@dataclass
class Prepared:
    """What a sheet gives without the warehouse: conformed columns, typed rows, cell and rule errors, and the
    rows as they will be stored (household identifiers pseudonymised)."""

    frame: pl.DataFrame
    column_errors: pl.DataFrame
    warnings: list[str]
    typed: pl.DataFrame | None = None
    errors: pl.DataFrame | None = None
    stored: pl.DataFrame | None = None


def prepare_sheet(sheet: Sheet, key: bytes | pseudonym.Pseudonymiser) -> Prepared:
    """The warehouse-free part of an import, which may run ahead in another thread."""
    contract = c.CONTRACTS[sheet.table]
    frame, column_errors, warnings = _conform_columns(sheet.frame, contract)
    prepared = Prepared(frame, column_errors, warnings)
    if column_errors.height or frame.is_empty():
        return prepared
    prepared.typed, prepared.errors = typed_rows(frame, contract)
    if not prepared.errors.height:
        pseudonymise = key if isinstance(key, pseudonym.Pseudonymiser) else pseudonym.Pseudonymiser(key)
        prepared.stored = prepared.typed
        for col in contract.columns:
            if col.kind == c.PSEUDONYM:
                prepared.stored = prepared.stored.with_columns(pseudonymise(prepared.stored.get_column(col.name)))
    return prepared


def import_sheet(con: duckdb.DuckDBPyConnection, sheet: Sheet, key: bytes | pseudonym.Pseudonymiser, import_id: int,
                 prepared: Prepared | None = None) -> SheetReport:
    """Validate one sheet and, if it has no error, replace its earlier version in the raw table.

    `prepared` is `prepare_sheet(sheet, key)` when it was computed ahead.
    """
    contract = c.CONTRACTS[sheet.table]
    report = SheetReport(sheet.fichier, sheet.feuille, sheet.table, REJECTED)
    identical = _identical_import(con, sheet)
    if identical:
        report.statut, report.message = IDENTICAL, identical
        return report
    prepared = prepared or prepare_sheet(sheet, key)
    report.avertissements = list(prepared.warnings)
    if prepared.column_errors.height:
        report.erreurs, report.message = prepared.column_errors, "Colonnes non conformes au modèle."
        return report
    if prepared.frame.is_empty():
        report.message = "Le fichier ne contient aucune ligne de données."
        return report
    errors = _with_warehouse_errors(con, prepared.typed, prepared.errors, contract, sheet.fichier, key)
    if errors.height:
        report.erreurs = errors
        report.message = f"{errors.height} erreur{'s' if errors.height > 1 else ''}."
        return report
    if any(col.kind == c.PSEUDONYM for col in contract.columns):
        report.avertissements.append("identifiants de ménage remplacés par un pseudonyme (HMAC-SHA256)")
    report.nb_lignes_remplacees = _replace_rows(con, contract, prepared.stored, sheet.fichier, import_id)
    report.statut, report.nb_lignes = IMPORTED, prepared.stored.height
    return report


def _identical_import(con: duckdb.DuckDBPyConnection, sheet: Sheet) -> str:
    """A message if this exact content is what the warehouse already holds for this table."""
    row = con.execute("""
        SELECT fichier FROM meta.imports i
        WHERE table_cible = ? AND empreinte_sha256 = ? AND statut = 'importe'
          AND import_id = (SELECT max(import_id) FROM meta.imports j
                           WHERE j.table_cible = i.table_cible AND j.fichier = i.fichier AND j.statut = 'importe')
        LIMIT 1
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
                           contract: c.Contract, fichier: str,
                           key: bytes | pseudonym.Pseudonymiser) -> pl.DataFrame:
    """`errors` followed by the key and reference errors, which depend on what the warehouse holds."""
    pseudonymise = key if isinstance(key, pseudonym.Pseudonymiser) else pseudonym.Pseudonymiser(key)
    return pl.concat([
        errors, _key_errors(con, typed, contract, fichier, pseudonymise),
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


def _key_errors(con: duckdb.DuckDBPyConnection, typed: pl.DataFrame, contract: c.Contract,
                fichier: str, pseudonymise: pseudonym.Pseudonymiser) -> pl.DataFrame:
    """Duplicate keys inside the file, and keys already brought by another file.

    The warehouse holds pseudonyms: a key with a household identifier is compared once pseudonymised.
    """
    if not contract.key:
        return parse.empty_errors()
    key = list(contract.key)
    label = pl.concat_str([pl.col(k).cast(pl.Utf8).fill_null("") for k in key], separator=" / ")
    keyed = typed.select(ROW, *key).with_columns(label.alias("__cle"))
    column = key[-1] if len(key) == 1 else " / ".join(key)
    # Equal keys have equal labels: when no label repeats (the usual case), no key does either.
    if keyed.get_column("__cle").is_duplicated().any():
        first_row = keyed.group_by(key, maintain_order=True).agg(pl.col(ROW).min().alias("__premiere"))
        dup = keyed.join(first_row, on=key, nulls_equal=True).filter(pl.col(ROW) != pl.col("__premiere"))
    else:
        dup = keyed.clear().with_columns(pl.lit(None, pl.Int64).alias("__premiere"))
    errors = [dup.select(
        ROW, pl.lit(column).alias("colonne"), pl.col("__cle").alias("valeur"),
        pl.format("clé en double dans le fichier (déjà ligne {})", pl.col("__premiere")).alias("motif"),
    )]
    existing = warehouse.frame(
        con,
        f"SELECT DISTINCT {', '.join(key)}, {warehouse.SOURCE} AS __fichier FROM raw.{contract.table} "
        f"WHERE {warehouse.SOURCE} <> ?", [fichier],
    )
    if existing.height:
        existing = existing.with_columns(pl.col(k).cast(typed.schema[k]) for k in key)
        comparable = keyed.with_columns(pseudonymise(keyed.get_column(k)) for k in key
                                        if contract.column(k).kind == c.PSEUDONYM)
        clash = comparable.join(existing, on=key, nulls_equal=True)
        errors.append(clash.select(
            ROW, pl.lit(column).alias("colonne"), pl.col("__cle").alias("valeur"),
            pl.format("clé déjà importée depuis le fichier « {} » (pour corriger ce fichier, réimportez-le "
                      "sous le même nom)", pl.col("__fichier")).alias("motif"),
        ))
    return pl.concat(errors)


def _reference_errors(con: duckdb.DuckDBPyConnection, typed: pl.DataFrame, contract: c.Contract,
                      fichier: str) -> pl.DataFrame:
    """Values that must exist elsewhere: platforms, communes, EPCIs, referral and funding ids."""
    errors = [parse.empty_errors()]
    for ref in contract.references:
        allowed = _values(con, f"SELECT DISTINCT {ref.target} FROM raw.{ref.table}")
        reason = _reference_reason(ref)
        errors.append(_missing_values(typed, ref.column, allowed, reason))
    for col in contract.columns:
        if col.kind == c.COMMUNE:
            allowed = _values(con, "SELECT code_commune FROM ref.communes")
            errors.append(_missing_values(typed, col.name, allowed,
                                          "commune inconnue du Code officiel géographique de l'INSEE"))
        elif col.kind == c.EPCI:
            allowed = _values(con, "SELECT code_epci FROM ref.epci")
            errors.append(_missing_values(typed, col.name, allowed, "EPCI inconnu (SIREN absent du référentiel)"))
    errors.append(_dependent_errors(con, typed, contract, fichier))
    return pl.concat(errors)


def _reference_reason(ref: c.Reference) -> str:
    if ref.table == "decoupage":
        return "plateforme absente du découpage (importez d'abord le découpage qui la définit)"
    return f"{ref.target} inconnu dans la table {ref.table} (importez-la d'abord)"


def _values(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.Series:
    return warehouse.frame(con, sql, params).to_series()


def _missing_values(typed: pl.DataFrame, column: str, allowed: pl.Series, reason: str) -> pl.DataFrame:
    values = typed.get_column(column)
    mask = values.is_not_null() & ~values.is_in(allowed.cast(values.dtype).implode())
    return parse.errors_where(typed, mask, column, reason)


def _dependent_errors(con: duckdb.DuckDBPyConnection, typed: pl.DataFrame, contract: c.Contract,
                      fichier: str) -> pl.DataFrame:
    """A new version of a referenced file must keep every value other tables still use."""
    errors = [parse.empty_errors()]
    for other in c.CONTRACTS.values():
        for ref in other.references:
            if ref.table != contract.table:
                continue
            kept = _values(con, f"SELECT DISTINCT {ref.target} FROM raw.{ref.table} "
                                f"WHERE {warehouse.SOURCE} <> ?", [fichier])
            available = pl.concat([kept, typed.get_column(ref.target).drop_nulls()]).unique()
            used = warehouse.frame(
                con,
                f"SELECT {ref.column} AS valeur, count(*) AS n FROM raw.{other.table} "
                f"WHERE {ref.column} IS NOT NULL GROUP BY 1 ORDER BY 1",
            )
            orphans = used.filter(~pl.col("valeur").is_in(available.implode()))
            errors.append(orphans.select(
                pl.lit(None, pl.Int64).alias(ROW), pl.lit(ref.target).alias("colonne"),
                pl.col("valeur").cast(pl.Utf8),
                pl.format(f"valeur retirée par cette version alors que {{}} ligne(s) de la table {other.table} "
                          "l'utilisent encore", pl.col("n")).alias("motif"),
            ))
    return pl.concat(errors)


# --- writing ------------------------------------------------------------------------------------------

def _replace_rows(con: duckdb.DuckDBPyConnection, contract: c.Contract, typed: pl.DataFrame,
                  fichier: str, import_id: int) -> int:
    """Swap the rows of this file's earlier version for the new ones, in one transaction."""
    # Handed to DuckDB as Arrow: about twice as fast as letting it scan the Polars frame.
    rows = typed.with_columns(  # noqa: F841 - read by DuckDB below
        pl.lit(fichier).alias(warehouse.SOURCE), pl.lit(import_id, pl.Int64).alias(warehouse.IMPORT_ID)
    ).select(*contract.column_names, warehouse.SOURCE, ROW, warehouse.IMPORT_ID).to_arrow()
    con.execute("BEGIN TRANSACTION")
    try:
        replaced = con.execute(
            f"DELETE FROM raw.{contract.table} WHERE {warehouse.SOURCE} = ?", [fichier]
        ).fetchone()[0]
        con.execute(f"INSERT INTO raw.{contract.table} SELECT * FROM rows")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return replaced


def _next_import_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT nextval('meta.import_seq')").fetchone()[0]


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
