"""Series states: derived from the revisions, replies and applied facts; set by hand."""

from __future__ import annotations

import pytest

from reviewer.errors import ReviewerError
from reviewer.store.core import Store, resolve_revision
from reviewer.tracking import states


@pytest.fixture
def db_path(any_db):
    """Every test here runs on SQLite and on PostgreSQL (tests/fixtures_postgres.py)."""
    return any_db


LIAM = "liam.howlett@oracle.com"  # replied with Reviewed-by in the v2 thread


@pytest.fixture
def store(tracked, db_path) -> Store:
    return Store.open(db_path)


def _states(store: Store) -> list[tuple[str, str, bool]]:
    series = store.load_series(1)
    return [(s.label, s.state, s.by_hand) for s in states.revision_states(store, series)]


def _refresh(store: Store, **kwargs) -> list[str]:
    with store.transaction():
        return states.refresh(store, store.load_series(1), **kwargs)


def test_older_revisions_are_superseded(store) -> None:
    changes = _refresh(store)
    assert _states(store) == [
        ("v1", "superseded", False),
        ("v1-RESEND", "superseded", False),
        ("v2", "new", False),
    ]
    assert "v1 superseded by v2" in changes
    assert store.load_series(1).state == "new"
    assert _refresh(store) == []


def test_reply_from_the_user_means_reviewing(store) -> None:
    changes = _refresh(store, user_email=LIAM)
    assert _states(store)[-1] == ("v2", "reviewing", False)
    assert "series state: new -> reviewing" in changes
    assert store.series_ids("reviewing") == [1]


def test_applied_overrides_hand_workflow_state(store) -> None:
    series = store.load_series(1)
    states.set_by_hand(store, series, "changes-requested")
    v2 = series.latest.message_id
    changes = _refresh(store, applied={v2: "mm-stable"})
    assert "v2 applied to mm-stable" in changes
    assert store.load_series(1).state == "applied"
    assert _refresh(store) == []  # stays applied once found


def test_set_by_hand_sticks_until_auto(store) -> None:
    series = store.load_series(1)
    assert states.set_by_hand(store, series, "changes-requested") == "changes-requested"
    _refresh(store, user_email=LIAM)
    assert _states(store)[-1] == ("v2", "changes-requested", True)
    states.clear_hand(store, store.load_series(1), LIAM)
    assert _states(store)[-1] == ("v2", "reviewing", False)


def test_archived_series_stays_archived(store) -> None:
    states.set_by_hand(store, store.load_series(1), "archived")
    _refresh(store, user_email=LIAM)
    assert store.load_series(1).state == "archived"
    states.set_by_hand(store, store.load_series(1), "reviewing")
    assert store.load_series(1).state == "reviewing"


def test_workflow_state_on_an_old_revision_is_refused(store) -> None:
    series = store.load_series(1)
    with pytest.raises(ReviewerError, match="superseded by v2") as raised:
        states.set_by_hand(store, series, "reviewing", resolve_revision(series, "v1"))
    assert str(raised.value).endswith("; 'reviewing' applies to the latest revision")


def test_unknown_state_is_refused(store) -> None:
    with pytest.raises(ReviewerError, match="unknown state") as raised:
        states.set_by_hand(store, store.load_series(1), "merged")
    assert str(raised.value) == (
        "unknown state 'merged' (one of: new, reviewing, changes-requested, superseded, applied,"
        " archived)"
    )


def test_partly_on_a_branch_is_noted_when_it_changes(store) -> None:
    v2 = store.load_series(1).latest.message_id
    partial = {v2: "3/13 patches on mm-stable"}
    assert "3/13 patches of v2 on mm-stable" in _refresh(store, on_branch=partial)
    assert _states(store)[-1] == ("v2", "new", False)
    assert not any("patches of" in line for line in _refresh(store, on_branch=partial))
    assert not any("patches of" in line for line in _refresh(store, on_branch={}))
    assert states.revision_states(store, store.load_series(1))[-1].note == ""
