"""The checks against the ground truth of the real March 2026 series (march_ground_truth.py):
every mistake v3/v4 fixed is flagged at its line in v1 and v2, and the merged v4 gets no
error from these checks except on the real bugs fixed after it."""

from __future__ import annotations

import pytest

from reviewer.flagmodel import checks
from reviewer.flagmodel.findings import CheckReport
from reviewer.flagmodel.patch_view import view_of
from tests.flagmodel import march
from tests.flagmodel.march_ground_truth import LATER_FIXED, MISTAKES, expected

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
# Need the base tree (--repo): the write lock they are read before is not in the patch.
NEEDS_TREE = {"expand-target-sticky-before-lock", "expand-next-sticky-before-lock"}


def _report(rev: str, repo=None) -> CheckReport:
    report = CheckReport()
    checks.run_all([view_of(p) for p in march.revision(rev)], report, repo)
    return report


@pytest.fixture(scope="module")
def reports():
    return {rev: _report(rev) for rev in ("v1", "v2", "v4")}


def _hit(report: CheckReport, m) -> bool:
    return any(
        f.check == m.detector
        and f.patch == m.patch
        and f.file == m.file
        and f.line == m.line
        and SEVERITY_RANK[f.severity] >= SEVERITY_RANK[m.severity]
        for f in report.findings
    )


@pytest.mark.parametrize(
    "mistake",
    [m for rev in ("v1", "v2") for m in expected(rev) if m.key not in NEEDS_TREE],
    ids=lambda m: f"{m.revision}-{m.key}",
)
def test_ground_truth_mistake_flagged_at_its_line(reports, mistake):
    assert _hit(reports[mistake.revision], mistake), mistake


def test_every_v2_ground_truth_mistake_flagged_with_the_tree(tmp_path):
    """With the pre-image of mm/vma.c (rebuilt from the real hunks' old sides) as --repo, the
    sticky-flag reads of vma_expand() are flagged too: all of v2's ground truth."""
    text = march.pre_image("mm/vma.c", march.patch("v2", 5), march.patch("v4", 5))
    repo = march.git_tree(tmp_path, {"mm/vma.c": text})
    report = _report("v2", repo)
    missed = [m.key for m in expected("v2") if not _hit(report, m)]
    assert missed == []


def test_v4_errors_only_on_real_bugs(reports):
    errors = {(f.patch, f.file, f.line) for f in reports["v4"].findings if f.severity == "error"}
    real = {(m.patch, m.file, m.line) for m in LATER_FIXED}
    assert errors == real


def test_v4_has_no_ground_truth_mistake_left(reports):
    """The v3/v4 fixes are seen as fixes: nothing is reported at the places v1/v2 got wrong."""
    fixed_checks = {m.detector for m in MISTAKES if m.detector}
    later = {m.detector for m in LATER_FIXED}
    left = [f for f in reports["v4"].findings if f.check in fixed_checks - later]
    assert left == []
