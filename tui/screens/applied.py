"""Posted vs applied: find the posted patches on a maintainer branch and show what differs.

Opens on this session's result, else the newest one stored for the revision (any session).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from reviewer.apply.verify import VerifyStatus
from reviewer.models import Revision, Series
from tui import actions, safe
from tui.screens.base import ReviewerScreen
from tui.screens.dialogs import PromptScreen
from tui.widgets.diff_model import build_model
from tui.widgets.diff_view import DiffView
from tui.widgets.fit_footer import FitFooter
from tui.widgets.row_table import Column, RowTable

COLUMNS = [
    Column("#", 5, right=True),
    Column("Subject", None, 20),
    Column("Status", 26),
    Column("Commit", 12),
    Column("Matched by", 14, drop=1),
]
STATUS_STYLES = {
    VerifyStatus.IDENTICAL: "green",
    VerifyStatus.EDITED: "cyan",
    VerifyStatus.CODE_DIFFERS: "bold yellow",
    VerifyStatus.NOT_FOUND: "red",
}


class AppliedScreen(ReviewerScreen):
    BINDINGS = [  # b over the table's b (page up): the table is short, pageup still pages
        Binding("b", "verify", "Branch", priority=True),
        Binding("tab", "app.focus_next", show=False),
    ]

    def __init__(self, series: Series, revision: Revision) -> None:
        super().__init__()
        self.series, self.revision = series, revision
        self.result = None

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="title")
        yield RowTable(COLUMNS, id="verify-table")
        yield DiffView(id="verify-diff", classes="lower")
        yield self.job_bar()
        yield FitFooter()

    def on_mount(self) -> None:
        self.query_one(RowTable).focus()
        key = (self.series.id, self.revision.message_id)
        self.result = self.rapp.results.verifies.get(key)
        if self.result is None:
            from reviewer.results.apply import latest_verify

            self.result = latest_verify(self.rapp.store, self.revision.message_id)
        if self.result is not None:
            self.show(self.result)
        else:
            self._title("press b to choose a repository and branch")
            self.action_verify()

    def _title(self, what: str) -> None:
        title = safe.join(Text(f"Posted vs applied ({self.revision.label}): ", style="bold"),
                          safe.line(what))  # fmt: skip
        self.query_one("#title", Static).update(title)

    def action_verify(self) -> None:
        actions.ask_repo(self, self._ask_branch)

    def _ask_branch(self, repo: str) -> None:
        def given(branch: str | None) -> None:
            if branch:
                self._run(repo, branch)

        self.app.push_screen(PromptScreen("Branch the patches were applied to:", "HEAD"), given)

    def _run(self, repo: str, branch: str) -> None:
        from reviewer.results.apply import save_outcome, verify_outcome

        rev = self.revision
        lookup = actions.stored_lookup(self.rapp.store, rev)

        def work(progress, cancelled):
            progress(0, 1, f"{rev.label} on {branch}")
            return verify_outcome(rev, repo, branch, lookup)

        def done(outcome) -> None:
            save_outcome(self.rapp.store, rev, outcome)  # the UI thread owns the store
            self.show(outcome.result)

        self.start_job("verify", work, done)

    def show(self, result) -> None:
        self.result = result
        self.rapp.results.verifies[(self.series.id, self.revision.message_id)] = result
        self._title(f"{result.branch} ({result.searched})")
        rows = [
            [
                Text(str(p.index)),
                safe.line(p.subject),
                Text(p.status, style=STATUS_STYLES.get(p.status, "")),
                Text(p.commit),
                Text(p.matched_by),
            ]
            for p in result.patches
        ]
        self.query_one(RowTable).set_rows(rows, keep_cursor=False)
        self.ready(f"verified {result.branch}")

    def on_row_table_highlighted(self, event: RowTable.Highlighted) -> None:
        if self.result is None or not self.result.patches:
            return
        item = self.result.patches[event.row]
        diff = "\n".join(item.diffs.values())
        self.query_one("#verify-diff", DiffView).set_model(build_model(item.message_diff, diff))
