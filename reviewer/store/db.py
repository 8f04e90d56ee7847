"""The one connection the store talks through, on SQLite (embedded) or PostgreSQL (a team server).

The store's SQL is written once, in portable SQL with ``?`` placeholders (upserts with
``ON CONFLICT``, ``RETURNING`` for new ids, ``COUNT(*) FILTER``, window functions). This module
is the thin dialect shim under it, and all it does:

- placeholders: ``?`` becomes ``%s`` on PostgreSQL (a literal ``%`` is doubled);
- rows: every row is a tuple that can also be read by column name (``row["subject"]``);
- transactions: ``BEGIN IMMEDIATE`` on SQLite (one writer at a time, taken up front), ``BEGIN``
  on PostgreSQL, where concurrent writers of one series serialise on an advisory lock;
- locks: ``lock(key, n)`` is ``pg_advisory_xact_lock`` on PostgreSQL and nothing on SQLite
  (its writer transaction already excludes every other writer);
- DDL: ``INTEGER PRIMARY KEY`` (an automatic id) and ``BLOB`` are spelled for PostgreSQL;
- transient errors ("database is locked", serialisation failures, deadlocks) are retried with
  backoff; any other driver error becomes one ``DatabaseError`` line, never a traceback.

Why not SQLAlchemy Core: the store's queries are a few dozen fixed statements; the differences
between the two backends are the five listed above, and keeping the DB-API shape
(``conn.execute(sql, params)``) keeps every caller and every pending branch unchanged.
"""

from __future__ import annotations

import contextlib
import random
import re
import sqlite3
import time
import weakref
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from reviewer.errors import ReviewerError

SQLITE, POSTGRESQL = "sqlite", "postgresql"
RETRIES = 12  # transient-error retries, with exponential backoff from 50 ms (about 1 minute)


class DatabaseError(ReviewerError):
    """A database failure, as one line."""


def is_url(target: str | Path) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


