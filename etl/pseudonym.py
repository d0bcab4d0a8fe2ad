"""Pseudonymisation of household identifiers with a keyed hash (HMAC-SHA256).

The key never enters git: it comes from the environment variable COPILOTE_SECRET_KEY, or from a file
created on first use beside the warehouse (`.copilote_secret_key`, readable by its owner only). The same
key must be used for every import into a warehouse, or the same household gets two pseudonyms.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
from pathlib import Path

import duckdb
import polars as pl

KEY_ENV = "COPILOTE_SECRET_KEY"
KEY_FILE = ".copilote_secret_key"
PREFIX = "m_"
HEX_CHARS = 20  # 80 bits: no collision in practice at national scale
SHA256_BLOCK = 64


def secret_key(warehouse: Path) -> bytes:
    """The HMAC key: COPILOTE_SECRET_KEY, else the key file beside the warehouse (created if missing)."""
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode("utf-8")
    path = Path(warehouse).with_name(KEY_FILE)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip().encode("utf-8")


def pseudonym(value: str, key: bytes) -> str:
    """The pseudonym of one raw identifier."""
    return PREFIX + hmac.digest(key, value.encode("utf-8"), "sha256").hex()[:HEX_CHARS]


def pseudonymise(series: pl.Series, key: bytes) -> pl.Series:
    """Replace every identifier of a column by its pseudonym (hashing each distinct value once)."""
    return Pseudonymiser(key)(series)


class Pseudonymiser:
    """Pseudonymises columns with one key, remembering the pseudonyms computed so far.

    The same households recur from table to table (saisines, accompagnements, logements): each identifier
    given to it is hashed once. The hash is the HMAC-SHA256 of `pseudonym`, computed in DuckDB from its
    definition (RFC 2104: H((K ^ opad) || H((K ^ ipad) || message))), so that a million households are
    hashed in vectorised code rather than one Python call each. `sql` gives that expression to statements
    that hash in DuckDB directly: the loader writes rows that way, hashing in its parallel insert being
    cheaper than hashing the distinct values apart and joining them back. Safe to share between threads.
    """

    def __init__(self, key: bytes):
        self._inner, self._outer = _pads(key)
        self._known = pl.DataFrame(schema={"valeur": pl.Utf8, "pseudo": pl.Utf8})
        self._lock = threading.Lock()

    def __call__(self, series: pl.Series) -> pl.Series:
        values = series.cast(pl.Utf8).to_frame("valeur")
        with self._lock:
            new = values.drop_nulls().unique().join(self._known, on="valeur", how="anti")
            if new.height:
                self._known = pl.concat([self._known, self._hash(new)])
            known = self._known
        joined = values.join(known, on="valeur", how="left", maintain_order="left")
        return joined.get_column("pseudo").alias(series.name)

    def sql(self, column: str) -> tuple[str, dict]:
        """A DuckDB expression giving the pseudonym of a text column (NULL for NULL), and its named parameters."""
        expression = f"$prefix || left(sha256($outer || unhex(sha256($inner || encode({column})))), $n)"
        return expression, {"prefix": PREFIX, "inner": self._inner, "outer": self._outer, "n": HEX_CHARS}

    def _hash(self, values: pl.DataFrame) -> pl.DataFrame:
        expression, params = self.sql("valeur")
        with duckdb.connect() as con:
            con.execute("SET enable_progress_bar = false")
            con.register("valeurs", values)
            return con.sql(f"SELECT valeur, {expression} AS pseudo FROM valeurs", params=params).pl()


def _pads(key: bytes) -> tuple[bytes, bytes]:
    """The HMAC-SHA256 inner and outer padded keys."""
    if len(key) > SHA256_BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(SHA256_BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)
