"""reviewer state: show and set states from the command line; list filters by them."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def db_path(any_db):
    """Every test here runs on SQLite and on PostgreSQL (tests/fixtures_postgres.py)."""
    return any_db


def test_state_shows_every_revision(tracked) -> None:
    result = tracked("state", "1")
    assert result.code == 0, result.err
    assert "v1-RESEND" in result.out and "v2" in result.out


def test_set_state_and_filter_list(tracked) -> None:
    assert tracked("state", "1", "changes-requested").code == 0
    shown = json.loads(tracked("state", "--json", "1").out)
    assert shown["state"] == "changes-requested"
    assert shown["revisions"][-1] == {
        "label": "v2",
        "message_id": "cover.1769097829.git.lorenzo.stoakes@oracle.com",
        "state": "changes-requested",
        "by_hand": True,
        "note": "",
    }
    listed = json.loads(tracked("list", "--json", "--state", "changes-requested").out)
    assert [s["id"] for s in listed] == [1]
    assert json.loads(tracked("list", "--json", "--state", "new").out) == []


def test_auto_forgets_hand_states(tracked) -> None:
    tracked("state", "1", "archived")
    assert tracked("state", "--auto", "1").code == 0
    assert json.loads(tracked("state", "--json", "1").out)["state"] == "new"


def test_bad_state_is_one_line_error(tracked) -> None:
    result = tracked("state", "1", "merged")
    assert result.code == 2
    assert result.err.count("\n") == 1 and "unknown state" in result.err


def test_state_and_auto_together_is_refused(tracked) -> None:
    assert tracked("state", "1", "new", "--auto").code == 2
