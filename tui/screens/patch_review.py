"""Reviewing on the patch screen: comments on diff lines and hunks, findings adopted as
comments, per-patch progress marks, and the review reply. A mixin of PatchScreen (its bindings
are in PatchScreen.BINDINGS); the logic is in reviewer.review.comments / reviewer.review.progress.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from rich.text import Text

from reviewer.errors import ReviewerError
from reviewer.flagmodel.findings import Severity
from reviewer.review import comments
from reviewer.review.progress import Mark
from reviewer.store.review import series_comments
from tui.screens.dialogs import PromptScreen
from tui.widgets.diff_model import CommentNote
from tui.widgets.diff_view import DiffView

COMMENT_KINDS = ("comment", "outdated")
FINDING_KINDS = (*Severity, "note")  # a finding's lines: its severity, then notes


class PatchReview:
    """Needs: self.series, self.revision, self.patch, self.rapp, self.findings(), show_patch()."""

    _families: dict[str, dict[str, str]]

    # -- what the diff shows -----------------------------------------------------------------

    def comment_notes(self, patch) -> list[CommentNote]:
        """The comments on a patch as the diff model shows them (run on the UI thread): the
        reviewer's own, then other reviewers' from the thread, on the lines they quote."""
        notes = self._own_notes(patch)
        for note in (getattr(self, "_replies", None) or {}).get(patch.message_id, []):
            notes.append(CommentNote(0, note.row, f"{note.author} commented here", note.text,
                                     "reply"))  # fmt: skip
        return notes

    def load_replies(self) -> None:
        """Read the thread's replies in a worker (parsing the mail takes a while), then show
        their comments on the patch."""
        from reviewer.review.reply_anchor import series_replies, thread_notes

        if hasattr(self, "_replies"):
            return
        self._replies = None
        owner, series_id, patches = self.rapp.store, self.series.id, self.revision.patches

        def work() -> dict:
            store = owner.reopen()
            try:
                replies = series_replies(store, series_id)
            finally:
                store.close()
            placed = {p.message_id: thread_notes(replies, p) for p in patches}
            return {mid: [n for n in notes if n.row is not None] for mid, notes in placed.items()}

        self._replies_worker = self.run_worker(
            work, thread=True, group="replies", exit_on_error=False
        )

    def replies_loaded(self, event) -> bool:
        worker = event.worker
        if worker is not getattr(self, "_replies_worker", None) or not worker.is_finished:
            return False
        self._replies = worker.result or {}
        self.reload_patch()
        self.ready(f"replies {sum(len(n) for n in self._replies.values())}")
        return True

    def _own_notes(self, patch) -> list[CommentNote]:
        store = self.rapp.store
        if not series_comments(store, self.series.id):
            return []
        if not hasattr(self, "_families"):
            self._families = {}
        family = self._families.get(patch.message_id)
        if family is None:
            family = comments.lineage(self.series, self.revision, patch)
            self._families[patch.message_id] = family
        notes = []
        for placed in comments.patch_comments(store, self.series, self.revision, patch, family):
            c = placed.comment
            head = f"#{c.id}"
            if not placed.own:
                head += f" from {placed.written_on}"
            if placed.outdated:
                head += f" outdated, was {c.file}:{c.line}"
            elif c.side == comments.Side.HUNK:
                head += " hunk"
            notes.append(CommentNote(c.id, placed.row, head, c.body))
        return notes

    def _view(self) -> DiffView:
        return self.query_one(DiffView)

    def _under_cursor(self):
        view = self._view()
        if not view.model.lines:
            return view, -1, None
        return view, view.cursor, view.model.lines[view.cursor]

    def reload_patch(self) -> None:
        """Rebuild the current patch's model (comments changed) and keep the cursor on the same
        line (lines may have been added above it)."""
        view = self._view()
        row, top = view.cursor, int(view.scroll_offset.y)
        lines = view.model.lines
        here = (lines[row].kind, lines[row].ref) if 0 <= row < len(lines) else None
        self.show_patch()
        lines = view.model.lines
        if here is not None and here[1]:
            same = [i for i, ln in enumerate(lines) if (ln.kind, ln.ref) == here]
            if same:
                top, row = top + same[0] - row, same[0]
        view.scroll_to(y=max(top, 0), animate=False)
        view.move_to(min(row, len(lines) - 1))

    # -- comments ----------------------------------------------------------------------------

    def action_comment(self, hunk: bool = False) -> None:
        view, row, line = self._under_cursor()
        if line is None:
            return
        if line.kind in COMMENT_KINDS:
            self._edit_comment_prompt(line.ref)
            return
        if line.kind in FINDING_KINDS:
            self.action_adopt()
            return
        if line.ref and line.kind in ("add", "del", "ctx") or (hunk and line.ref):
            index = line.ref - 1
            side = comments.Side.HUNK if hunk else None
            try:
                file, _side, number, _anchor, _ctx = comments.anchor_at(
                    self.patch.diff, index, side
                )
            except ReviewerError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            what = f"hunk at {file}:{number}" if hunk else f"{file}:{number}"
        elif hunk:
            self.notify("not inside a hunk", severity="warning")
            return
        else:
            index, side, what = None, comments.Side.PATCH, "the patch"
        self._ask(f"Comment on {what}:", "", lambda body: self._add(body, index, side))

    def _ask(self, question: str, value: str, then) -> None:
        def given(body: str | None) -> None:
            if body is not None:
                then(body.replace("\\n", "\n"))

        self.app.push_screen(PromptScreen(question, value), given)

    def _add(self, body: str, index, side) -> None:
        if not body.strip():
            return
        try:
            made = comments.add(self.rapp.store, self.series, self.patch, body, index, side)
        except ReviewerError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.reload_patch()
        self.ready(f"comment {self.revision.label} {self.patch.index} #{made}")

    def _edit_comment_prompt(self, comment_id: int) -> None:
        from reviewer.store.review import get_comment

        current = get_comment(self.rapp.store, comment_id)
        if current is None:
            return
        value = current.body.replace("\n", "\\n")  # one line in the prompt; \n for a new line

        def save(body: str) -> None:
            comments.edit(self.rapp.store, comment_id, body)
            self.reload_patch()
            self.ready(f"comment edited #{comment_id}")

        self._ask(f"Comment #{comment_id} (empty deletes; \\n = new line):", value, save)

    def action_edit_comment(self) -> None:
        """The comment under the cursor in $VISUAL/$EDITOR (multi-line text)."""
        from reviewer.store.review import get_comment

        _view, _row, line = self._under_cursor()
        if line is None or line.kind not in COMMENT_KINDS:
            self.notify("no comment under the cursor", severity="warning")
            return
        current = get_comment(self.rapp.store, line.ref)
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if current is None:
            return
        if not editor:
            self._edit_comment_prompt(line.ref)
            return
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"comment-{line.ref}.txt"
            path.write_text(current.body + "\n", encoding="utf-8")
            edited = run_editor(self, editor, path)
            if edited is None:
                return
            body = path.read_text(encoding="utf-8")
        comments.edit(self.rapp.store, line.ref, body)
        self.reload_patch()
        self.ready(f"comment edited #{line.ref}")

    def action_delete_comment(self) -> None:
        _view, _row, line = self._under_cursor()
        if line is None or line.kind not in COMMENT_KINDS:
            self.notify("no comment under the cursor", severity="warning")
            return
        comments.delete(self.rapp.store, line.ref)
        self.reload_patch()
        self.ready(f"comment deleted #{line.ref}")

    def action_adopt(self) -> None:
        """The flag-model finding under the cursor becomes a comment on its line."""
        view, row, line = self._under_cursor()
        if line is None:
            return
        if line.kind == "note" and row and view.model.lines[row - 1].kind in FINDING_KINDS:
            line = view.model.lines[row - 1]
        finding = next(
            (f for f in self.findings() if f.message in line.text and f.file in line.text), None
        )
        if line.kind not in FINDING_KINDS or finding is None:
            self.notify("no finding under the cursor (f: next finding)", severity="warning")
            return
        made = comments.from_finding(self.rapp.store, self.series, self.patch, finding)
        self.reload_patch()
        self.ready(f"comment {self.revision.label} {self.patch.index} #{made}")

    def action_jump_comment(self, direction: int) -> None:
        self._view().action_jump("comments", direction)

    def action_compose(self) -> None:
        """The review reply to this patch: its comments quoted kernel-style, then a trailer."""
        from tui.screens.reply import ReplyScreen

        self.app.push_screen(ReplyScreen(self.series, self.revision, self.patch))

    # -- progress ----------------------------------------------------------------------------

    def action_mark(self, state: str) -> None:
        from tui.review_actions import mark

        mark(self, self.series, self.revision, self.patch, Mark(state), self._title)

    def action_note(self) -> None:
        from tui.review_actions import edit_note

        edit_note(self, self.series, self.revision, self.patch, self._title)

    def progress_badge(self) -> Text:
        from tui.review_actions import progress_by_index, progress_cell

        entry = progress_by_index(self, self.series, self.revision).get(self.patch.index)
        cell = progress_cell(entry)
        return Text.assemble("  [", cell, "]") if cell.plain else Text("")


def run_editor(screen, editor: str, path: Path) -> bool | None:
    """Edit ``path`` in the user's editor with the app suspended; None when that is impossible."""
    from textual.app import SuspendNotSupported

    try:
        with screen.app.suspend():
            subprocess.run([*shlex.split(editor), str(path)], check=False)
    except SuspendNotSupported:
        screen.notify(f"cannot suspend here; edit {path} yourself", markup=False)
        return None
    screen.refresh()
    return True
