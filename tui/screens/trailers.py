"""Who gave what on which revision; stale (patch changed since) and mismatched senders marked."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from reviewer.constants import TrailerStatus
from reviewer.models import Revision, Series
from tui import formatting as fmt
from tui import safe
from tui.screens.base import ReviewerScreen
from tui.widgets.fit_footer import FitFooter
from tui.widgets.row_table import Column, RowTable

COLUMNS = [
    Column("Rev", 10),
    Column("Patch", 6, right=True),
    Column("Trailer", 14),
    Column("Who", None, 20, want=50),
    Column("Status", 11),
    Column("Given on", 10, drop=2),
    Column("Note", 40, drop=1),
]


class TrailersScreen(ReviewerScreen):
    BINDINGS = [
        Binding("a", "toggle_all", "All revisions"),
        Binding("n", "search_next(1)", "Next match", show=False),
        Binding("N", "search_next(-1)", "Prev match", show=False),
    ]

    def __init__(self, series: Series, revision: Revision) -> None:
        super().__init__()
        self.series, self.revision = series, revision
        self.all_revisions = False
        self.patch_rows: list[tuple[Revision, int]] = []  # per row: revision, patch position
        self.term = ""

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="title")
        yield RowTable(COLUMNS, id="trailer-table")
        yield self.job_bar()
        yield FitFooter()

    def on_mount(self) -> None:
        self.show()
        self.query_one(RowTable).focus()

    def show(self) -> None:
        revisions = reversed(self.series.revisions) if self.all_revisions else [self.revision]
        rows, self.patch_rows = [], []
        for rev in revisions:
            for position, patch in enumerate(rev.patches):
                for t in patch.trailers:
                    self.patch_rows.append((rev, position))
                    mark, style = fmt.TRAILER_STATUS.get(t.status, (t.status, ""))
                    note = t.note or (
                        f"sent by {t.sender}" if t.status == TrailerStatus.MISMATCH else ""
                    )
                    rows.append([
                        Text(rev.label),
                        Text(f"{patch.index}/{rev.expected}"),
                        Text(t.name),
                        safe.line(t.value, style),
                        Text(mark or TrailerStatus.OK, style=style),
                        Text(t.given_on + (" (cover)" if t.via_cover else "")),
                        safe.line(note),
                    ])  # fmt: skip
        scope = "all revisions" if self.all_revisions else self.revision.label
        title = safe.join(Text(f"Trailers ({scope}, {len(rows)}): ", style="bold"),
                          safe.line(self.series.subject))  # fmt: skip
        self.query_one("#title", Static).update(title)
        table = self.query_one(RowTable)
        # an empty Note column only takes room from the addresses
        table.set_columns(
            [c for c in COLUMNS if c.label != "Note" or any(r[-1].plain for r in rows)]
        )
        table.set_rows(rows, keep_cursor=False)
        self.ready(f"trailers {scope} {len(rows)}")

    def action_toggle_all(self) -> None:
        self.all_revisions = not self.all_revisions
        self.show()

    def on_row_table_selected(self, event: RowTable.Selected) -> None:
        from tui.screens.patch import PatchScreen

        revision, position = self.patch_rows[event.row]
        self.app.push_screen(PatchScreen(self.series, revision, position))

    def last_search(self) -> str:
        return self.term

    def search(self, term: str) -> None:
        self.term = term
        self.action_search_next(1)

    def action_search_next(self, direction: int) -> None:
        if self.term and not self.query_one(RowTable).find(self.term, direction):
            self.notify(f"not found: {self.term}", markup=False)
