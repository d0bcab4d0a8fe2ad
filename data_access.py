"""The one data-access layer of the app: read-only warehouse connections and cached reads.

Every cached read is keyed by the warehouse version (inode, mtime, size of the file), so a new import
is seen on the next rerun without restarting the app. The DuckDB connection is shared between sessions
(`cache_resource`): each read uses its own cursor, which makes it thread-safe.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from etl import warehouse


def warehouse_path() -> Path:
    """The warehouse the app serves (COPILOTE_WAREHOUSE, else data/warehouse.duckdb)."""
    return warehouse.default_path()


def warehouse_version() -> tuple[int, int, int] | None:
    """The current version of the warehouse file, None when there is none yet."""
    path = warehouse_path()
    return warehouse.version(path) if path.exists() else None


@st.cache_resource(max_entries=2)
def _connection(path: str, version: tuple[int, int, int]) -> duckdb.DuckDBPyConnection:
    return warehouse.connect_read_only(Path(path))


def _cursor() -> duckdb.DuckDBPyConnection:
    version = warehouse_version()
    if version is None:
        raise FileNotFoundError(str(warehouse_path()))
    return _connection(str(warehouse_path()), version).cursor()


@st.cache_data(max_entries=8, show_spinner=False)
def _status(version: tuple[int, int, int]) -> pl.DataFrame:
    return warehouse.status_frame(_cursor())


@st.cache_data(max_entries=8, show_spinner=False)
def _journal(version: tuple[int, int, int], limit: int) -> pl.DataFrame:
    return warehouse.frame(
        _cursor(),
        "SELECT import_id, date_import, fichier, feuille, table_cible, statut, nb_lignes, nb_lignes_remplacees, "
        "nb_erreurs, message FROM meta.imports ORDER BY import_id DESC LIMIT ?", [limit],
    )


@st.cache_data(max_entries=8, show_spinner=False)
def _reference_source(version: tuple[int, int, int]) -> dict[str, str]:
    return dict(_cursor().execute("SELECT cle, valeur FROM ref.source").fetchall())


def status() -> pl.DataFrame:
    """Per table: rows, files, period covered, last import."""
    return _status(warehouse_version())


def journal(limit: int = 50) -> pl.DataFrame:
    """The latest imports, newest first."""
    return _journal(warehouse_version(), limit)


def reference_source() -> dict[str, str]:
    """Source and vintage of the geography."""
    return _reference_source(warehouse_version())
