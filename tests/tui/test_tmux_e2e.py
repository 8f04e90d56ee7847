"""End to end in a real terminal: `reviewer tui` inside tmux, driven by keys, synchronised on
the readiness marks the app writes to $REVIEWER_TUI_READY_FILE (never on sleeps)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reviewer.flagmodel.check import check_revision
from reviewer.sources.mail import load_source
from reviewer.store.core import Store
from reviewer.tracking.ingest import ingest
from tests.conftest import RESEND, V1, V2

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None,
    reason="system package missing: tmux (install: .ci/install-system-deps.sh)",
)


class Tmux:
    def __init__(self, socket: Path, ready: Path) -> None:
        self.socket, self.ready = socket, ready

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["tmux", "-S", str(self.socket), *args], capture_output=True, text=True, check=check
        )

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "e2e", *keys)

    def literal(self, text: str) -> None:
        self.run("send-keys", "-t", "e2e", "-l", text)

    def pane(self) -> str:
        return self.run("capture-pane", "-p", "-t", "e2e").stdout

    def wait_mark(self, prefix: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ready.exists():
                for line in self.ready.read_text().splitlines():
                    if line.startswith(prefix):
                        return line
            if self.run("has-session", "-t", "e2e", check=False).returncode:
                raise AssertionError(f"the app exited while waiting for {prefix!r}")
            time.sleep(0.02)  # poll interval, not a synchronisation
        raise AssertionError(f"no {prefix!r} mark; screen:\n{self.pane()}")

    def wait_text(self, *texts: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pane = self.pane()
            if all(t in pane for t in texts):
                return pane
            time.sleep(0.02)
        raise AssertionError(f"{texts!r} not on screen:\n{self.pane()}")

    def consume(self) -> None:
        self.ready.write_text("")


def _patch_with_findings(tmp_path: Path) -> int:
    """The first v2 patch the flag model has something to say about (checked out of band)."""
    probe = Store.open(tmp_path / "probe.sqlite3")
    ingest(probe, load_source(str(V2), offline=True))
    report = check_revision(probe.load_series(1).latest.patches)
    probe.close()
    return min(f.patch for f in report.findings if f.patch > 0)


def test_review_v2_in_a_real_terminal(tmp_path):
    target = _patch_with_findings(tmp_path)
    db = tmp_path / "e2e.sqlite3"
    store = Store.open(db)
    for mbox in (V1, RESEND):  # v2 comes as the SOURCE argument
        ingest(store, load_source(str(mbox), offline=True))
    store.close()

    ready = tmp_path / "ready.txt"
    tmux = Tmux(tmp_path / "tmux.sock", ready)
    command = (
        f"cd {ROOT} && env REVIEWER_TUI_READY_FILE={ready} TEXTUAL_ANIMATIONS=none"
        f" TERM=xterm-256color {sys.executable} -m reviewer.cli tui --db {db} --offline {V2}"
    )
    tmux.run("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40", command)
    try:
        tmux.wait_mark("series 1 v2")  # SOURCE tracked, its series opened at the latest revision
        tmux.consume()
        tmux.literal(",")
        tmux.wait_mark("series 1 v1-RESEND")
        tmux.literal(".")
        tmux.wait_mark("series 1 v2")
        tmux.wait_text("13/13 patches", "vma_flags_t")
        tmux.keys("c")
        tmux.wait_mark("checked v2", timeout=60)
        tmux.keys(*["j"] * (target - 1), "Enter")
        tmux.wait_mark(f"patch v2 {target} findings=")
        tmux.keys("f")
        mark = tmux.wait_mark("cursor ")
        assert mark.split()[1] in ("error", "warning", "info")
        tmux.wait_text(">> ")
        tmux.keys("Q")
        deadline = time.monotonic() + 15
        while tmux.run("has-session", "-t", "e2e", check=False).returncode == 0:
            assert time.monotonic() < deadline, "the app did not quit"
            time.sleep(0.02)
    finally:
        tmux.run("kill-server", check=False)
