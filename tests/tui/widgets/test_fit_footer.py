"""The footer at 80x24: the keys of a review (hunks, findings, J/K, compare, trailers, reply)
must be on screen, not cut off behind generic ones every tig/mutt user knows."""

from rich.cells import cell_len
from textual.widgets._footer import FooterKey

from tests.tui.conftest import drive, wait_mark
from tui.widgets.fit_footer import FitFooter


def _visible_keys(screen, width: int) -> set[str]:
    return {
        key.key for key in screen.query(FooterKey) if key.region.width and key.region.right <= width
    }


def test_footer_keeps_review_keys_at_80_columns(make_app):
    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.pause(0.1)
        series = _visible_keys(pilot.app.screen, 80)
        await pilot.press("enter")
        await wait_mark(pilot, "patch v2 1")
        await pilot.pause(0.1)
        return series, _visible_keys(pilot.app.screen, 80)

    series, patch = drive(make_app(), scenario, size=(80, 24))
    assert {"question_mark", "v", "c", "C", "T", "t", "R"} <= series
    # the patch screen's reply is the review reply (r); R (trailer-only drafts) is in ? help
    assert {"right_square_bracket", "f", "J", "K", "c", "d", "r", "question_mark"} <= patch


def test_two_row_footer_cuts_no_description_at_80_columns(make_app):
    """The series screen's 14 footer cells in two rows: every key shows its whole description
    ("T Trailers", "P Applied?"), not one cut to an equal column's width."""

    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.pause(0.1)
        footer = pilot.app.screen.query_one(FitFooter)
        return footer.rows(), [
            (key.key_display, key.description, key.region.width)
            for key in footer.query(FooterKey)
            if key.description
        ]

    rows, keys = drive(make_app(), scenario, size=(80, 24))
    assert rows == 2
    assert {d for _, d, _ in keys} >= {"Revision", "Trailers", "Applied?", "Update"}
    cut = [(k, d, w) for k, d, w in keys if w < cell_len(f"{k} {d}")]
    assert cut == []
