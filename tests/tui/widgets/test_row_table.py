"""RowTable layout on real screens: every column header fits, narrow terminals drop the least
needed columns instead of cutting off the right-hand ones."""

from tests.tui.conftest import drive, wait_mark
from tui.widgets.row_table import RowTable


def test_last_column_not_hidden_by_vertical_scrollbar(make_app):
    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("C")
        await wait_mark(pilot, "compare v1-RESEND v2")
        table = pilot.app.screen.query_one(RowTable)
        assert table.show_vertical_scrollbar  # 13 pairs in 10 visible rows
        return table.render_line(0).text.rstrip(), table.show_horizontal_scrollbar

    header, horizontal = drive(make_app(), scenario, size=(140, 40))
    assert header.endswith("Stale")
    assert not horizontal


def test_narrow_list_drops_columns_not_activity(make_app):
    async def scenario(pilot):
        await wait_mark(pilot, "series-list")
        table = pilot.app.screen.query_one(RowTable)
        return table.render_line(0).text, table.render_line(1).text

    header, row = drive(make_app(), scenario, size=(80, 24))
    assert header.split() == ["ID", "Subject", "State", "A/R/T", "Activity"]
    assert "3/17/0" in row and "2026-01-22" in row
    assert len(header.rstrip()) <= 80


def test_wide_list_keeps_every_column_and_the_whole_subject(make_app):
    async def scenario(pilot):
        await wait_mark(pilot, "series-list")
        table = pilot.app.screen.query_one(RowTable)
        return table.render_line(0).text.split(), table.render_line(1).text

    header, row = drive(make_app(), scenario, size=(140, 40))
    assert header == ["ID", "Subject", "Author", "State", "Latest", "P", "A/R/T", "Activity"]
    assert "convert all mmap_prepare to use them" in row  # the whole subject
