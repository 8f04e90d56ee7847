"""A fast table written against Textual's line API: only visible rows are ever rendered.

DataTable measures and styles every cell when rows are added, which is too slow for 10,000
series; here a row is a tuple of ``rich.text.Text`` cells rendered lazily, one Strip per line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.widgets.cursor_keys import CURSOR_BINDINGS

HEADER_STYLE = Style(bold=True, underline=True)
CURSOR_STYLE = Style(reverse=True)
TAGGED = "*"


class LazyRows(Sequence):
    """Rows built on first display: 10,000 items cost nothing until scrolled to."""

    def __init__(self, items: Sequence, make: Callable[[object], Sequence[Text]]) -> None:
        self.items, self.make = items, make
        self._built: dict[int, Sequence[Text]] = {}

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        row = self._built.get(index)
        if row is None:
            row = self._built[index] = self.make(self.items[index])
        return row


@dataclass
class Column:
    label: str
    width: int | None = None  # None: takes the remaining width (at least `minimum`)
    minimum: int = 10
    right: bool = False
    drop: int = 0  # > 0: hidden when the flexible column would get less than its minimum,
    # lowest number first (so 80 columns keep what matters most)
    want: int = 0  # the flexible column: droppable columns go before it is cut below this
    # (the subject first: a reviewer reads it, the dropped columns are a key away)


class RowTable(ScrollView, can_focus=True):
    """Columns of Text cells with a cursor row; j/k, g/G, space/b, Enter like tig."""

    BINDINGS = [
        *CURSOR_BINDINGS,
        Binding("enter", "select", "Open", show=False),
    ]

    class Selected(Message):
        def __init__(self, table: RowTable, row: int) -> None:
            super().__init__()
            self.table, self.row = table, row

    class Highlighted(Message):
        def __init__(self, table: RowTable, row: int) -> None:
            super().__init__()
            self.table, self.row = table, row

    def __init__(self, columns: Sequence[Column], **kwargs) -> None:
        super().__init__(**kwargs)
        self.columns = list(columns)
        self.rows: Sequence[Sequence[Text]] = []
        self.tagged: set[int] = set()
        self.cursor = 0
        self._cache: dict[tuple[int, int, bool, bool], Strip] = {}

    # -- data --------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Sequence[Text]], keep_cursor: bool = True) -> None:
        self.rows = rows
        self.tagged = {t for t in self.tagged if t < len(rows)} if keep_cursor else set()
        self.cursor = min(self.cursor, max(len(rows) - 1, 0)) if keep_cursor else 0
        self._cache.clear()
        self.virtual_size = Size(0, len(rows) + 1)  # never wider than the view: no h-scrollbar
        self.refresh()
        self._scroll_to_cursor()
        self.post_message(self.Highlighted(self, self.cursor))

    def set_columns(self, columns: Sequence[Column]) -> None:
        self.columns = list(columns)
        self._cache.clear()
        self.refresh()

    def toggle_tag(self) -> None:
        if self.rows:
            self.tagged ^= {self.cursor}
            self._cache.clear()
            self.refresh()

    # -- rendering ---------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(0, len(self.rows) + 1)

    def _widths(self, total: int) -> list[int]:
        """Width of each column, 0 for one dropped because the table is too narrow."""
        shown = list(self.columns)
        droppable = sorted((c for c in shown if c.drop), key=lambda c: c.drop)
        while True:
            fixed = sum((c.width or 0) + 1 for c in shown) + 2
            flex = [c for c in shown if c.width is None]
            if not droppable or not flex or total - fixed >= max(flex[0].minimum, flex[0].want):
                break
            shown.remove(droppable.pop(0))
        rest = max(total - fixed, 0)
        return [
            0 if c not in shown else c.width if c.width is not None else max(rest, c.minimum)
            for c in self.columns
        ]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width  # without the scrollbar
        if y == 0:
            return self._header(width)
        row = int(self.scroll_offset.y) + y - 1
        if row >= len(self.rows):
            return Strip.blank(width)
        key = (row, width, row == self.cursor and self.has_focus, row in self.tagged)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._cache[key] = self._row_strip(row, width, key[2], key[3])
        return strip

    def _header(self, width: int) -> Strip:
        cells = [Text(c.label, style=HEADER_STYLE) for c in self.columns]
        return self._strip(cells, width, Style(), "  ")

    def _row_strip(self, row: int, width: int, cursor: bool, tagged: bool) -> Strip:
        style = CURSOR_STYLE if cursor else Style()
        return self._strip(self.rows[row], width, style, TAGGED + " " if tagged else "  ")

    def _strip(self, cells: Sequence[Text], width: int, style: Style, lead: str) -> Strip:
        line = Text(lead, no_wrap=True, end="")
        for column, cell, cell_width in zip(self.columns, cells, self._widths(width), strict=False):
            if not cell_width:
                continue
            piece = cell.copy()
            piece.no_wrap = True
            piece.truncate(cell_width, overflow="ellipsis")
            pad = " " * (cell_width - piece.cell_len)
            if column.right:
                line.append(pad)
                line.append_text(piece)
            else:
                line.append_text(piece)
                line.append(pad)
            line.append(" ")
        segments = list(line.render(self.app.console))
        strip = Strip(segments).crop_extend(0, width, None)
        if style:
            strip = Strip(Segment.apply_style(strip, post_style=style))
        return strip

    # -- movement ----------------------------------------------------------------------------

    def move_to(self, row: int) -> None:
        if not self.rows:
            return
        self.cursor = max(0, min(row, len(self.rows) - 1))
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, self.cursor))

    def _scroll_to_cursor(self) -> None:
        visible = max(self.size.height - 1, 1)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False)

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.rows) - 1)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(self.size.height - 2, 1))

    def find(self, term: str, direction: int) -> bool:
        """Move to the next row (wrapping) with term in any cell, case-insensitive."""
        needle, count = term.lower(), len(self.rows)
        for step in range(1, count + 1):
            at = (self.cursor + direction * step) % count
            if any(needle in cell.plain.lower() for cell in self.rows[at]):
                self.move_to(at)
                return True
        return False

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.Selected(self, self.cursor))

    def on_click(self, event: Click) -> None:
        row = int(self.scroll_offset.y) + event.y - 1
        if 0 <= row < len(self.rows):
            if row == self.cursor and event.chain > 1:
                self.action_select()
            self.move_to(row)

    def on_focus(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._cache.clear()
        self.refresh()
