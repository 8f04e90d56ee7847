"""The flag model checks a patch with the fix-ups posted in reply to it (issue 15 item 8).

The real case: v2 7/13 changes mlock_future_ok()'s flags word into `bool is_vma_locked` and
converts every caller it shows; the caller in check_brk_limits() (mm/mmap.c) is not in the patch,
and Lorenzo's fix-up in reply converts it. Without a tree the check could not see that caller;
the fix-up's own lines show it, so the patch as posted gets the bool-param error, marked as
resolved by the fix-up."""

from __future__ import annotations

import dataclasses
import json

import pytest

from reviewer.flagmodel.findings import CheckReport, FixupEffect
from reviewer.flagmodel.fixup_check import FixupMode, check_with_fixups
from reviewer.flagmodel.report_text import findings_section, shown_counts, text_lines

FIXUP_7 = "3aab9ab1-74b4-405e-9efb-08fc2500c06e@lucifer.local"
MISSED = "mlock_future_ok() now takes bool is_vma_locked but this caller still passes"


@pytest.fixture(scope="module")
def compared(v2_patches):
    return check_with_fixups(v2_patches, mode=FixupMode.COMPARE, helpers=False)


def _missed(report: CheckReport):
    return [f for f in report.findings if f.check == "bool-param" and MISSED in f.message]


def test_as_posted_the_missed_caller_is_an_error_resolved_by_the_fixup(compared):
    [f] = _missed(compared)
    assert (f.severity, f.patch, f.file, f.line) == ("error", 7, "mm/mmap.c", 111)
    assert "'current->mm->def_flags'" in f.message
    assert f.fixup_effect == FixupEffect.RESOLVED.value and f.fixups == [FIXUP_7]
    # the series as it stands (fix-ups included) has no error left: counts and exit code agree
    assert compared.count("error") == 0 and shown_counts(compared).error == 0
    assert compared.resolved() == 1


def test_without_fixups_the_caller_is_not_seen(v2_patches):
    posted = check_with_fixups(v2_patches, mode=FixupMode.POSTED, helpers=False)
    assert _missed(posted) == [] and posted.fixups == []
    folded = check_with_fixups(v2_patches, mode=FixupMode.FOLDED, helpers=False)
    assert _missed(folded) == []
    assert {x["patch"] for x in folded.fixups} == {7, 8, 12}


def test_the_text_says_what_each_fixup_touches_and_changes(compared):
    text = text_lines(compared)
    assert text[0].endswith("0 errors, 8 warnings, 1 info (+1 resolved by fix-ups in replies)")
    assert (
        "Fix-up to patch 7 from Lorenzo Stoakes (mm/mmap.c: check_brk_limits()): folded in; "
        "resolves 1 finding(s) of the patch as posted, introduces 0"
    ) in "\n".join(text)
    line = next(x for x in findings_section(compared) if MISSED in x)
    assert line.startswith("- [error] patch 7 mm/mmap.c:111 (bool-param)")
    assert line.endswith("[as posted; resolved by the fix-up from Lorenzo Stoakes]")


def test_json_keeps_the_fixup_fields(compared):
    data = json.loads(json.dumps(compared.to_json()))
    [f] = [x for x in data["findings"] if MISSED in x["message"]]
    assert f["fixup_effect"] == "resolved" and f["fixups"] == [FIXUP_7]
    assert {"id", "severity", "check", "patch", "file", "line", "message"} <= set(f)
    summary = next(x for x in data["fixups"] if x["patch"] == 7)
    assert summary["touches"] == "mm/mmap.c: check_brk_limits()" and summary["resolved"] == 1
    again = CheckReport.from_json(data)
    assert again.fixups == compared.fixups and again.resolved() == 1


def test_a_fixup_that_breaks_a_caller_is_introduced_on_its_lines(v2_patches):
    """A fix-up (built from 7/13's real do_mmap() lines) that undoes the patch's conversion of a
    caller: the error exists only with the fix-up folded in, on the fix-up's line."""
    bad = (
        "diff --git a/mm/mmap.c b/mm/mmap.c\n--- a/mm/mmap.c\n+++ b/mm/mmap.c\n"
        "@@ -416,7 +416,7 @@ unsigned long do_mmap(struct file *file, unsigned long addr,\n"
        " \t\tif (!can_do_mlock())\n \t\t\treturn -EPERM;\n \n"
        "-\tif (!mlock_future_ok(mm, vm_flags & VM_LOCKED, len))\n"
        "+\tif (!mlock_future_ok(mm, vm_flags, len))\n"
        " \t\treturn -EAGAIN;\n \n \tif (file) {\n"
    )
    patch = v2_patches[6]
    fixup = dataclasses.replace(patch.fixups[0], message_id="bad@x", diff=bad)
    patches = list(v2_patches)
    patches[6] = dataclasses.replace(patch, fixups=[fixup])
    report = check_with_fixups(patches[:7], mode=FixupMode.COMPARE, helpers=False)
    [f] = [x for x in _missed(report) if x.fixup_effect == FixupEffect.INTRODUCED.value]
    assert (f.file, f.line, f.fixups) == ("mm/mmap.c", 419, ["bad@x"])
    assert "'vm_flags'" in f.message
    errors = [x for x in report.findings if x.severity == "error"]
    assert {x.check for x in errors} == {"bool-param", "equivalence"}  # both see it
    assert {(x.line, x.fixup_effect, tuple(x.fixups)) for x in errors} == {
        (419, FixupEffect.INTRODUCED.value, ("bad@x",))
    }
    assert report.count("error") == 2
    assert any(x.endswith("[with the fix-up from Lorenzo Stoakes folded in]")
               for x in findings_section(report))  # fmt: skip


def test_a_fixup_that_does_not_fold_is_unverified_not_a_crash(v2_patches):
    patch = v2_patches[7]
    wrong = patch.fixups[0].diff.replace(" * @size: size to be set for the file", " * @size: x", 1)
    patches = list(v2_patches[:8])
    patches[7] = dataclasses.replace(
        patch, fixups=[dataclasses.replace(patch.fixups[0], diff=wrong)]
    )
    report = check_with_fixups(patches, mode=FixupMode.COMPARE, helpers=False)
    [note] = [f for f in report.findings if f.check == "unverified" and "not folded" in f.message]
    assert note.patch == 8 and "mm/shmem.c" in note.message
    assert any("not folded in, checked as posted only" in x for x in text_lines(report))
