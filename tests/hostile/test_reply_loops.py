"""Issue 12, item 2: In-Reply-To cycles are broken before b4 sees the mail, and reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from reviewer.sources.mail import parse_bytes
from reviewer.sources.threads import break_reply_loops, message_id, parent_id
from reviewer.store.core import Store
from tests.mail_helpers import messages

HOSTILE = Path(__file__).resolve().parent
ROOT = HOSTILE.parent.parent


def test_b4_reproducer_finishes_once_the_loop_is_broken():
    result = subprocess.run(
        [sys.executable, str(HOSTILE / "b4_reply_loop_repro.py"), "--break"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert "reply loop" in result.stdout and "get_series returned" in result.stdout


def test_break_reply_loops_leaves_no_cycle_and_keeps_the_way_to_the_patch():
    msgs = [parse_bytes(raw) for raw in messages(HOSTILE / "reply-loop.mbox")]
    by_id = {message_id(m): m for m in msgs}
    lines = break_reply_loops(by_id)
    assert len(lines) == 2, lines  # the a<->b loop and the self-reply
    assert any("<loop-a@example.org>" in line and "<loop-b@example.org>" in line for line in lines)
    for start in by_id:
        seen, current = set(), start
        while current in by_id and current not in seen:
            seen.add(current)
            current = parent_id(by_id[current])
        assert current not in seen, f"cycle through {current}"
    # the cut reply still hangs under the patch it names in References
    cut = "loop-a@example.org"
    assert "[PATCH 2/4]" in str(by_id[parent_id(by_id[cut])]["Subject"])


def test_track_of_a_reply_loop_finishes_and_reports_it(cli, db_path):
    result = cli("track", "--offline", "--json", HOSTILE / "reply-loop.mbox")
    assert result.code == 0, result.err
    problems = json.loads(result.out)["problems"]
    assert sum("reply loop" in p for p in problems) == 2, problems
    patch2 = Store.open(db_path).load_series(1).latest.patches[1]
    assert any(t.sender.startswith("Looper") for t in patch2.trailers)
