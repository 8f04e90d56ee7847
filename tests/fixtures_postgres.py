"""pytest fixtures: a throwaway PostgreSQL cluster per session, a fresh database per test.

Fixtures:
  pg_cluster  -- the session's started cluster (tests.pg_server.PgCluster), stopped at the end;
                 skipped with the reason only where PostgreSQL cannot be installed
  pg_url      -- the URL of a fresh, empty database on it
  any_db      -- parametrised over both backends: a SQLite file path, or a PostgreSQL URL;
                 ``Store.open(any_db)`` and ``--db any_db`` take either
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg_server import PgCluster, missing_reason


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    # not under pytest's basetemp: another pytest session of the same user prunes old basetemps,
    # which would delete the data directory under the running server
    root = Path(tempfile.mkdtemp(prefix="reviewer-pg-"))
    cluster = PgCluster.start(root / "cluster")
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> str:
    return pg_cluster.new_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    if request.param == "sqlite":
        return tmp_path / "any.sqlite3"
    return request.getfixturevalue("pg_url")
