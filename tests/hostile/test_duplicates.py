"""Issue 12, item 2b: one rule for which copy of a duplicated Message-ID wins, everywhere.

The rule: a copy already stored wins; within one batch b4's preferred duplicate wins (List-Id
preference, then the first seen). Copies whose bodies differ are reported as a conflict.
"""

from __future__ import annotations

import json
from pathlib import Path

from reviewer.store.core import Store
from tests.conftest import SAMPLES
from tests.mail_helpers import messages, write_mbox

HOSTILE = Path(__file__).resolve().parent
SYNTHETIC_V1 = SAMPLES / "synthetic" / "v1-thread.mbox"
EVIL = b"vma_desc_TEST_flag_evil"


def patch2(db_path):
    return Store.open(db_path).load_series(1).latest.patches[1]


def exported(cli, tmp_path) -> bytes:
    out = tmp_path / "export.mbox"
    result = cli("export", "1", "-o", out)
    assert result.code == 0, result.err
    return out.read_bytes()


def test_in_one_batch_the_first_copy_wins_for_parse_store_and_export(cli, tmp_path, db_path):
    result = cli("track", "--offline", "--json", HOSTILE / "duplicate-message-id.mbox")
    assert result.code == 0, result.err
    problems = json.loads(result.out)["problems"]
    assert [p for p in problems if "duplicate" in p] == [
        "duplicate Message-ID <20260119-vma-desc-flags-v1-2-415c2238bdac@example.org> with "
        "different bodies: kept the first copy, ignored the other"
    ]
    assert EVIL.decode() not in patch2(db_path).diff
    stored = Store.open(db_path).raw_message(patch2(db_path).message_id)
    assert EVIL not in stored
    assert EVIL not in exported(cli, tmp_path)


def test_a_later_copy_never_replaces_the_stored_one(cli, tmp_path, db_path):
    assert cli("track", "--offline", SYNTHETIC_V1).code == 0
    before = patch2(db_path)
    evil = messages(HOSTILE / "duplicate-message-id.mbox")[-1]
    assert EVIL in evil
    reply = (
        b"Message-Id: <late-reply@example.org>\nFrom: Late <late@example.org>\n"
        b"Date: Wed, 21 Jan 2026 10:00:00 +0000\n"
        b"Subject: Re: [PATCH 2/4] mm: add vma_desc_test/set/clear_flag() helpers\n"
        b"In-Reply-To: <"
        + before.message_id.encode()
        + b">\n\nReviewed-by: Late <late@example.org>\n"
    )
    result = cli("track", "--offline", "--json", write_mbox(tmp_path / "evil.mbox", [evil, reply]))
    assert result.code == 0, result.err
    problems = json.loads(result.out)["problems"]
    assert any("different bodies: kept the stored copy" in p for p in problems), problems
    after = patch2(db_path)
    assert (after.diff, after.commit_message) == (before.diff, before.commit_message)
    assert any(t.sender.startswith("Late") for t in after.trailers)  # the rebuild did happen
    assert EVIL not in exported(cli, tmp_path)


def test_update_keeps_the_stored_copy_and_reports_the_conflict(cli, db_path):
    from reviewer.sources.mail import parse_bytes
    from reviewer.tracking.update import Polled, store_polled

    assert cli("track", "--offline", SYNTHETIC_V1).code == 0
    before = patch2(db_path)
    evil = parse_bytes(messages(HOSTILE / "duplicate-message-id.mbox")[-1])
    store = Store.open(db_path)
    update = store_polled(store, Polled(1, messages=[evil]), None, lambda _s: None)
    assert any("different bodies: kept the stored copy" in p for p in update.problems)
    assert patch2(db_path).diff == before.diff
    assert EVIL not in store.raw_message(before.message_id)
