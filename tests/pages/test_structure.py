"""Every page goes through the entry point and only composes: no warehouse access, no raw indicators."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PAGES = sorted((Path(__file__).resolve().parents[2] / "pages").glob("*.py"))
APP = (Path(__file__).resolve().parents[2] / "app.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_page_reruns_through_the_entry_point_and_is_registered(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [ast.unparse(node.value) for node in tree.body
             if isinstance(node, ast.Expr) and not isinstance(node.value, ast.Constant)]
    assert calls and calls[0] == "router.through_entry_point()", "first statement after the imports"
    assert f'"pages/{path.name}"' in APP, "registered in app.py's navigation"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_page_does_not_open_the_warehouse(path):
    imported = {alias.name for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, ast.Import | ast.ImportFrom) for alias in node.names}
    modules = {node.module for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.ImportFrom) and node.module}
    assert "duckdb" not in imported and "etl.warehouse" not in modules


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_every_table_and_chart_of_a_page_can_be_exported(path):
    """Tables get an XLSX export only with a title; charts get PNG / SVG unless export=False (only in the
    projected COPIL mode, whose charts export through the Documents page's deck)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "components.table":
            assert "title" in {k.arg for k in node.keywords}, f"line {node.lineno}: table without a title"
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "components.chart":
            export = [k for k in node.keywords if k.arg == "export"]
            assert path.stem == "copil" or not export or ast.unparse(export[0].value) != "False", node.lineno
