"""No screen or export reads raw indicator values: they go through `queries.display` (or `data_access`).

`queries.run` returns unmasked values. The app, its pages, figures, widgets and exports must never import or
call it, so that every figure shown or exported is masked by the one confidentiality rule. The scan is static
(`ast`), over every module of those folders, including the ones added later.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ["app.py", "data_access.py", "pages", "figures", "ui", "exports", "queries"]
NOT_SCANNED = {"queries/__init__.py"}  # where `run` is defined

# Modules allowed to use `run`, each with the reason.
WHITELIST = {
    "queries/targets.py": "reads the list of targets (cibles: years, platforms, target values, no household "
                          "count) with run; the values compared with them go through display",
}


def scanned_files() -> list[Path]:
    files = []
    for entry in SCANNED:
        path = ROOT / entry
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.py") if ".venv" not in p.parts))
    return [f for f in files if f.relative_to(ROOT).as_posix() not in NOT_SCANNED]


def raw_uses(source: str) -> list[str]:
    """Where a module imports or calls `queries.run`, as « line: what »."""
    tree = ast.parse(source)
    module_names = set()  # names bound to the queries package: `import queries`, `import queries as q`
    run_names = set()  # names bound to queries.run: `from queries import run as r`
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "queries":
                    module_names.add(alias.asname or "queries")
                elif alias.name.startswith("queries.") and alias.asname is None:
                    module_names.add("queries")  # `import queries.targets` binds `queries` too
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in ("queries", "queries.__init__"):
            for alias in node.names:
                if alias.name in ("run", "*"):
                    run_names.add(alias.asname or alias.name)
                    uses.append(f"{node.lineno}: from {node.module} import {alias.name}")
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr == "run" and isinstance(node.value, ast.Name)
                and node.value.id in module_names):
            uses.append(f"{node.lineno}: {node.value.id}.run")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
              and len(node.args) >= 2 and isinstance(node.args[0], ast.Name) and node.args[0].id in module_names
              and isinstance(node.args[1], ast.Constant) and node.args[1].value == "run"):
            uses.append(f"{node.lineno}: getattr({node.args[0].id}, 'run')")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in run_names - {"*"}:
            uses.append(f"{node.lineno}: {node.func.id}(…)")
    return sorted(set(uses), key=lambda u: int(u.split(":")[0]))


def test_the_scan_finds_something():
    names = {f.relative_to(ROOT).as_posix() for f in scanned_files()}
    assert "app.py" in names and "queries/targets.py" in names


@pytest.mark.parametrize("path", scanned_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_module_reads_raw_indicator_values(path):
    name = path.relative_to(ROOT).as_posix()
    uses = raw_uses(path.read_text(encoding="utf-8"))
    if name in WHITELIST:
        assert uses, f"{name} no longer uses queries.run: remove it from the whitelist"
        return
    assert not uses, (f"{name} reads unmasked values through queries.run ({'; '.join(uses)}): use "
                      f"queries.display or data_access, or whitelist the module here with a reason")


def test_whitelist_entries_exist_and_have_a_reason():
    for name, reason in WHITELIST.items():
        assert (ROOT / name).is_file(), name
        assert len(reason) > 20


@pytest.mark.parametrize("source, found", [
    ("from queries import run\nrun('saisines', con)", ["1: from queries import run", "2: run(…)"]),
    ("from queries import display as d, run as r\nr('x', con)", ["1: from queries import run", "2: r(…)"]),
    ("import queries\nqueries.run('saisines', con)", ["2: queries.run"]),
    ("import queries as q\nf = q.run", ["2: q.run"]),
    ("import queries.targets\nqueries.run('x', con)", ["2: queries.run"]),
    ("import queries\ngetattr(queries, 'run')('x', con)", ["2: getattr(queries, 'run')"]),
    ("from queries import *", ["1: from queries import *"]),
    ("import queries\nqueries.display('saisines', con)", []),
    ("from queries import display, catalogue\ndisplay('x', con)", []),
    ("import subprocess\nsubprocess.run(['ls'])", []),
    ("from data_access import indicator\nindicator('saisines')", []),
])
def test_the_detector(source, found):
    assert raw_uses(source) == found
