from reviewer.store.core import Store
from tests.tui.conftest import drive, wait_mark
from tui.screens.series import SeriesScreen
from tui.screens.series_list import SeriesListScreen
from tui.widgets.row_table import RowTable


def _add_series(db, subject: str, author: str) -> None:
    store = Store.open(db)
    with store.transaction():
        store.create_series(subject, author)
    store.close()


def test_lists_series_with_counts_and_opens_one(make_app):
    async def scenario(pilot):
        screen = pilot.app.screen
        assert isinstance(screen, SeriesListScreen)
        row = screen.shown[0]
        assert (row.latest_label, row.patches, row.revisions) == ("v2", 13, 3)
        line = screen.query_one(RowTable).render_line(1).text
        # at 120 columns the whole subject comes before Latest and P (shown from 140 columns)
        assert "mm: add bitmap VMA flag helpers and convert all mmap_prepare to use them" in line
        assert "3/17/0" in line  # A/R/T live trailers on v2
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        assert isinstance(pilot.app.screen, SeriesScreen)
        await pilot.press("q")
        assert isinstance(pilot.app.screen, SeriesListScreen)

    drive(make_app(), scenario)


def test_sort_filter_and_search(make_app, tracked_db):
    _add_series(tracked_db, "zz: another series", "Zed Example <zed@example.org>")

    async def scenario(pilot):
        screen = pilot.app.screen
        table = screen.query_one(RowTable)
        assert len(screen.shown) == 2
        assert [r.id for r in screen.shown] == [2, 1]  # newest activity first
        await pilot.press("o")  # sort by id
        assert [r.id for r in screen.shown] == [1, 2]
        assert "sort: id" in str(screen.query_one("#title").render())
        await pilot.press("f")  # state filter: new
        assert screen.state_filter == "new"
        await pilot.press("slash")
        await pilot.press(*"zed", "enter")
        assert screen.shown[table.cursor].author.startswith("Zed")
        await pilot.press("n")
        assert screen.shown[table.cursor].author.startswith("Zed")  # the only match
        for _ in range(6):
            await pilot.press("f")
        assert screen.state_filter is None

    drive(make_app(), scenario)


def test_stored_check_results_show_in_the_list_and_series_screen(make_app, tracked_db):
    from reviewer.results.check import checked_revision

    store = Store.open(tracked_db)
    report = checked_revision(store, store.load_series(1).latest)
    store.close()
    warnings = report.count("warning")

    async def scenario(pilot):
        screen = pilot.app.screen
        line = screen.query_one(RowTable).render_line(1).text
        assert f"W{warnings} " in line  # the Check column, from the database
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        assert pilot.app.screen._check().to_json() == report.to_json()

    drive(make_app(), scenario)
