"""Result types of a flag-model check."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum

from reviewer.errors import ReviewerError


class Severity(StrEnum):
    """How bad a finding is, most severe first (a member is its string: JSON is unchanged)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# the check id of a block the model could not decide (an info, left out of the shown counts)
UNVERIFIED = "unverified"


class FixupEffect(StrEnum):
    """What a fix-up posted in reply to a patch does to a finding of that patch."""

    NONE = ""  # the finding is the patch's own, unchanged by its fix-ups
    RESOLVED = "resolved"  # found on the patch as posted, gone once its fix-ups are folded in
    INTRODUCED = "introduced"  # found only with the fix-ups folded in (on a fix-up's lines)


@dataclass
class Finding:
    severity: Severity
    check: str  # equivalence | type | unverified | locking | helper-def | dup-drift | ...
    patch: int  # 1-based index in the revision (0: the series as a whole)
    file: str
    line: int  # post-image line
    message: str
    counterexample: str = ""
    id: str = ""
    # the two copies a comparing check (dup-drift) compared: [{"file", "patch", "line", "text"}]
    copies: list[dict] = field(default_factory=list)
    # fix-ups (see reviewer/flagmodel/fixup_fold.py): what the patch's fix-ups do to the finding
    # and the message-id(s) of the fix-up(s) concerned
    fixup_effect: str = FixupEffect.NONE.value
    fixups: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.id:
            key = f"{self.check}|{self.patch}|{self.file}|{self.line}|{self.message}"
            self.id = "FM-" + hashlib.sha1(key.encode()).hexdigest()[:10]


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    verified: int = 0
    unverified: int = 0
    tree_state: str = ""
    final_state: str = ""
    state_source: str = ""
    notes: list[str] = field(default_factory=list)
    # the fix-ups checked with their patches (fixup_check.py): [{"patch", "message_id", "author",
    # "touches", "folded", "problem", "resolved", "introduced"}]
    fixups: list[dict] = field(default_factory=list)
    # (patch, "+added line") of every block verified equivalent; used by the mutation suite
    verified_lines: set[tuple[int, str]] = field(default_factory=set, repr=False)

    def add(self, finding: Finding) -> bool:
        """Add a finding unless the same one is already there; True when it was added."""
        if any(f.id == finding.id for f in self.findings):
            return False
        self.findings.append(finding)
        return True

    def count(self, severity: str) -> int:
        """Findings of a severity, except those a fix-up posted in reply resolves."""
        return sum(
            1
            for f in self.findings
            if f.severity == severity and f.fixup_effect != FixupEffect.RESOLVED.value
        )

    def resolved(self) -> int:
        """Findings of the patches as posted that their fix-ups resolve."""
        return sum(1 for f in self.findings if f.fixup_effect == FixupEffect.RESOLVED.value)

    def sorted_findings(self) -> list[Finding]:
        order = {s: i for i, s in enumerate(Severity)}
        return sorted(
            self.findings, key=lambda f: (f.patch, f.file, f.line, order.get(f.severity, 9))
        )

    def to_json(self) -> dict:
        return {
            "findings": [asdict(f) for f in self.sorted_findings()],
            "verified": self.verified,
            "unverified": self.unverified,
            "tree_state": self.tree_state,
            "final_state": self.final_state,
            "state_source": self.state_source,
            "counts": {s: self.count(s) for s in Severity},
            "notes": self.notes,
            "fixups": self.fixups,
        }

    @classmethod
    def from_json(cls, data: dict) -> CheckReport:
        """Inverse of to_json (``counts`` is derived; ``verified_lines`` is not persisted)."""
        try:
            names = {f.name for f in fields(Finding)}
            findings = [
                Finding(**{k: v for k, v in f.items() if k in names}) for f in data["findings"]
            ]
            return cls(
                findings=findings,
                verified=int(data["verified"]),
                unverified=int(data["unverified"]),
                tree_state=str(data.get("tree_state", "")),
                final_state=str(data.get("final_state", "")),
                state_source=str(data.get("state_source", "")),
                notes=[str(n) for n in data.get("notes", [])],
                fixups=[dict(x) for x in data.get("fixups", [])],
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ReviewerError(f"stored flag-model report is malformed: {exc!r}") from exc
