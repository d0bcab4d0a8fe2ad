"""Shared fixtures: a tiny warehouse built by the real ETL from the files in tests/fixtures/warehouse."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from etl.load import load_files

FIXTURES = Path(__file__).parent / "fixtures"
WAREHOUSE_FILES = FIXTURES / "warehouse"
TEST_KEY = "cle-de-test-copilote"


@pytest.fixture(autouse=True, scope="session")
def _secret_key():
    """A fixed pseudonymisation key, so pseudonyms are the same in every test run."""
    mp = pytest.MonkeyPatch()
    mp.setenv("COPILOTE_SECRET_KEY", TEST_KEY)
    yield
    mp.undo()


@pytest.fixture(scope="session")
def fixture_warehouse(tmp_path_factory, _secret_key) -> Path:
    """The fixture warehouse (read-only use: copy it with `warehouse_copy` to change it)."""
    path = tmp_path_factory.mktemp("fixture") / "warehouse.duckdb"
    report = load_files(sorted(WAREHOUSE_FILES.glob("*.csv")), path)
    assert report.ok, report.text()
    return path


@pytest.fixture(scope="module")
def con(fixture_warehouse):
    """A read-only connection to the fixture warehouse, as the app opens one."""
    connection = duckdb.connect(str(fixture_warehouse), read_only=True)
    yield connection
    connection.close()


@pytest.fixture
def warehouse_copy(fixture_warehouse, tmp_path) -> Path:
    """A private copy of the fixture warehouse that a test may import into."""
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(fixture_warehouse, path)
    return path
