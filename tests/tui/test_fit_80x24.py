"""What fits at 80x24 and how 140 columns are used (issue 15 item 9): no footer key cut off,
the Apply column dropped as the docs say, the subject before less needed columns, addresses
before an empty Note column."""

from textual.widgets._footer import FooterKey

from reviewer.apply.am import ApplyResult, PatchApply
from tests.tui.conftest import drive, wait_mark
from tui.widgets.row_table import RowTable

SERIES_KEYS = {"question_mark", "v", "c", "C", "T", "t", "R", "e", "a", "P", "s", "r", "Q"}


def _visible_keys(screen, width: int, height: int) -> set[str]:
    return {
        k.key
        for k in screen.query(FooterKey)
        if k.region.width and k.region.right <= width and k.region.bottom <= height
    }


def _fake_apply(screen) -> None:
    """An apply result as `a` leaves it (the table only reads the statuses)."""
    rev = screen.revision
    patches = [PatchApply(p.index, p.subject, "applied") for p in rev.patches]
    screen.rapp.results.applies[(1, rev.message_id)] = ApplyResult(
        rev.label, "0" * 40, "base-commit", "refs/reviewer/x", "0" * 40, patches
    )
    screen._table()


def _series_screen(size):
    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.pause(0.2)
        screen = pilot.app.screen
        keys = _visible_keys(screen, *size)
        _fake_apply(screen)
        await pilot.pause(0.1)
        table = screen.query_one(RowTable)
        return keys, table.render_line(0).text, table.render_line(1).text

    return scenario


def test_series_screen_at_80x24_shows_every_key_and_drops_apply(make_app):
    keys, header, first = drive(make_app(), _series_screen((80, 24)), size=(80, 24))
    assert keys >= SERIES_KEYS
    assert "Apply" not in header.split()
    assert "mm/vma: remove __private sparse" in first  # 30+ characters of subject, not 20


def test_series_screen_at_140_shows_apply_and_whole_subjects(make_app):
    keys, header, first = drive(make_app(), _series_screen((140, 40)), size=(140, 40))
    assert keys >= SERIES_KEYS
    assert "Apply" in header.split()
    assert "mm/vma: remove __private sparse decoration from vma_flags_t" in first


def test_series_list_at_140_gives_the_subject_its_width(make_app):
    async def scenario(pilot):
        await wait_mark(pilot, "series-list")
        return pilot.app.screen.query_one(RowTable).render_line(1).text

    row = drive(make_app(), scenario, size=(140, 40))
    assert "mm: add bitmap VMA flag helpers and convert all mmap_prepare to use them" in row


def test_trailers_at_140_show_whole_addresses_not_an_empty_note(make_app):
    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("T")
        await wait_mark(pilot, "trailers v2")
        table = pilot.app.screen.query_one(RowTable)
        return [table.render_line(i).text for i in range(table.size.height)]

    lines = drive(make_app(), scenario, size=(140, 40))
    assert "Note" not in lines[0].split()
    assert any("Liam R. Howlett <Liam.Howlett@oracle.com>" in line for line in lines)
