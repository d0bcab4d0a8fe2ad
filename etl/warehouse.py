"""The DuckDB warehouse file: where it lives, its schemas, and how it is replaced safely.

Layers (schemas): `ref` (reference geography), `raw` (typed tables as loaded, one per contract),
`stg` (staging views the indicators read, in `etl/sql/staging.sql`), `meta` (import journal).

DuckDB lets one process write or several processes read, not both. Imports therefore never write to the
served file: they copy it, import into the copy, and atomically rename the copy over the original
(`working_copy`). A running app keeps reading the file it opened and sees the new one on its next
connection; a failed import leaves the served file untouched. A lock file serialises concurrent imports.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from etl import geo
from etl.contracts import CONTRACTS, LOAD_ORDER, SQL_TYPES

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATH = REPO_ROOT / "data" / "warehouse.duckdb"
STAGING_SQL = Path(__file__).with_name("sql") / "staging.sql"
SCHEMA_VERSION = "1"

# System columns added to every raw table.
SOURCE = "_fichier"
ROW = "_ligne"
IMPORT_ID = "_import_id"

# The date column that tells how fresh a table is (None: the table has no date).
FRESHNESS_COLUMNS = {
    "decoupage": None, "saisines": "date_saisine", "accompagnements": "date_debut",
    "logements": "date_entree", "instances": "date", "captations": "date", "financements": "date_signature",
    "depenses": "date", "postes": None, "plan_actions": None, "cibles": None,
}


def default_path() -> Path:
    """The warehouse named by COPILOTE_WAREHOUSE, else data/warehouse.duckdb in the repository."""
    env = os.environ.get("COPILOTE_WAREHOUSE")
    return Path(env) if env else DEFAULT_PATH


def version(path: Path) -> tuple[int, int, int]:
    """Changes whenever an import replaces the file: (inode, mtime in ns, size). Cheap: no DB open."""
    st = Path(path).stat()
    return st.st_ino, st.st_mtime_ns, st.st_size


def frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None) -> pl.DataFrame:
    """Run a query and return a Polars frame (DuckDB 2 gives Polars from relations, not from cursors)."""
    return con.sql(sql, params=params).pl()


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection, as the app and the queries use it.

    DuckDB caches database instances by file path within a process: a plain `connect` after an import has
    replaced the file would keep reading the old one as long as any connection to it lives. So the file is
    attached read-only (as `wh`) to a fresh in-memory database, which always opens the current file.
    Cursors of this connection must be made with `read_cursor`.
    """
    con = duckdb.connect(":memory:")
    quoted = str(Path(path).resolve()).replace("'", "''")
    con.execute(f"ATTACH '{quoted}' AS wh (READ_ONLY)")
    con.execute("USE wh")
    return con


def read_cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of a `connect_read_only` connection, for one thread (the attached warehouse selected)."""
    cursor = con.cursor()
    cursor.execute("USE wh")
    return cursor


@contextlib.contextmanager
def import_lock(path: Path) -> Iterator[None]:
    """Serialise imports into one warehouse across processes."""
    lock_path = Path(f"{path}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextlib.contextmanager
def working_copy(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable copy of the warehouse, renamed over the original only if the block succeeds.

    A new warehouse starts as a copy of the reference geography (`geo.reference_database`). The copy is
    otherwise as it was: the block calls `ensure_schema` when it suits it (the loader does while it reads
    the files).
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with import_lock(path):
        tmp.unlink(missing_ok=True)
        shutil.copyfile(path if path.exists() else geo.reference_database(), tmp)
        try:
            con = duckdb.connect(str(tmp))
            con.execute("SET enable_progress_bar = false")  # it would draw over the command's report
            try:
                yield con
                con.execute("CHECKPOINT")
            finally:
                con.close()
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
            Path(f"{tmp}.wal").unlink(missing_ok=True)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create what is missing (schemas, reference geography, raw and meta tables) and refresh the views."""
    for schema in ("ref", "raw", "stg", "meta"):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    if not table_exists(con, "ref", "communes"):
        geo.install_reference(con)
    for table in LOAD_ORDER:
        con.execute(raw_table_ddl(table))
    con.execute("CREATE SEQUENCE IF NOT EXISTS meta.import_seq START 1")
    con.execute("""
        CREATE TABLE IF NOT EXISTS meta.imports (
            import_id BIGINT PRIMARY KEY,
            date_import TIMESTAMP NOT NULL,
            fichier VARCHAR NOT NULL,
            feuille VARCHAR,
            table_cible VARCHAR,
            empreinte_sha256 VARCHAR,
            statut VARCHAR NOT NULL,          -- importe / identique / rejete
            nb_lignes BIGINT,
            nb_lignes_remplacees BIGINT,
            nb_erreurs BIGINT,
            message VARCHAR,
            avertissements VARCHAR[]
        )""")
    con.execute("""
        CREATE TABLE IF NOT EXISTS meta.import_erreurs (
            import_id BIGINT, ligne BIGINT, colonne VARCHAR, valeur VARCHAR, motif VARCHAR
        )""")
    con.execute("""
        CREATE TABLE IF NOT EXISTS ref.plateformes (
            plateforme VARCHAR PRIMARY KEY, nb_communes BIGINT, population_municipale BIGINT, geometry BLOB
        )""")
    con.execute("CREATE TABLE IF NOT EXISTS meta.info (cle VARCHAR PRIMARY KEY, valeur VARCHAR)")
    con.execute("INSERT OR REPLACE INTO meta.info VALUES ('schema_version', ?)", [SCHEMA_VERSION])
    con.execute(STAGING_SQL.read_text(encoding="utf-8"))
    con.execute("INSERT OR REPLACE INTO meta.info VALUES ('version_vues', ?)", [code_version()])


