"""The trailers screen: who gave what on which revision, statuses marked, search and enter."""

from reviewer.store.core import Store
from tests.tui.conftest import drive, wait_mark
from tui.screens.trailers import TrailersScreen
from tui.widgets.row_table import RowTable


def test_trailers_screen_marks_status(make_app, tracked_db):
    series = Store.open(tracked_db).load_series(1)
    v2_count = sum(len(p.trailers) for p in series.latest.patches)
    all_count = sum(len(p.trailers) for r in series.revisions for p in r.patches)
    statuses = {t.status for r in series.revisions for p in r.patches for t in p.trailers}

    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("T")
        await wait_mark(pilot, f"trailers v2 {v2_count}")
        screen = pilot.app.screen
        assert isinstance(screen, TrailersScreen)
        await pilot.press("a")
        await wait_mark(pilot, f"trailers all revisions {all_count}")
        shown = {row[4].plain for row in screen.query_one(RowTable).rows}
        marks = {"ok": "ok", "carried": "* carried", "stale": "~ stale", "mismatch": "! mismatch"}
        assert shown == {marks[s] for s in statuses}

    drive(make_app(), scenario)


def test_trailers_search_and_enter_opens_the_patch(make_app):
    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("T")
        await wait_mark(pilot, "trailers v2")
        screen = pilot.app.screen
        table = screen.query_one(RowTable)
        await pilot.press("slash", *"jarkko", "enter")
        found = table.rows[table.cursor][3].plain
        await pilot.press("n")  # the only match: wraps onto itself
        again = table.cursor
        await pilot.press("enter")
        await wait_mark(pilot, "patch v2")
        return found, again == table.cursor, pilot.app.screen.patch.index

    found, stayed, index = drive(make_app(), scenario)
    assert "Jarkko Sakkinen" in found and stayed
    assert index == 8  # Jarkko's Reviewed-by is on 8/13
