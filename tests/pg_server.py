"""A throwaway PostgreSQL cluster on 127.0.0.1 for the tests (and bench/), torn down after use.

``PgCluster.start(root)`` runs Debian's ``initdb`` and ``pg_ctl`` (as the unprivileged
``postgres`` user when running as root, which PostgreSQL requires) on a free port, with trust
authentication on the loopback only and fsync off; ``new_database()`` gives a fresh empty
database URL; ``stop()`` stops the server by its data directory. ``missing_reason()`` says why a
cluster cannot be started here (no server binaries), for a clear skip.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path

INSTALL_HINT = "apt-get install postgresql (.ci/install-system-deps.sh does)"


def _bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    for path in ([found] if found else []) + candidates:
        real = Path(path).resolve()
        if (real.parent / "initdb").exists():
            return real.parent
    return None


def missing_reason() -> str | None:
    if _bindir() is None:
        return f"PostgreSQL server binaries (initdb, pg_ctl) not installed: {INSTALL_HINT}"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "the psycopg package is not installed (pip install 'psycopg[binary]')"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return f"running as root without a 'postgres' user for the server: {INSTALL_HINT}"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgCluster:
    root: Path
    port: int
    bindir: Path
    user: str | None  # the OS user the server runs as (None: this process' user)
    _counter: list[int] = field(default_factory=lambda: [0])

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *argv: str) -> subprocess.CompletedProcess:
        cmd = list(argv)
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)

    @classmethod
    def start(cls, root: Path) -> PgCluster:
        bindir = _bindir()
        if bindir is None:
            raise RuntimeError(missing_reason())
        user = "postgres" if os.geteuid() == 0 else None
        root.mkdir(parents=True, exist_ok=True)
        sockets = root / "sock"
        sockets.mkdir(exist_ok=True)
        if user:
            entry = pwd.getpwnam(user)
            for path in (root, sockets):
                os.chown(path, entry.pw_uid, entry.pw_gid)
            # the server user must be able to reach root (pytest's tmp dirs are 0700)
            for p in [root, *root.parents]:
                if p == Path("/"):
                    break
                mode = p.stat().st_mode
                if not mode & 0o001:
                    os.chmod(p, mode | 0o001)
        cluster = cls(root, _free_port(), bindir, user)
        init = cluster._run(
            str(bindir / "initdb"), "-D", str(cluster.data), "-U", "postgres",
            "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        if init.returncode != 0:
            raise RuntimeError(f"initdb failed: {init.stderr.strip()[-500:]}")
        options = (
            f"-p {cluster.port} -c listen_addresses=127.0.0.1 -k {sockets}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            " -c max_connections=120"
        )
        started = cluster._run(
            str(bindir / "pg_ctl"), "-D", str(cluster.data), "-o", options,
            "-l", str(root / "server.log"), "-w", "-t", "60", "start",
        )  # fmt: skip
        if started.returncode != 0:
            log = (root / "server.log").read_text(errors="replace")[-800:]
            raise RuntimeError(f"pg_ctl start failed: {started.stderr.strip()} {log}")
        return cluster

    def new_database(self, prefix: str = "t") -> str:
        """A fresh empty database; its URL."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