def code_version() -> str:
    """What a warehouse built by this code looks like: the schema version and the staging definitions."""
    staging = hashlib.sha256(STAGING_SQL.read_bytes()).hexdigest()[:16]
    return f"{SCHEMA_VERSION}-{staging}"


def is_current(path: Path) -> bool:
    """Whether the warehouse's views are those of this code (a warehouse built by an earlier Copilote is not)."""
    with contextlib.closing(connect_read_only(path)) as con:
        try:
            row = con.execute("SELECT valeur FROM meta.info WHERE cle = 'version_vues'").fetchall()
        except duckdb.CatalogException:
            return False
    return bool(row) and row[0][0] == code_version()


def upgrade(path: Path) -> bool:
    """Bring a warehouse built by an earlier Copilote up to date (schemas and views), the way an import
    writes: on a copy swapped in at the end, so readers keep serving. Returns whether anything was done."""
    path = Path(path)
    if not path.exists() or is_current(path):
        return False
    with working_copy(path) as con:
        ensure_schema(con)
    return True


def raw_table_ddl(table: str) -> str:
    """CREATE TABLE statement of a raw table: the contract's columns, typed, plus provenance columns."""
    columns = [f"{col.name} {SQL_TYPES[col.kind]}" for col in CONTRACTS[table].columns]
    columns += [f"{SOURCE} VARCHAR NOT NULL", f"{ROW} BIGINT", f"{IMPORT_ID} BIGINT"]
    return f"CREATE TABLE IF NOT EXISTS raw.{table} ({', '.join(columns)})"


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchone()[0] > 0


def refresh_platforms(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute each platform's population and outline from the découpage."""
    members = frame(con, """
        SELECT p.plateforme, c.population_municipale, c.geometry
        FROM stg.plateforme_communes p JOIN ref.communes c USING (code_commune)
    """)
    con.execute("DELETE FROM ref.plateformes")
    if members.is_empty():
        return
    totals = members.group_by("plateforme").agg(
        pl.len().cast(pl.Int64).alias("nb_communes"), pl.col("population_municipale").sum()
    )
    # A platform made of exactly one whole EPCI has that EPCI's outline, dissolved from the same communes
    # by the same `geo.dissolve` when the reference was built: no need to dissolve it again.
    whole_epci = frame(con, """
        SELECT p.plateforme, any_value(e.geometry) AS geometry
        FROM stg.plateforme_communes p LEFT JOIN ref.epci e ON e.code_epci = p.code_epci
        GROUP BY p.plateforme
        HAVING count(DISTINCT p.code_epci) = 1 AND count(p.code_epci) = count(*)
           AND count(*) = any_value(e.nb_communes)
    """)
    others = members.filter(~pl.col("plateforme").is_in(whole_epci["plateforme"].implode()))
    shapes = pl.concat([whole_epci, geo.dissolve(others.select("plateforme", "geometry"), key="plateforme")])
    platforms = totals.join(shapes, on="plateforme")  # noqa: F841 - read by DuckDB below
    con.execute("""
        INSERT INTO ref.plateformes
        SELECT plateforme, nb_communes, population_municipale, geometry FROM platforms
    """)


# --- status -------------------------------------------------------------------------------------------

def status(path: Path) -> pl.DataFrame:
    """Per table: rows, files, last import, period covered (min/max of its date column)."""
    with contextlib.closing(connect_read_only(path)) as con:
        return status_frame(con)


def status_frame(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Per table: rows, files, last import and the period its data cover."""
    rows = []
    for table in LOAD_ORDER:
        date_col = FRESHNESS_COLUMNS[table]
        span = f"min({date_col}), max({date_col})" if date_col else "NULL::DATE, NULL::DATE"
        nb, nb_files, first, last = con.execute(
            f"SELECT count(*), count(DISTINCT {SOURCE}), {span} FROM raw.{table}"
        ).fetchone()
        last_import = con.execute(
            "SELECT max(date_import) FROM meta.imports WHERE table_cible = ? AND statut = 'importe'", [table]
        ).fetchone()[0]
        rows.append({
            "table": table, "titre": CONTRACTS[table].title, "nb_lignes": nb, "nb_fichiers": nb_files,
            "date_debut": first, "date_fin": last, "dernier_import": last_import,
        })
    return pl.DataFrame(rows, schema={
        "table": pl.Utf8, "titre": pl.Utf8, "nb_lignes": pl.Int64, "nb_fichiers": pl.Int64,
        "date_debut": pl.Date, "date_fin": pl.Date, "dernier_import": pl.Datetime,
    })


def journal(path: Path, limit: int = 200) -> pl.DataFrame:
    """The latest entries of the import journal, newest first."""
    with contextlib.closing(connect_read_only(path)) as con:
        return frame(
            con,
            "SELECT * EXCLUDE (avertissements), array_to_string(avertissements, ' ; ') AS avertissements "
            "FROM meta.imports ORDER BY import_id DESC LIMIT ?", [limit],
        )


def reference_source(path: Path) -> dict[str, str]:
    """Source and vintage of the reference geography, as recorded at build time."""
    with contextlib.closing(connect_read_only(path)) as con:
        return dict(con.execute("SELECT cle, valeur FROM ref.source").fetchall())


def now() -> datetime:
    """Current local time, the single clock of the import journal."""
    return datetime.now().replace(microsecond=0)
