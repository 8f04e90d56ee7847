"""reviewer.store.db closes a connection when its Database goes or the process exits, not at
some later garbage collection (a sqlite3 connection is its own reference cycle)."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.store.db import Database, DatabaseError

ROOT = Path(__file__).resolve().parents[2]


def _wal(path: Path) -> bool:
    return path.with_name(path.name + "-wal").exists()


def test_a_dropped_database_closes_its_connection(tmp_path: Path):
    path = tmp_path / "db.sqlite3"
    db = Database.connect(path)
    db.execute("CREATE TABLE t (x INTEGER)")
    db.execute("INSERT INTO t VALUES (1)")
    assert _wal(path)  # WAL mode: open connection, its log beside the file
    gc.disable()  # no collection may do it for us
    try:
        del db
        assert not _wal(path)  # closed (SQLite checkpoints and removes the log)
    finally:
        gc.enable()


def test_a_cursor_keeps_its_connection_open(tmp_path: Path):
    db = Database.connect(tmp_path / "db.sqlite3")
    db.execute("CREATE TABLE t (x INTEGER)")
    db.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(3)])
    cursor = db.execute("SELECT x FROM t ORDER BY x")
    del db
    assert [r["x"] for r in cursor] == [0, 1, 2]


def test_close_is_final_and_idempotent(tmp_path: Path):
    db = Database.connect(tmp_path / "db.sqlite3")
    db.close()
    db.close()
    with pytest.raises(DatabaseError):
        db.execute("SELECT 1")


def test_a_command_process_leaves_no_open_log(tmp_path: Path):
    """`reviewer track` as a process (the collector frozen at its end, reviewer.cli): the
    database is closed at exit, its WAL log checkpointed and removed, the mail stored."""
    path = tmp_path / "db.sqlite3"
    mbox = ROOT / "samples" / "threads" / "v1-thread.mbox"
    env_cmd = [sys.executable, "-m", "reviewer.cli", "track", "--offline", "--db", str(path)]
    done = subprocess.run([*env_cmd, str(mbox)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert path.exists() and not _wal(path)
    assert Database.connect(path).execute("SELECT count(*) AS n FROM messages").fetchone()["n"]
