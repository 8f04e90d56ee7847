"""What a check could not run is said wherever its counts are (issue 15 item 2)."""

from __future__ import annotations

import json

from reviewer.store.core import Store

M32 = "helper harness: -m32 unavailable, 32-bit run skipped"


def _store_partial_report(db_path):
    """A stored report of v2 that, as on a machine without gcc-multilib, skipped the -m32 run."""
    from reviewer.flagmodel.findings import CheckReport, Finding
    from reviewer.results.check import save_report

    store = Store.open(db_path)
    revision = store.load_series(1).latest
    report = CheckReport(tree_state="S1", final_state="S2", notes=[M32], verified=5)
    report.add(Finding("warning", "equivalence", 3, "mm/x.c", 1, "w"))
    save_report(store, revision, "k", report)
    store.close()


def test_list_marks_and_explains_a_partial_check(tracked, db_path):
    _store_partial_report(db_path)
    out = tracked("list").out.splitlines()
    assert out[1].split()[5] == "E0/W1/I0!"
    assert out[-1] == f"! series 1: not run: {M32} (install gcc-multilib)"
    (series,) = json.loads(tracked("list", "--json").out)
    assert series["check"]["not_run"] == [f"{M32} (install gcc-multilib)"]


def test_review_first_findings_line_says_not_run(tracked):
    out = tracked("review", "1").out
    first = out.split("\nFindings:\n", 1)[1].splitlines()[0]
    # this machine has gcc -m32 (CI installs gcc-multilib): nothing skipped, nothing said
    from reviewer.flagmodel import sandbox

    if sandbox.can_compile("-m32"):
        assert "NOT RUN" not in first
    else:
        assert "NOT RUN: helper harness: -m32 unavailable" in first
