"""SVG snapshots at 80x24 of the patch screen with review comments (one carried from v1, one
outdated) and of the reply preview (update with --snapshot-update)."""

from __future__ import annotations

import subprocess

from reviewer.review import comments
from reviewer.store.core import Store
from tests.tui.conftest import wait_mark

SIZE = (80, 24)
MM = "include/linux/mm.h"


def _comment(db, revision: int, index: int, line: int | None, body: str) -> None:
    store = Store.open(db)
    series = store.load_series(1)
    patch = series.revisions[revision].patches[index - 1]
    at = comments.find_line(patch.diff, MM, line) if line else None
    comments.add(store, series, patch, body, at)
    store.close()


def _prepare(db) -> None:
    _comment(db, 0, 2, 1036, "ACCESS_PRIVATE() is on its way out.")  # gone in v2: outdated
    _comment(db, 0, 2, 1038, "Non-atomic on purpose?")  # same line in v2
    _comment(db, 2, 3, 1035, "A second thought on v2:\nthis needs the lock held.")


async def _open_v2_3(pilot):
    await pilot.press("enter")
    await wait_mark(pilot, "series 1 v2")
    await pilot.press("j", "j", "enter")
    await wait_mark(pilot, "patch v2 3")
    await wait_mark(pilot, "replies")


def test_patch_screen_with_comments(snap_compare, make_app, tracked_db):
    _prepare(tracked_db)

    async def run_before(pilot):
        await _open_v2_3(pilot)
        await pilot.press("full_stop", "full_stop")  # the second comment, in the diff

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_reply_preview(snap_compare, make_app, tracked_db):
    for key, value in (("user.name", "Jane Reviewer"), ("user.email", "jane@example.org")):
        subprocess.run(["git", "config", "--global", key, value], check=True)
    _prepare(tracked_db)

    async def run_before(pilot):
        await _open_v2_3(pilot)
        await pilot.press("r")
        await wait_mark(pilot, "reply v2 3")
        await pilot.press("t")
        await wait_mark(pilot, "reply v2 3 comments=1")
        await pilot.press("G")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
