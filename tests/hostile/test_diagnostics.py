"""Issue 12, item 4: odd mail is explained, not silently dropped or mis-reported."""

from __future__ import annotations

import json
from pathlib import Path

from reviewer.sources import mail as sources
from reviewer.store.core import Store
from tests.conftest import SAMPLES

HOSTILE = Path(__file__).resolve().parent
SYNTHETIC_V1 = SAMPLES / "synthetic" / "v1-thread.mbox"


def test_unparsable_date_values_do_not_lose_the_patch(cli, db_path):
    result = cli("track", "--offline", "--json", HOSTILE / "bad-date-values.mbox")
    assert result.code == 0, result.err
    problems = json.loads(result.out)["problems"]
    assert sum("unparsable Date" in p for p in problems) == 2, problems
    latest = Store.open(db_path).load_series(1).latest
    assert [p.index for p in latest.patches] == [1, 2, 3, 4] and not latest.partial
    assert latest.patches[2].date.startswith("1970-01-01")


def test_unparsable_date_is_stable_across_rebuilds(cli, db_path):
    result = cli("track", "--offline", "--json", HOSTILE / "bad-date.mbox")
    assert result.code == 0, result.err
    assert any("unparsable Date" in p for p in json.loads(result.out)["problems"])
    first = Store.open(db_path).load_series(1).latest.patches[2].date
    assert first.startswith("1970-01-01")  # not "now", which would change on every rebuild


def test_a_message_over_the_size_limit_is_named_with_the_limit(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_MESSAGE_BYTES", 4096)
    big = tmp_path / "big.mbox"
    big.write_bytes(
        b"From x@y Thu Jan  1 00:00:00 1970\nMessage-Id: <big@x>\nSubject: [PATCH] big\n\n"
        + b"x" * (10 * 1024 - 65)
        + b"\n"
    )
    result = cli("track", "--offline", big)
    assert result.code == 2
    assert result.err.strip().splitlines()[-1] == (
        f"reviewer: error: {big}: no mail messages found "
        "(message 1 is 10.0 KiB, over the 4.0 KiB limit: skipped)"
    )


def test_thousands_of_unrelated_mails_are_summarised(cli, db_path):
    result = cli("track", "--offline", HOSTILE / "unrelated-chatter.mbox")
    assert result.code == 0, result.err
    lines = [line for line in result.err.splitlines() if "not part of a tracked" in line]
    assert len(lines) == 6, result.err  # five examples and one summary
    assert lines[-1] == (
        "reviewer: warning: ... and 195 more messages not part of a tracked patch series "
        "(--json lists them all)"
    )


def test_json_keeps_every_unrelated_mail(cli):
    result = cli("track", "--offline", "--json", HOSTILE / "unrelated-chatter.mbox")
    problems = json.loads(result.out)["problems"]
    assert sum("not part of a tracked" in p for p in problems) == 200
