"""CheckReport <-> JSON (the lead stores reports in the database by content hash)."""

from __future__ import annotations

import json

import pytest

from reviewer.errors import ReviewerError
from reviewer.flagmodel.findings import CheckReport, Finding


def test_real_report_round_trips_through_json(v2_report):
    data = json.loads(json.dumps(v2_report.to_json()))
    back = CheckReport.from_json(data)
    assert back.to_json() == v2_report.to_json()
    assert [f.id for f in back.sorted_findings()] == [f.id for f in v2_report.sorted_findings()]
    assert back.count("warning") == v2_report.count("warning") >= 1


def test_round_trip_keeps_every_field():
    report = CheckReport(tree_state="S1", final_state="S2", state_source="tree /x")
    report.verified, report.unverified = 3, 1
    report.notes.append("patch 1 a.c:2: assumes x still holds its visible initialiser")
    report.add(Finding("warning", "dup-drift", 2, "a.h", 7, "differs", "tokens: + x"))
    back = CheckReport.from_json(report.to_json())
    assert back.findings == report.findings
    assert (back.verified, back.unverified, back.notes) == (3, 1, report.notes)
    assert (back.tree_state, back.final_state, back.state_source) == ("S1", "S2", "tree /x")


@pytest.mark.parametrize("bad", [{}, {"findings": [{"severity": "error"}]}, {"findings": 3}])
def test_malformed_stored_report_is_one_clear_error(bad):
    with pytest.raises(ReviewerError, match="malformed"):
        CheckReport.from_json(bad)
