"""reviewer.cli runs a command with the garbage collector tuned for a short batch run (see
docs/speed.md) and gives a caller of main() in process its own settings back."""

from __future__ import annotations

import gc
import subprocess
import sys
import tempfile
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


def test_the_process_command_line_ends_with_the_heap_frozen():
    """main() without argv is the process's own run: afterwards everything stays frozen, so
    the interpreter's collections at exit skip the heap (about 0.5 s of a review)."""
    code = (
        "import gc, sys\n"
        "from reviewer import cli\n"
        "sys.argv = ['reviewer', 'list', '--db', sys.argv[1]]\n"
        "code = cli.main()\n"
        "print(code, gc.get_threshold() == cli.GC_THRESHOLDS, gc.get_freeze_count() > 0)\n"
    )
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "db.sqlite3")
        done = subprocess.run([sys.executable, "-c", code, db], cwd=root, capture_output=True,
                              text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].split() == ["0", "True", "True"]
