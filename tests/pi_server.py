"""A real public-inbox archive served by public-inbox-httpd on 127.0.0.1, for tests and benches.

The inbox is a v2 inbox indexed at the "full" level (b4's searches use phrase queries, which need
positional data). Messages are imported with public-inbox's own importer
(PublicInbox::InboxWritable::import_mbox, the code public-inbox-mda and friends use), in one Perl
process per import, so thousands of messages import in seconds.

The listening socket is bound here (port 0, so no race for a free port) and handed to the daemon
through systemd-style socket activation (LISTEN_FDS/LISTEN_PID); ``-l`` names the same address so
the daemon never binds anything else. Servers are stopped by pid.
"""

from __future__ import annotations

import gzip
import mailbox
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
INSTALL_SCRIPT = REPO / ".ci" / "install-public-inbox.sh"
SYSTEM_MISSING = "system package missing:"  # tests/conftest.py fails such skips under CI
TOOLS = ("public-inbox-init", "public-inbox-index", "public-inbox-httpd")

# Import every mbox named on the command line into the inbox NAME (mboxrd: "From " lines in
# bodies are quoted as ">From ", which is what lore's t.mbox.gz and our samples use).
_IMPORT_PERL = r"""
use strict; use v5.10.1;
use PublicInbox::Config; use PublicInbox::InboxWritable;
my ($name, @files) = @ARGV;
my $ibx = PublicInbox::Config->new->lookup_name($name) or die "no inbox $name\n";
$ibx = PublicInbox::InboxWritable->new($ibx);
for my $f (@files) {
    open my $fh, '<', $f or die "$f: $!\n";
    $ibx->import_mbox($fh, 'mboxrd');
}
"""

# Socket activation: move the listening socket to fd 3 and exec the daemon, whose pid is then
# this process's pid, as LISTEN_PID must say.
_EXEC_WITH_SOCKET = r"""
use POSIX ();
my $fd = shift;
POSIX::dup2($fd, 3) or die "dup2: $!\n";
POSIX::close($fd) if $fd != 3;
$ENV{LISTEN_FDS} = 1;
$ENV{LISTEN_PID} = $$;
exec { $ARGV[0] } @ARGV or die "exec $ARGV[0]: $!\n";
"""


def _last_message_id(path: Path) -> str | None:
    box = mailbox.mbox(str(path), create=False)
    try:
        for key in reversed(box.keys()):
            msgid = box[key].get("Message-ID")
            if msgid:
                return str(msgid).strip().strip("<>")
    finally:
        box.close()
    return None


class PublicInboxError(RuntimeError):
    """public-inbox is missing or one of its tools failed."""


def missing_reason() -> str | None:
    """Why public-inbox cannot be used here, None if usable. Tests never install anything
    themselves: .ci/run does (.ci/install-system-deps.sh), and under CI a missing package fails
    the run instead of skipping (tests/conftest.py)."""
    if all(shutil.which(tool) for tool in TOOLS):
        return None
    return f"{SYSTEM_MISSING} public-inbox (install: sh {INSTALL_SCRIPT.relative_to(REPO)})"


