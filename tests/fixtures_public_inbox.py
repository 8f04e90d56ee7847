"""pytest fixtures: a real public-inbox-httpd on 127.0.0.1 and a private b4 cache per test.

Load from tests/conftest.py with::

    pytest_plugins = ["tests.fixtures_public_inbox"]

Fixtures:
  pi_factory    -- make(threads=(), name="test") -> a started PublicInboxServer (stopped at
                   teardown, by pid, even when the test fails)
  public_inbox  -- a started server holding the three real vma-flags threads (v1, RESEND, v2)
  b4_isolated   -- fresh XDG_CACHE_HOME and an empty global git config, so b4's ~10 minute thread
                   cache and the user's b4.* settings cannot leak between tests
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.pi_server import REPO, PublicInboxServer, missing_reason

THREADS_DIR = REPO / "samples" / "threads"
CORPUS_DIR = Path("/work/shared/corpus/vma-flags-2026-01")
THREAD_FILES = ("v1-thread.mbox", "v1-resend-thread.mbox", "v2-thread.mbox")
V2_COVER = "cover.1769097829.git.lorenzo.stoakes@oracle.com"


def thread_path(name: str) -> Path:
    """A sample thread: samples/threads/ when the lead has copied it there, else the corpus."""
    for directory in (THREADS_DIR, CORPUS_DIR):
        if (directory / name).is_file():
            return directory / name
    pytest.skip(f"sample thread {name} not found in {THREADS_DIR}")


@pytest.fixture(scope="session")
def public_inbox_available() -> None:
    reason = missing_reason()
    if reason:
        pytest.skip(reason)


@pytest.fixture
def b4_isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "xdg-cache"
    cache.mkdir()
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    return cache


@pytest.fixture
def pi_factory(
    tmp_path_factory: pytest.TempPathFactory, public_inbox_available: None, b4_isolated: Path
) -> Iterator[Callable[..., PublicInboxServer]]:
    servers: list[PublicInboxServer] = []

    def make(threads: tuple[str | Path, ...] = (), name: str = "test") -> PublicInboxServer:
        server = PublicInboxServer(tmp_path_factory.mktemp("public-inbox"), name=name)
        servers.append(server)
        server.init()
        server.import_mbox(*(p if isinstance(p, Path) else thread_path(p) for p in threads))
        return server.start()

    try:
        yield make
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def public_inbox(pi_factory: Callable[..., PublicInboxServer]) -> PublicInboxServer:
    return pi_factory(THREAD_FILES)
