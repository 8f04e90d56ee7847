"""One patch: who/what header, then commit message and diff with findings at their lines."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from reviewer.flagmodel.findings import Severity
from reviewer.models import Revision, Series
from tui import actions, safe
from tui import formatting as fmt
from tui.screens.base import ReviewerScreen
from tui.screens.patch_attest import PatchAttestation
from tui.screens.patch_review import PatchReview
from tui.widgets.diff_view import STYLES, DiffView
from tui.widgets.fit_footer import FitFooter

PATCH = Binding.Group("Patch")
MARK = Binding.Group("Mark")  # d x w: done / skip / needs-work, as in b4 review
COMMENT = Binding.Group("Comment")
SEVERITY_STYLES = {kind: STYLES[kind] for kind in Severity}


class PatchScreen(PatchReview, PatchAttestation, ReviewerScreen):
    BINDINGS = [
        Binding("J", "step(1)", "Next patch", group=PATCH),
        Binding("K", "step(-1)", "Prev patch", group=PATCH),
        Binding("c", "comment", "Comment", group=COMMENT),
        Binding("C", "comment(True)", "Comment hunk", group=COMMENT),
        Binding("a", "adopt", "Finding to comment", show=False),
        Binding("e", "edit_comment", "Edit comment in $EDITOR", show=False),
        Binding("D", "delete_comment", "Delete comment", show=False),
        Binding("full_stop", "jump_comment(1)", "Next comment", show=False),
        Binding("comma", "jump_comment(-1)", "Prev comment", show=False),
        Binding("d", "mark('done')", "Done", group=MARK),
        Binding("x", "mark('skip')", "Skip", group=MARK),
        Binding("w", "mark('needs-work')", "Needs work", group=MARK),
        Binding("m", "note", "Note", show=False),
        Binding("r", "compose", "Reply"),
        Binding("R", "reply", "Trailer reply", show=False),
    ]

    def __init__(self, series: Series, revision: Revision, position: int) -> None:
        super().__init__()
        self.series, self.revision, self.position = series, revision, position

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="title")
        yield Static(id="patch-info", classes="subtitle")
        yield DiffView(id="diff")
        yield Static(id="finding-detail", classes="finding-detail")
        yield self.job_bar()
        yield FitFooter()

    def on_mount(self) -> None:
        self.load_attestation()  # before the first paint: what the store knows
        self.show_patch()
        self.query_one(DiffView).focus()
        self.load_replies()

    def on_worker_state_changed(self, event) -> None:  # the base class's handler runs too
        self.replies_loaded(event) or self.attestation_loaded(event)

    def refresh_info(self) -> None:
        self.query_one("#patch-info", Static).update(self._info())

    @property
    def patch(self):
        return self.revision.patches[self.position]

    def findings(self, patch=None) -> list:
        report = self.rapp.results.checks.get((self.series.id, self.revision.message_id))
        if report is None:
            return []
        index = (patch or self.patch).index
        return [f for f in report.sorted_findings() if f.patch == index]

    def model(self, patch, notes=None):
        """The display model of a patch, from the app's cache when it was built before: the
        commit message, git's '---' and diffstat, the diff, then the fix-ups from replies;
        ``notes`` (its comments) are read on the UI thread, which owns the store."""
        from reviewer.flagmodel.touch import diffstat, render_diffstat, touches_text

        fixups = [
            (f"=== fix-up from {f.author} ({touches_text(f.diff)}): {f.subject}", f.diff)
            for f in patch.fixups
        ]
        stat = render_diffstat(diffstat(patch.diff))
        message = patch.commit_message.rstrip("\n") + ("\n---\n" + "\n".join(stat) if stat else "")
        notes = self.comment_notes(patch) if notes is None else notes
        return self.rapp.models.get(message, patch.diff, self.findings(patch), fixups, notes)

    def _title(self) -> None:
        patch, rev = self.patch, self.revision
        title = safe.join(
            Text(f"[{rev.label} {patch.index}/{rev.expected}] ", style="bold"),
            safe.line(patch.subject),
            self.progress_badge(),
        )
        self.query_one("#title", Static).update(title)

    def show_patch(self) -> None:
        patch, rev = self.patch, self.revision
        self._title()
        self.query_one("#patch-info", Static).update(self._info())
        model = self.model(patch)
        self.query_one(DiffView).set_model(model)
        self.query_one("#finding-detail", Static).display = False
        self.ready(f"patch {rev.label} {patch.index} findings={len(model.findings)}")
        self.call_after_refresh(self._build_neighbours)

    def _build_neighbours(self) -> None:
        """Once this patch is painted, build J/K's models in a thread so they open at once."""
        at, patches = self.position, self.revision.patches
        near = [patches[i] for i in (at + 1, at - 1) if 0 <= i < len(patches)]
        if near:
            work = partial(self._build_models, [(p, self.comment_notes(p)) for p in near])
            self.run_worker(work, thread=True, group="neighbours", exclusive=True,
                            exit_on_error=False)  # fmt: skip

    def _build_models(self, items: list) -> None:
        for patch, notes in items:
            self.model(patch, notes)

    def _info(self) -> Text:
        patch = self.patch
        info = safe.join(safe.line(patch.author), Text(f"  {patch.date[:16]}  "),
                         Text(f"{len(patch.files)} files"))  # fmt: skip
        findings = self.findings()
        if findings:
            info.append("  findings: ")
            info.append_text(fmt.findings_cell(findings))
        info.append("\n  ")
        info.append_text(self.attestation_text(patch))
        for trailer in patch.trailers:
            info.append("\n  ")
            mark, style = fmt.TRAILER_STATUS.get(trailer.status, ("", ""))
            info.append_text(safe.line(f"{trailer.name}: {trailer.value}", style))
            if mark:
                info.append(f"  {mark}", style=style)
            if trailer.given_on:
                info.append(f"  (on {trailer.given_on})", style="dim")
        from reviewer.flagmodel.touch import touches_text

        for fixup in patch.fixups:
            info.append("\n  ")
            what = touches_text(fixup.diff) or "no diff"
            info.append_text(safe.line(f"fix-up in reply from {fixup.author}: {what}", "magenta"))
        return info

    def action_step(self, delta: int) -> None:
        at = self.position + delta
        if 0 <= at < len(self.revision.patches):
            self.position = at
            self.show_patch()
            for screen in self.app.screen_stack:  # the series table follows J/K
                follow = getattr(screen, "follow_patch", None)
                if follow is not None:
                    follow(self.revision, at)
        else:
            self.app.bell()
            which = "last" if delta > 0 else "first"
            self.notify(f"{which} patch of {self.revision.label}", timeout=2)

    def action_reply(self) -> None:
        actions.reply(self, self.series, self.revision, [self.patch])

    def last_search(self) -> str:
        return self.query_one(DiffView).term

    def search(self, term: str) -> None:
        found = self.query_one(DiffView).search(term)
        if not found:
            self.notify(f"not found: {term}", markup=False)

    def on_diff_view_moved(self, event: DiffView.Moved) -> None:
        self._show_finding(event.view, event.row, event.kind)
        if event.kind in SEVERITY_STYLES:
            self.ready(f"cursor {event.kind} row {event.row}")

    def _show_finding(self, view: DiffView, row: int, kind: str) -> None:
        """The whole finding under the cursor, wrapped: in the diff it is one line that runs
        past the edge (messages are 100-200 characters)."""
        detail = self.query_one("#finding-detail", Static)
        lines = view.model.lines
        if kind == "note" and row and lines[row - 1].kind in SEVERITY_STYLES:
            row, kind = row - 1, lines[row - 1].kind  # on the counterexample below a finding
        detail.display = kind in SEVERITY_STYLES
        if detail.display:
            text = Text(lines[row].text.strip().removeprefix(">> "), style=SEVERITY_STYLES[kind])
            if row + 1 < len(lines) and lines[row + 1].kind == "note":
                text.append("\n" + lines[row + 1].text.strip())
            detail.update(text)
