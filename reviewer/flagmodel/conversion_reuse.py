"""Replay the conversion findings of a patch checked before with the same inputs.

The fix-up compare mode checks a revision twice: as posted and with the fix-ups folded in. The
patches before the first one a fix-up touches are the same text in both, and so is everything
their conversion check reads: the base state, the definitions the whole series shows on its
old sides (``Model.context_defs``), the tree, and the patches up to and including the one
checked (the model each patch is checked against is built from the patches before it). The key
chains a hash of those, so a patch is replayed only when none of them changed; the second
check computes the rest. What the conversion check of one patch leaves behind is recorded
whole: its findings (copied, in order), the verified/unverified counts, notes, verified lines
and the word size and tools flag it leaves on the post-image model (which the next patch's
model starts from). The memo lives for one check_with_fixups call, so the engine's code cannot
change under it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reviewer.flagmodel.findings import CheckReport, Finding
from reviewer.flagmodel.tree_state import Model


def series_key(base: str, source: str, repo: Path | None, context_defs: dict[str, Any]) -> str:
    """What every patch's conversion check reads besides the patches up to it."""
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


def view_key(previous: str, index: int, diff: str) -> str:
    """The key of patch `index`: the key before it and its diff."""
    return hashlib.sha256(f"{previous}\0{index}\0".encode() + diff.encode()).hexdigest()


def _copy(f: Finding) -> Finding:
    return replace(f, copies=[dict(c) for c in f.copies], fixups=list(f.fixups))


@dataclass
class ConversionEffects:
    """What the conversion check of one patch added to the report and left on its model."""

    findings: list[Finding] = field(default_factory=list)
    verified: int = 0
    unverified: int = 0
    notes: list[str] = field(default_factory=list)
    verified_lines: set[tuple[int, str]] = field(default_factory=set)
    num_bits: int = 64
    tools: bool = False
    # where the report stood when the check started
    _start: tuple[int, int, int, int, frozenset] = (0, 0, 0, 0, frozenset())

    @classmethod
    def start(cls, report: CheckReport) -> ConversionEffects:
        return cls(
            _start=(
                len(report.findings),
                report.verified,
                report.unverified,
                len(report.notes),
                frozenset(report.verified_lines),
            )
        )

    def finish(self, report: CheckReport, post: Model) -> ConversionEffects:
        n_findings, verified, unverified, n_notes, lines = self._start
        self.findings = [_copy(f) for f in report.findings[n_findings:]]
        self.verified = report.verified - verified
        self.unverified = report.unverified - unverified
        self.notes = list(report.notes[n_notes:])
        self.verified_lines = set(report.verified_lines) - lines
        self.num_bits, self.tools = post.num_bits, post.tools
        return self

    def replay(self, report: CheckReport, post: Model) -> None:
        for f in self.findings:
            report.add(_copy(f))
        report.verified += self.verified
        report.unverified += self.unverified
        report.notes.extend(self.notes)
        report.verified_lines |= self.verified_lines
        post.num_bits, post.tools = self.num_bits, self.tools
