"""The typed constants are exactly the strings the JSON documents, the docs and the store use:
turning bare strings into enums changed no byte of output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reviewer.apply.am import ApplyStatus
from reviewer.apply.verify import VerifyStatus
from reviewer.compare.revisions import compare_revisions
from reviewer.constants import (
    COUNTED_TRAILERS,
    LIVE_TRAILERS,
    TRAILER_CODES,
    UNCHANGED_CODE,
    OwnState,
    PairClass,
    SeriesState,
    TrailerStatus,
)
from reviewer.flagmodel.findings import CheckReport, Finding, Severity
from reviewer.models import Series
from reviewer.store.core import Store
from tests.helpers_minitree import synthetic_revisions

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_enum_values_are_the_json_strings():
    assert [str(c) for c in PairClass] == [
        "identical", "rebase-only", "message-only", "code-changed", "added", "removed",
    ]  # fmt: skip
    assert [str(s) for s in TrailerStatus] == ["ok", "mismatch", "carried", "stale"]
    assert [str(s) for s in SeriesState] == [
        "new", "reviewing", "changes-requested", "superseded", "applied", "archived",
    ]  # fmt: skip
    assert [str(s) for s in OwnState] == [
        "new", "reviewing", "changes-requested", "done", "dropped",
    ]  # fmt: skip
    assert [str(s) for s in Severity] == ["error", "warning", "info"]
    assert [str(s) for s in ApplyStatus] == ["applied", "applied with 3-way", "failed"]
    assert [str(s) for s in VerifyStatus] == [
        "identical", "message-or-trailers-edited", "code-differs", "not-found",
    ]  # fmt: skip
    # a member serialises as its bare string, as a value and as a key
    doc = {"classification": PairClass.CODE_CHANGED, Severity.ERROR: 1, "s": TrailerStatus.OK}
    assert json.dumps(doc) == '{"classification": "code-changed", "error": 1, "s": "ok"}'
    assert f"{PairClass.REBASE_ONLY:<13}|" == "rebase-only  |"


def test_sets_derived_from_the_enums():
    assert {"identical", "rebase-only", "message-only"} == UNCHANGED_CODE
    assert LIVE_TRAILERS == ("ok", "carried")
    assert {TRAILER_CODES[n] for n in COUNTED_TRAILERS} == {"A", "R", "T"}


def _documented(path: Path, pattern: str) -> list[str]:
    return re.findall(pattern, path.read_text(encoding="utf-8"), flags=re.M)


def test_docs_name_the_same_values():
    classes = _documented(DOCS / "apply-compare.md", r"^\| `([a-z-]+)`(?: / `([a-z-]+)`)? \|")
    assert {c for pair in classes for c in pair if c} >= set(PairClass)
    section = (DOCS / "json.md").read_text(encoding="utf-8").split("`status` is one of:")[1]
    statuses = re.findall(r"^- `([a-z]+)`:", section, flags=re.M)
    assert statuses == ["ok", "mismatch", "carried", "stale"] == list(TrailerStatus)
    text = (DOCS / "apply-compare.md").read_text(encoding="utf-8")
    assert "Per patch: " + " | ".join(f"`{s}`" for s in ApplyStatus) in text
    verify = re.search(r"Per patch: (`identical`.+?`not-found`)", text, flags=re.DOTALL)[1]
    assert re.findall(r"`([a-z-]+)`", verify) == list(VerifyStatus)
    chain = _documented(DOCS / "tracking.md", r"^`(new -> [a-z> -]+)`$")[0]
    assert chain.split(" -> ") == list(SeriesState)


@pytest.fixture(scope="module")
def synth():
    return synthetic_revisions()


def test_compare_json_carries_the_enum_strings(synth):
    doc = compare_revisions(synth["v1"], synth["v2"]).to_json()
    kinds = [p["classification"] for p in doc["patches"]]
    assert kinds and all(isinstance(k, PairClass) for k in kinds)
    text = json.dumps(doc)
    assert json.loads(text)["patches"] == [
        {**p, "classification": str(p["classification"])} for p in doc["patches"]
    ]
    assert re.findall(r'"classification": "([a-z-]+)"', text) == [k.value for k in kinds]
    assert PairClass.CODE_CHANGED in kinds  # the synthetic v2 changes code
    assert "PairClass" not in text


def test_check_json_counts_and_severities():
    report = CheckReport()
    report.add(Finding(Severity.WARNING, "dup-drift", 1, "mm/x.c", 3, "m"))
    doc = report.to_json()
    assert list(doc["counts"]) == ["error", "warning", "info"]
    assert json.dumps(doc["counts"]) == '{"error": 0, "warning": 1, "info": 0}'
    assert '"severity": "warning"' in json.dumps(doc["findings"])
    again = CheckReport.from_json(json.loads(json.dumps(doc)))
    assert again.findings[0].severity == Severity.WARNING
    assert again.to_json() == doc


def test_store_keeps_the_bare_strings(any_db, synth):
    store = Store.open(any_db, actor="T <t@example.org>")
    revisions = list(synth.values())
    statuses = {t.status for r in revisions for p in r.patches for t in p.trailers}
    assert statuses & {TrailerStatus.CARRIED, TrailerStatus.STALE}  # carried on parse
    with store.transaction():
        series_id = store.create_series(revisions[-1].subject, revisions[-1].author)
        store.replace_revisions(series_id, revisions)
    rows = store.conn.execute("SELECT DISTINCT status FROM trailers").fetchall()
    assert {type(r["status"]) for r in rows} == {str}
    assert {r["status"] for r in rows} == {str(s) for s in statuses}
    loaded: Series = store.load_series(series_id)
    assert loaded.state == SeriesState.NEW == "new"
    got = [t.status for r in loaded.revisions for p in r.patches for t in p.trailers]
    want = [t.status for r in revisions for p in r.patches for t in p.trailers]
    assert got == want
    with store.transaction():  # an enum as a query parameter, on both backends
        store.set_series_state(series_id, SeriesState.CHANGES_REQUESTED, True)
    assert store.series_ids(SeriesState.CHANGES_REQUESTED) == [series_id]
    assert store.series_ids("changes-requested") == [series_id]
    store.close()
