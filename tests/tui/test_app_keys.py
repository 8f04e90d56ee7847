"""App-wide behaviour: help, command palette, background jobs with cancel, quitting."""

import threading

from textual.command import CommandPalette

from tests.tui.conftest import drive, wait_for, wait_mark
from tui.jobs import JobBar
from tui.screens.help import HelpScreen
from tui.screens.series import SeriesScreen


def test_help_lists_screen_keys(make_app):
    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        text = pilot.app.screen.query_one("#help-text").render().plain
        for expected in ("Revision", "Compare", "Trailers", "Reply", "Command palette"):
            assert expected in text
        # keys every screen inherits, which the footer leaves to this help
        lines = {" ".join(line.split()) for line in text.splitlines()}
        assert {"/ Search", "X Cancel job", "q Esc Back"} <= lines
        assert "Scroll" not in text  # Textual's own scroll bindings are not ours to list
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, SeriesScreen)

    drive(make_app(), scenario)


def test_colon_opens_palette_with_screen_actions(make_app):
    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("colon")
        assert isinstance(pilot.app.screen, CommandPalette)
        await pilot.press(*"Trailers")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_mark(pilot, "trailers v2")

    drive(make_app(), scenario)


def test_job_progress_and_cancel_keep_ui_responsive(make_app):
    release = threading.Event()

    def work(progress, cancelled):
        progress(1, 3, "step 1")
        while not cancelled() and not release.wait(0.01):
            pass
        return "finished"

    results = []

    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        screen = pilot.app.screen
        screen.start_job("slow", work, results.append)
        bar = screen.query_one(JobBar)
        await wait_for(pilot, lambda: "step 1" in str(bar.query_one("#job-label").render()))
        assert bar.display
        await pilot.press("j", "j")  # the UI still moves while the job runs
        assert screen.query_one("#patch-table").cursor == 2
        await pilot.press("X")
        await wait_for(pilot, lambda: not bar.display)
        release.set()
        await pilot.pause(0.1)

    drive(make_app(), scenario)
    assert results == []  # a cancelled job's result is dropped


def test_quit_from_anywhere(make_app):
    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("enter")
        await wait_mark(pilot, "patch v2 1")
        await pilot.press("Q")
        await pilot.pause()
        return pilot.app.is_running

    assert drive(make_app(), scenario) is False


def test_refresh_runs_update_in_background(make_app):
    async def scenario(pilot):
        await wait_mark(pilot, "series-list")
        await pilot.press("r")
        await wait_mark(pilot, "updated")
        await wait_mark(pilot, "series-list")
        return pilot.app.screen.shown[0].state

    assert drive(make_app(), scenario) == "new"


def test_refresh_without_server_says_not_polled(make_app):
    """r with an unreachable server is an error toast naming the series, never "nothing new"."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = make_app()
    app.offline, app.server = False, f"http://127.0.0.1:{port}/test"

    async def scenario(pilot):
        await wait_mark(pilot, "series-list")
        await pilot.press("r")
        await wait_mark(pilot, "updated")
        return [(n.severity, n.message) for n in pilot.app._notifications]

    toasts = drive(app, scenario)
    assert ("error", f"series 1: not polled: cannot reach http://127.0.0.1:{port}/test:"
            " connection refused") in toasts  # fmt: skip
    assert not any("nothing new" in message for _s, message in toasts)


def test_tui_command_refuses_stdin_source(cli):
    result = cli("tui", "-")
    assert result.code == 2 and "track stdin first" in result.err


def test_ctrl_p_opens_palette_on_every_screen(make_app):
    async def scenario(pilot):
        await wait_mark(pilot, "series-list")
        opened = []
        for key in ("enter", "enter"):  # the list, then the series, then the patch
            await pilot.press("ctrl+p")
            opened.append(isinstance(pilot.app.screen, CommandPalette))
            await pilot.press("escape")
            await pilot.press(key)
            await pilot.pause(0.2)
        await pilot.press("ctrl+p")
        opened.append(isinstance(pilot.app.screen, CommandPalette))
        return opened

    assert drive(make_app(), scenario) == [True, True, True]


def test_help_scrolls_with_tig_keys_at_80x24(make_app):
    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("question_mark")
        await pilot.pause()
        box = pilot.app.screen.query_one(".help")
        assert box.max_scroll_y > 0  # the list is longer than the box here
        await pilot.press("j", "j")
        after_j = box.scroll_y
        await pilot.press("G")
        after_end = box.scroll_y
        await pilot.press("g")
        return after_j, after_end, box.max_scroll_y, box.scroll_y

    after_j, after_end, bottom, top = drive(make_app(), scenario, size=(80, 24))
    assert after_j == 2 and after_end == bottom and top == 0
