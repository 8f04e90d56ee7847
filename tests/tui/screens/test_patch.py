from reviewer.flagmodel.findings import CheckReport, Finding
from reviewer.store.core import Store
from tests.tui.conftest import drive, wait_mark
from tui.screens.patch import PatchScreen
from tui.widgets.diff_view import DiffView


def _open_patch(pilot, index: int):
    keys = ["enter"] + ["j"] * (index - 1) + ["enter"]
    return pilot.press(*keys)


def _report_for(store_path, line_in_patch: int) -> tuple[CheckReport, Finding]:
    """A finding on a real post-image line of v2 7/13 (mm/secretmem.c)."""
    series = Store.open(store_path).load_series(1)
    finding = Finding("warning", "equivalence", 7, "mm/secretmem.c", line_in_patch, "look here")
    return CheckReport(findings=[finding]), series.latest.message_id


def test_hunks_patches_and_search(make_app):
    async def scenario(pilot):
        await _open_patch(pilot, 2)
        await wait_mark(pilot, "patch v2 2")
        screen = pilot.app.screen
        assert isinstance(screen, PatchScreen)
        view = screen.query_one(DiffView)
        hunks = view.model.hunks
        assert len(hunks) >= 2
        await pilot.press("right_square_bracket")
        assert view.cursor == hunks[0]
        await pilot.press("right_square_bracket")
        assert view.cursor == hunks[1]
        await pilot.press("left_square_bracket")
        assert view.cursor == hunks[0]
        assert view.model.lines[view.cursor].text.startswith("@@ ")
        await pilot.press("G")
        assert view.cursor == len(view.model.lines) - 1
        await pilot.press("g", "slash", *"vma_test_atomic_flag", "enter")
        assert "vma_test_atomic_flag" in view.model.lines[view.cursor].text
        first = view.cursor
        await pilot.press("n")
        assert view.cursor != first and "vma_test_atomic_flag" in view.model.lines[view.cursor].text
        await pilot.press("N")
        assert view.cursor == first
        await pilot.press("J")
        assert screen.patch.index == 3
        await pilot.press("K", "K")
        assert screen.patch.index == 1

    drive(make_app(), scenario)


def test_findings_inline_and_jump(make_app, tracked_db):
    report, rev_id = _report_for(tracked_db, 128)
    app = make_app()
    app.results.checks[(1, rev_id)] = report

    async def scenario(pilot):
        await _open_patch(pilot, 7)
        await wait_mark(pilot, "patch v2 7 findings=1")
        await wait_mark(pilot, "replies")  # the thread's comments rebuild the model (a worker)
        view = pilot.app.screen.query_one(DiffView)
        assert len(view.model.findings) == 1
        await pilot.press("f")
        row = view.cursor
        assert row == view.model.findings[0]
        assert "look here" in view.model.lines[row].text
        # it sits right below the diff line that is post-image line 128 of mm/secretmem.c
        assert view.model.lines[row - 1].kind in ("add", "ctx")
        await wait_mark(pilot, "cursor warning")
        await pilot.press("f")  # no further finding: stays
        assert view.cursor == row
        await pilot.press("g", "F")
        assert view.cursor == 0

    drive(app, scenario)


def test_finding_under_cursor_shown_whole_at_80_columns(make_app, tracked_db):
    message = "equivalent except on an error-return path " * 4  # far wider than 80 columns
    series = Store.open(tracked_db).load_series(1)
    finding = Finding("warning", "equivalence", 7, "mm/secretmem.c", 128, message, "VM_LOCKED")
    app = make_app()
    app.results.checks[(1, series.latest.message_id)] = CheckReport(findings=[finding])

    async def scenario(pilot):
        await _open_patch(pilot, 7)
        await wait_mark(pilot, "patch v2 7")
        detail = pilot.app.screen.query_one("#finding-detail")
        assert not detail.display
        await pilot.press("f")
        await pilot.pause()
        shown = (detail.display, detail.render().plain)
        await pilot.press("j")  # onto the counterexample line: still the same finding
        on_note = detail.display
        await pilot.press("j", "j")
        off = detail.display
        return shown, on_note, off

    (displayed, text), on_note, off = drive(app, scenario, size=(80, 24))
    assert displayed and on_note and not off
    flat = " ".join(text.split())
    assert "WARNING [equivalence] mm/secretmem.c:128: " + " ".join(message.split()) in flat
    assert flat.endswith("VM_LOCKED")


def _cursor_on_screen(view) -> bool:
    """The cursor row is one of the rows showing text (not under the horizontal scrollbar)."""
    top = int(view.scroll_offset.y)
    shown = view.size.height - (1 if view.show_horizontal_scrollbar else 0)
    return top <= view.cursor < top + shown


def test_cursor_never_hides_under_the_scrollbar(make_app):
    """v2 8/13 at 140x40: every search hit and every j step keeps the cursor row visible."""

    async def scenario(pilot):
        await _open_patch(pilot, 8)
        await wait_mark(pilot, "patch v2 8")
        view = pilot.app.screen.query_one(DiffView)
        assert view.show_horizontal_scrollbar  # the long lines of this patch
        await pilot.press("slash", *"VMA_NORESERVE_BIT", "enter")
        await pilot.pause()
        seen = []
        for _ in range(len(view.matches)):
            assert _cursor_on_screen(view), (view.cursor, view.scroll_offset.y)
            seen.append(view.cursor)
            await pilot.press("n")
            await pilot.pause()
        assert sorted(seen) == view.matches  # each hit once, none skipped
        await pilot.press("g")
        for _ in range(40):
            await pilot.press("j")
            await pilot.pause()
            assert _cursor_on_screen(view), (view.cursor, view.scroll_offset.y)

    drive(make_app(), scenario, size=(140, 40))
