"""Helpers shared by the tests."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.contracts import LOAD_ORDER


def data_snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every raw table, sorted: equal snapshots mean unchanged data."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: sorted(con.execute(f"SELECT * EXCLUDE (_import_id) FROM raw.{t}").fetchall(), key=repr)
                for t in LOAD_ORDER}
    finally:
        con.close()


def scalar(path: Path, sql: str, params: list | None = None):
    """One value from the warehouse."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchone()[0]
    finally:
        con.close()
