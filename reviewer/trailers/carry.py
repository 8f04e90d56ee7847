"""Carry review trailers from earlier revisions to later ones, or mark them stale.

A trailer given on an earlier revision still counts on a later one when the patch's code is
unchanged there (identical, rebase-only or message-only, as reviewer.compare.revisions classifies
the pair); when the code changed it is listed as stale, so the reviewer sees who looked at an older
version.
"""

from __future__ import annotations

from reviewer.compare.revisions import classify_pairs
from reviewer.constants import UNCHANGED_CODE, TrailerStatus
from reviewer.models import Patch, Revision, Trailer


def carry_trailers(revisions: list[Revision]) -> None:
    """Add carried/stale trailers to each revision from every earlier one, in place."""
    own = {id(r): {p.index: list(p.trailers) for p in r.patches} for r in revisions}
    for position, revision in enumerate(revisions):
        by_index = {p.index: p for p in revision.patches}
        for earlier in reversed(revisions[:position]):  # the freshest evidence wins
            for pair in classify_pairs(earlier, revision):
                if pair.from_index is None or pair.to_index is None:
                    continue
                unchanged = pair.classification in UNCHANGED_CODE
                for trailer in own[id(earlier)][pair.from_index]:
                    _inherit(by_index[pair.to_index], trailer, earlier, unchanged)


def _inherit(patch: Patch, trailer: Trailer, earlier: Revision, unchanged: bool) -> None:
    if _already_has(patch, trailer):
        return
    status = TrailerStatus.CARRIED if unchanged else TrailerStatus.STALE
    if unchanged and trailer.status == TrailerStatus.MISMATCH:
        status = TrailerStatus.MISMATCH  # carrying a trailer must not launder its sender mismatch
    patch.trailers.append(
        Trailer(
            name=trailer.name,
            value=trailer.value,
            status=status,
            sender=trailer.sender,
            message_id=trailer.message_id,
            given_on=earlier.label,
            via_cover=trailer.via_cover,
            note="" if unchanged else f"given on {earlier.label}, patch changed since",
        )
    )


def _already_has(patch: Patch, trailer: Trailer) -> bool:
    name, value = trailer.name.lower(), trailer.value.lower()
    return any(t.name.lower() == name and t.value.lower() == value for t in patch.trailers)
