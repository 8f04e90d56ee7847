"""Mail text with terminal escapes and Rich markup is shown as inert, visible text."""

from rich.text import Text

from reviewer.sources.mail import load_source
from reviewer.store.core import Store
from reviewer.tracking.ingest import ingest
from tests.helpers_minitree import synthetic_mbox
from tests.tui.conftest import drive, wait_mark
from tui.app import ReviewerApp
from tui.widgets.diff_view import DiffView
from tui.widgets.row_table import RowTable

ESC_TITLE = b"\x1b]0;pwned\x07"
MARKUP = b"[bold red]LOUD[/bold red] [link=http://x]y[/link]"
CLEAR = b"\x1b[2J\xc2\x9b31m"  # ESC and the C1 CSI (U+009B) in UTF-8


def _hostile_db(tmp_path) -> Store:
    raw = synthetic_mbox("v1-thread").read_bytes()
    raw = raw.replace(
        b"Subject: [PATCH 0/4] mm:",
        b"Subject: [PATCH 0/4] " + ESC_TITLE + MARKUP + b" mm:",
    )
    raw = raw.replace(b"Subject: [PATCH 1/4] mm:", b"Subject: [PATCH 1/4] " + CLEAR + b" mm:")
    raw = raw.replace(b"From: Lorenzo Example <", b'From: "Lorenzo [red]Example[/red]" <')
    raw = raw.replace(b"\n\nAdd helpers", b"\n\n" + CLEAR + MARKUP + b"\nAdd helpers", 1)
    path = tmp_path / "hostile.mbox"
    path.write_bytes(raw)
    store = Store.open(tmp_path / "hostile.sqlite3")
    ingest(store, load_source(str(path), offline=True))
    return store


def _plain(renderable) -> str:
    assert isinstance(renderable, Text) or hasattr(renderable, "plain")
    return renderable.plain


def _visible_text(pilot) -> str:
    """Everything the current screen paints, as the terminal would receive it."""
    return "\n".join(
        "".join(seg.text for seg in strip) for strip in pilot.app.screen._compositor.render_strips()
    )


def test_escapes_and_markup_stay_inert(tmp_path):
    store = _hostile_db(tmp_path)
    series = store.load_series(1)
    assert "\x07" in series.subject  # the database keeps what was sent

    async def scenario(pilot):
        shown = [_visible_text(pilot)]
        row = pilot.app.screen.query_one(RowTable).render_line(1).text
        assert "0;pwned^G[bold red]LOUD" in row
        await pilot.press("enter")
        await wait_mark(pilot, "series 1")
        shown.append(_visible_text(pilot))
        title = _plain(pilot.app.screen.query_one("#title").render())
        assert "[bold red]LOUD[/bold red] [link=http://x]y[/link]" in title
        info = _plain(pilot.app.screen.query_one("#revisions").render())
        assert "Lorenzo [red]Example[/red]" in info
        assert "^[[2J\\x9b31m" in pilot.app.screen.query_one(RowTable).render_line(1).text
        cover = pilot.app.screen.query_one("#cover", DiffView)
        assert any("^[[2J" in ln.text for ln in cover.model.lines)
        await pilot.press("enter")
        await wait_mark(pilot, "patch v1 1")
        shown.append(_visible_text(pilot))
        await pilot.press("question_mark")
        shown.append(_visible_text(pilot))
        return shown

    painted = drive(ReviewerApp(store, offline=True), scenario)
    assert "[bold red]LOUD[/bold red]" in painted[0]  # shown literally, not styled away
    for screen_text in painted:
        assert "\x1b" not in screen_text and "\x9b" not in screen_text and "\x07" not in screen_text
