"""Review actions shared by the series and patch screens: per-patch progress marks and notes.

Quick database writes run inline on the UI thread (which owns the app's store).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text

from reviewer.errors import ReviewerError
from reviewer.models import Patch, Revision, Series
from reviewer.review.progress import Mark, Origin, PatchProgress, revision_progress, set_mark
from tui import safe
from tui.screens.dialogs import PromptScreen

PROGRESS_STYLES = {Mark.DONE: "green", Mark.SKIP: "dim", Mark.NEEDS_WORK: "bold yellow"}


def progress_cell(entry: PatchProgress | None) -> Text:
    """'done', 'done<v1' when carried from v1, '~done' (yellow) when dropped, '+' for a note."""
    if entry is None or (entry.state == Mark.NONE and not entry.note):
        return Text("")
    if entry.origin == Origin.DROPPED:
        return Text(f"~{entry.state}", style="yellow")
    text = Text("" if entry.state == Mark.NONE else str(entry.state),
                style=PROGRESS_STYLES.get(entry.state, ""))  # fmt: skip
    if entry.origin == Origin.CARRIED:
        text.append(f"<{entry.given_on}", style="dim")
    if entry.note:
        text.append("+", style="cyan")
    return text


def progress_by_index(screen, series: Series, revision: Revision) -> dict[int, PatchProgress]:
    return {p.index: p for p in revision_progress(screen.rapp.store, series, revision)}


def mark(
    screen, series: Series, revision: Revision, patch: Patch, state: Mark,
    then: Callable[[], None],
) -> None:  # fmt: skip
    """Toggle a mark: the same key again clears it."""
    current = progress_by_index(screen, series, revision).get(patch.index)
    own = current is not None and current.origin == Origin.OWN and current.state == state
    try:
        entry = set_mark(screen.rapp.store, series, revision, patch, Mark.NONE if own else state)
    except ReviewerError as exc:
        screen.notify(str(exc), severity="error", markup=False)
        return
    then()
    screen.ready(f"progress {revision.label} {patch.index} {entry.state}")


def edit_note(
    screen, series: Series, revision: Revision, patch: Patch, then: Callable[[], None]
) -> None:
    current = progress_by_index(screen, series, revision).get(patch.index)
    old = current.note if current and current.origin == Origin.OWN else ""

    def given(note: str | None) -> None:
        if note is None:
            return
        set_mark(screen.rapp.store, series, revision, patch, None, note.strip())
        then()
        screen.ready(f"note {revision.label} {patch.index}")

    question = safe.join(Text(f"Private note on {revision.label} {patch.index}: "),
                         safe.line(patch.subject[:40]))  # fmt: skip
    screen.app.push_screen(PromptScreen(question.plain, old), given)
