"""Decide which revisions are versions of the same series.

Evidence, strongest first: shared messages or replies-to (reply chains), b4 change-id, the
same series subject from the same author, most patch subjects shared by the same author.
"""

from __future__ import annotations

from typing import Protocol

from reviewer.models import Revision


class SeriesLookup(Protocol):
    """What grouping needs from the database (implemented by reviewer.store.Store)."""

    def series_for_messages(self, message_ids: list[str]) -> int | None: ...
    def series_for_change_id(self, change_id: str) -> int | None: ...
    def series_for_subject(self, subject: str, author_email: str) -> int | None: ...
    def series_for_patch_subjects(self, subjects: list[str], author_email: str) -> int | None: ...


def normalise_subject(subject: str) -> str:
    return " ".join(subject.lower().split())


def author_email(author: str) -> str:
    return author.rsplit("<", 1)[-1].rstrip(">").strip().lower()


def patch_subjects(revision: Revision) -> list[str]:
    return [normalise_subject(p.subject) for p in revision.patches]


def find_tracked_series(revision: Revision, lookup: SeriesLookup) -> int | None:
    email = author_email(revision.author)
    return (
        lookup.series_for_messages(revision.message_ids + revision.references)
        or (revision.change_id and lookup.series_for_change_id(revision.change_id))
        or lookup.series_for_subject(normalise_subject(revision.subject), email)
        or lookup.series_for_patch_subjects(patch_subjects(revision), email)
        or None
    )


def same_series(a: Revision, b: Revision) -> bool:
    """Whether two revisions seen in one batch belong together."""
    if set(a.references) & set(b.message_ids) or set(b.references) & set(a.message_ids):
        return True
    if a.change_id and a.change_id == b.change_id:
        return True
    if author_email(a.author) != author_email(b.author):
        return False
    if normalise_subject(a.subject) == normalise_subject(b.subject):
        return True
    return shares_most_subjects(patch_subjects(a), patch_subjects(b))


def shares_most_subjects(a: list[str], b: list[str]) -> bool:
    if not a or not b:
        return False
    shared = len(set(a) & set(b))
    return shared * 2 >= min(len(a), len(b)) and shared > 0


def cluster(revisions: list[Revision]) -> list[list[Revision]]:
    """Union the batch's revisions into groups of one series each."""
    groups: list[list[Revision]] = []
    for revision in revisions:
        joined = [g for g in groups if any(same_series(revision, other) for other in g)]
        merged = [revision]
        for group in joined:
            merged.extend(group)
            groups.remove(group)
        groups.append(merged)
    return groups
