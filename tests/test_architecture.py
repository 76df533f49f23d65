"""The house rules that a reader can check by reading the code: SQL on the store's tables lives in indicators/store/.

A module outside ``indicators/store/`` fails here when it builds SQL: it imports SQLAlchemy's statement builders
(``select``, ``insert``, ``update``, ``delete``, ``text``, ``and_``, ...), reaches for a table of the store
(``store.batches``, ``from indicators.store.schema import ...``, ``from indicators.store import users``), or passes
SQL text to the driver (``exec_driver_sql``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "indicators" / "store"

BUILDERS = {"select", "insert", "update", "delete", "text", "and_", "or_", "not_", "func", "literal_column",
            "table", "column", "exists", "union", "union_all", "bindparam", "case", "tuple_", "join", "outerjoin"}
TABLES = {"metadata", "plans", "targets", "batches", "observations", "data_version", "users", "audit_log"}

# Modules allowed to write SQL outside store/, each with its reason.
ALLOWED = {
    # The benchmarks time our code against a floor measured with the bare driver in the same run (raw INSERT,
    # TRUNCATE, ANALYZE, counting rows): that floor is SQL by definition and must not go through the store.
    "indicators/bench/",
}
# Known offenders still being moved into store/ by other work in flight; each entry names the module and who moves it.
KNOWN = {
}


def _modules() -> list[Path]:
    paths = [*ROOT.glob("indicators/**/*.py"), *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py",
             *ROOT.glob("scripts/*.py")]
    return sorted(p for p in paths if STORE not in p.parents and not _allowed(_relative(p)))


def sql_outside_store(source: str) -> list[str]:
    """Every place in ``source`` that builds SQL on the store's tables, as 'line: what'."""
    tree = ast.parse(source)
    found: list[str] = []
    store_names: set[str] = set()  # names bound to indicators.store (or its schema module)
    sqlalchemy_names: set[str] = set()  # names bound to sqlalchemy itself (import sqlalchemy as sa)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            module = node.module
            if module == "sqlalchemy" or module.startswith("sqlalchemy.sql"):
                for alias in node.names:
                    if alias.name in BUILDERS or alias.name == "*":
                        found.append(f"{node.lineno}: from {module} import {alias.name}")
            if module in ("indicators.store", "indicators.store.schema"):
                for alias in node.names:
                    if alias.name in TABLES or alias.name == "*":
                        found.append(f"{node.lineno}: from {module} import {alias.name}")
            if module == "indicators.store.schema":
                found.append(f"{node.lineno}: imports indicators.store.schema")
            if module == "indicators":
                store_names |= {alias.asname or alias.name for alias in node.names if alias.name == "store"}
            if module == "indicators.store":
                store_names |= {alias.asname or alias.name for alias in node.names if alias.name == "schema"}
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "sqlalchemy":
                    sqlalchemy_names.add(alias.asname or alias.name)
                if alias.name in ("indicators.store", "indicators.store.schema") and alias.asname:
                    store_names.add(alias.asname)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in store_names and node.attr in TABLES:
                found.append(f"{node.lineno}: {node.value.id}.{node.attr}")
            if node.value.id in sqlalchemy_names and node.attr in BUILDERS:
                found.append(f"{node.lineno}: {node.value.id}.{node.attr}")
        if isinstance(node, ast.Attribute) and node.attr == "exec_driver_sql":
            found.append(f"{node.lineno}: exec_driver_sql")
    return sorted(set(found), key=lambda entry: int(entry.split(":")[0]))


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _allowed(relative: str) -> bool:
    return any(relative == entry or (entry.endswith("/") and relative.startswith(entry)) for entry in ALLOWED)


@pytest.mark.parametrize("path", _modules(), ids=_relative)
def test_no_sql_on_the_store_tables_outside_store(path):
    relative = _relative(path)
    found = sql_outside_store(path.read_text(encoding="utf-8"))
    if relative in KNOWN:
        assert found, f"{relative} no longer builds SQL: remove it from KNOWN"
        return
    assert found == [], f"{relative} builds SQL on the store's tables; move it to indicators/store/: {found}"


def test_every_allowed_or_known_module_exists():
    assert [entry for entry in sorted(ALLOWED | set(KNOWN)) if not (ROOT / entry).exists()] == []


@pytest.mark.parametrize("source, caught", [
    ("from sqlalchemy import select\n", True),
    ("import sqlalchemy as sa\nsa.update(x)\n", True),
    ("from indicators import store\nstore.batches.c.id\n", True),
    ("from indicators.store import users\n", True),
    ("from indicators.store.schema import observations\n", True),
    ("from indicators.store import schema\nschema.plans\n", True),
    ("def f(conn):\n    conn.exec_driver_sql('ANALYZE')\n", True),
    ("from sqlalchemy.engine import Engine\nfrom indicators import store\nstore.batch_list(e)\n", False),
    ("from indicators.store import accounts as rows\nrows.user_row(conn, 'x')\n", False),
])
def test_the_check_itself_catches_sql_and_lets_store_calls_pass(source, caught):
    assert bool(sql_outside_store(source)) is caught


# --- the other rules of the house a reader can check ----------------------------------------------------------------
def _all_modules() -> list[Path]:
    paths = [*ROOT.glob("indicators/**/*.py"), *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py"]
    return sorted(p for p in paths if "migrations" not in p.parts)


@pytest.mark.parametrize("path", _all_modules(), ids=_relative)
def test_no_module_over_500_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 500


# bench/pages.py times the overview page itself through Streamlit's AppTest (a measurement of the UI, run from the
# command line only): the one library module that may import streamlit.
DRIVES_THE_UI = {ROOT / "indicators" / "bench" / "pages.py"}


@pytest.mark.parametrize("path", sorted(set(ROOT.glob("indicators/**/*.py")) - DRIVES_THE_UI), ids=_relative)
def test_the_library_never_imports_streamlit(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert "streamlit" not in imported


@pytest.mark.parametrize("path", [*sorted(ROOT.glob("pages/*.py")), *sorted(ROOT.glob("indicators/**/*.py"))],
                         ids=_relative)
def test_caching_lives_in_ui_only(path):
    assert not re.search(r"\bcache_(data|resource)\b", path.read_text(encoding="utf-8"))
