"""One series: revision picker, patch table (trailers, class vs previous, apply, findings), cover.

Columns for compare classes, apply status and findings appear only once that data exists.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from reviewer.constants import COUNTED_TRAILERS, TRAILER_CODES, TrailerStatus
from reviewer.models import Patch, Revision, Series
from tui import actions, safe
from tui import formatting as fmt
from tui.screens.base import ReviewerScreen
from tui.screens.dialogs import ChoiceScreen
from tui.widgets.diff_model import build_model
from tui.widgets.diff_view import DiffView
from tui.widgets.fit_footer import FitFooter
from tui.widgets.row_table import Column, RowTable

SUBJECT_WANT = 40  # the Subject column gets this much before Apply and Fix-ups are shown
MARK = Binding.Group("Mark")  # d x w: done / skip / needs-work, as b4 review's d and x


class SeriesScreen(ReviewerScreen):
    BINDINGS = [  # in review order: what fits of the footer at 80 columns is what is used most
        Binding("v", "pick_revision", "Revision"),
        Binding("comma", "step_revision(-1)", "Prev rev", show=False),
        Binding("full_stop", "step_revision(1)", "Next rev", show=False),
        Binding("c", "check", "Check"),
        Binding("C", "compare", "Compare"),
        Binding("T", "trailers", "Trailers"),
        Binding("t", "tag", "Tag"),
        Binding("d", "mark('done')", "Done", group=MARK),
        Binding("x", "mark('skip')", "Skip", group=MARK),
        Binding("w", "mark('needs-work')", "Needs work", group=MARK),
        Binding("m", "note", "Note", show=False),
        Binding("R", "reply", "Reply"),
        Binding("e", "export", "Export"),
        Binding("a", "apply", "Apply"),
        Binding("P", "posted_applied", "Applied?"),
        Binding("s", "set_state", "State"),
        Binding("r", "refresh", "Update"),
        Binding("n", "search_next(1)", "Next match", show=False),
        Binding("N", "search_next(-1)", "Prev match", show=False),
    ]

    def __init__(self, series_id: int, revision: str | None = None) -> None:
        super().__init__()
        self.series_id = series_id
        self.wanted = revision
        self.series: Series | None = None
        self.revision: Revision | None = None
        self.pair_classes: dict[int, str] = {}  # patch index -> class vs the previous revision
        self.progress: dict = {}  # patch index -> reviewer.review.progress.PatchProgress
        self.term = ""
        self._classifier = None

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="title")
        yield Static(id="revisions", classes="subtitle")
        yield RowTable([], id="patch-table")
        yield DiffView(id="cover", classes="cover")
        yield self.job_bar()
        yield FitFooter()

    def on_mount(self) -> None:
        self.load()
        self.query_one(RowTable).focus()

    def load(self) -> None:
        from reviewer.store.core import resolve_revision

        self.series = self.rapp.store.load_series(self.series_id)
        label = self.revision.label if self.revision else self.wanted
        try:
            self.revision = resolve_revision(self.series, label)
        except Exception:  # the revision vanished on rebuild: show the latest
            self.revision = self.series.latest
        self.show_revision()

    def show_revision(self) -> None:
        series, rev = self.series, self.revision
        assert series is not None and rev is not None
        self.pair_classes, self._classifier = {}, None
        self._table()
        self._header()
        cover = self.query_one("#cover", DiffView)
        cover.display = rev.cover is not None
        if rev.cover:
            cover.border_title = "Cover letter"
            cover.set_model(build_model(message=rev.cover.subject + "\n\n" + rev.cover.body))
        self._classify()
        self.ready(f"series {series.id} {rev.label}")

    def _header(self) -> None:
        series, rev = self.series, self.revision
        title = safe.join(Text(f"Series {series.id}: ", style="bold"), safe.line(series.subject))
        self.query_one("#title", Static).update(title)
        line = safe.join(safe.line(series.author), Text("  state: "), fmt.state(series.state))
        line.append("  revisions: ")
        for r in series.revisions:
            style = "reverse bold" if r is rev else ""
            line.append(f" {r.label} ", style=style)
        line.append(f"  {rev.date[:10]}  {len(rev.patches)}/{rev.expected} patches")
        if rev.partial:
            line.append(f"  PARTIAL: {'; '.join(rev.partial)}", style="bold red")
        check = self._check()
        if check is not None:
            from reviewer.flagmodel.report_text import not_run

            for why in not_run(check):
                line.append("\n")
                line.append_text(safe.line(f"check not run: {why}", "bold red"))
        from reviewer.review.progress import summary

        if done := summary(list(self.progress.values())):
            line.append(f"  {done}", style="green")
        self.query_one("#revisions", Static).update(line)

    # -- the patch table ---------------------------------------------------------------------

    def _columns(self) -> list[Column]:
        want = min(max((len(p.subject) for p in self.revision.patches), default=0), SUBJECT_WANT)
        cols = [
            Column("#", 5, right=True),
            Column("Subject", None, 20, want=want),
            Column("Trailers", 11),
        ]
        if self.pair_classes:
            cols.append(Column("vs prev", 13))
        if self._apply() is not None:
            cols.append(Column("Apply", 10, drop=2))
        if self._check() is not None:
            cols.append(Column("Findings", 9))
        if any(p.fixups for p in self.revision.patches):
            cols.append(Column("Fix-ups", 7, drop=1))
        if any(p.label() or p.note for p in self.progress.values()):
            cols.append(Column("Progress", 12))
        return cols

    def _table(self) -> None:
        from tui.review_actions import progress_by_index

        self.progress = progress_by_index(self, self.series, self.revision)
        table = self.query_one(RowTable)
        table.set_columns(self._columns())
        table.set_rows([self._cells(p) for p in self.revision.patches])

    def _cells(self, patch: Patch) -> list[Text]:
        rev = self.revision
        cells = [Text(f"{patch.index}/{rev.expected}"), safe.line(patch.subject)]
        cells.append(trailer_cell(patch))
        if self.pair_classes:
            kind = self.pair_classes.get(patch.index, "")
            cells.append(Text(kind, style=fmt.CLASS_STYLES.get(kind, "")))
        apply = self._apply()
        if apply is not None:
            status = next((p.status for p in apply.patches if p.index == patch.index), "")
            cells.append(Text(status, style="red" if status == "failed" else "green"))
        check = self._check()
        if check is not None:
            cells.append(fmt.findings_cell([f for f in check.findings if f.patch == patch.index]))
        if any(p.fixups for p in rev.patches):
            cells.append(Text(str(len(patch.fixups)) if patch.fixups else ""))
        if any(p.label() or p.note for p in self.progress.values()):
            from tui.review_actions import progress_cell

            cells.append(progress_cell(self.progress.get(patch.index)))
        return cells

    def _key(self) -> tuple[int, str]:
        return (self.series.id, self.revision.message_id)

    def _apply(self):
        """This session's apply result, else the newest one stored for the revision."""
        applies = self.rapp.results.applies
        if self._key() not in applies:
            from reviewer.results.apply import latest_apply

            stored = latest_apply(self.rapp.store, self.revision.message_id)
            if stored is not None:
                applies[self._key()] = stored
        return applies.get(self._key())

    def _check(self):
        """This session's report, else the newest one stored for the revision."""
        checks = self.rapp.results.checks
        if self._key() not in checks:
            from reviewer.results.check import latest_report

            stored = latest_report(self.rapp.store, self.revision.message_id)
            if stored is not None:
                checks[self._key()] = stored
        return checks.get(self._key())

    def _classify(self) -> None:
        """Classes vs the previous revision, computed off the UI thread."""
        old, new = self.series.previous(self.revision), self.revision
        if old is None:
            return

        def work() -> dict[int, str]:
            from reviewer.compare.revisions import classify_pairs

            return {p.to_index: p.classification for p in classify_pairs(old, new) if p.to_index}

        self._classifier = self.run_worker(
            work, name="classify", thread=True, group="classify", exclusive=True,
            exit_on_error=False,
        )  # fmt: skip

    def on_worker_state_changed(self, event) -> None:  # the base class's handler runs too
        worker = event.worker
        if worker is self._classifier and worker.is_finished and worker.result is not None:
            self.pair_classes = worker.result
            self._table()
            self.ready(f"series {self.series.id} {self.revision.label} classified")

    def follow_patch(self, revision: Revision, position: int) -> None:
        """The patch screen above stepped with J/K: the table's cursor goes along."""
        if revision is self.revision:
            self.query_one(RowTable).move_to(position)

    def current_patch(self) -> Patch | None:
        patches = self.revision.patches if self.revision else []
        return patches[self.query_one(RowTable).cursor] if patches else None

    def selected_patches(self) -> list[Patch]:
        table = self.query_one(RowTable)
        if table.tagged:
            return [self.revision.patches[i] for i in sorted(table.tagged)]
        patch = self.current_patch()
        return [patch] if patch else []

    # -- actions -----------------------------------------------------------------------------

    def on_row_table_selected(self, event: RowTable.Selected) -> None:
        from tui.screens.patch import PatchScreen

        self.app.push_screen(PatchScreen(self.series, self.revision, event.row))

    def action_pick_revision(self) -> None:
        choices = [
            (r.label, Text(f"{r.label:<10} {r.date[:10]}  {len(r.patches)}/{r.expected} patches"))
            for r in self.series.revisions
        ]
        self.app.push_screen(
            ChoiceScreen("Revision:", choices, self.revision.label), self._revision_chosen
        )

    def _revision_chosen(self, label: str | None) -> None:
        chosen = next((r for r in self.series.revisions if r.label == label), None)
        if chosen is not None:
            self.revision = chosen
            self.query_one(RowTable).tagged = set()
            self.show_revision()

    def action_step_revision(self, delta: int) -> None:
        revisions = self.series.revisions
        at = revisions.index(self.revision) + delta
        if 0 <= at < len(revisions):
            self._revision_chosen(revisions[at].label)

    def action_tag(self) -> None:
        table = self.query_one(RowTable)
        table.toggle_tag()
        table.action_cursor(1)

    def action_mark(self, state: str) -> None:
        from reviewer.review.progress import Mark
        from tui.review_actions import mark

        patch = self.current_patch()
        if patch is not None:
            mark(self, self.series, self.revision, patch, Mark(state), self._marked)

    def _marked(self) -> None:
        self._table()
        self._header()

    def action_note(self) -> None:
        from tui.review_actions import edit_note

        patch = self.current_patch()
        if patch is not None:
            edit_note(self, self.series, self.revision, patch, self._marked)

    def action_check(self) -> None:
        actions.run_check(self, self.series, self.revision, self._after_check)

    def _after_check(self) -> None:
        self._header()
        self._table()

    def action_apply(self) -> None:
        actions.apply(self, self.series, self.revision, self._table)

    def action_export(self) -> None:
        actions.export(self, self.series, self.revision)

    def action_reply(self) -> None:
        actions.reply(self, self.series, self.revision, self.selected_patches())

    def action_set_state(self) -> None:
        actions.choose_state(self, self.series.id, self.series.state, self.load)

    def action_refresh(self) -> None:
        actions.update_series(self, [self.series.id], self.load)

    def action_compare(self) -> None:
        from tui.screens.compare import CompareScreen

        if len(self.series.revisions) < 2:
            self.notify("only one revision: nothing to compare")
            return
        self.app.push_screen(CompareScreen(self.series, self.revision))

    def action_trailers(self) -> None:
        from tui.screens.trailers import TrailersScreen

        self.app.push_screen(TrailersScreen(self.series, self.revision))

    def action_posted_applied(self) -> None:
        from tui.screens.applied import AppliedScreen

        self.app.push_screen(AppliedScreen(self.series, self.revision))

    def last_search(self) -> str:
        return self.term

    def search(self, term: str) -> None:
        self.term = term
        self.action_search_next(1)

    def action_search_next(self, direction: int) -> None:
        patches = self.revision.patches
        if not self.term or not patches:
            return
        table, needle = self.query_one(RowTable), self.term.lower()
        for step in range(1, len(patches) + 1):
            at = (table.cursor + direction * step) % len(patches)
            patch = patches[at]
            if needle in patch.subject.lower() or any(needle in f for f in patch.files):
                table.move_to(at)
                return
        self.notify(f"not found: {self.term}", markup=False)


def trailer_cell(patch: Patch) -> Text:
    """'R2 A1' for live trailers, then '~1' stale and '!1' mismatched ones."""
    counts: dict[str, int] = {}
    stale = mismatch = 0
    for t in patch.trailers:
        if t.status == TrailerStatus.STALE:
            stale += 1
        elif t.status == TrailerStatus.MISMATCH:
            mismatch += 1
        elif (name := t.name.lower()) in COUNTED_TRAILERS:
            code = TRAILER_CODES[name]
            counts[code] = counts.get(code, 0) + 1
    out = Text(" ".join(f"{c}{n}" for c, n in sorted(counts.items())) or "-")
    if stale:
        out.append(f" ~{stale}", style="yellow")
    if mismatch:
        out.append(f" !{mismatch}", style="bold red")
    return out
