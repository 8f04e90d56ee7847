"""Compile and run generated harness code: temp dir, CPU/memory/time limits, no network.

Only code that passed the allowlist in helper_harness reaches here; still, it came from mail,
so the binary runs in a fresh network namespace (unshare -rn) when the kernel allows it."""

from __future__ import annotations

import functools
import hashlib
import os
import resource
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CPU_SECONDS = 5
MEMORY_BYTES = 256 * 1024 * 1024
WALL_SECONDS = 20


@dataclass
class RunResult:
    ok: bool
    stdout: str
    error: str


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024 * 1024, 16 * 1024 * 1024))
    resource.setrlimit(resource.RLIMIT_NPROC, (64, 64))


@functools.lru_cache(maxsize=1)
def gcc() -> str | None:
    return shutil.which("gcc")


@functools.lru_cache(maxsize=1)
def can_unshare() -> bool:
    tool = shutil.which("unshare")
    if tool is None:
        return False
    try:
        res = subprocess.run([tool, "-rn", "true"], capture_output=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return False
    return res.returncode == 0


@functools.lru_cache(maxsize=4)
def can_compile(flag: str) -> bool:
    """Whether gcc can build and run a program with this extra flag (e.g. -m32)."""
    if gcc() is None:
        return False
    with tempfile.TemporaryDirectory(prefix="flagmodel-probe-") as tmp:
        src = Path(tmp) / "p.c"
        src.write_text("int main(void) { return sizeof(long) == 4 ? 0 : 0; }\n")
        res = subprocess.run(
            [gcc(), flag, "-o", str(Path(tmp) / "p"), str(src)], capture_output=True, timeout=30
        )
        if res.returncode != 0:
            return False
        run = subprocess.run([str(Path(tmp) / "p")], capture_output=True, timeout=10)
        return run.returncode == 0


def cache_dir() -> Path:
    from platformdirs import user_cache_dir

    path = Path(os.environ.get("REVIEWER_CACHE") or user_cache_dir("reviewer")) / "flagmodel"
    path.mkdir(parents=True, exist_ok=True)
    return path


def compile_and_run(source: str, cflags: list[str]) -> RunResult:
    """Build `source` with gcc and run it sandboxed; results cached by content hash."""
    compiler = gcc()
    if compiler is None:
        return RunResult(False, "", "gcc not found")
    key = hashlib.sha256((source + "\0" + " ".join(cflags)).encode()).hexdigest()
    cached = cache_dir() / f"{key}.out"
    if cached.is_file():
        text = cached.read_text()
        return RunResult(True, text, "")
    with tempfile.TemporaryDirectory(prefix="flagmodel-") as tmp:
        src, exe = Path(tmp) / "harness.c", Path(tmp) / "harness"
        src.write_text(source)
        build = subprocess.run(
            [compiler, "-std=gnu11", "-O0", "-w", *cflags, "-o", str(exe), str(src)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp,
            preexec_fn=_limits,
            env={"PATH": os.environ["PATH"]},
        )
        if build.returncode != 0:
            first = next((ln for ln in build.stderr.splitlines() if "error" in ln), build.stderr)
            return RunResult(False, "", f"compile failed: {first.strip()[:300]}")
        cmd = [str(exe)]
        if can_unshare():
            cmd = [shutil.which("unshare") or "unshare", "-rn", *cmd]
        try:
            run = subprocess.run(
                cmd,
                capture_output=True,
                text=True,
                timeout=WALL_SECONDS,
                cwd=tmp,
                preexec_fn=_limits,
                env={},
            )
        except subprocess.TimeoutExpired:
            return RunResult(False, "", "harness timed out")
        if run.returncode != 0:
            return RunResult(False, run.stdout, f"harness exited with {run.returncode}")
    cached.write_text(run.stdout)
    return RunResult(True, run.stdout, "")
