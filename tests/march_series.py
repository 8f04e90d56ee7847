"""The real March 2026 series (mm/vma: convert vm_flags_t to vma_flags_t in vma code), loaded
once per process for the engine tests."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reviewer.series.parse import parse_messages
from reviewer.sources.mail import load_source

ROOT = Path(__file__).resolve().parents[1]
MARCH = Path("/work/shared/corpus/vma-flags-2026-03-vma-code")
if not MARCH.is_dir():  # CI: shared/ beside the clone
    MARCH = ROOT.parent / "shared" / "corpus" / "vma-flags-2026-03-vma-code"
JAN = ROOT / "samples" / "threads"


@cache
def patches(path: str):
    loaded = load_source(path, offline=True)
    return parse_messages([m.msg for m in loaded.messages]).revisions[-1].patches


def march(rev: str):
    return patches(str(MARCH / f"{rev}-thread.mbox"))


def jan(name: str):
    return patches(str(JAN / name))
