"""The diff viewer: a line-API widget (ScrollView + render_line, as Toolong does).

Only the visible lines are turned into Strips, so first paint costs the same for a 50-line and a
5,000-line diff. Colours use the 8 ANSI colours (plus bold/reverse) so they stay readable on any
terminal; findings are full-width bars a reviewer cannot miss.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reviewer.flagmodel.findings import Severity
from tui.widgets.cursor_keys import CURSOR_BINDINGS
from tui.widgets.diff_model import DiffModel

STYLES: dict[str, Style] = {
    "msg": Style(),
    "meta": Style(bold=True),
    "file": Style(bold=True, color="yellow"),
    "hunk": Style(color="cyan"),
    "add": Style(color="green"),
    "del": Style(color="red"),
    "ctx": Style(),
    Severity.ERROR: Style(bold=True, color="white", bgcolor="red"),
    Severity.WARNING: Style(color="black", bgcolor="yellow"),
    Severity.INFO: Style(color="black", bgcolor="cyan"),
    "note": Style(italic=True, color="magenta"),
    "comment": Style(bold=True, color="blue"),  # the reviewer's own comments
    "outdated": Style(color="blue", dim=True),  # comments whose line is gone
    "reply": Style(color="magenta", bold=True),  # other reviewers' comments from the thread
}
CURSOR = Style(reverse=True)
HUNK = Binding.Group("Hunk")  # one footer entry for both keys: "] [ Hunk"
FINDING = Binding.Group("Finding")


class DiffView(ScrollView, can_focus=True):
    """A scrolling diff with a cursor line; ]/[ hunks, n/N search hits, f/F findings."""

    BINDINGS = [
        *CURSOR_BINDINGS,
        Binding("h,left", "pan(-8)", "Left", show=False),
        Binding("l,right", "pan(8)", "Right", show=False),
        Binding("right_square_bracket", "jump('hunks', 1)", "Next hunk", group=HUNK),
        Binding("left_square_bracket", "jump('hunks', -1)", "Prev hunk", group=HUNK),
        Binding("f", "jump('findings', 1)", "Next finding", group=FINDING),
        Binding("F", "jump('findings', -1)", "Prev finding", group=FINDING),
        Binding("n", "search_next(1)", "Next match", show=False),
        Binding("N", "search_next(-1)", "Prev match", show=False),
    ]

    class Moved(Message):
        def __init__(self, view: DiffView, row: int, kind: str) -> None:
            super().__init__()
            self.view, self.row, self.kind = view, row, kind

    def __init__(self, model: DiffModel | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.model = model or DiffModel()
        self.cursor = 0
        self.term = ""
        self.matches: list[int] = []

    def set_model(self, model: DiffModel) -> None:
        self.model, self.cursor, self.matches = model, 0, []
        self.virtual_size = Size(model.width + 1, len(model.lines))
        # Show or hide the scrollbars now, not in the layout pass: Textual finds out there that
        # they changed and only then lays out again, which costs one to three more paced frames.
        self._refresh_scrollbars()
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def on_mount(self) -> None:
        self.virtual_size = Size(self.model.width + 1, len(self.model.lines))
        # Create (hidden) scrollbars up front so the first long diff does not start widgets.
        self.vertical_scrollbar, self.horizontal_scrollbar  # noqa: B018

    # -- rendering ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row = scroll_y + y
        width = self.size.width
        if row >= len(self.model.lines):
            return Strip.blank(width)
        line = self.model.lines[row]
        style = STYLES.get(line.kind, Style())
        strip = Strip([Segment(line.text, style)]).crop_extend(scroll_x, scroll_x + width, style)
        if row == self.cursor:
            strip = Strip(Segment.apply_style(strip, post_style=CURSOR))
        return strip

    # -- movement ----------------------------------------------------------------------------

    def visible_rows(self) -> int:
        """Rows of text on screen: not the row the horizontal scrollbar covers."""
        return max(self.scrollable_content_region.height, 1)

    def cursor_visible(self) -> bool:
        top = int(self.scroll_offset.y)
        return top <= self.cursor < top + self.visible_rows()

    def move_to(self, row: int, top: bool = False) -> None:
        if not self.model.lines:
            return
        old, self.cursor = self.cursor, max(0, min(row, len(self.model.lines) - 1))
        height = self.visible_rows()
        scroll_y = int(self.scroll_offset.y)
        if top or not self.cursor_visible():
            target = self.cursor - 2 if top else self.cursor - height // 2
            self.scroll_to(y=max(target, 0), animate=False)
        self.refresh_line(old - scroll_y)
        self.refresh()
        self.post_message(self.Moved(self, self.cursor, self.model.lines[self.cursor].kind))

    def on_resize(self) -> None:
        """The finding detail below opens and shrinks the view: keep the cursor row on it."""
        if self.model.lines and not self.cursor_visible():
            self.scroll_to(y=max(self.cursor - self.visible_rows() // 2, 0), animate=False)

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.model.lines) - 1)

    def action_page(self, direction: int) -> None:
        step = max(self.visible_rows() - 1, 1)
        self.scroll_to(y=self.scroll_offset.y + direction * step, animate=False)
        self.move_to(self.cursor + direction * step)

    def action_pan(self, delta: int) -> None:
        self.scroll_to(x=max(self.scroll_offset.x + delta, 0), animate=False)

    def next_row(self, rows: list[int], direction: int) -> int | None:
        if direction > 0:
            at = bisect_right(rows, self.cursor)
            return rows[at] if at < len(rows) else None
        at = bisect_left(rows, self.cursor)
        return rows[at - 1] if at > 0 else None

    def action_jump(self, what: str, direction: int) -> None:
        rows = getattr(self.model, what)
        row = self.next_row(rows, direction)
        if row is None:
            self.app.bell()
            name = what.removesuffix("s")
            if not rows:
                self.notify(f"no {what} in this patch", timeout=2)
            else:
                self.notify(f"no {'next' if direction > 0 else 'previous'} {name}", timeout=2)
            return
        self.move_to(row, top=True)

    # -- search ------------------------------------------------------------------------------

    def search(self, term: str) -> int:
        """Find lines containing term (case-insensitive); jump to the first after the cursor."""
        self.term = term
        needle = term.lower()
        self.matches = [i for i, ln in enumerate(self.model.lines) if needle in ln.text.lower()]
        if self.matches:
            self.action_search_next(1, wrap=True)
        return len(self.matches)

    def action_search_next(self, direction: int, wrap: bool = True) -> None:
        row = self.next_row(self.matches, direction)
        if row is None and wrap and self.matches:
            row = self.matches[0] if direction > 0 else self.matches[-1]
        if row is None:
            self.app.bell()
            return
        self.move_to(row)