class PublicInboxServer:
    """One v2 inbox in ``root`` and, once started, one public-inbox-httpd serving it."""

    def __init__(self, root: Path, name: str = "test", address: str = "test@example.com"):
        self.root = Path(root)
        self.name = name
        self.address = address
        self.inboxdir = self.root / "inbox"
        self.config = self.root / "pi-config"
        self.log = self.root / "httpd.log"
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]

    # -- environment and tools -------------------------------------------------------------

    @property
    def url(self) -> str:
        """The inbox URL, e.g. http://127.0.0.1:PORT/test (what b4 calls the midmask base)."""
        return f"http://127.0.0.1:{self.port}/{self.name}"

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        home = self.root / "home"
        home.mkdir(exist_ok=True)
        env.update(PI_CONFIG=str(self.config), PI_DIR=str(self.root / "pi-dir"), HOME=str(home))
        for var in ("LISTEN_FDS", "LISTEN_PID"):
            env.pop(var, None)
        return env

    def _run(self, *argv: str) -> None:
        result = subprocess.run(argv, env=self.env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip()
            raise PublicInboxError(f"{argv[0]} failed ({result.returncode}): {detail}")

    # -- archive ------------------------------------------------------------------------------

    def init(self) -> PublicInboxServer:
        self.root.mkdir(parents=True, exist_ok=True)
        self._run(
            "public-inbox-init",
            "-V2",
            "-L",
            "full",
            self.name,
            str(self.inboxdir),
            self.url + "/",
            self.address,
        )
        return self

    def import_mbox(self, *paths: Path | str) -> None:
        """Import mboxrd files and index them fully; a running server sees them on return."""
        if not paths:
            return
        self._run("perl", "-e", _IMPORT_PERL, self.name, *(str(p) for p in paths))
        self._run("public-inbox-index", str(self.inboxdir))
        if self.process is not None:
            self._refresh(_last_message_id(Path(paths[-1])))

    def import_bytes(self, mbox: bytes) -> None:
        """Import mboxrd text (one or more messages, each starting with a "From " line)."""
        path = self.root / f"import-{time.monotonic_ns()}.mbox"
        path.write_bytes(mbox)
        try:
            self.import_mbox(path)
        finally:
            path.unlink()

    # -- daemon -------------------------------------------------------------------------------

    def start(self, workers: int = 0, timeout: float = 20.0) -> PublicInboxServer:
        """Start public-inbox-httpd on the socket bound in __init__ and wait until it answers."""
        assert self.process is None, "server already running"
        self._sock.listen(128)
        self._sock.setblocking(False)
        fd = self._sock.fileno()
        listen = f"http://127.0.0.1:{self.port}"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    "perl",
                    "-e",
                    _EXEC_WITH_SOCKET,
                    str(fd),
                    "public-inbox-httpd",
                    "-W",
                    str(workers),
                    "-l",
                    listen,
                ],
                env=self.env,
                pass_fds=[fd],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        self._sock.close()
        self._wait_ready(timeout)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the daemon by pid: TERM, then KILL if it does not go."""
        process, self.process = self.process, None
        if process is None:
            self._sock.close()
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise PublicInboxError(f"public-inbox-httpd exited: {self._log_tail()}")
            if self._status(self.url + "/") == 200:
                return
            time.sleep(0.05)
        raise PublicInboxError(f"public-inbox-httpd not ready after {timeout}s: {self._log_tail()}")

    def _refresh(self, msgid: str | None, timeout: float = 20.0) -> None:
        """Make the daemon drop its cached Xapian/SQLite handles so new mail is searchable.

        public-inbox-httpd reopens an inbox's search database only on a cleanup timer (up to 30s
        later); SIGHUP reloads the configuration and with it every inbox. The signal is handled
        asynchronously, so we wait until the last imported message is found by a search.
        """
        assert self.process is not None
        self.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + timeout
        while msgid and not self.search(f"m:{msgid}"):
            if time.monotonic() > deadline:
                raise PublicInboxError(f"<{msgid}> not searchable {timeout}s after import")
            time.sleep(0.05)
        self._wait_ready(timeout)

    def _status(self, url: str) -> int | None:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                return resp.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return None

    def _log_tail(self) -> str:
        try:
            lines = self.log.read_text(errors="replace").strip().splitlines()
        except OSError:
            return "no log"
        return " | ".join(lines[-5:]) or "no log"

    # -- small client helpers for tests ------------------------------------------------------

    def search(self, query: str) -> bytes:
        """Raw mboxrd of a search (public-inbox ``x=m``), empty when nothing matches."""
        url = f"{self.url}/?x=m&q={urllib.parse.quote_plus(query)}"
        request = urllib.request.Request(url, data=b"", method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as resp:
                return gzip.decompress(resp.read())
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return b""
            raise

    def __enter__(self) -> PublicInboxServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
