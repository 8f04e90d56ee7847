from reviewer.compare.revisions import compare_revisions
from reviewer.store.core import Store
from tests.tui.conftest import drive, wait_mark
from tui.screens.compare import CompareScreen
from tui.widgets.diff_view import DiffView
from tui.widgets.row_table import RowTable


def test_compare_screen_classes_and_interdiff(make_app, tracked_db):
    series = Store.open(tracked_db).load_series(1)
    v1, resend, v2 = series.revisions
    want = compare_revisions(resend, v2)

    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("C")
        await wait_mark(pilot, "compare v1-RESEND v2")
        screen = pilot.app.screen
        assert isinstance(screen, CompareScreen)
        table = screen.query_one(RowTable)
        assert len(table.rows) == len(want.pairs)
        got = [(row[0].plain, row[1].plain, row[2].plain) for row in table.rows]
        assert got == [
            (str(p.from_index or "-"), str(p.to_index or "-"), p.classification) for p in want.pairs
        ]
        changed = next(i for i, p in enumerate(want.pairs) if p.interdiff)
        table.move_to(changed)
        await pilot.pause()
        view = screen.query_one("#interdiff", DiffView)
        assert want.pairs[changed].interdiff.splitlines()[0] in [ln.text for ln in view.model.lines]
        assert "verdict: " + want.verdict in str(screen.query_one("#verdict").render())
        pilot.app.marks.clear()
        await pilot.press("v", "g", "enter")  # from v1
        await wait_mark(pilot, "compare v1 v2")

    drive(make_app(), scenario)


def test_interdiff_pane_is_coloured_and_hunks_jump(make_app, tracked_db):
    series = Store.open(tracked_db).load_series(1)
    want = compare_revisions(series.revisions[1], series.latest)
    changed = next(i for i, p in enumerate(want.pairs) if p.interdiff)

    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("C")
        await wait_mark(pilot, "compare v1-RESEND v2")
        screen = pilot.app.screen
        screen.query_one(RowTable).move_to(changed)
        await pilot.press("enter", "right_square_bracket")  # into the pane, to the first hunk
        view = screen.query_one("#interdiff", DiffView)
        return view.model, view.cursor

    model, cursor = drive(make_app(), scenario)
    kinds = {line.kind for line in model.lines}
    assert {"file", "hunk", "add", "del"} <= kinds
    assert model.lines[model.files[0]].text.startswith("--- old/")
    assert model.hunks and cursor == model.hunks[0]


def test_pane_explains_added_and_rebase_only_pairs(make_app, tracked_db):
    series = Store.open(tracked_db).load_series(1)
    want = compare_revisions(series.revisions[1], series.latest)
    added = next(i for i, p in enumerate(want.pairs) if p.classification == "added")
    rebased = next(i for i, p in enumerate(want.pairs) if p.classification == "rebase-only")
    new_patch = series.latest.patches[want.pairs[added].to_index - 1]

    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("C")
        await wait_mark(pilot, "compare v1-RESEND v2")
        table, view = pilot.app.screen.query_one(RowTable), pilot.app.screen.query_one(DiffView)
        shown = []
        for row in (added, rebased):
            table.move_to(row)
            await pilot.pause()
            shown.append([line.text for line in view.model.lines])
        return shown

    added_lines, rebased_lines = drive(make_app(), scenario)
    assert added_lines[0].startswith("only in v2 (patch ")
    assert new_patch.diff.splitlines()[0] in added_lines
    assert rebased_lines == [
        "same changes and message in v1-RESEND and v2; only context or line numbers moved"
    ]


def test_compare_verdict_leaves_room_for_pairs_at_80x24(make_app):
    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("C")
        await wait_mark(pilot, "compare v1-RESEND v2")
        await pilot.pause()
        screen = pilot.app.screen
        box = screen.query_one("#verdict")
        shown = [box.render_line(y).text.rstrip() for y in range(box.size.height)]
        return box.size.height, screen.query_one(RowTable).size.height, shown

    verdict, table, shown = drive(make_app(), scenario, size=(80, 24))
    assert verdict <= 3
    assert table >= 6  # header and at least five pairs
    # the whole verdict, wrapped, saying whose patch numbers these are
    assert " ".join(" ".join(shown).split()) == (
        "verdict: CHANGED in patches 3, 5, 6, 8, 9, 10, 12, 13 of v2; added patch 1 of v2"
    )


def test_compare_search_focuses_the_pane_for_n(make_app):
    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("C")
        await wait_mark(pilot, "compare v1-RESEND v2")
        await pilot.press("j", "j", "slash", *"bitmap", "enter")
        view = pilot.app.screen.query_one("#interdiff", DiffView)
        first = view.cursor
        await pilot.press("n")
        return view.has_focus, first, view.cursor, len(view.matches)

    focused, first, second, matches = drive(make_app(), scenario)
    assert focused and matches >= 2 and second != first
