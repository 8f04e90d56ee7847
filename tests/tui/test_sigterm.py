"""SIGTERM to `reviewer tui` in a real terminal (tmux) restores the terminal: the alternate
screen is left and mouse reporting is off (issue 12, item 4)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None,
    reason="system package missing: tmux (install: .ci/install-system-deps.sh)",
)


def test_sigterm_leaves_the_terminal_as_it_found_it(tmp_path):
    sock, ready = tmp_path / "tmux.sock", tmp_path / "ready.txt"

    def tmux(*args: str, check: bool = True) -> str:
        return subprocess.run(["tmux", "-S", str(sock), *args], capture_output=True, text=True,
                              check=check, timeout=30).stdout  # fmt: skip

    def flags() -> str:
        return tmux("display", "-p", "-t", "e2e", "#{alternate_on} #{mouse_any_flag}").strip()

    status_file = tmp_path / "status"
    # the exit status is written by the shell around the app: tmux's pane_dead_status is not
    # reliably set for a process that ends within moments of its signal
    command = (
        f"cd {ROOT} && env REVIEWER_TUI_READY_FILE={ready} TEXTUAL_ANIMATIONS=none"
        f" TERM=xterm-256color {sys.executable} -m reviewer.cli tui --db {tmp_path / 'db'}"
        f" --offline {SAMPLES / 'synthetic' / 'v1-thread.mbox'}; echo $? > {status_file}"
    )
    tmux("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30")
    try:
        tmux("set-option", "-t", "e2e", "remain-on-exit", "on")
        tmux("respawn-pane", "-k", "-t", "e2e", command)
        deadline = time.monotonic() + 60
        while not (ready.exists() and "series 1" in ready.read_text()):
            assert time.monotonic() < deadline, tmux("capture-pane", "-p", "-t", "e2e")
            time.sleep(0.05)  # poll interval, not a synchronisation
        assert flags() == "1 1"  # the app is in the alternate screen, mouse reporting on
        shell = int(tmux("display", "-p", "-t", "e2e", "#{pane_pid}").strip())
        children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
        [pid] = [int(c) for c in children]  # the app, the shell's only child
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while tmux("display", "-p", "-t", "e2e", "#{pane_dead}").strip() != "1":
            assert time.monotonic() < deadline, "the app did not end on SIGTERM"
            time.sleep(0.05)
        status = status_file.read_text().strip()
        assert (flags(), status) == ("0 0", "143")
    finally:
        tmux("kill-server", check=False)
