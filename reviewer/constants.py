"""Typed constants shared by every stage: pair classes, trailer statuses, series states.

Each is a ``StrEnum``: a member *is* its string (``PairClass.CODE_CHANGED == "code-changed"``),
so JSON output, text output and the values stored in the database are exactly the strings they
were before; a value read back from the store compares equal to its member. Iterating an enum
gives its members in the order below (the order help texts and pickers list them in).
The flag model's finding severities are ``reviewer.flagmodel.findings.Severity`` (the flag model
stands on its own); a reviewer's marks on patches are ``reviewer.review.progress.Mark``/``Origin``.
"""

from __future__ import annotations

from enum import StrEnum


class PairClass(StrEnum):
    """How a patch of one revision relates to its pair in another (reviewer.compare.revisions)."""

    IDENTICAL = "identical"
    REBASE_ONLY = "rebase-only"  # same changes and message, only context or line numbers moved
    MESSAGE_ONLY = "message-only"
    CODE_CHANGED = "code-changed"
    ADDED = "added"  # only in the later revision
    REMOVED = "removed"  # only in the earlier revision


# the patch's code is the same: trailers and review marks carry over
UNCHANGED_CODE = frozenset({PairClass.IDENTICAL, PairClass.REBASE_ONLY, PairClass.MESSAGE_ONLY})


class TrailerStatus(StrEnum):
    """Where a trailer stands on a patch (reviewer.series.parse, reviewer.trailers.carry)."""

    OK = "ok"  # given on this revision by the person it names
    MISMATCH = "mismatch"  # sent by someone else than the person it names
    CARRIED = "carried"  # given on an earlier revision, the code is unchanged since
    STALE = "stale"  # given on an earlier revision, the code changed since


# trailers that still count (stale and mismatched ones do not): lists, exports
LIVE_TRAILERS = (TrailerStatus.OK, TrailerStatus.CARRIED)

# short codes of review trailers in tables ("R2 A1"), by lower-case trailer name
TRAILER_CODES = {
    "reviewed-by": "R",
    "acked-by": "A",
    "tested-by": "T",
    "reported-by": "Rp",
    "suggested-by": "S",
    "co-developed-by": "C",
    "nacked-by": "N",
}
# the trailers counted per patch in the series lists and the TUI's patch table
COUNTED_TRAILERS = ("acked-by", "reviewed-by", "tested-by")


class SeriesState(StrEnum):
    """The shared state of a series and of each of its revisions (reviewer.tracking.states)."""

    NEW = "new"
    REVIEWING = "reviewing"
    CHANGES_REQUESTED = "changes-requested"
    SUPERSEDED = "superseded"
    APPLIED = "applied"
    ARCHIVED = "archived"


# the states a person sets by hand on the latest revision (the others are derived)
WORKFLOW = (SeriesState.NEW, SeriesState.REVIEWING, SeriesState.CHANGES_REQUESTED)


class OwnState(StrEnum):
    """One reviewer's own state on a series (``reviewer state --mine``)."""

    NEW = "new"
    REVIEWING = "reviewing"
    CHANGES_REQUESTED = "changes-requested"
    DONE = "done"
    DROPPED = "dropped"
