"""SVG snapshots of the main screens (pytest-textual-snapshot; update with --snapshot-update)."""

from reviewer.flagmodel.findings import CheckReport, Finding
from tests.tui.conftest import wait_mark

SIZE = (120, 36)


async def _open_series(pilot):
    await pilot.press("enter")
    await wait_mark(pilot, "series 1 v2 classified")


def test_series_list(snap_compare, make_app):
    async def ready(pilot):
        await wait_mark(pilot, "series-list")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=ready)


def test_series_screen(snap_compare, make_app):
    async def run_before(pilot):
        await _open_series(pilot)
        await pilot.press("j", "j", "t")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_patch_screen_with_finding(snap_compare, make_app):
    app = make_app()
    latest = app.store.load_series(1).latest
    finding = Finding("error", "equivalence", 7, "mm/secretmem.c", 128, "not equivalent", "VM_X")
    app.results.checks[(1, latest.message_id)] = CheckReport(findings=[finding])

    async def run_before(pilot):
        await _open_series(pilot)
        await pilot.press(*["j"] * 6, "enter")
        await wait_mark(pilot, "patch v2 7")
        await wait_mark(pilot, "replies")  # other reviewers' comments are placed in a worker
        await pilot.press("f")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_compare_screen(snap_compare, make_app):
    async def run_before(pilot):
        await _open_series(pilot)
        await pilot.press("C")
        await wait_mark(pilot, "compare")
        await pilot.press("j", "j")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_trailers_screen(snap_compare, make_app):
    async def run_before(pilot):
        await _open_series(pilot)
        await pilot.press("T", "a")
        await wait_mark(pilot, "trailers all")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
