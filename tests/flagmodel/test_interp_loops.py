"""The interpreter runs a helper's loop over a bit list (issue 10 item 1: semantics from the
definition): v2/v4 patch 7 redefine `__mk_vma_flags(flags, count, bits)` (a `for` loop over
`bits[i]`, given `COUNT_ARGS(...)` and a compound literal `(const vma_flag_t []){...}`) and
`append_vma_flags()` expands to it. Real lines of March 2026 patch 17."""

from __future__ import annotations

from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.mutations import replace_line
from tests.flagmodel import march

UM = "arch/x86/um/asm/vm-flags.h"
UM_LINE = (
    "+#define VMA_STACK_DEFAULT_FLAGS append_vma_flags(VMA_DATA_FLAGS_EXEC, VMA_GROWSDOWN_BIT)"
)


def _in_series(rev: str, patch=None):
    patches = list(march.revision(rev))
    return check_revision(
        [*patches[:16], patch or patches[16], *patches[17:]], helpers=False, focus={17}
    )


def _at(report, path: str, line: int, severities=("error", "warning")) -> list:
    return [
        f for f in report.findings if f.file == path and f.line == line and f.severity in severities
    ]


def test_append_vma_flags_through_the_series_loop_is_verified():
    report = _in_series("v4")
    assert not _at(report, UM, 16, ("error", "warning", "info"))


def test_a_wrong_bit_appended_is_an_error_at_its_line():
    orig = march.patch("v2", 17)
    assert UM_LINE in orig.diff.split("\n")
    bad = replace_line(orig, UM_LINE, UM_LINE.replace("VMA_GROWSDOWN_BIT", "VMA_UFFD_MISSING_BIT"))
    got = _in_series("v2", bad)
    assert any("GROWSDOWN" in f.message for f in _at(got, UM, 16))


def test_build_bug_on_becoming_vm_warn_on_once_is_the_same_assertion():
    # mm/vma_exec.c create_init_stack_vma(): `BUILD_BUG_ON(VM_STACK_FLAGS & ...)` became
    # `VM_WARN_ON_ONCE(...)` (VM_STACK_FLAGS is now vma_flags_to_legacy() of a bitmap)
    report = _in_series("v4")
    assert not _at(report, "mm/vma_exec.c", 139, ("error", "warning", "info"))
