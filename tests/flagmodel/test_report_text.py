"""The text of a check report: one set of counts, what did not run, findings grouped by cause
and explained in a reviewer's words (issue 15 items 2, 4, 7)."""

from __future__ import annotations

from reviewer.flagmodel.findings import CheckReport, Finding
from reviewer.flagmodel.report_text import (
    b4_results,
    findings_section,
    shown_counts,
    text_lines,
)

M32 = "helper harness: -m32 unavailable, 32-bit run skipped"


def _report(notes=()) -> CheckReport:
    report = CheckReport(tree_state="S1", final_state="S2", state_source="pre-image lines")
    report.verified, report.unverified = 10, 2
    report.notes += list(notes)
    report.add(Finding("warning", "equivalence", 1, "a.c", 3, "w"))
    report.add(Finding("info", "locking", 1, "a.c", 9, "i"))
    report.add(Finding("info", "unverified", 2, "b.c", 1, "u1"))
    report.add(Finding("info", "unverified", 2, "b.c", 5, "u2"))
    return report


def test_what_did_not_run_is_on_the_first_line():
    report = _report(["patch 1 a.c:2: assumes x still holds its visible initialiser", M32])
    expected = f"NOT RUN: {M32} (install gcc-multilib)"
    assert text_lines(report)[0].endswith(expected)
    assert findings_section(report)[0].endswith(expected)
    assert expected in b4_results(report)[0]["summary"]
    assert "assumes x" not in text_lines(report)[0]  # an assumption is not a skipped part


def test_no_gcc_says_install_gcc():
    report = _report(["helper harness skipped: gcc not found"])
    assert text_lines(report)[0].endswith("NOT RUN: helper harness skipped: gcc not found "
                                          "(install gcc)")  # fmt: skip
    assert "NOT RUN" not in text_lines(_report())[0]


def test_one_set_of_counts_unverified_apart():
    report = _report()
    counts = shown_counts(report)
    assert (counts.error, counts.warning, counts.info, counts.unverified) == (0, 1, 1, 2)
    head = findings_section(report)[0]
    assert "0 errors, 1 warnings, 1 info" in head
    assert "2 unverified (not shown: check -v lists them)" in head
    assert text_lines(report, verbose=True)[0].count("not shown") == 0


def test_states_in_words_not_codes(v2_report):
    text = "\n".join(findings_section(v2_report) + text_lines(v2_report))
    assert "Tree state" not in text and "S1 -> S2" not in text
    assert "Kernel helper API: v6.19 -> v7.0" in text


def test_findings_with_one_cause_are_one_entry_with_a_readable_diff(v2_report):
    section = findings_section(v2_report)
    drift = [line for line in section if "(dup-drift)" in line]
    assert len(drift) < sum(1 for f in v2_report.findings if f.check == "dup-drift")
    grouped = next(line for line in drift if "functions differ the same way" in line)
    assert "vma_flags_set_word()" in grouped and "vma_flags_clear_word()" in grouped
    text = "\n".join(section)
    assert "tokens:" not in text and "- unsigned - long" not in text
    # each group shows a small unified diff of the two copies, from the copies' own lines
    at = section.index(grouped)
    assert section[at + 1 : at + 7] == [
        "    e.g. vma_flags_overwrite_word_once():",
        "    --- include/linux/mm_types.h (patch 1)",
        "    +++ tools/testing/vma/include/dup.h (patch 12)",
        "     {",
        "    -    unsigned long *bitmap = flags->__vma_flags;",
        "    +    unsigned long *bitmap = ACCESS_PRIVATE(flags, __vma_flags);",
    ]
    single = next(line for line in drift if "vma_flags_overwrite_word() differs" in line)
    at = section.index(single)
    assert section[at + 1] == "    the two copies:"
    assert "    +    *ACCESS_PRIVATE(flags, __vma_flags) = value;" in section[at + 2 : at + 10]


def test_dup_drift_carries_both_copies_in_json(v2_report):
    data = v2_report.to_json()
    drift = next(f for f in data["findings"] if f["check"] == "dup-drift")
    assert [c["file"] for c in drift["copies"]] == [
        "include/linux/mm.h" if "vma_flag_set" in drift["message"] else "include/linux/mm_types.h",
        "tools/testing/vma/include/dup.h",
    ]
    assert "ACCESS_PRIVATE(flags, __vma_flags)" not in drift["copies"][0]["text"]
    assert "ACCESS_PRIVATE(flags, __vma_flags)" in drift["copies"][1]["text"]
    assert "counterexample" in drift and drift["counterexample"].startswith("tokens: ")
    again = CheckReport.from_json(data)
    assert [f.copies for f in again.sorted_findings()] == [
        f.copies for f in v2_report.sorted_findings()
    ]


def test_call_results_in_words(v2_report):
    text = "\n".join(findings_section(v2_report))
    assert "#1" not in text
    assert "mlock_future_ok() returns false" in text
