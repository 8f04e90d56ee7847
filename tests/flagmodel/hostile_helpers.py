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


def harness_processes(root: Path) -> list[str]:
    """Command lines of processes running a harness binary or its build: anything working in
    a temp dir under `root` (the test's own TMPDIR, so other test runs on the machine do not
    count), or a jailed binary."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(proc / "cwd")
        except OSError:
            continue
        if cwd.startswith(str(root)) or cmd.startswith("/harness"):
            found.append(cmd)
    return found


def reviewer_cgroups() -> list[Path]:
    """This process' harness cgroups still present (named after the creating pid)."""
    roots = [Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")]
    mine = f"reviewer-harness-{os.getpid()}-*"
    return [p for r in roots if r.is_dir() for p in r.glob(mine)]
