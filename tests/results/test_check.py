"""Check reports stored by content hash: reused while nothing changed, re-run when it did."""

from __future__ import annotations

import dataclasses

import pytest

from reviewer.results import check as check_results
from reviewer.results.check import checked_revision, latest_counts, latest_report
from reviewer.store.core import Store


@pytest.fixture
def db_path(any_db):
    """Every test here runs on SQLite and on PostgreSQL (tests/fixtures_postgres.py)."""
    return any_db


@pytest.fixture
def v2(tracked, db_path):
    store = Store.open(db_path)
    return store, store.load_series(1).latest


def test_a_stored_report_is_reused_without_running_the_model(v2, monkeypatch):
    store, revision = v2
    first = checked_revision(store, revision)
    assert first.count("warning") >= 1 and first.verified > 0

    def must_not_run(*_args, **_kwargs):
        raise AssertionError("the check ran again although nothing changed")

    monkeypatch.setattr("reviewer.flagmodel.check.check_revision", must_not_run)
    again = checked_revision(store, revision)
    assert again.to_json() == first.to_json()
    assert latest_report(store, revision.message_id).to_json() == first.to_json()
    # the stored counts are the ones every surface shows: unverified blocks are not info
    from reviewer.flagmodel.report_text import shown_counts

    assert latest_counts(store)[revision.message_id] == shown_counts(first).as_tuple()
    assert shown_counts(first).info == sum(
        1 for f in first.findings if f.severity == "info" and f.check != "unverified"
    )


def test_a_changed_diff_is_checked_again(v2):
    store, revision = v2
    before = check_results.content_hash(revision, None)
    patched = dataclasses.replace(revision, patches=list(revision.patches))
    patched.patches[9] = dataclasses.replace(
        revision.patches[9], diff=revision.patches[9].diff.replace("vma_flags", "vm_flags", 1)
    )
    assert check_results.content_hash(patched, None) != before
    assert check_results.content_hash(revision, None) == before


def test_review_stores_the_report_it_prints(tracked, db_path):
    from tests.conftest import V2

    tracked("review", "--offline", V2)
    store = Store.open(db_path)
    assert store.load_series(1).latest.message_id in latest_counts(store)


def test_only_the_newest_reports_of_a_revision_are_kept(v2):
    from reviewer.flagmodel.findings import CheckReport
    from reviewer.results.check import KEEP, save_report

    store, revision = v2
    for n in range(KEEP + 3):
        save_report(store, revision, f"key-{n}", CheckReport(verified=n))
    rows = store.conn.execute(
        "SELECT content_hash FROM check_results WHERE revision_message_id = ?",
        (revision.message_id,),
    ).fetchall()
    assert sorted(key for (key,) in rows) == sorted(f"key-{n}" for n in range(3, KEEP + 3))
    assert latest_report(store, revision.message_id).verified == KEEP + 2
