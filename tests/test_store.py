"""Schema versioning and migrations of the tracking database."""

from __future__ import annotations

import sqlite3

import pytest

from reviewer.errors import ReviewerError
from reviewer.schema import MIGRATIONS
from reviewer.store import Store


def test_new_database_is_at_the_latest_schema(db_path):
    store = Store.open(db_path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
    assert {"series", "messages", "revisions", "patches", "trailers", "revision_states"} <= tables


def test_a_version_1_database_is_migrated_keeping_its_data(db_path):
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.executescript(f"BEGIN;\n{MIGRATIONS[0]}\nPRAGMA user_version = 1;\nCOMMIT;")
    conn.execute(
        "INSERT INTO series (subject, author, created, updated) VALUES ('s', 'a', 'x', 'x')"
    )
    conn.close()
    store = Store.open(db_path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert store.conn.execute("SELECT subject FROM series").fetchall() == [("s",)]


def test_a_newer_database_is_refused_with_one_line(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(ReviewerError, match="newer than this reviewer"):
        Store.open(db_path)
