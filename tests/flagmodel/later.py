"""The real later series (June 2026, 'convert more vm_flags_t users to vma_flags_t') for the
flag-model tests: parsed once, checked once without the harness (samples/threads/later/)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.findings import CheckReport
from reviewer.models import Patch
from reviewer.series.parse import parse_messages
from reviewer.sources.mail import load_source

LATER = Path(__file__).resolve().parents[2] / "samples" / "threads" / "later"
CONVERT_MORE = LATER / "convert-more-v1.mbox"


@lru_cache(maxsize=4)
def revision(path: Path = CONVERT_MORE) -> tuple[Patch, ...]:
    loaded = load_source(str(path), offline=True)
    return tuple(parse_messages([m.msg for m in loaded.messages]).revisions[-1].patches)


@lru_cache(maxsize=4)
def report(path: Path = CONVERT_MORE) -> CheckReport:
    return check_revision(list(revision(path)), helpers=False)


def errors(rep: CheckReport, patch: int | None = None) -> list[tuple[int, str, int, str]]:
    return [
        (f.patch, f.file, f.line, f.check)
        for f in rep.findings
        if f.severity == "error" and (patch is None or f.patch == patch)
    ]
