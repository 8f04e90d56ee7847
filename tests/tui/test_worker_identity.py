"""Writes made by the TUI's worker threads are made as the app's `--as` identity, not as git's
user (issue 14): a worker opens its own connection and must carry the identity over."""

from __future__ import annotations

from reviewer.store.core import Store
from tests.tui.conftest import drive, wait_mark

AS = "Wanda Worker <wanda@example.org>"


def test_update_job_writes_as_the_as_identity(tracked_db, monkeypatch):
    from tui.app import ReviewerApp

    # what a worker would write as without the fix: the default identity
    monkeypatch.setenv("REVIEWER_AS", "Default Person <default@example.org>")
    before = Store.open(tracked_db, actor=AS)
    team_before = {r["reviewer"] for r in before.team()}
    before.close()
    app = ReviewerApp(Store.open(tracked_db, actor=AS), offline=True)

    async def scenario(pilot):
        await wait_mark(pilot, "series-list")
        await pilot.press("r")  # update every shown series, in a job (a worker thread)
        await wait_mark(pilot, "updated")

    drive(app, scenario)
    app.store.close()
    check = Store.open(tracked_db)
    team = {r["reviewer"] for r in check.team()}
    check.close()
    assert team - team_before == {AS}, team


def test_reopen_keeps_the_identity(tracked_db):
    store = Store.open(tracked_db, actor=AS)
    other = store.reopen()
    try:
        assert other.actor == AS
        assert str(other.path) == str(store.path)
    finally:
        other.close()
        store.close()
