"""Shared pieces of the hostile-patch tests: the real v2 series with one helper changed the way
anyone on the list could post it, and probes for what must never happen (a marker file, a
process outliving the check)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

MACRO = (
    "+#define vma_flags_test(flags, ...) \\\n"
    "+\tvma_flags_test_mask(flags, mk_vma_flags(__VA_ARGS__))"
)
BODY = "+\treturn bitmap_intersects(bitmap_to_test, bitmap, NUM_VMA_FLAG_BITS);"


def with_macro(patches, body: str):
    """Patch 5 of the real v2 series with vma_flags_test()'s macro body replaced."""
    return _replace(patches, MACRO, "+#define vma_flags_test(flags, ...) " + body)


def with_body(patches, statements: str):
    """Patch 5 with vma_flags_test_mask()'s return statement replaced."""
    return _replace(patches, BODY, "+\t" + statements.replace("\n", "\n+"))


def with_extra(patches, code: str):
    """Patch 5 with extra lines added right after vma_flags_test_mask()."""
    extra = "\n".join("+" + line for line in code.splitlines())
    return _replace(patches, BODY + "\n+}", BODY + "\n+}\n" + extra)


def _replace(patches, old: str, new: str):
    patch = patches[4]
    assert old in patch.diff, old
    mutated = dataclasses.replace(patch, diff=patch.diff.replace(old, new, 1))
    return patches[:4] + [mutated]


def harness_processes() -> list[str]:
    """Command lines of processes running a harness binary or its build (anything in a
    flagmodel- temp dir)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(proc / "cwd")
        except OSError:
            continue
        if "flagmodel-" in cwd or "flagmodel-" in cmd or cmd.startswith("/harness"):
            found.append(cmd)
    return found


def reviewer_cgroups() -> list[Path]:
    roots = [Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")]
    return [p for r in roots if r.is_dir() for p in r.glob("reviewer-harness-*")]
