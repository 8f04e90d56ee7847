"""The review reply to one patch: preview, trailer, edit in $EDITOR, draft, or send after an
explicit confirmation (reviewer.review.reply does the work)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from reviewer.diff.patch import line_kind
from reviewer.errors import ReviewerError
from reviewer.models import Patch, Revision, Series
from reviewer.trailers.reply_draft import REPLY_TRAILERS
from tui import safe
from tui.screens.base import ReviewerScreen
from tui.screens.dialogs import ChoiceScreen, PromptScreen
from tui.widgets.diff_model import DiffLine, DiffModel, _display
from tui.widgets.diff_view import DiffView
from tui.widgets.fit_footer import FitFooter

TRAILERS = (None, *REPLY_TRAILERS)
SHOWN_HEADERS = ("From", "To", "Cc", "Subject", "In-Reply-To")


class ReplyScreen(ReviewerScreen):
    BINDINGS = [
        Binding("y", "send", "Send"),
        Binding("w", "draft", "Write draft"),
        Binding("e", "edit", "Edit"),
        Binding("t", "trailer", "Trailer"),
    ]

    def __init__(self, series: Series, revision: Revision, patch: Patch) -> None:
        super().__init__()
        self.series, self.revision, self.patch = series, revision, patch
        self.trailer: str | None = None
        self.body: str | None = None  # the edited body, once edited
        self.composed = None

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="title")
        yield DiffView(id="reply")
        yield self.job_bar()
        yield FitFooter()

    def on_mount(self) -> None:
        if self.build():
            self.query_one(DiffView).focus()

    def build(self) -> bool:
        from reviewer.review.reply import compose, identity

        try:
            self.composed = compose(
                self.rapp.store, self.series, self.revision, self.patch, self.trailer,
                identity(), body=self.body,
            )  # fmt: skip
        except ReviewerError as exc:
            self.notify(str(exc), severity="error", markup=False)
            self.composed = None
            self._show_model(DiffModel(lines=[DiffLine("msg", _display(str(exc)))]))
            self.ready(f"reply {self.revision.label} {self.patch.index} none")
            return False
        rev, patch = self.revision, self.patch
        title = safe.join(Text(f"Reply to [{rev.label} {patch.index}/{rev.expected}] ",
                               style="bold"), safe.line(patch.subject))  # fmt: skip
        title.append(f"  trailer: {self.trailer or 'none'}", style="dim")
        self.query_one("#title", Static).update(title)
        self._show_model(preview_model(self.composed))
        self.ready(f"reply {rev.label} {patch.index} comments={self.composed.comments}")
        return True

    def _show_model(self, model: DiffModel) -> None:
        self.query_one(DiffView).set_model(model)

    # -- actions -----------------------------------------------------------------------------

    def action_trailer(self) -> None:
        if self.body is not None:
            self.notify("edited by hand: add the trailer in the editor (e)", severity="warning")
            return
        self.trailer = TRAILERS[(TRAILERS.index(self.trailer) + 1) % len(TRAILERS)]
        self.build()

    def action_edit(self) -> None:
        import os

        from tui.screens.patch_review import run_editor

        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if self.composed is None:
            return
        if not editor:
            self.notify("set $VISUAL or $EDITOR to edit the reply", severity="warning")
            return
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "reply.txt"
            path.write_text(self.composed.body, encoding="utf-8")
            if run_editor(self, editor, path) is None:
                return
            self.body = path.read_text(encoding="utf-8")
        self.build()

    def action_draft(self) -> None:
        from reviewer.review.reply import save_draft

        if self.composed is None:
            return
        rev, patch = self.revision, self.patch
        default = str(Path.cwd() / f"reply-{self.series.id}-{rev.label}-{patch.index}.mbox")

        def write(path: str | None) -> None:
            if not path:
                return
            try:
                save_draft(
                    self.rapp.store, self.series, self.composed, str(Path(path).expanduser())
                )
            except ReviewerError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.notify(f"draft written to {path}", markup=False)
            self.ready(f"reply draft {path}")

        self.app.push_screen(PromptScreen("Write the reply draft to:", default), write)

    def action_send(self) -> None:
        if self.composed is None:
            return
        composed = self.composed
        count = len(composed.recipients())
        question = f"Send this reply to {count} recipients (git sendemail.* SMTP)?"
        choices = [("no", "no, keep editing"), ("yes", f"yes, send to {count} recipients")]
        self.app.push_screen(ChoiceScreen(question, choices, "no"), self._confirmed)

    def _confirmed(self, answer: str | None) -> None:
        from reviewer.review.reply import deliver, keep_sent

        if answer != "yes":
            self.notify("not sent")
            return
        composed = self.composed

        def work(progress, cancelled):
            progress(0, 1, "SMTP")
            deliver(composed)
            return composed

        def done(sent) -> None:
            keep_sent(self.rapp.store, self.series, sent)  # the UI thread owns the store
            self.notify(f"sent <{sent.message_id}>", markup=False)
            self.ready(f"reply sent {sent.message_id}")

        self.start_job("send", work, done)

    def last_search(self) -> str:
        return self.query_one(DiffView).term

    def search(self, term: str) -> None:
        if not self.query_one(DiffView).search(term):
            self.notify(f"not found: {term}", markup=False)


def preview_model(composed) -> DiffModel:
    """The reply as display lines: main headers, then the body (quoted diff coloured, the
    reviewer's own lines as comments)."""
    model = DiffModel()
    msg = composed.message
    for name in SHOWN_HEADERS:
        values = msg.get_all(name, [])
        for value in values:
            text = " ".join(str(value).split())
            if name in ("To", "Cc") and len(text) > 200:
                text = text[:200] + f" … ({len(composed.recipients())} recipients in all)"
            model.lines.append(DiffLine("meta", _display(f"{name}: {text}")))
    model.lines.append(DiffLine("msg", ""))
    for number, line in enumerate(composed.body.splitlines()):
        kind = "msg" if number == 0 else _kind(line)  # "On ..., X wrote:"
        model.lines.append(DiffLine(kind, _display(line)))
    model.width = max((len(ln.text) for ln in model.lines), default=0)
    return model


def _kind(line: str) -> str:
    if not line.startswith(">"):
        return "comment" if line.strip() else "msg"
    quoted = line[2:] if line.startswith("> ") else line[1:]
    return line_kind(quoted)
