"""A footer that never cuts keys off: when they do not fit on one line (the series screen at 80
columns has 13 keys), it lays them out on two rows instead of hiding the ones on the right."""

from __future__ import annotations

from math import ceil

from rich.cells import cell_len
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel


class FitFooter(Footer):
    DEFAULT_CSS = """
    FitFooter.-rows {
        layout: grid;
        height: 2;
    }
    FitFooter.-compact FooterLabel {
        margin: 0 1 0 0;  /* compact leaves none: '] [ Hunk f F Finding? Help' */
    }
    """

    def __init__(self) -> None:
        try:  # ctrl+p is in ? help
            super().__init__(show_command_palette=False, compact=True)
        except TypeError:  # Textual before 6.1 has no compact argument, only the reactive
            super().__init__(show_command_palette=False)
            self.compact = True

    def needed(self) -> int:
        """Columns the keys take on one line (compact: 'k Desc' and one space after each)."""
        return sum(_width(cell) for cell in self._cells())

    def _cells(self) -> list:
        return [c for c in self.children if isinstance(c, FooterKey | FooterLabel) or c.children]

    def rows(self) -> int:
        return 2 if self.has_class("-rows") else 1

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def on_mount(self) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        width = self.app.size.width
        cells = self._cells()
        two = self.needed() > width and len(cells) > 1
        if two:
            columns = ceil(len(cells) / 2)
            self.styles.grid_size_columns = columns
            # Equal columns while the widest key fits one; else each column as wide as its
            # widest key, so no description is cut (equal ones cut "Trailers" at 80).
            widths = [max(_width(c) for c in cells[i::columns]) for i in range(columns)]
            equal = max(widths) <= width // columns or sum(widths) > width
            self.styles.grid_columns = "1fr" if equal else " ".join(map(str, widths))
        if two != self.has_class("-rows"):
            self.set_class(two, "-rows")

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self._fit)


def _width(cell) -> int:
    """Columns one footer cell takes: a key ('k Desc' and a space), a group label, a group."""
    if isinstance(cell, FooterKey):
        desc = f" {cell.description}" if cell.description else ""
        return cell_len(cell.key_display + desc) + 1
    if isinstance(cell, FooterLabel):
        return cell_len(str(cell.render())) + 1
    return sum(_width(child) for child in cell.children)
