"""The tracking database: open it, transactions and retries, locks, and who writes.

``Store`` is this connection core composed with the query modules, one job each:
``reviewer.store.series`` (grouping look-ups, raw messages, derived rows, loading models),
``reviewer.store.states`` (shared and per-reviewer states, owner, team),
``reviewer.store.results`` (check, repository and attestation results caches) and
``reviewer.store.listing`` (the series list). ``reviewer.store.schema`` has the DDL,
``reviewer.store.db`` the SQLite/PostgreSQL shim under it. Rows are read by column name.
Writes record who (``Store.actor``: ``--as``, else git ``user.name <user.email>``) and when.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reviewer.errors import ReviewerError
from reviewer.store.db import (
    RETRIES,
    Database,
    DatabaseError,
    TransientError,
    backoff,
    is_url,
)
from reviewer.store.listing import LIST_TRAILERS, ListQueries
from reviewer.store.results import ResultQueries
from reviewer.store.schema import migrate, schema_version
from reviewer.store.series import SeriesQueries, resolve_revision
from reviewer.store.states import StaleState, StateQueries
from reviewer.store.who import (
    _git_config,
    actor_email,
    actor_name,
    default_actor,
    now,
    now_precise,
)

__all__ = [
    "LIST_TRAILERS", "StaleState", "Store", "actor_email", "actor_name", "default_actor",
    "default_db_path", "now", "now_precise", "resolve_revision",
]  # fmt: skip

GROUPING_LOCK = 0x47525550  # advisory lock: finding or creating the series of new mail
SERIES_LOCK = 0x53455249  # advisory lock, per series id: adding mail and rebuilding a series


def default_db_path() -> Path | str:
    """Where the store is: $REVIEWER_DB, else git config reviewer.db, else the user data dir."""
    env = os.environ.get("REVIEWER_DB")
    if env:
        return env if is_url(env) else Path(env)
    configured = _git_config("reviewer.db")
    if configured:
        return configured if is_url(configured) else Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("reviewer")) / "reviewer.sqlite3"


class Store(SeriesQueries, StateQueries, ResultQueries, ListQueries):
    def __init__(self, conn: Database, path: Path | str, actor: str | None = None):
        self.conn = conn
        self.path = path  # what Store.open takes again: the file, or the PostgreSQL URL
        self._actor = actor
        self._grouping_locked = False

    @classmethod
    def open(cls, path: str | Path | None = None, actor: str | None = None) -> Store:
        target = path if path else default_db_path()
        if not is_url(target):
            target = Path(target)
        db = Database.connect(target)
        try:
            for attempt in range(RETRIES + 1):
                try:
                    migrate(db)
                    break
                except TransientError:
                    if attempt == RETRIES:
                        raise
                    backoff(attempt)
        except (DatabaseError, RuntimeError) as exc:
            db.close()
            message = str(exc)
            if isinstance(exc, RuntimeError):
                message = f"cannot open database {db.where}: {exc}"
            raise ReviewerError(message) from exc
        return cls(db, target, actor)

    def reopen(self) -> Store:
        """A new connection to the same store writing as the same person (``--as`` included):
        what a worker thread uses, since a connection belongs to the thread that opened it."""
        return Store.open(self.path, actor=self.actor)

    @property
    def dialect(self) -> str:
        return self.conn.dialect

    @property
    def where(self) -> str:
        """The database as it can be printed (a URL's password masked)."""
        return self.conn.where

    def schema_version(self) -> int:
        """The schema version of the open database."""
        return schema_version(self.conn)

    @property
    def actor(self) -> str:
        if self._actor is None:
            self._actor = default_actor()
        return self._actor

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self, record_actor: bool = True) -> Iterator[Database]:
        """One writer transaction: everything inside lands, or nothing does. The writer joins
        the store's team (``record_actor=False``: a verbatim copy, as ``db import``)."""
        if self.conn.in_transaction:  # nested: part of the caller's transaction
            yield self.conn
            return
        self.conn.begin()
        self._grouping_locked = False
        try:
            yield self.conn
            if record_actor:
                self._register_actor()
        except BaseException:
            self.conn.rollback()
            raise
        finally:
            self._grouping_locked = False
        self.conn.commit()

    def retrying(self, work, attempts: int = RETRIES):
        """Run ``work()`` in a transaction, again from the start when it lost a race."""
        for attempt in range(attempts + 1):
            try:
                with self.transaction():
                    return work()
            except TransientError:
                if attempt == attempts:
                    raise
                backoff(attempt)
        return None

    def _register_actor(self) -> None:
        stamp = now()
        self.conn.execute(
            "INSERT INTO team (reviewer, name, email, first_seen, last_seen)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (reviewer) DO UPDATE SET"
            " last_seen = excluded.last_seen",
            (self.actor, actor_name(self.actor), actor_email(self.actor), stamp, stamp),
        )

    def lock_series(self, series_id: int) -> None:
        """Hold the series until the transaction ends (another writer of it waits)."""
        self.conn.lock(SERIES_LOCK, series_id)

    def _lock_grouping(self) -> None:
        """New mail is placed in one transaction at a time (no duplicate series on a server)."""
        if self.conn.in_transaction and not self._grouping_locked:
            self.conn.lock(GROUPING_LOCK, 0)
            self._grouping_locked = True
