"""The vectorised pseudonymisation is the keyed hash of `pseudonym`, value by value."""

from __future__ import annotations

import polars as pl
import pytest

from etl.pseudonym import pseudonym, pseudonymise

VALUES = ["H01", "H01", None, "ménage 42 – é", "", "x" * 200, "M-LH-00001", "🏠"]


@pytest.mark.parametrize("key", [b"cle", b"k" * 64, b"k" * 65, "clé-ünïcode".encode() * 10])
def test_pseudonymise_matches_pseudonym(key):
    series = pl.Series("id_menage", VALUES, dtype=pl.Utf8)
    result = pseudonymise(series, key)
    assert result.name == "id_menage" and result.dtype == pl.Utf8
    assert result.to_list() == [None if v is None else pseudonym(v, key) for v in VALUES]


def test_pseudonymise_empty_and_all_null():
    assert pseudonymise(pl.Series("id_menage", [], dtype=pl.Utf8), b"k").to_list() == []
    assert pseudonymise(pl.Series("id_menage", [None, None], dtype=pl.Utf8), b"k").to_list() == [None, None]


def test_pseudonymiser_remembers_across_columns():
    from etl.pseudonym import Pseudonymiser

    pseudonymiser = Pseudonymiser(b"cle")
    first = pseudonymiser(pl.Series("a", ["H1", "H2", None]))
    second = pseudonymiser(pl.Series("b", ["H2", "H3", "H1"]))
    assert first.to_list() == [pseudonym("H1", b"cle"), pseudonym("H2", b"cle"), None]
    assert second.to_list() == [pseudonym(v, b"cle") for v in ("H2", "H3", "H1")]
    assert second.name == "b"
