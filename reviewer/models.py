"""Plain data objects shared by every stage of the pipeline.

They carry no behaviour beyond small conveniences, so any stage (parse, store, compare, check,
TUI) can build or consume them without importing the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewer.constants import SeriesState, TrailerStatus
from reviewer.diff.patch import parse_diff


@dataclass
class Trailer:
    name: str
    value: str
    status: str = TrailerStatus.OK  # a TrailerStatus
    sender: str = ""  # "Name <email>" of the mail that gave it
    message_id: str = ""  # the reply that carried it
    given_on: str = ""  # label of the revision it was given on, e.g. "v1"
    via_cover: bool = False  # given on the cover letter, so it applies to every patch
    note: str = ""  # e.g. "given on v1, patch changed since"


@dataclass
class Fixup:
    """A patch posted as a reply to one of the series' patches ("[PATCH] fix")."""

    message_id: str
    author: str
    subject: str
    diff: str


@dataclass
class Patch:
    index: int  # 1-based position in its revision
    subject: str  # subject without the [PATCH vN M/N] prefix
    message_id: str
    author: str
    date: str  # ISO 8601
    commit_message: str  # body above the "---" line, own trailers included
    diff: str  # the unified diff, starting at the first "diff --git"
    patch_id: str | None  # git patch-id --stable of the diff
    trailers: list[Trailer] = field(default_factory=list)
    fixups: list[Fixup] = field(default_factory=list)

    @property
    def files(self) -> list[str]:
        """Paths the diff touches (post-image; a deleted file's old path), in order."""
        return [f.path for f in parse_diff(self.diff).files]


@dataclass
class Cover:
    message_id: str
    subject: str
    body: str


@dataclass
class Revision:
    revision: int
    resend: bool
    label: str  # "v1", "v1-RESEND", "v2"
    message_id: str  # cover letter, else first patch
    subject: str
    author: str
    date: str
    expected: int
    patches: list[Patch] = field(default_factory=list)
    cover: Cover | None = None
    change_id: str | None = None
    base_commit: str | None = None
    partial: list[str] = field(default_factory=list)  # why the revision is incomplete
    message_ids: list[str] = field(default_factory=list)  # every message of its thread
    references: list[str] = field(default_factory=list)  # what its first message replies to


@dataclass
class Series:
    id: int
    subject: str
    author: str
    state: str = SeriesState.NEW
    revisions: list[Revision] = field(default_factory=list)

    @property
    def latest(self) -> Revision:
        return self.revisions[-1]

    def position(self, revision: Revision) -> int | None:
        """Where a revision is in the series: the same object, else the revision with its label
        (a copy loaded again from the store); None when the series has no such revision."""
        for i, r in enumerate(self.revisions):
            if r is revision:
                return i
        labels = [r.label for r in self.revisions]
        return labels.index(revision.label) if revision.label in labels else None

    def previous(self, revision: Revision) -> Revision | None:
        """The revision posted before this one (what it is compared with); None for the first
        revision or one the series does not have."""
        position = self.position(revision)
        return self.revisions[position - 1] if position else None


def revision_label(revision: int, resend: bool) -> str:
    return f"v{revision}-RESEND" if resend else f"v{revision}"