def display_url(url: str) -> str:
    """A URL safe to print: the password is masked."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)


# -- rows -------------------------------------------------------------------------------------


class Row(tuple):
    """A result row: a tuple (unpacks and compares as one) that is also read by column name."""

    __slots__ = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)

    def asdict(self) -> dict[str, Any]:
        return {name: tuple.__getitem__(self, i) for name, i in self._index.items()}


@lru_cache(maxsize=512)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    return type("Row", (Row,), {"__slots__": (), "_index": {n: i for i, n in enumerate(names)}})


class Cursor:
    """What ``Database.execute`` returns: rows by name, ``rowcount``."""

    def __init__(self, raw: Any, db: Database | None = None):
        self._raw = raw
        self._db = db  # its connection stays open while the cursor is read
        names = tuple(d[0] for d in raw.description) if raw.description else ()
        self._cls = _row_class(names)
        self.rowcount = raw.rowcount

    @property
    def lastrowid(self) -> int | None:
        """SQLite only (as sqlite3's); portable code uses ``INSERT ... RETURNING id``."""
        if not hasattr(self._raw, "lastrowid"):
            raise DatabaseError("lastrowid is SQLite-only: use INSERT ... RETURNING id")
        return self._raw.lastrowid

    def fetchone(self) -> Row | None:
        row = self._raw.fetchone()
        return None if row is None else self._cls(row)

    def fetchall(self) -> list[Row]:
        cls = self._cls
        return [cls(r) for r in self._raw.fetchall()]

    def __iter__(self) -> Iterator[Row]:
        cls = self._cls
        for row in self._raw:
            yield cls(row)


# -- dialect text -----------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def to_pyformat(sql: str) -> str:
    """``?`` placeholders as ``%s`` (outside quoted text), a literal ``%`` as ``%%``."""
    out, quote = [], None
    for ch in sql:
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


def ddl_for(dialect: str, script: str) -> str:
    """Migration DDL written for SQLite, spelled for ``dialect``."""
    if dialect != POSTGRESQL:
        return script
    script = re.sub(
        r"\bINTEGER PRIMARY KEY\b", "INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", script
    )
    return re.sub(r"\bBLOB\b", "BYTEA", script)


def statements(script: str) -> list[str]:
    """A script's statements (no triggers: each ends at a ``;`` that closes it)."""
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip().strip(";").strip():
                out.append(current.strip())
            current = ""
    if current.strip():
        out.append(current.strip())
    return out


# -- the connection ---------------------------------------------------------------------------


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        return "locked" in text or "busy" in text
    sqlstate = getattr(exc, "sqlstate", None)
    return sqlstate in ("40001", "40P01", "55P03")  # serialization, deadlock, lock not available


def backoff(attempt: int) -> None:
    time.sleep(min(5.0, 0.05 * 2**attempt) * (0.5 + random.random()))


class Database:
    """One connection, SQLite or PostgreSQL, in autocommit mode with explicit transactions."""

    def __init__(self, raw: Any, dialect: str, where: str):
        self.raw = raw
        self.dialect = dialect
        self.where = where  # the file, or the URL with its password masked
        self.in_transaction = False
        self._errors: tuple[type[BaseException], ...] = (sqlite3.Error,)
        if dialect == POSTGRESQL:
            import psycopg

            self._errors = (sqlite3.Error, psycopg.Error)
        # The connection closes when this object goes, or when the process exits (atexit),
        # whichever comes first: a sqlite3 connection is its own reference cycle (its statement
        # cache), so it would otherwise wait for a garbage collection, and reviewer.cli skips
        # the one at exit (SQLite checkpoints and removes its WAL file on close).
        self._closer = weakref.finalize(self, _close_raw, raw, self._errors)

    @classmethod
    def connect(cls, target: str | Path) -> Database:
        if is_url(target):
            return cls._connect_postgresql(str(target))
        return cls._connect_sqlite(Path(target))

    @classmethod
    def _connect_sqlite(cls, path: Path) -> Database:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            raw = sqlite3.connect(path, isolation_level=None, timeout=30)
        except (OSError, sqlite3.Error) as exc:
            raise DatabaseError(f"cannot open database {path}: {exc}") from exc
        db = cls(raw, SQLITE, str(path))
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA journal_mode = WAL")
        return db

    @classmethod
    def _connect_postgresql(cls, url: str) -> Database:
        try:
            import psycopg
        except ImportError as exc:
            raise DatabaseError(
                "a PostgreSQL URL needs the psycopg package: pip install 'reviewer[postgresql]'"
            ) from exc
        where = display_url(url)
        try:
            raw = psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise DatabaseError(f"cannot open database {where}: {first}") from exc
        return cls(raw, POSTGRESQL, where)

    # -- statements ---------------------------------------------------------------------------

    def _sql(self, sql: str, params: Sequence | None) -> str:
        if self.dialect == POSTGRESQL and params is not None:
            return to_pyformat(sql)
        return sql

    def execute(self, sql: str, params: Sequence | None = ()) -> Cursor:
        params = tuple(params) if params is not None else None
        if self.dialect == POSTGRESQL and not params:
            params = None
        for attempt in range(RETRIES + 1):
            try:
                if self.dialect == SQLITE:
                    raw = self.raw.execute(sql, params or ())
                else:
                    raw = self.raw.execute(self._sql(sql, params), params)
                return Cursor(raw, self)
            except self._errors as exc:
                # outside a transaction a statement is its own: it can be tried again
                if _transient(exc) and not self.in_transaction and attempt < RETRIES:
                    backoff(attempt)
                    continue
                raise self._error(exc) from exc
        raise AssertionError("unreachable")

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        rows = [tuple(r) for r in rows]
        if not rows:
            return
        try:
            if self.dialect == SQLITE:
                self.raw.executemany(sql, rows)
            else:
                with self.raw.cursor() as cur:
                    cur.executemany(to_pyformat(sql), rows)
        except self._errors as exc:
            raise self._error(exc) from exc

    def _error(self, exc: BaseException) -> DatabaseError:
        if _transient(exc):
            return TransientError(f"database busy ({self.where}): {_first_line(exc)}")
        return DatabaseError(f"database error ({self.where}): {_first_line(exc)}")

    # -- transactions and locks ---------------------------------------------------------------

    def begin(self) -> None:
        """Start a writer transaction, waiting (with backoff) while another writer holds it."""
        sql = "BEGIN IMMEDIATE" if self.dialect == SQLITE else "BEGIN"
        for attempt in range(RETRIES + 1):
            try:
                self.raw.execute(sql)
                self.in_transaction = True
                return
            except self._errors as exc:
                if _transient(exc) and attempt < RETRIES:
                    backoff(attempt)
                    continue
                raise self._error(exc) from exc

    def commit(self) -> None:
        try:
            self.raw.execute("COMMIT")
        except self._errors as exc:
            self.rollback()
            raise self._error(exc) from exc
        finally:
            self.in_transaction = False

    def rollback(self) -> None:
        self.in_transaction = False
        # nothing to roll back when the failure already ended the transaction
        with contextlib.suppress(*self._errors):
            self.raw.execute("ROLLBACK")

    def lock(self, key: int, n: int = 0) -> None:
        """A lock held until the end of the current transaction (PostgreSQL advisory lock)."""
        if self.dialect == POSTGRESQL and self.in_transaction:
            self.execute("SELECT pg_advisory_xact_lock(?, ?)", (key, n))

    def returning_id(self, sql: str, params: Sequence) -> int:
        """Run an INSERT ... RETURNING id; the new row's id."""
        row = self.execute(sql, params).fetchone()
        return int(row["id"])

    def close(self) -> None:
        self._closer()


def _close_raw(raw: Any, errors: tuple[type[BaseException], ...]) -> None:
    with contextlib.suppress(*errors):
        raw.close()


class TransientError(DatabaseError):
    """A write that lost a race (lock timeout, deadlock, serialisation): try it again."""


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
