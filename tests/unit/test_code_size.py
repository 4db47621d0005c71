"""The app code stays readable: modules under 500 lines, functions under 60.

A function's length is counted from the end of its docstring to its last
line. Migrations, settings and the demo data set are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("ownership", "surveys", "api", "cms")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or "settings" in parts or path.name == "demo.py":
                continue
            yield path


def _body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    start = node.lineno
    first = node.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        if isinstance(first.value.value, str):
            start = first.end_lineno
    return node.end_lineno - start


def test_the_app_code_is_found():
    names = {path.name for path in _modules()}
    assert {"heatmap.py", "services.py", "likert.py"} <= names


def test_modules_are_under_500_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for path in _modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_functions_are_under_60_lines():
    long = {}
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if (n := _body_lines(node)) > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"] = n
    assert long == {}
