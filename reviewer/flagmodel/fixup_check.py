"""Check a revision with the fix-ups posted in reply to its patches folded in.

``FixupMode.COMPARE`` (the default) runs the flag model twice: on the patches as posted (plus
the lines each fix-up shows of the tree after its patch, as context, so a caller the patch left
unconverted is visible), and on the patches with their fix-ups folded in
(``fixup_fold.fold_patch``). The report is the as-posted one; a finding the fix-ups make go
away is marked ``resolved``, a finding only the folded patches have is added, marked
``introduced``. ``FOLDED`` reports the folded patches alone (findings on a fix-up's lines name
it); ``POSTED`` ignores fix-ups. A fix-up that does not fold is one ``unverified`` finding on its
patch; the rest of the check runs.
"""

from __future__ import annotations

import re
from collections import Counter
from enum import StrEnum
from pathlib import Path

from reviewer.flagmodel.conversion_reuse import CheckMemo
from reviewer.flagmodel.findings import CheckReport, Finding, FixupEffect
from reviewer.flagmodel.fixup_fold import Folded, fold_both, fold_patch
from reviewer.models import Patch


class FixupMode(StrEnum):
    COMPARE = "compare"  # as posted and with fix-ups; report what the fix-ups change
    FOLDED = "folded"  # only with the fix-ups folded in
    POSTED = "posted"  # fix-ups ignored

    @classmethod
    def parse(cls, text: str | None) -> FixupMode:
        return cls(text) if text else cls.COMPARE


def check_with_fixups(
    patches: list[Patch],
    repo: Path | None = None,
    mode: FixupMode = FixupMode.COMPARE,
    helpers: bool = True,
) -> CheckReport:
    from reviewer.flagmodel.check import check_revision

    if mode is FixupMode.POSTED or not any(p.fixups for p in patches):
        return check_revision(patches, repo, helpers)
    if mode is FixupMode.FOLDED:
        folded = [fold_patch(p) for p in patches]
        report = check_revision([f.patch for f in folded], repo, helpers)
        _mark_fixup_lines(report.findings, folded)
    else:
        both = [fold_both(p) for p in patches]  # each patch's diff parsed once for both
        shown = [s.patch for s, _ in both]
        folded = [f for _, f in both]
        reuse = CheckMemo()  # patches the fix-ups leave unchanged are not checked twice
        report = check_revision(shown, repo, helpers, reuse=reuse)
        after = check_revision([f.patch for f in folded], repo, helpers, reuse=reuse)
        _merge(report, after, folded)
    report.fixups = _summaries(folded, report, compared=mode is FixupMode.COMPARE)
    for f in folded:
        for fixup, why in f.failed:
            report.add(
                Finding(
                    "info",
                    "unverified",
                    f.patch.index,
                    "",
                    0,
                    f"fix-up from {fixup.author} not folded into the patch "
                    f"(checked as posted only): {why}",
                )
            )
    return report


def _key(f: Finding) -> tuple:
    # line numbers move when a fix-up adds or removes lines above a finding
    return (f.severity, f.check, f.patch, f.file, re.sub(r"\d+", "#", f.message))


def _fixups_for(index: int, folded: list[Folded]) -> list[str]:
    """The fix-ups a change of patch `index`'s findings comes from: its own, else the ones
    folded into earlier patches (a helper a fix-up changed is used later)."""
    own = [x.message_id for x in folded[index - 1].folded] if 0 < index <= len(folded) else []
    if own:
        return own
    return [x.message_id for f in folded[: max(index - 1, 0)] for x in f.folded]


def _merge(report: CheckReport, after: CheckReport, folded: list[Folded]) -> None:
    remaining = Counter(_key(f) for f in after.findings)
    for f in report.findings:
        if remaining[_key(f)]:
            remaining[_key(f)] -= 1
        else:
            f.fixup_effect = FixupEffect.RESOLVED.value
            f.fixups = _fixups_for(f.patch, folded)
    before = Counter(_key(f) for f in report.findings)
    for f in after.findings:
        if before[_key(f)]:
            before[_key(f)] -= 1
            continue
        f.fixup_effect = FixupEffect.INTRODUCED.value
        f.fixups = _on_fixup_line(f, folded) or _fixups_for(f.patch, folded)
        report.add(f)


def _on_fixup_line(f: Finding, folded: list[Folded]) -> list[str]:
    if not 0 < f.patch <= len(folded):
        return []
    mid = folded[f.patch - 1].fixup_lines.get(f.file, {}).get(f.line)
    return [mid] if mid else []


def _mark_fixup_lines(findings: list[Finding], folded: list[Folded]) -> None:
    for f in findings:
        f.fixups = _on_fixup_line(f, folded)


def _summaries(folded: list[Folded], report: CheckReport, compared: bool) -> list[dict]:
    from reviewer.flagmodel.touch import touches_text

    out = []
    for f in folded:
        failed = {fx.message_id: why for fx, why in f.failed}
        for fx in f.patch.fixups:
            hits = [x for x in report.findings if fx.message_id in x.fixups]
            out.append(
                {
                    "patch": f.patch.index,
                    "message_id": fx.message_id,
                    "author": fx.author,
                    "touches": touches_text(fx.diff),
                    "folded": fx.message_id not in failed,
                    "problem": failed.get(fx.message_id, ""),
                    "compared": compared,
                    "resolved": sum(
                        1 for x in hits if x.fixup_effect == FixupEffect.RESOLVED.value
                    ),
                    "introduced": sum(
                        1
                        for x in hits
                        if x.fixup_effect == FixupEffect.INTRODUCED.value
                        and x.check != "unverified"
                    ),
                    "introduced_unverified": sum(
                        1
                        for x in hits
                        if x.fixup_effect == FixupEffect.INTRODUCED.value
                        and x.check == "unverified"
                    ),
                }
            )
    return out
