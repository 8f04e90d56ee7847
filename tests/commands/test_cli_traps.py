"""The CLI traps a new user falls into (issue 15 item 11)."""

from __future__ import annotations

import json

from tests.conftest import RESEND, V1, V2


def test_global_db_before_subcommand_is_used(cli, db_path, capsys):
    from reviewer.cli import main

    assert cli("track", "--offline", V1, RESEND, V2).code == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "--json", "list"]) == 0
    (series,) = json.loads(capsys.readouterr().out)
    assert series["id"] == 1
    # and after the subcommand they still work, and win
    assert main(["--json", "list", "--db", str(db_path)]) == 0
    assert json.loads(capsys.readouterr().out)[0]["id"] == 1


def test_review_id_reprints_a_tracked_series(tracked):
    result = tracked("review", "1")
    assert result.code == 0, result.err
    assert result.out.startswith("Series 1: mm: add bitmap VMA flag helpers")
    assert "Trailers on v2:" in result.out


def test_review_unknown_id_is_one_error_line(tracked):
    result = tracked("review", "99")
    assert result.code == 2
    assert result.err.startswith("reviewer: error: no tracked series")
    assert result.err.count("\n") == 1


def test_list_bogus_state_is_an_error(tracked):
    result = tracked("list", "--state", "bogus")
    assert result.code == 2
    assert "unknown state 'bogus'" in result.err
    assert result.out == ""


def test_list_json_carries_the_text_table_counts(tracked):
    (series,) = json.loads(tracked("list", "--json").out)
    assert series["trailers"] == {"acked": 3, "reviewed": 17, "tested": 0}
    assert series["check"] is None
    tracked("check", "1")
    (series,) = json.loads(tracked("list", "--json").out)
    text_check = tracked("list").out.splitlines()[1].split()[5]
    c = series["check"]
    assert text_check == f"E{c['error']}/W{c['warning']}/I{c['info']}"
