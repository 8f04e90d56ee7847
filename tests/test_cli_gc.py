"""reviewer.cli runs a command with the garbage collector tuned for a short batch run (see
docs/speed.md) and gives a caller of main() in process its own settings back."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from reviewer import cli
from reviewer.commands import list as list_command
from reviewer.errors import ReviewerError


def _recording(seen: list, fail: bool = False):
    def run(args) -> int:
        seen.append((gc.get_threshold(), gc.get_freeze_count()))
        if fail:
            raise ReviewerError("no such series")
        return 0

    return run


@pytest.mark.parametrize("fail", [False, True])
def test_the_command_runs_tuned_and_main_restores_the_collector(tmp_path: Path, monkeypatch, fail):
    seen: list = []
    monkeypatch.setattr(list_command, "run", _recording(seen, fail))
    before = gc.get_threshold()
    assert before != cli.GC_THRESHOLDS
    assert gc.get_freeze_count() == 0
    code = cli.main(["list", "--db", str(tmp_path / "db.sqlite3")])
    assert code == (2 if fail else 0)
    ((thresholds, frozen),) = seen
    assert thresholds == cli.GC_THRESHOLDS
    assert frozen > 0  # start-up's objects (modules, the parser) out of the passes
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
