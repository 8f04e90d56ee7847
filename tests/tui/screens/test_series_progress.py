"""Per-patch progress in the TUI: d/x/w marks and m notes on the series screen, list column."""

from __future__ import annotations

from reviewer.review.progress import revision_progress
from reviewer.store.core import Store
from tests.tui.conftest import drive, wait_mark
from tui.widgets.row_table import RowTable


def test_marks_notes_and_list_column(make_app, tracked_db):
    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        screen = pilot.app.screen
        table = screen.query_one(RowTable)
        assert "Progress" not in table.render_line(0).text
        await pilot.press("d")
        await wait_mark(pilot, "progress v2 1 done")
        await pilot.press("j", "w", "j", "x", "j", "d", "d")  # d twice on 4: cleared again
        await wait_mark(pilot, "progress v2 4 none")
        await pilot.press("m", *"check locking", "enter")
        await wait_mark(pilot, "note v2 4")
        assert "Progress" in table.render_line(0).text
        assert "done" in table.render_line(1).text and "needs-work" in table.render_line(2).text
        assert table.rows[3][-1].plain == "+"  # a note alone
        assert "1/13 done, 1 skip, 1 needs-work" in str(screen.query_one("#revisions").render())
        await pilot.press("q")
        await wait_mark(pilot, "series-list")
        listed = pilot.app.screen.query_one(RowTable)
        assert "Done" in listed.render_line(0).text and "1/13" in listed.render_line(1).text

    drive(make_app(), scenario)
    store = Store.open(tracked_db)
    series = store.load_series(1)
    marks = {
        p.index: (str(p.state), p.note) for p in revision_progress(store, series, series.latest)
    }
    assert marks[1] == ("done", "") and marks[3] == ("skip", "")
    assert marks[4] == ("none", "check locking")
