"""Every mail of the hostile corpus goes through track, show, export and check as real
`reviewer` processes: no traceback, no hang (each run has a timeout), exit 0, 1 or 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HOSTILE = Path(__file__).resolve().parent
ROOT = HOSTILE.parent.parent
CORPUS = sorted(HOSTILE.glob("*.mbox"))
TIMEOUT = 120  # seconds per command; every input here takes well under 5


def reviewer(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reviewer.cli", *map(str, args)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT,
    )  # fmt: skip


def test_the_corpus_is_there():
    assert len(CORPUS) >= 15


@pytest.mark.parametrize("mbox", CORPUS, ids=[p.stem for p in CORPUS])
def test_hostile_mail_never_gives_a_traceback_or_hangs(mbox, tmp_path):
    env = {**os.environ, "REVIEWER_DB": str(tmp_path / "db.sqlite3"),
           "REVIEWER_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}  # fmt: skip
    runs = [reviewer(env, "track", "--offline", mbox)]
    if runs[0].returncode == 0:
        for args in (["show", "1"], ["export", "1", "-o", tmp_path / "out.mbox"], ["check", "1"]):
            runs.append(reviewer(env, *args))
    for run in runs:
        assert "Traceback" not in run.stderr, (run.args, run.stderr)
        assert run.returncode in (0, 1, 2), (run.args, run.returncode, run.stderr)
        if run.returncode == 2:
            assert run.stderr.strip().splitlines()[-1].startswith("reviewer: error: ")
