"""TUI fixtures: a database with the real January 2026 threads, and a way to wait on the app."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from tests.conftest import RESEND, V1, V2


@pytest.fixture(scope="session")
def tracked_db_template(tmp_path_factory) -> Path:
    from reviewer.sources.mail import load_source
    from reviewer.store.core import Store
    from reviewer.tracking.ingest import ingest

    path = tmp_path_factory.mktemp("tuidb") / "template.sqlite3"
    store = Store.open(path)
    for mbox in (V1, RESEND, V2):
        ingest(store, load_source(str(mbox), offline=True))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


@pytest.fixture
def tracked_db(tracked_db_template, tmp_path) -> Path:
    dest = tmp_path / "tracked.sqlite3"
    shutil.copy(tracked_db_template, dest)
    return dest


@pytest.fixture
def make_app(tracked_db):
    from reviewer.store.core import Store
    from tui.app import ReviewerApp

    def make(db: Path | None = None, **kwargs) -> ReviewerApp:
        return ReviewerApp(Store.open(db or tracked_db), offline=True, **kwargs)

    return make


async def wait_for(pilot, predicate, timeout: float = 20.0) -> None:
    """Let the app run until predicate() holds (workers finish in threads)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out; marks: {pilot.app.marks[-5:]}")
        await pilot.pause(0.02)


async def wait_mark(pilot, prefix: str, timeout: float = 20.0) -> str:
    await wait_for(pilot, lambda: any(m.startswith(prefix) for m in pilot.app.marks), timeout)
    return next(m for m in pilot.app.marks if m.startswith(prefix))


def drive(app, scenario, size: tuple[int, int] = (120, 40)):
    """Run ``await scenario(pilot)`` against app in a headless terminal; return its result."""
    import asyncio

    async def main():
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            return await scenario(pilot)

    return asyncio.run(main())
