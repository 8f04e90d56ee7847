"""Compile and run generated harness code — code that came from mail, so it is contained.

Only definitions that passed `harness_allowlist` reach here; still, the build and the run are
each treated as hostile: gcc runs under CPU/memory/file/time limits in its own process group;
the program is linked with no libc against `sandbox_runtime` (its entry point enters seccomp
strict mode before any mail-derived code runs) and runs in fresh namespaces with CPU, memory,
file-size, pids and wall-clock limits (`sandbox_jail`). Nothing outlives a run. Results are
cached by content hash (source, flags, runtime)."""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import signal
import tempfile
from dataclasses import dataclass
from pathlib import Path

from reviewer.flagmodel import sandbox_jail, sandbox_runtime


@dataclass
class RunResult:
    ok: bool
    stdout: str
    error: str


@functools.lru_cache(maxsize=1)
def gcc() -> str | None:
    """The compiler, when there is one and the runtime supports this machine."""
    return shutil.which("gcc") if sandbox_runtime.supported() else None


def cache_dir() -> Path:
    from platformdirs import user_cache_dir

    path = Path(os.environ.get("REVIEWER_CACHE") or user_cache_dir("reviewer")) / "flagmodel"
    path.mkdir(parents=True, exist_ok=True)
    return path


PROBE_SOURCE = 'extern void hx_write(const char *, unsigned long);\n' \
    'int harness_main(void) { hx_write("ok\\n", 3); return 0; }\n'  # fmt: skip


@functools.lru_cache(maxsize=4)
def can_compile(flag: str) -> bool:
    """Whether the sandbox can build and run a program with this extra flag (e.g. -m32);
    cached per compiler binary, so only the first process pays for the probe."""
    compiler = gcc()
    if compiler is None:
        return False
    stat = Path(compiler).resolve().stat()
    key = hashlib.sha256(
        f"{compiler}\0{stat.st_mtime_ns}\0{stat.st_size}\0{flag}\0{_runtime_key()}".encode()
    )
    marker = cache_dir() / f"probe-{key.hexdigest()[:32]}"
    if marker.is_file():
        return marker.read_text() == "yes"
    result = compile_and_run_many([(PROBE_SOURCE, [flag] if flag else [])])[0]
    works = result.ok and result.stdout == "ok\n"
    marker.write_text("yes" if works else "no")
    return works


def compile_and_run(source: str, cflags: list[str]) -> RunResult:
    """Build `source` (defining `int harness_main(void)`) and run it contained."""
    return compile_and_run_many([(source, cflags)])[0]


def compile_and_run_many(jobs: list[tuple[str, list[str]]]) -> list[RunResult]:
    """Several (source, cflags) jobs: the builds run side by side, then the binaries do.

    Processes are started from this thread only (``preexec_fn`` is unsafe with threads) and
    write to files, not pipes, so waiting on one never blocks another."""
    compiler = gcc()
    if compiler is None:
        return [RunResult(False, "", "gcc not found") for _ in jobs]
    keys = [_key(source, cflags) for source, cflags in jobs]
    results: list[RunResult | None] = [_cached(k) for k in keys]
    todo = [i for i, r in enumerate(results) if r is None]
    if todo:
        with tempfile.TemporaryDirectory(prefix="flagmodel-") as tmp:
            for i, result in zip(
                todo, _build_and_run(compiler, jobs, todo, Path(tmp)), strict=True
            ):
                results[i] = result
                _store(keys[i], result)
    return [r if r is not None else RunResult(False, "", "not run") for r in results]


@functools.lru_cache(maxsize=1)
def _runtime_key() -> str:
    text = sandbox_runtime.RUNTIME_C + " ".join(
        sandbox_runtime.CFLAGS + sandbox_runtime.LDFLAGS + sandbox_runtime.LIBS
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _key(source: str, cflags: list[str]) -> str:
    return hashlib.sha256(f"{source}\0{' '.join(cflags)}\0{_runtime_key()}".encode()).hexdigest()


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
    elif result.error.startswith("compile failed:"):
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
        (work / "runtime.c").write_text(sandbox_runtime.RUNTIME_C)
        cmd = [
            compiler, *sandbox_runtime.CFLAGS, *cflags, *sandbox_runtime.LDFLAGS,
            "-o", "harness", "harness.c", "runtime.c", *sandbox_runtime.LIBS,
        ]  # fmt: skip
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
        builds.append((work, sandbox_jail.start(cmd, work, env, sandbox_jail.BUILD)))
    results: list[RunResult] = []
    runs = []
    for work, job in builds:
        code = sandbox_jail.finish(job)
        if code != 0:
            results.append(RunResult(False, "", _build_error(work, code)))
            runs.append(None)
            continue
        cmd, _isolation = sandbox_jail.jail(work / "harness")
        results.append(RunResult(True, "", ""))
        runs.append((work, sandbox_jail.start(cmd, work, {}, sandbox_jail.RUN)))
    for k, run in enumerate(runs):
        if run is None:
            continue
        work, job = run
        code = sandbox_jail.finish(job)
        stdout = _read_bounded(work / "stdout")
        error = "" if code == 0 else _run_error(code) + _tool_error(work)
        results[k] = RunResult(code == 0, stdout, error)
    return results


def _build_error(work: Path, code: int | None) -> str:
    if code is None:
        return f"compile timed out (over {sandbox_jail.BUILD.wall_seconds:g} s)"
    if code < 0:
        return f"compile killed by signal {-code} (resource limit)"
    log = _read_bounded(work / "stderr")
    lines = [ln for ln in log.splitlines() if "error" in ln or "undefined reference" in ln]
    first = next((ln for ln in lines if "collect2" not in ln), lines[0] if lines else log)
    return "compile failed: " + first.replace(str(work) + "/", "").strip()[:300]


def _run_error(code: int | None) -> str:
    if code is None:
        return f"harness timed out (over {sandbox_jail.RUN.wall_seconds:g} s wall clock)"
    if code == sandbox_runtime.EXIT_NO_SECCOMP:
        return "harness not run: seccomp strict mode unavailable"
    if code in (-signal.SIGXCPU, -signal.SIGKILL, 128 + signal.SIGXCPU, 128 + signal.SIGKILL):
        return (
            f"harness killed (CPU limit of {sandbox_jail.RUN.cpu_seconds} s, or a forbidden "
            "system call under seccomp)"
        )
    if code < 0 or code > 128:
        sig = -code if code < 0 else code - 128
        return f"harness killed by signal {sig}"
    return f"harness exited with {code}"


def _tool_error(work: Path) -> str:
    """The jail tool's own complaint, if it failed to set up (not the harness' output)."""
    first = _read_bounded(work / "stderr", 400).partition("\n")[0]
    return f" ({first[:200]})" if first.startswith(("bwrap:", "unshare:")) else ""


def _read_bounded(path: Path, limit: int = 16 << 20) -> str:
    try:
        with open(path, "rb") as fh:
            return fh.read(limit).decode(errors="replace")
    except OSError:
        return ""
