"""All SQL is in the store layer: no module of reviewer/ or tui/ outside it runs a statement,
reaches into ``store.conn``, opens a database driver or holds SQL text.

The store layer is the ``store`` package: ``db`` (the SQLite/PostgreSQL shim), ``schema`` (DDL
and migrations), ``core`` (connection, transactions, locks) and the query modules ``series``,
``states``, ``results``, ``listing``, ``review`` (the reviewer's own rows) and ``transfer``
(whole-store export/import); each of those holds SQL. One exception, named here:
``apply/patch_ids`` keeps a machine-local SQLite cache file of commit -> patch-id (not the
tracking database).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STORE_MODULES = {
    "core",
    "db",
    "schema",
    "series",
    "states",
    "results",
    "listing",
    "review",
    "transfer",
}
OWN_CACHE_FILE = {"patch_ids"}
DRIVERS = {"sqlite3", "psycopg", "psycopg2"}
STATEMENTS = {"execute", "executemany", "executescript", "returning_id"}
# SELECT in capitals, as the store writes it ("select a revision from the list" is prose)
SQL_TEXT = re.compile(
    r"\bSELECT\b.+\bFROM\b|(?i:\b(INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET"
    r"|(CREATE|ALTER|DROP)\s+TABLE)\b)",
    re.DOTALL,
)


def in_store_layer(path: Path) -> bool:
    return "store" in path.parts[:-1]


def sql_outside_store(source: str) -> list[str]:
    """What in this module's source is SQL work (line: what)."""
    hits = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in STATEMENTS:
                hits.append(f"{node.lineno}: .{node.func.attr}()")
        elif isinstance(node, ast.Attribute) and node.attr == "conn":
            hits.append(f"{node.lineno}: .conn")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            drivers = [n for n in names if n and n.split(".")[0] in DRIVERS]
            hits += [f"{node.lineno}: import {n}" for n in drivers]
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and SQL_TEXT.search(node.value)
        ):
            hits.append(f"{node.lineno}: SQL text {node.value[:40]!r}")
    return hits


def modules() -> list[Path]:
    return sorted(p for d in ("reviewer", "tui") for p in (ROOT / d).rglob("*.py"))


def test_no_sql_outside_the_store_layer():
    found = {}
    for path in modules():
        if in_store_layer(path) or path.stem in OWN_CACHE_FILE:
            continue
        hits = sql_outside_store(path.read_text(encoding="utf-8"))
        if hits:
            found[str(path.relative_to(ROOT))] = hits
    assert not found, f"SQL outside the store layer (add a Store method): {found}"


def test_the_store_layer_is_where_the_sql_is():
    # the scan sees SQL where it is: the check above cannot pass by seeing nothing
    layer = [p for p in modules() if in_store_layer(p)]
    assert {p.stem for p in layer} >= STORE_MODULES
    assert all(
        sql_outside_store(p.read_text(encoding="utf-8")) for p in layer if p.stem in STORE_MODULES
    )


def test_the_scan_finds_each_kind_of_sql():
    source = """
import sqlite3
from psycopg import connect
def f(store):
    store.conn.execute("SELECT id FROM series")
    rows = db.executemany(q, [])
    q = "SELECT id\\n FROM series WHERE x"
    u = "UPDATE series SET state = ?"
    ok = "select a revision from the list"
"""
    hits = {(int(h.split(":")[0]), h.split(": ", 1)[1][:14]) for h in sql_outside_store(source)}
    assert hits == {
        (2, "import sqlite3"), (3, "import psycopg"), (5, ".execute()"), (5, ".conn"),
        (5, "SQL text 'SELE"), (6, ".executemany()"), (7, "SQL text 'SELE"),
        (8, "SQL text 'UPDA"),
    }  # fmt: skip
