"""Comments on the patch screen: c on a line, C on a hunk, a adopts a finding, ./, jump,
D deletes; they survive a restart and show on the next revision's patch (or as outdated)."""

from __future__ import annotations

from reviewer.flagmodel.findings import CheckReport, Finding
from reviewer.review.comments import patch_comments
from reviewer.store.core import Store
from tests.tui.conftest import drive, wait_mark
from tui.widgets.diff_view import DiffView


async def _open_patch(pilot, revision_keys: tuple[str, ...], downs: int, label: str, index: int):
    await pilot.press("enter")
    await wait_mark(pilot, "series 1 v2")
    if revision_keys:
        pilot.app.marks.clear()
        await pilot.press(*revision_keys)
        await wait_mark(pilot, f"series 1 {label}")
    await pilot.press(*["j"] * downs, "enter")
    await wait_mark(pilot, f"patch {label} {index}")
    return pilot.app.screen.query_one(DiffView)


async def _search(pilot, term: str) -> None:
    await pilot.press("slash", *term, "enter")
    await pilot.pause()


def _rows(view: DiffView, kind: str) -> list[str]:
    return [ln.text for ln in view.model.lines if ln.kind == kind]


def test_comment_line_and_hunk_then_restart_and_next_revision(make_app, tracked_db):
    async def on_v1(pilot):
        view = await _open_patch(pilot, ("v", "k", "k", "enter"), 1, "v1", 2)
        await _search(pilot, "__set_bit((__force")
        target = view.cursor
        await pilot.press("c", *"why non-atomic?", "enter")
        await wait_mark(pilot, "comment v1 2 #1")
        assert view.model.lines[target + 1].kind == "comment"
        assert "why non-atomic?" in view.model.lines[target + 1].text
        await _search(pilot, "ACCESS_PRIVATE(flags")
        await pilot.press("c", *"ACCESS_PRIVATE goes away", "enter")
        await wait_mark(pilot, "comment v1 2 #2")
        await pilot.press("C", *"hunk looks fine", "enter")
        await wait_mark(pilot, "comment v1 2 #3")
        assert len([r for r in view.model.comments if view.model.lines[r].kind == "comment"]) == 3
        await pilot.press("g", "full_stop")
        assert view.cursor == view.model.comments[0]

    drive(make_app(), on_v1)

    async def on_v2(pilot):  # a new app: the comments come from the database
        view = await _open_patch(pilot, (), 2, "v2", 3)
        outdated, moved = _rows(view, "outdated"), _rows(view, "comment")
        assert len(outdated) == 1 and "from v1 outdated" in outdated[0]
        assert "ACCESS_PRIVATE goes away" in outdated[0]
        assert any("why non-atomic?" in t for t in moved)
        at = next(i for i, ln in enumerate(view.model.lines) if "why non-atomic" in ln.text)
        assert "__set_bit((__force int)bit, bitmap);" in view.model.lines[at - 1].text
        hunk = next(i for i, ln in enumerate(view.model.lines) if "hunk looks fine" in ln.text)
        assert view.model.lines[hunk - 1].kind in ("add", "ctx", "comment")
        after = view.model.lines[hunk + 1 :]
        assert not after or after[0].kind in ("hunk", "file")  # after the hunk's end
        view.move_to(at)
        await pilot.press("D")
        await wait_mark(pilot, "comment deleted")
        assert not any("why non-atomic" in ln.text for ln in view.model.lines)

    drive(make_app(), on_v2)
    store = Store.open(tracked_db)
    series = store.load_series(1)
    v1_patch = series.revisions[0].patches[1]
    left = patch_comments(store, series, series.revisions[0], v1_patch)
    assert [c.comment.body for c in left] == ["ACCESS_PRIVATE goes away", "hunk looks fine"]


def test_finding_becomes_comment_with_one_key(make_app, tracked_db):
    app = make_app()
    latest = app.store.load_series(1).latest
    finding = Finding("warning", "equivalence", 7, "mm/secretmem.c", 128, "flags set early",
                      "with VM_LOCKED set in desc")  # fmt: skip
    app.results.checks[(1, latest.message_id)] = CheckReport(findings=[finding])

    async def scenario(pilot):
        view = await _open_patch(pilot, (), 6, "v2", 7)
        await pilot.press("f", "a")
        await wait_mark(pilot, "comment v2 7 #1")
        own = [r for r in view.model.comments if view.model.lines[r].kind == "comment"]
        row = own[0]
        assert "flags set early" in view.model.lines[row].text
        assert "with VM_LOCKED set in desc" in view.model.lines[row + 2].text
        await pilot.press("f", "a")  # the same finding again: no second comment
        await pilot.pause()
        assert len([r for r in view.model.comments if view.model.lines[r].kind == "comment"]) == 1

    drive(app, scenario)
    store = Store.open(tracked_db)
    series = store.load_series(1)
    (placed,) = patch_comments(store, series, series.latest, series.latest.patches[6])
    assert placed.comment.finding_id == finding.id and placed.comment.line == 128
