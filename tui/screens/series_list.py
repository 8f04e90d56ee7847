"""The first screen: every tracked series, one light row each (reviewer.store.summary)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from reviewer.constants import SeriesState
from reviewer.results.check import latest_counts, latest_not_run
from reviewer.store.review import latest_progress_counts
from reviewer.store.summary import SeriesRow, series_rows
from tui import formatting as fmt
from tui import safe
from tui.screens.base import ReviewerScreen
from tui.widgets.fit_footer import FitFooter
from tui.widgets.row_table import Column, LazyRows, RowTable

SORTS = {
    "activity": lambda r: r.last_activity,
    "id": lambda r: r.id,
    "subject": lambda r: r.subject.lower(),
    "author": lambda r: r.author.lower(),
    "state": lambda r: r.state,
}
STATE_FILTERS = (
    None, SeriesState.NEW, SeriesState.REVIEWING, SeriesState.CHANGES_REQUESTED,
    SeriesState.APPLIED, SeriesState.SUPERSEDED, SeriesState.ARCHIVED,
)  # fmt: skip


class SeriesListScreen(ReviewerScreen):
    BINDINGS = [
        Binding("enter", "open", "Open", show=False),
        Binding("o", "sort", "Sort"),
        Binding("f", "filter_state", "Filter state"),
        Binding("n", "search_next(1)", "Next match", show=False),
        Binding("N", "search_next(-1)", "Prev match", show=False),
        Binding("s", "set_state", "State"),
        Binding("r", "refresh", "Update"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.all_rows: list[SeriesRow] = []
        self.shown: list[SeriesRow] = []
        self.sort_key, self.descending = "activity", True
        self.state_filter: str | None = None
        self.term = ""
        self.check_counts: dict[str, tuple[int, int, int]] = {}  # stored reports, by revision
        self.not_run: dict[str, list[str]] = {}  # what their checks could not run
        self.progress: dict[int, tuple[int, int, int, int]] = {}  # series id -> marks on latest

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="title")
        yield RowTable(self._columns(), id="series-table")
        yield self.job_bar()
        yield FitFooter()

    def _columns(self) -> list[Column]:
        checked = bool(self.rapp.results.checks or self.check_counts)
        cols = [
            Column("ID", 5, right=True),
            Column("Subject", None, minimum=20, want=self._subject_want()),
            Column("Author", 18, drop=3),
            Column("State", max([5, *(len(r.state) for r in self.all_rows)])),
            Column("Latest", 9, drop=2),
            Column("P", 3, right=True, drop=1),
            Column("A/R/T", 8),
        ]
        if checked:
            cols.append(Column("Check", 10))
        if self.progress:
            cols.append(Column("Done", 5, right=True))  # the reviewer's own work: kept
        return [*cols, Column("Activity", 10)]

    def _subject_want(self) -> int:
        """The longest subject (up to a kernel subject's 75): Author, Latest and P go first."""
        return min(max((len(r.subject) for r in self.all_rows), default=0), 75)

    def on_mount(self) -> None:
        self.query_one(RowTable).focus()

    def on_screen_resume(self) -> None:
        self.reload()  # also the first time the screen shows

    def reload(self) -> None:
        self.all_rows = series_rows(self.rapp.store)
        self.check_counts = latest_counts(self.rapp.store)
        self.not_run = latest_not_run(self.rapp.store)
        self.progress = latest_progress_counts(self.rapp.store)
        self.show_rows()
        self.ready(f"series-list {len(self.shown)}")

    def show_rows(self) -> None:
        rows = [r for r in self.all_rows if not self.state_filter or r.state == self.state_filter]
        rows.sort(key=SORTS[self.sort_key], reverse=self.descending)
        self.shown = rows
        table = self.query_one(RowTable)
        table.set_columns(self._columns())
        table.set_rows(LazyRows(rows, self._cells))
        self._title()

    def _cells(self, row: SeriesRow) -> list[Text]:
        cells = [
            Text(str(row.id)),
            safe.line(row.subject),
            safe.line(safe.name_only(row.author)),
            fmt.state(row.state),
            Text(row.latest_label),
            Text(str(row.patches)),
            fmt.art(row.acked, row.reviewed, row.tested),
        ]
        if self.rapp.results.checks or self.check_counts:
            report = self.rapp.results.checks.get(self._key(row))
            cells.append(
                fmt.check_summary(report)
                if report is not None
                else fmt.counts_summary(
                    self.check_counts.get(row.latest_message_id),
                    partial=row.latest_message_id in self.not_run,
                )
            )
        if self.progress:
            done, _skip, _needs, total = self.progress.get(row.id, (0, 0, 0, 0))
            cells.append(Text(f"{done}/{total}" if total else "", style="green"))
        return [*cells, fmt.day(row.last_activity)]

    @staticmethod
    def _key(row: SeriesRow) -> tuple[int, str]:
        return (row.id, row.latest_message_id)

    def _title(self) -> None:
        parts = [f"{len(self.shown)} of {len(self.all_rows)} series", f"sort: {self.sort_key}"]
        if self.state_filter:
            parts.append(f"state: {self.state_filter}")
        if self.term:
            parts.append(f"search: {self.term}")
        self.query_one("#title", Static).update(Text("reviewer — " + " · ".join(parts)))

    def current(self) -> SeriesRow | None:
        table = self.query_one(RowTable)
        return self.shown[table.cursor] if self.shown else None

    # -- actions -----------------------------------------------------------------------------

    def on_row_table_selected(self, event: RowTable.Selected) -> None:
        self.action_open()

    def action_open(self) -> None:
        from tui.screens.series import SeriesScreen

        row = self.current()
        if row is not None:
            self.app.push_screen(SeriesScreen(row.id))

    def action_sort(self) -> None:
        keys = list(SORTS)
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self.descending = self.sort_key == "activity"
        self.show_rows()

    def action_filter_state(self) -> None:
        at = STATE_FILTERS.index(self.state_filter)
        self.state_filter = STATE_FILTERS[(at + 1) % len(STATE_FILTERS)]
        self.show_rows()

    def last_search(self) -> str:
        return self.term

    def search(self, term: str) -> None:
        self.term = term
        self._title()
        self.action_search_next(1)

    def action_search_next(self, direction: int) -> None:
        if not self.term or not self.shown:
            return
        needle = self.term.lower()
        table = self.query_one(RowTable)
        count = len(self.shown)
        for step in range(1, count + 1):
            row = self.shown[(table.cursor + direction * step) % count]
            if needle in row.subject.lower() or needle in row.author.lower():
                table.move_to((table.cursor + direction * step) % count)
                return
        self.notify(f"not found: {self.term}", markup=False)

    def action_set_state(self) -> None:
        from tui.actions import choose_state

        row = self.current()
        if row is not None:
            choose_state(self, row.id, row.state, self.reload)

    def action_refresh(self) -> None:
        from tui.actions import update_series

        update_series(self, [r.id for r in self.shown], self.reload)
