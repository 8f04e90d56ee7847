"""Compare two revisions: per-patch classes, and the interdiff / message diff of the selected."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from reviewer.constants import PairClass
from reviewer.models import Revision, Series
from reviewer.sanitize import clean_line
from tui import formatting as fmt
from tui import safe
from tui.screens.base import ReviewerScreen
from tui.screens.dialogs import ChoiceScreen
from tui.widgets.diff_model import build_interdiff_model, build_model
from tui.widgets.diff_view import DiffView
from tui.widgets.fit_footer import FitFooter
from tui.widgets.row_table import Column, RowTable

COLUMNS = [
    Column("Old", 5, right=True),
    Column("New", 5, right=True),
    Column("Class", 13),
    Column("Subject", None, 20),
    Column("Files changed", 30, drop=1),
    Column("Stale", 5, right=True, drop=2),
]
SAME_CODE_NOTE = {
    PairClass.IDENTICAL: "identical in {} and {}: same message, same diff",
    PairClass.REBASE_ONLY: (
        "same changes and message in {} and {}; only context or line numbers moved"
    ),
}


class CompareScreen(ReviewerScreen):
    BINDINGS = [
        Binding("v", "pick('from')", "From rev"),
        Binding("V", "pick('to')", "To rev"),
        Binding("tab", "app.focus_next", "Switch pane", show=False),
    ]

    def __init__(self, series: Series, to_rev: Revision) -> None:
        super().__init__()
        self.series = series
        before = series.previous(to_rev)
        self.to_rev = to_rev if before is not None else series.revisions[1]
        self.from_rev = before if before is not None else series.revisions[0]
        self.comparison = None

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="title")
        yield Static(id="verdict", classes="subtitle")
        yield RowTable(COLUMNS, id="pairs")
        yield DiffView(id="interdiff", classes="lower")
        yield self.job_bar()
        yield FitFooter()

    def on_mount(self) -> None:
        self.query_one(RowTable).focus()
        self.compute()

    def compute(self) -> None:
        from reviewer.compare.revisions import compare_revisions

        title = safe.join(Text(f"Compare {self.from_rev.label} -> {self.to_rev.label}: ",
                               style="bold"), safe.line(self.series.subject))  # fmt: skip
        self.query_one("#title", Static).update(title)
        old, new = self.from_rev, self.to_rev
        self.start_job("compare", lambda progress, cancelled: compare_revisions(old, new),
                       self.show)  # fmt: skip

    def show(self, comparison) -> None:
        self.comparison = comparison
        # wrapped (a long one ends in an ellipsis at the 3-line cap, never silently cut)
        verdict = Text(clean_line(f"verdict: {comparison.verdict}"), overflow="ellipsis")
        self.query_one("#verdict", Static).update(verdict)
        rows = [
            [
                Text(str(p.from_index or "-")),
                Text(str(p.to_index or "-")),
                Text(p.classification, style=fmt.CLASS_STYLES.get(p.classification, "")),
                safe.line(p.subject),
                safe.line(", ".join(p.files)),
                Text(str(len(p.stale_trailers)) if p.stale_trailers else ""),
            ]
            for p in comparison.pairs
        ]
        self.query_one(RowTable).set_rows(rows, keep_cursor=False)
        self.ready(f"compare {comparison.from_label} {comparison.to_label}")

    def on_row_table_highlighted(self, event: RowTable.Highlighted) -> None:
        if self.comparison is None or not self.comparison.pairs:
            return
        pair = self.comparison.pairs[event.row]
        view = self.query_one("#interdiff", DiffView)
        view.set_model(self._pane(pair))
        count = len(view.model.lines)
        view.border_title = f"{pair.classification}: {count} line{'' if count == 1 else 's'}"

    def _pane(self, pair):
        """What changed in the pair; a line saying so when the code and message did not, and
        the whole patch of an added or removed one (there is nothing to diff it against)."""
        notes = [f"note: {pair.note}"] if pair.note else []
        if pair.stale_trailers:
            notes.append("trailers now stale: " + "; ".join(pair.stale_trailers))
        from_label, to_label = self.comparison.from_label, self.comparison.to_label
        if pair.classification in (PairClass.ADDED, PairClass.REMOVED):
            label, index = (
                (to_label, pair.to_index) if pair.to_index else (from_label, pair.from_index)
            )
            notes.append(f"only in {label} (patch {index}); its diff:")
            return build_model("\n".join(notes), self._patch(label, index).diff)
        if pair.classification in SAME_CODE_NOTE and not pair.message_diff:
            notes.append(SAME_CODE_NOTE[pair.classification].format(from_label, to_label))
        return build_interdiff_model("\n".join(notes), [pair.message_diff, pair.interdiff])

    def _patch(self, label: str, index: int):
        revision = next(r for r in self.series.revisions if r.label == label)
        return next(p for p in revision.patches if p.index == index)

    def on_row_table_selected(self, event: RowTable.Selected) -> None:
        self.query_one("#interdiff", DiffView).focus()

    def action_pick(self, side: str) -> None:
        choices = [(r.label, r.label) for r in self.series.revisions]
        current = (self.from_rev if side == "from" else self.to_rev).label

        def chosen(label: str | None) -> None:
            rev = next((r for r in self.series.revisions if r.label == label), None)
            if rev is None:
                return
            other = self.to_rev if side == "from" else self.from_rev
            if rev is other:
                self.notify("pick two different revisions")
                return
            if side == "from":
                self.from_rev = rev
            else:
                self.to_rev = rev
            self.compute()

        self.app.push_screen(ChoiceScreen(f"Compare {side}:", choices, current), chosen)

    def search(self, term: str) -> None:
        view = self.query_one("#interdiff", DiffView)
        if view.search(term):
            view.focus()  # so n/N go on from here
        else:
            self.notify(f"not found: {term}", markup=False)
