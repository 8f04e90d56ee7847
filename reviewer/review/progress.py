"""Per-patch review progress: done / skip / needs-work and a private note per patch.

A mark is given on one revision's patch. It is carried to the paired patch of the next revision
when reviewer.compare.revisions classes the pair identical, rebase-only or message-only (so a
RESEND or a rebase keeps the reviewer's place, where b4's patch-id match fails on every rebased
patch), and dropped with a visible mark ("done on v1, code changed") when the code changed. Carried
and dropped marks are derived rows, rebuilt from the own marks whenever a mark is set or a series
is re-ingested; a mark given on a later revision always wins over a carried one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from reviewer.constants import UNCHANGED_CODE
from reviewer.errors import ReviewerError
from reviewer.models import Patch, Revision, Series
from reviewer.store import review as rs
from reviewer.store.core import Store


class Mark(StrEnum):
    DONE = "done"
    SKIP = "skip"
    NEEDS_WORK = "needs-work"
    NONE = "none"  # no state (a note alone, or clearing)


class Origin(StrEnum):
    OWN = "own"
    CARRIED = "carried"
    DROPPED = "dropped"


@dataclass
class PatchProgress:
    index: int
    message_id: str
    state: Mark
    note: str = ""
    origin: Origin = Origin.OWN
    given_on: str = ""  # revision label the mark was given on

    @property
    def counts(self) -> bool:
        return self.origin != Origin.DROPPED and self.state != Mark.NONE

    def label(self) -> str:
        """'done', 'done (v1)' when carried, '~done (v1)' when dropped, '' for none."""
        if self.state == Mark.NONE and self.origin == Origin.OWN:
            return ""
        if self.origin == Origin.CARRIED:
            return f"{self.state} ({self.given_on})"
        if self.origin == Origin.DROPPED:
            return f"~{self.state} ({self.given_on})"
        return str(self.state)

    def to_json(self) -> dict:
        return {
            "index": self.index,
            "message_id": self.message_id,
            "state": str(self.state),
            "note": self.note,
            "origin": str(self.origin),
            "given_on": self.given_on,
        }


def check_mark(name: str) -> Mark:
    text = name.strip().lower().replace("_", "-")
    aliases = {"needs_work": "needs-work", "needswork": "needs-work", "clear": "none"}
    text = aliases.get(text, text)
    try:
        return Mark(text)
    except ValueError:
        known = ", ".join(m.value for m in Mark)
        raise ReviewerError(f"unknown progress state {name!r} (one of: {known})") from None


def find_patch(revision: Revision, ref: str) -> Patch:
    """A patch of a revision by its index (``7``, ``7/13``) or message-id."""
    text = ref.strip().strip("<>")
    number = text.split("/", 1)[0]
    for patch in revision.patches:
        if patch.message_id == text or (number.isdigit() and patch.index == int(number)):
            return patch
    raise ReviewerError(f"{revision.label} has no patch {ref!r} (1-{len(revision.patches)})")


def set_mark(
    store: Store, series: Series, revision: Revision, patch: Patch,
    state: Mark | None, note: str | None = None,
) -> PatchProgress:  # fmt: skip
    """Give (or clear) a mark and/or note on one patch; marks on later revisions follow."""
    with store.transaction():
        rows = rs.progress_rows(store, series.id)
        old = rows.get(patch.message_id)
        own = old if old and old.origin == Origin.OWN else None
        new_state = state if state is not None else Mark(own.state) if own else Mark.NONE
        new_note = note if note is not None else (own.note if own else "")
        if new_state == Mark.NONE and not new_note:
            rs.delete_progress(store, series.id, patch.message_id)
        else:
            row = rs.ProgressRow(patch.message_id, str(new_state), new_note, Origin.OWN,
                                 revision.label)  # fmt: skip
            rs.put_progress(store, series.id, row)
        carry_forward(store, series.id, series.revisions)
    return next(p for p in revision_progress(store, series, revision) if p.index == patch.index)


def carry_forward(
    store: Store, series_id: int, revisions: list[Revision], reviewer: str | None = None
) -> None:
    """Rebuild a reviewer's (default: this one's) carried and dropped marks from their own
    ones (caller holds the transaction)."""
    from reviewer.compare.revisions import classify_pairs

    rs.delete_derived_progress(store, series_id, reviewer)
    rows = rs.progress_rows(store, series_id, reviewer)
    if not rows:
        return
    for earlier, later in zip(revisions, revisions[1:], strict=False):
        before = {p.index: rows.get(p.message_id) for p in earlier.patches}
        if not any(before.values()):
            continue
        after = {p.index: p for p in later.patches}
        for pair in classify_pairs(earlier, later):
            if pair.from_index is None or pair.to_index is None:
                continue
            source, target = before.get(pair.from_index), after[pair.to_index]
            if source is None or source.origin == Origin.DROPPED:
                continue
            if target.message_id in rows:  # the later revision has its own mark
                continue
            unchanged = pair.classification in UNCHANGED_CODE
            origin = Origin.CARRIED if unchanged else Origin.DROPPED
            note = source.note
            if not unchanged:
                note = f"{source.state} on {source.given_on}, code changed since" + (
                    f"; {source.note}" if source.note else ""
                )
            row = rs.ProgressRow(target.message_id, source.state, note, origin, source.given_on)
            rs.put_progress(store, series_id, row, reviewer)
            rows[target.message_id] = row


def revision_progress(store: Store, series: Series, revision: Revision) -> list[PatchProgress]:
    """One entry per patch of the revision (state none when nothing was marked)."""
    rows = rs.progress_rows(store, series.id)
    out = []
    for patch in revision.patches:
        row = rows.get(patch.message_id)
        if row is None:
            out.append(PatchProgress(patch.index, patch.message_id, Mark.NONE))
        else:
            out.append(PatchProgress(patch.index, patch.message_id, Mark(row.state), row.note,
                                     Origin(row.origin), row.given_on))  # fmt: skip
    return out


def summary(progress: list[PatchProgress]) -> str:
    """'7/13 done' (plus ', 1 skip', ', 2 needs-work', ', 1 dropped') or '' when untouched."""
    if not any(p.state != Mark.NONE or p.note for p in progress):
        return ""
    counted = [p for p in progress if p.counts]
    return summary_counts(
        sum(p.state == Mark.DONE for p in counted),
        sum(p.state == Mark.SKIP for p in counted),
        sum(p.state == Mark.NEEDS_WORK for p in counted),
        len(progress),
        sum(p.origin == Origin.DROPPED for p in progress),
    )


def summary_counts(done: int, skip: int, needs: int, total: int, dropped: int = 0) -> str:
    parts = [f"{done}/{total} done"]
    parts += [f"{n} {what}" for n, what in ((skip, Mark.SKIP), (needs, Mark.NEEDS_WORK)) if n]
    if dropped:
        parts.append(f"{dropped} dropped")
    return ", ".join(parts)
