"""Start and stop processes that handle mail-derived code, so that nothing outlives them.

Every process gets its own session (its whole group is killed when it ends or overruns),
resource limits (CPU, address space, file size, no core dumps) and, where the machine allows,
a pids cgroup. Harness binaries additionally run in fresh namespaces — bubblewrap when it
works (an empty root with only the binary in it), `unshare` otherwise (user, pid, net, mount,
ipc, uts) — on top of the seccomp strict mode their runtime enters."""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import resource
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int
    memory_bytes: int
    file_bytes: int
    wall_seconds: float
    pids: int


BUILD = Limits(cpu_seconds=30, memory_bytes=2 << 30, file_bytes=64 << 20, wall_seconds=60, pids=32)
RUN = Limits(cpu_seconds=2, memory_bytes=256 << 20, file_bytes=16 << 20, wall_seconds=5, pids=4)


@dataclass
class Job:
    """A started process, its group and cgroup, and where its output goes."""

    proc: subprocess.Popen
    cgroup: Path | None
    started: float
    limits: Limits


def start(cmd: list[str], cwd: Path, env: dict[str, str], limits: Limits) -> Job:
    cgroup = _new_cgroup(limits.pids)

    def child() -> None:
        for what, value in (
            (resource.RLIMIT_CPU, limits.cpu_seconds),
            (resource.RLIMIT_AS, limits.memory_bytes),
            (resource.RLIMIT_FSIZE, limits.file_bytes),
            (resource.RLIMIT_CORE, 0),
        ):
            resource.setrlimit(what, (value, value))
        if cgroup is not None:
            (cgroup / "cgroup.procs").write_text(str(os.getpid()))

    with open(cwd / "stdout", "wb") as out, open(cwd / "stderr", "wb") as err:
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=cwd, env=env,
            preexec_fn=child, start_new_session=True, close_fds=True,
        )  # fmt: skip
    return Job(proc, cgroup, time.monotonic(), limits)


def finish(job: Job) -> int | None:
    """Wait for the job within its wall-clock limit; then kill everything it started. The exit
    status (negative: killed by that signal), or None when it overran and was killed."""
    left = job.limits.wall_seconds - (time.monotonic() - job.started)
    try:
        code: int | None = job.proc.wait(timeout=max(left, 0.01))
    except subprocess.TimeoutExpired:
        code = None
    kill(job)
    return code


def kill(job: Job) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(job.proc.pid, signal.SIGKILL)
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        job.proc.kill()
        job.proc.wait(timeout=5)
    if job.cgroup is not None:
        _drop_cgroup(job.cgroup)


# --- namespaces -------------------------------------------------------------------------------


def jail(binary: Path) -> tuple[list[str], str]:
    """The command that runs `binary` in fresh namespaces, and which isolation it got."""
    if bwrap_works():
        return _bwrap(binary), "bubblewrap"
    if unshare_works():
        return [*_UNSHARE, str(binary)], "unshare"
    return [str(binary)], "none"


def _bwrap(binary: Path) -> list[str]:
    """An empty root holding only the binary; every namespace new; no capabilities."""
    return [
        shutil.which("bwrap") or "bwrap", "--unshare-all", "--die-with-parent", "--new-session",
        "--cap-drop", "ALL", "--ro-bind", str(binary), "/harness", "--chdir", "/", "/harness",
    ]  # fmt: skip


_UNSHARE = [
    "unshare", "--user", "--map-root-user", "--net", "--pid", "--fork", "--kill-child",
    "--mount", "--ipc", "--uts",
]  # fmt: skip


@functools.lru_cache(maxsize=1)
def bwrap_works() -> bool:
    """Whether bwrap can set up the very jail a run uses: tried with an empty file in place of
    the binary, so getting as far as exec ("execvp ...") proves every setup step worked."""
    if shutil.which("bwrap") is None:
        return False
    with tempfile.TemporaryDirectory(prefix="reviewer-bwrap-") as tmp:
        dummy = Path(tmp) / "harness"
        dummy.write_bytes(b"")
        try:
            res = subprocess.run(_bwrap(dummy), capture_output=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return False
    return b"execvp" in res.stderr


@functools.lru_cache(maxsize=1)
def unshare_works() -> bool:
    tool = shutil.which("unshare")
    if tool is None:
        return False
    try:
        res = subprocess.run([tool, *_UNSHARE[1:], "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return res.returncode == 0


# --- pids cgroup ------------------------------------------------------------------------------

_counter = itertools.count()


@functools.lru_cache(maxsize=1)
def _cgroup_root() -> Path | None:
    """A writable pids hierarchy: cgroup v1's pids controller, or a v2 root delegating pids."""
    v1, v2 = Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")
    if (v1 / "tasks").exists() and os.access(v1, os.W_OK):
        return v1
    try:
        delegated = "pids" in (v2 / "cgroup.subtree_control").read_text().split()
    except OSError:
        return None
    return v2 if delegated and os.access(v2, os.W_OK) else None


def _new_cgroup(pids: int) -> Path | None:
    root = _cgroup_root()
    if root is None:
        return None
    path = root / f"reviewer-harness-{os.getpid()}-{next(_counter)}-{secrets.token_hex(4)}"
    try:
        path.mkdir()
        (path / "pids.max").write_text(str(pids))
    except OSError:
        with contextlib.suppress(OSError):
            path.rmdir()
        return None
    return path


def _drop_cgroup(path: Path) -> None:
    for _ in range(50):
        try:
            pids = (path / "cgroup.procs").read_text().split()
        except OSError:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, ValueError, PermissionError):
                os.kill(int(pid), signal.SIGKILL)
        try:
            path.rmdir()
            return
        except OSError:
            time.sleep(0.02)


def isolation_note() -> str:
    """What the harness runs under on this machine, for the report's notes."""
    parts = ["no libc", "seccomp strict"]
    parts.append(
        "bubblewrap namespaces"
        if bwrap_works()
        else ("unshare namespaces" if unshare_works() else "no namespaces")
    )
    if _cgroup_root() is not None:
        parts.append("pids cgroup")
    return ", ".join(parts)
