"""Carry review trailers from earlier revisions to later ones, or mark them stale.

A trailer given on an earlier revision still counts on a later one only if the patch it was
given on is unchanged there (same git patch-id); otherwise it is listed as stale so the
reviewer sees who looked at an older version.
"""

from __future__ import annotations

from reviewer.models import Patch, Revision, Trailer


def carry_trailers(revisions: list[Revision]) -> None:
    """Add carried/stale trailers to each revision from every earlier one, in place."""
    given: list[tuple[Revision, Patch, Trailer]] = []
    for revision in revisions:
        own = [(revision, p, t) for p in revision.patches for t in p.trailers]
        for patch in revision.patches:
            _add_inherited(patch, revision, given)
        given.extend(own)


def _add_inherited(
    patch: Patch, revision: Revision, given: list[tuple[Revision, Patch, Trailer]]
) -> None:
    for old_rev, old_patch, trailer in given:
        if not same_patch(old_patch, patch) or _already_has(patch, trailer):
            continue
        unchanged = bool(patch.patch_id) and old_patch.patch_id == patch.patch_id
        patch.trailers.append(
            Trailer(
                name=trailer.name,
                value=trailer.value,
                status="carried" if unchanged else "stale",
                sender=trailer.sender,
                message_id=trailer.message_id,
                given_on=old_rev.label,
                via_cover=trailer.via_cover,
                note="" if unchanged else f"given on {old_rev.label}, patch changed since",
            )
        )


def _already_has(patch: Patch, trailer: Trailer) -> bool:
    name, value = trailer.name.lower(), trailer.value.lower()
    return any(t.name.lower() == name and t.value.lower() == value for t in patch.trailers)


def same_patch(a: Patch, b: Patch) -> bool:
    """The same logical patch in two revisions: same patch-id, or same subject."""
    if a.patch_id and a.patch_id == b.patch_id:
        return True
    return normalise_subject(a.subject) == normalise_subject(b.subject)


def normalise_subject(subject: str) -> str:
    return " ".join(subject.lower().split())
