"""Compare two revisions of a series from the patch text alone: pair, classify, sum up.

Classes, from least to most significant:
  identical      same commit message and byte-identical diff (blank-context damage from mail
                 is repaired before comparing)
  rebase-only    same changes; only context lines, line numbers or index lines moved
  message-only   same changes (possibly rebased); subject, commit message or trailers changed
  code-changed   the added/removed lines differ (an interdiff of the changed hunks is given)
  added/removed  a patch without counterpart
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field

from reviewer.compare.interdiff import file_changes
from reviewer.compare.pairing import Pair, normalise, pair_patches
from reviewer.constants import PairClass, TrailerStatus
from reviewer.errors import ReviewerError
from reviewer.models import Patch, Revision, Series

# trailers listed as now stale when the code changed (a stale one was stale already)
LISTED_TRAILER_STATUSES = (TrailerStatus.OK, TrailerStatus.CARRIED, TrailerStatus.MISMATCH)


@dataclass
class PairResult:
    from_index: int | None
    to_index: int | None
    subject: str
    classification: PairClass
    how: str  # how the pair was found: code | subject | similar | added | removed
    note: str = ""
    files: list[str] = field(default_factory=list)  # files whose changes differ
    interdiff: str = ""
    message_diff: str = ""
    rebased: bool = False  # context or line numbers moved (also set for message-only pairs)
    stale_trailers: list[str] = field(default_factory=list)  # from-side trailers now stale


@dataclass
class Comparison:
    from_label: str
    to_label: str
    verdict: str
    pairs: list[PairResult]

    def to_json(self) -> dict:
        return {
            "from": self.from_label,
            "to": self.to_label,
            "verdict": self.verdict,
            "patches": [asdict(p) for p in self.pairs],
        }


def classify_pairs(from_rev: Revision, to_rev: Revision) -> list[PairResult]:
    """Pair the patches of two revisions and classify each pair (see module docstring)."""
    return [_classify(pair) for pair in pair_patches(from_rev.patches, to_rev.patches)]


def compare_revisions(from_rev: Revision, to_rev: Revision) -> Comparison:
    pairs = classify_pairs(from_rev, to_rev)
    return Comparison(from_rev.label, to_rev.label, verdict(from_rev, to_rev, pairs), pairs)


def stale_patch_indexes(from_rev: Revision, to_rev: Revision) -> dict[int, int]:
    """{to_index: from_index} of patches whose code changed: trailers given before are stale."""
    return {
        r.to_index: r.from_index
        for r in classify_pairs(from_rev, to_rev)
        if r.classification == PairClass.CODE_CHANGED and r.to_index and r.from_index
    }


def _classify(pair: Pair) -> PairResult:
    if pair.old is None or pair.new is None:
        side = pair.new or pair.old
        kind = PairClass.ADDED if pair.new else PairClass.REMOVED
        return PairResult(
            from_index=pair.old.patch.index if pair.old else None,
            to_index=pair.new.patch.index if pair.new else None,
            subject=side.patch.subject,
            classification=kind,
            how=pair.how,
            note=pair.note,
            files=side.diff.paths,
        )
    old, new = pair.old, pair.new
    same_code = old.diff.change_key == new.diff.change_key
    same_message = _same_message(old.patch, new.patch)
    rebased = old.diff.exact_key != new.diff.exact_key
    if not same_code:
        kind = PairClass.CODE_CHANGED
    elif not same_message:
        kind = PairClass.MESSAGE_ONLY
    elif rebased:
        kind = PairClass.REBASE_ONLY
    else:
        kind = PairClass.IDENTICAL
    result = PairResult(
        from_index=old.patch.index,
        to_index=new.patch.index,
        subject=new.patch.subject,
        classification=kind,
        how=pair.how,
        note=pair.note,
        rebased=rebased and same_code,
    )
    if not same_message:
        result.message_diff = message_diff(old.patch, new.patch)
    if not same_code:
        changes = file_changes(old.diff, new.diff)
        result.files = [c.path for c in changes]
        result.interdiff = "\n".join(c.diff for c in changes if c.diff)
        result.stale_trailers = [
            f"{t.name}: {t.value}"
            for t in old.patch.trailers
            if t.status in LISTED_TRAILER_STATUSES
        ]
    return result


def normalise_message(text: str) -> list[str]:
    lines = [ln.rstrip() for ln in text.strip("\n").splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _same_message(a: Patch, b: Patch) -> bool:
    return normalise(a.subject) == normalise(b.subject) and normalise_message(
        a.commit_message
    ) == normalise_message(b.commit_message)


def message_diff(a: Patch, b: Patch) -> str:
    old = [a.subject, "", *normalise_message(a.commit_message)]
    new = [b.subject, "", *normalise_message(b.commit_message)]
    return "\n".join(difflib.unified_diff(old, new, "old/message", "new/message", lineterm=""))


def verdict(from_rev: Revision, to_rev: Revision, pairs: list[PairResult]) -> str:
    prefix = ""
    if to_rev.resend and to_rev.revision == from_rev.revision:
        prefix = f"RESEND of {from_rev.label}: "
    kinds = {p.classification for p in pairs}
    if kinds <= {PairClass.IDENTICAL}:
        return prefix + PairClass.IDENTICAL
    # Patch numbers say whose they are (a RESEND's 3 can be v2's 4); the files are in the
    # per-patch table, so the verdict stays one short line.
    new, old = to_rev.label, from_rev.label
    parts = []
    changed = [p for p in pairs if p.classification == PairClass.CODE_CHANGED]
    if changed:
        parts.append(f"CHANGED in {_numbers([p.to_index for p in changed], new)}")
    for kind, side in ((PairClass.ADDED, new), (PairClass.REMOVED, old)):
        items = [p for p in pairs if p.classification == kind]
        if items:
            idx = [p.to_index if kind == PairClass.ADDED else p.from_index for p in items]
            parts.append(f"{kind} {_numbers(idx, side)}")
    if not parts:
        messages = [p for p in pairs if p.classification == PairClass.MESSAGE_ONLY]
        if messages:
            parts.append(f"message-only in {_numbers([p.to_index for p in messages], new)}")
        if any(p.rebased or p.classification == PairClass.REBASE_ONLY for p in pairs):
            parts.append(PairClass.REBASE_ONLY if not messages else "rebased")
    return prefix + "; ".join(parts)


def _numbers(indexes: list[int | None], label: str) -> str:
    """'patches 3, 5 of v2' / 'patch 1 of v2'."""
    noun = "patch" if len(indexes) == 1 else "patches"
    return f"{noun} {', '.join(str(i) for i in indexes)} of {label}"


def pick_revisions(
    series: Series, from_ref: str | None, to_ref: str | None
) -> tuple[Revision, Revision]:
    """--from/--to by label, number or message-id; by default the latest and the one before."""
    from reviewer.store.core import resolve_revision

    new = resolve_revision(series, to_ref)
    if from_ref:
        old = resolve_revision(series, from_ref)
    else:
        old = series.previous(new)
        if old is None:
            raise ReviewerError(f"{new.label} is the first revision: nothing to compare it with")
    if old is new:
        raise ReviewerError(f"--from and --to are both {new.label}")
    return old, new
