"""Replay the work on a patch checked before with the same inputs (the fix-up compare mode).

The fix-up compare mode checks a revision twice: as posted and with the fix-ups folded in. The
patches before the first one a fix-up touches are the same text in both, and so is everything
their check reads: the base state, the definitions the whole series shows on its old sides
(``Model.context_defs``), the tree, and the patches up to and including the one checked (the
model each patch is checked against is built from the patches before it). A step's key chains
a hash of those, so a patch is replayed only when none of them changed; the second check
computes the rest. What one patch's step leaves behind is recorded whole: its findings (copied,
in order), the verified/unverified counts, notes and verified lines it added, and the model
the next patch starts from. Patch views (both sides parsed) are shared by patch text. The memo
lives for one check_with_fixups call, so the engine's code cannot change under it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reviewer.flagmodel.check_jobs import Delta
from reviewer.flagmodel.findings import CheckReport, Finding
from reviewer.flagmodel.patch_view import PatchView, view_of
from reviewer.flagmodel.tree_state import Model
from reviewer.models import Patch


def series_key(base: str, source: str, repo: Path | None, context_defs: dict[str, Any]) -> str:
    """What every patch's step reads besides the patches up to it."""
    digest = hashlib.sha256(f"{base}\0{source}\0{repo or ''}\0".encode())
    for name in sorted(context_defs):
        for cand in context_defs[name]:
            d = cand.defn
            digest.update(
                repr(
                    (name, cand.origin, cand.file, d.kind, d.name, d.text, d.params,
                     d.start_line, d.conditions)
                ).encode()
            )  # fmt: skip
    return digest.hexdigest()


def view_key(previous: str, index: int, diff: str, checked: bool = True) -> str:
    """The key of patch `index`: the key before it, its diff and whether it is checked."""
    head = f"{previous}\0{index}\0{int(checked)}\0".encode()
    return hashlib.sha256(head + diff.encode()).hexdigest()


def _copy(f: Finding) -> Finding:
    return replace(f, copies=[dict(c) for c in f.copies], fixups=list(f.fixups))


@dataclass
class PatchStep:
    """What modelling and checking one patch added to the report, and the model after it."""

    added: Delta = field(default_factory=Delta)
    model_after: Model | None = None
    # where the report stood when the step started
    _start: tuple[int, int, int, int, frozenset] = (0, 0, 0, 0, frozenset())

    @classmethod
    def start(cls, report: CheckReport) -> PatchStep:
        return cls(
            _start=(
                len(report.findings),
                report.verified,
                report.unverified,
                len(report.notes),
                frozenset(report.verified_lines),
            )
        )

    def finish(self, report: CheckReport, model_after: Model) -> PatchStep:
        n_findings, verified, unverified, n_notes, lines = self._start
        self.added = Delta(
            [_copy(f) for f in report.findings[n_findings:]],
            report.verified - verified,
            report.unverified - unverified,
            list(report.notes[n_notes:]),
            set(report.verified_lines) - lines,
        )
        self.model_after = model_after.copy()  # the run goes on with its own copy
        return self

    def replay(self, report: CheckReport) -> Model:
        """Add what the step added (copies: a report may mark its findings); the model the
        next patch starts from."""
        a = self.added
        copied = Delta([_copy(f) for f in a.findings], a.verified, a.unverified, list(a.notes),
                       set(a.verified_lines))  # fmt: skip
        copied.merge_into(report)
        assert self.model_after is not None
        return self.model_after.copy()


@dataclass
class CheckMemo:
    """Kept by the caller across the checks of variants of one revision."""

    steps: dict[str, PatchStep] = field(default_factory=dict)
    views: dict[tuple[int, str], PatchView] = field(default_factory=dict)

    def view(self, patch: Patch) -> PatchView:
        key = (patch.index, patch.diff)
        if key not in self.views:
            self.views[key] = view_of(patch)
        return self.views[key]
