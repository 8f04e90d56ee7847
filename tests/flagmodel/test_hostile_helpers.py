"""Hostile helper definitions posted in a real series: nothing from mail runs, nothing
outlives the check, every refusal says what was refused, and the check ends within its bound.

Each case is the real v2 series (patches 1-5) with one helper changed as an attacker on the
list could post it. The allowlist must refuse it (an `unverified` info naming the construct);
what it lets through must run harmlessly inside the sandbox."""

from __future__ import annotations

import time

import pytest

from reviewer.flagmodel import sandbox
from reviewer.flagmodel.check import check_revision
from tests.flagmodel.hostile_helpers import (
    harness_processes,
    reviewer_cgroups,
    with_body,
    with_extra,
    with_macro,
)

pytestmark = pytest.mark.skipif(sandbox.gcc() is None, reason="gcc not installed")

CHECK_BOUND = 60  # seconds for a whole check of five patches, hostile or not


def _refusals(report):
    return [f.message for f in report.findings if " not compiled: " in f.message]


@pytest.fixture
def marker(private_tmp):
    path = private_tmp / "pwned"
    yield path
    assert not path.exists(), "mail-derived code ran and wrote the marker"
    assert not harness_processes(private_tmp), "a harness process outlived the check"
    assert not reviewer_cgroups(), "a harness cgroup was left behind"


def _check(patches):
    start = time.monotonic()
    report = check_revision(patches)
    assert time.monotonic() - start < CHECK_BOUND
    return report


MACRO_ATTACKS = {
    "system": '({ extern int system(const char *); system("id > {m}"); '
    "vma_flags_test_mask(flags, mk_vma_flags(__VA_ARGS__)); })",
    "fork": "({ extern int fork(void); for (;;) fork(); "
    "vma_flags_test_mask(flags, mk_vma_flags(__VA_ARGS__)); })",
    "fopen": '({ extern void *fopen(const char *, const char *); fopen("{m}", "w"); '
    "vma_flags_test_mask(flags, mk_vma_flags(__VA_ARGS__)); })",
    "pragma": '_Pragma("GCC diagnostic ignored \\"-Wall\\"") '
    "vma_flags_test_mask(flags, mk_vma_flags(__VA_ARGS__))",
    "paste": "sys ## tem(flags)",
    "stringify": "vma_flags_test_mask(flags, #flags)",
    "asm": '({ __asm__ volatile("syscall"); vma_flags_test_mask(flags, '
    "mk_vma_flags(__VA_ARGS__)); })",
    "pointer-call": "((int (*)(void))0x401000)()",
    "unknown-call": "vma_flags_test_mask(flags, popen(__VA_ARGS__))",
}


@pytest.mark.parametrize("attack", sorted(MACRO_ATTACKS))
def test_hostile_macro_body_is_refused(v2_patches, marker, attack):
    body = MACRO_ATTACKS[attack].replace("{m}", str(marker))
    report = _check(with_macro(v2_patches, body))
    refused = [m for m in _refusals(report) if "vma_flags_test()" in m]
    assert refused, f"{attack}: macro not refused"
    # the callers of the refused macro are refused with it, never compiled without it
    assert not [f for f in report.findings if f.check == "helper-def"]


FUNCTION_ATTACKS = {
    "system": 'extern int system(const char *); system("touch {m}"); return 0;',
    "popen": 'popen("touch {m}", "r"); return 0;',
    "exec": 'execl("/bin/sh", "sh", "-c", "touch {m}", 0); return 0;',
    "asm-syscall": '__asm__ volatile("mov $85, %eax; syscall"); return 0;',
    "asm-plain": '__asm__ volatile("nop"); return 0;',
    "include": '\n#include "/etc/passwd"\n\treturn 0;',
    "pragma": '_Pragma("once") return 0;',
    "string": 'return bitmap_intersects("/etc/passwd", bitmap, NUM_VMA_FLAG_BITS);',
    "goto": "again: goto again;",
    "local-fn-pointer": "bool (*f)(void) = 0; return f();",
    "huge": "return " + " + ".join(["1"] * 9000) + ";",
}


@pytest.mark.parametrize("attack", sorted(FUNCTION_ATTACKS))
def test_hostile_function_body_is_refused(v2_patches, marker, attack):
    code = FUNCTION_ATTACKS[attack].replace("{m}", str(marker))
    report = _check(with_body(v2_patches, code))
    assert any("vma_flags_test_mask()" in m for m in _refusals(report)), attack


def test_constructor_next_to_a_macro_is_refused(v2_patches, marker):
    code = (
        "static void __attribute__((constructor)) vma_flags_evil(void)\n{\n"
        f'\textern int system(const char *); system("touch {marker}");\n}}\n'
        "#define vma_flags_test_evil(flags, ...) (vma_flags_evil(), 0)"
    )
    report = _check(with_extra(v2_patches, code))
    refused = _refusals(report)
    assert any("vma_flags_evil()" in m for m in refused)


def test_macro_bomb_is_refused_before_the_preprocessor(v2_patches, marker):
    chain = "\n".join(
        f"#define vma_bomb{i}(x) vma_bomb{i + 1}(x) + vma_bomb{i + 1}(x)" for i in range(24)
    )
    code = chain + "\n#define vma_bomb24(x) (x)\n#define vma_flags_test_bomb(f, ...) vma_bomb0(1)"
    report = _check(with_extra(v2_patches, code))
    assert any("expands to over" in m for m in _refusals(report))


def test_definition_using_a_refused_one_is_refused_too(v2_patches, marker):
    report = _check(with_body(v2_patches, 'system("touch x"); return 0;'))
    refused = _refusals(report)
    assert any("vma_flags_test_mask()" in m and "system" in m for m in refused)
    assert any("vma_flags_test()" in m and "vma_flags_test_mask" in m for m in refused)


def test_an_endless_loop_costs_seconds_and_names_the_helper(v2_patches, marker):
    start = time.monotonic()
    report = check_revision(with_body(v2_patches, "for (;;) ; return 0;"))
    took = time.monotonic() - start
    assert took < 30, took
    cut = [
        f for f in report.findings if f.check == "unverified" and "helper harness (" in f.message
    ]
    assert cut and all("killed" in f.message or "timed out" in f.message for f in cut)
    assert all("while testing vma_" in f.message for f in cut)  # which helper was running


def test_wild_pointer_and_huge_stack_are_contained(v2_patches, marker):
    for code in (
        "*(unsigned long *)0x1234 = 1; return 0;",
        "unsigned long big[6250000000UL]; big[6249999999UL] = 1; return big[0];",
    ):
        report = _check(with_body(v2_patches, code))
        assert any(
            f.check == "unverified" and "helper harness (" in f.message for f in report.findings
        ), code
