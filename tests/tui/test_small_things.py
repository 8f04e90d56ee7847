"""Small things a reviewer trips over (issue 15 item 12)."""

from textual.widgets import OptionList

from tests.tui.conftest import drive, wait_mark
from tui.screens.dialogs import ChoiceScreen
from tui.screens.help import HelpScreen
from tui.widgets.diff_view import DiffView
from tui.widgets.row_table import RowTable


async def _series(pilot):
    await pilot.press("enter")
    await wait_mark(pilot, "series 1 v2")


def test_pickers_stop_at_the_ends(make_app):
    async def scenario(pilot):
        await _series(pilot)
        await pilot.press("v")  # revisions: v1, v1-RESEND, v2 (current, last)
        assert isinstance(pilot.app.screen, ChoiceScreen)
        options = pilot.app.screen.query_one(OptionList)
        at = [options.highlighted]
        for key in ("j", "down", "g", "k", "up"):
            await pilot.press(key)
            at.append(options.highlighted)
        return at

    assert drive(make_app(), scenario) == [2, 2, 2, 0, 0, 0]


def test_help_and_palette_name_things_as_a_reviewer_does(make_app):
    async def scenario(pilot):
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        title = pilot.app.screen.query_one("#help-text").render().plain.splitlines()[0]
        await pilot.press("escape")
        await _series(pilot)
        commands = list(pilot.app.get_system_commands(pilot.app.screen))
        return title, {c.title: c.help for c in commands}

    title, commands = drive(make_app(), scenario)
    assert title == "Keys: series list"
    assert commands["Next rev"] == "key ."
    assert commands["Prev rev"] == "key ,"


def test_compare_pane_title_counts_lines_in_english(make_app):
    async def scenario(pilot):
        await _series(pilot)
        await pilot.press("C")
        await wait_mark(pilot, "compare")
        view = pilot.app.screen.query_one("#interdiff", DiffView)
        titles = []
        for _ in range(13):
            titles.append(str(view.border_title))
            await pilot.press("j")
        return titles

    titles = drive(make_app(), scenario)
    assert not any(t.endswith(" 1 lines") for t in titles)
    assert all(t.endswith((" line", " lines")) for t in titles)


def test_ends_say_so_and_the_series_cursor_follows(make_app):
    async def scenario(pilot):
        await _series(pilot)
        series = pilot.app.screen
        await pilot.press("G", "k", "enter")  # 12/13
        await wait_mark(pilot, "patch v2 12")
        await pilot.press("J")
        await wait_mark(pilot, "patch v2 13")
        await pilot.press("J")  # past the last
        await pilot.press("f")  # no findings (no check ran)
        await pilot.pause()
        toasts = [n.message for n in pilot.app._notifications]
        await pilot.press("K", "K")
        await wait_mark(pilot, "patch v2 11")
        await pilot.press("q")
        return toasts, series.query_one(RowTable).cursor

    toasts, cursor = drive(make_app(), scenario)
    assert "last patch of v2" in toasts
    assert "no findings in this patch" in toasts
    assert cursor == 10  # 11/13: the table followed J/K


def test_patch_view_has_a_diffstat_and_fixups_say_what_they_touch(make_app):
    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press(*["j"] * 6, "enter")
        await wait_mark(pilot, "patch v2 7")
        screen = pilot.app.screen
        lines = [ln.text for ln in screen.query_one(DiffView).model.lines]
        return lines, screen.query_one("#patch-info").render().plain

    lines, info = drive(make_app(), scenario)
    first_diff = next(i for i, t in enumerate(lines) if t.startswith("diff --git "))
    stat = lines[:first_diff]
    assert "---" in stat
    assert any(t.startswith(" mm/secretmem.c") and "|" in t for t in stat)
    assert any(t.startswith(" 5 files changed, ") for t in stat)
    assert "fix-up in reply from Lorenzo Stoakes <lorenzo.stoakes@oracle.com>: mm/mmap.c:" \
        " check_brk_limits()" in info  # fmt: skip


def test_quit_leaves_at_once_with_the_database_closed(tracked_db, monkeypatch):
    """`reviewer tui` ends the process right after the app (no interpreter teardown)."""
    import reviewer.commands.tui as tui_command
    from tui.app import ReviewerApp

    exits, stores = [], []
    monkeypatch.setattr(ReviewerApp, "run", lambda self: stores.append(self.store))
    monkeypatch.setattr("os._exit", exits.append)
    from reviewer.cli import main

    main(["--db", str(tracked_db), "tui", "--offline"])
    assert exits == [0]
    import sqlite3

    from reviewer.store.db import DatabaseError

    try:
        stores[0].conn.execute("SELECT 1")
        closed = False
    except (sqlite3.ProgrammingError, DatabaseError):
        closed = True
    assert closed
    del tui_command
