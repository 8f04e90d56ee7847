"""pytest fixtures: a throwaway PostgreSQL cluster per session, a fresh database per test.

Fixtures:
  pg_cluster  -- the session's started cluster (tests.pg_server.PgCluster), stopped at the end;
                 skipped with the reason only where PostgreSQL cannot be installed
  pg_url      -- the URL of a fresh, empty database on it
  any_db      -- parametrised over both backends: a SQLite file path, or a PostgreSQL URL;
                 ``Store.open(any_db)`` and ``--db any_db`` take either
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg_server import PgCluster, missing_reason


@pytest.fixture(scope="session")
def pg_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PgCluster]:
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    cluster = PgCluster.start(tmp_path_factory.mktemp("pg") / "cluster")
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> str:
    return pg_cluster.new_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    if request.param == "sqlite":
        return tmp_path / "any.sqlite3"
    return request.getfixturevalue("pg_url")
