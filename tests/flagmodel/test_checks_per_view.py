"""A check that reads each patch view on its own (checks.PER_VIEW) runs once per view: its
findings are kept on the view and replayed, in the same order and as fresh copies, when the same
view is checked again (the fix-up compare mode checks the unchanged patches twice)."""

from __future__ import annotations

import importlib

from reviewer.flagmodel import checks
from reviewer.flagmodel.findings import CheckReport
from reviewer.flagmodel.patch_view import view_of
from tests.flagmodel import march


def _spy(monkeypatch, module: str) -> list[int]:
    """The real check's run, counting the views it reads."""
    mod = importlib.import_module(f"reviewer.flagmodel.checks.{module}")
    real, seen = mod.run, []

    def run(views, report, repo):
        seen.extend(v.index for v in views)
        return real(views, report, repo)

    monkeypatch.setattr(mod, "run", run)
    return seen


def _run(views) -> CheckReport:
    report = CheckReport()
    checks.run_one("write-once", "write_once", views, report, None)
    return report


def test_per_view_findings_are_replayed_not_recomputed(monkeypatch):
    assert "write-once" in checks.PER_VIEW
    seen = _spy(monkeypatch, "write_once")
    views = [view_of(march.patch("v2", 21)), view_of(march.patch("v2", 22))]
    first = _run(views)
    assert seen == [21, 22]
    first.findings[0].fixup_effect = "resolved"  # what the fix-up merge does to a report
    again = _run(views)
    assert seen == [21, 22]  # nothing read again
    assert [(f.file, f.line, f.message) for f in again.findings] == [
        (f.file, f.line, f.message) for f in first.findings
    ]
    assert {(f.file, f.line) for f in again.findings} == {
        ("mm/mlock.c", 446),
        ("mm/mlock.c", 454),
        ("mm/mprotect.c", 772),
    }
    assert all(f.fixup_effect == "" for f in again.findings)  # copies, not the first report's
    other = [view_of(march.patch("v2", 22))]  # another view of the same patch: read again
    assert [f.id for f in _run(other).findings] == [f.id for f in again.findings]
    assert seen == [21, 22, 22]


def test_a_failing_view_keeps_what_came_before_it(monkeypatch):
    mod = importlib.import_module("reviewer.flagmodel.checks.write_once")
    real = mod.run

    def run(views, report, repo):
        if views[0].index == 23:
            raise ValueError("odd input")
        return real(views, report, repo)

    monkeypatch.setattr(mod, "run", run)
    views = [view_of(march.patch("v2", 22)), view_of(march.patch("v2", 23))]
    report = _run(views)
    assert len([f for f in report.findings if f.check == "write-once"]) == 3
    [failed] = [f for f in report.findings if f.check == "unverified"]
    assert "write-once could not run" in failed.message and report.unverified == 1
