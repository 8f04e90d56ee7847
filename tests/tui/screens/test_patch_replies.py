"""Other reviewers' comments from the thread, on the diff lines they quote (b4's own parser of
quoted replies splits the replies; reviewer.review.comments.locate places them)."""

from __future__ import annotations

from reviewer.review.reply_anchor import series_replies, thread_notes
from reviewer.store.core import Store
from tests.tui.conftest import drive, wait_mark
from tui.widgets.diff_view import DiffView


def test_thread_notes_on_the_real_v2_thread(tracked_db):
    store = Store.open(tracked_db)
    series = store.load_series(1)
    patch8 = series.latest.patches[7]  # shmem: Darrick, Liam and others replied inline
    notes = [n for n in thread_notes(series_replies(store, 1), patch8) if n.row is not None]
    lines = patch8.diff.splitlines()
    by_author = {(n.author, n.text.splitlines()[0]): lines[n.row] for n in notes}
    quoted = by_author[("Liam R. Howlett", "Using two tabs here would have been less ugly, and"
                        " below too.")]  # fmt: skip
    assert quoted.startswith("+")
    assert any(a == "Darrick J. Wong" for a, _t in by_author)


def test_patch_screen_shows_who_commented_where(make_app):
    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press(*["j"] * 7, "enter")
        await wait_mark(pilot, "patch v2 8")
        await wait_mark(pilot, "replies")
        view = pilot.app.screen.query_one(DiffView)
        replies = [i for i, ln in enumerate(view.model.lines) if ln.kind == "reply"]
        heads = [view.model.lines[i].text for i in replies]
        assert any("Darrick J. Wong commented here" in h for h in heads)
        first = replies[0]
        above = view.model.lines[first - 1]
        assert above.kind in ("add", "del", "ctx", "reply", "comment")
        await pilot.press("g", "full_stop")  # . jumps to the first comment, theirs included
        assert view.cursor in view.model.comments

    drive(make_app(), scenario)
