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
    """Whether gcc can build and run a program with this extra flag (e.g. -m32); the answer is
    cached per compiler binary, so only the first process pays for the probe."""
    compiler = gcc()
    if compiler is None:
        return False
    stat = Path(compiler).resolve().stat()
    key = hashlib.sha256(f"{compiler}\0{stat.st_mtime_ns}\0{stat.st_size}\0{flag}".encode())
    marker = cache_dir() / f"probe-{key.hexdigest()[:32]}"
    if marker.is_file():
        return marker.read_text() == "yes"
    works = _probe(compiler, flag)
    marker.write_text("yes" if works else "no")
    return works


def _probe(compiler: str, flag: str) -> bool:
    with tempfile.TemporaryDirectory(prefix="flagmodel-probe-") as tmp:
        src = Path(tmp) / "p.c"
        src.write_text("int main(void) { return sizeof(long) == 4 ? 0 : 0; }\n")
        res = subprocess.run(
            [compiler, flag, "-o", str(Path(tmp) / "p"), str(src)], capture_output=True, timeout=30
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
    return compile_and_run_many([(source, cflags)])[0]


def compile_and_run_many(jobs: list[tuple[str, list[str]]]) -> list[RunResult]:
    """Several (source, cflags) jobs: the builds run side by side, then the binaries do.

    Processes are started from this thread only (``preexec_fn`` is unsafe with threads) and
    write to files, not pipes, so waiting on one never blocks another."""
    compiler = gcc()
    if compiler is None:
        return [RunResult(False, "", "gcc not found") for _ in jobs]
    results: list[RunResult | None] = []
    keys: list[str] = []
    for source, cflags in jobs:
        key = hashlib.sha256((source + "\0" + " ".join(cflags)).encode()).hexdigest()
        keys.append(key)
        results.append(_cached(key))
    todo = [i for i, r in enumerate(results) if r is None]
    if todo:
        with tempfile.TemporaryDirectory(prefix="flagmodel-") as tmp:
            for i, result in zip(
                todo, _build_and_run(compiler, jobs, todo, Path(tmp)), strict=True
            ):
                results[i] = result
                _store(keys[i], result)
    return [r if r is not None else RunResult(False, "", "not run") for r in results]


def _cached(key: str) -> RunResult | None:
    out, err = cache_dir() / f"{key}.out", cache_dir() / f"{key}.err"
    if out.is_file():
        return RunResult(True, out.read_text(), "")
    if err.is_file():  # compile errors are a property of the source: no need to rebuild
        return RunResult(False, "", err.read_text())
    return None


def _store(key: str, result: RunResult) -> None:
    if result.ok:
        (cache_dir() / f"{key}.out").write_text(result.stdout)
    elif result.error.startswith("compile failed"):
        (cache_dir() / f"{key}.err").write_text(result.error)


def _build_and_run(
    compiler: str, jobs: list[tuple[str, list[str]]], todo: list[int], tmp: Path
) -> list[RunResult]:
    builds = []
    for i in todo:
        source, cflags = jobs[i]
        work = tmp / str(i)
        work.mkdir()
        (work / "harness.c").write_text(source)
        cmd = [compiler, "-std=gnu11", "-O0", "-w", *cflags, "-o", "harness", "harness.c"]
        builds.append((work, _start(cmd, work, {"PATH": os.environ["PATH"]})))
    results: list[RunResult] = []
    runs = []
    for work, proc in builds:
        code = _wait(proc, 60)
        if code != 0:
            log = (work / "stderr").read_text(errors="replace")
            first = next((ln for ln in log.splitlines() if "error" in ln), log)
            error = "compile failed: " + (first.strip()[:300] if code is not None else "timed out")
            results.append(RunResult(False, "", error))
            runs.append(None)
            continue
        cmd = [str(work / "harness")]
        if can_unshare():
            cmd = [shutil.which("unshare") or "unshare", "-rn", *cmd]
        results.append(RunResult(True, "", ""))
        runs.append((work, _start(cmd, work, {})))
    for k, run in enumerate(runs):
        if run is None:
            continue
        work, proc = run
        code = _wait(proc, WALL_SECONDS)
        stdout = (work / "stdout").read_text(errors="replace")
        if code is None:
            results[k] = RunResult(False, "", "harness timed out")
        elif code != 0:
            results[k] = RunResult(False, stdout, f"harness exited with {code}")
        else:
            results[k] = RunResult(True, stdout, "")
    return results


def _start(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen:
    with open(cwd / "stdout", "wb") as out, open(cwd / "stderr", "wb") as err:
        return subprocess.Popen(
            cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=cwd, env=env,
            preexec_fn=_limits,
        )  # fmt: skip


def _wait(proc: subprocess.Popen, seconds: float) -> int | None:
    """Exit code, or None after killing a process that overran its wall-clock limit."""
    try:
        return proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None
