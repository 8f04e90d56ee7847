"""The sandbox on its own, fed C that the allowlist would never let through: the second line
of defence must hold by itself. Fork and memory attacks run in a child process under an outer
limit (its own pid namespace where possible, CPU/memory limits, a timeout), so a regression
cannot take the machine down."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from reviewer.flagmodel import sandbox, sandbox_jail
from tests.flagmodel.hostile_helpers import (
    harness_processes,
    reviewer_cgroups,
)

pytestmark = pytest.mark.skipif(sandbox.gcc() is None, reason="gcc not installed")

SYSCALL = (
    'static long sc(long n, long a, long b, long c) { long r; __asm__ volatile("syscall" '
    ': "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory"); return r; }\n'
)
x86_64 = pytest.mark.skipif(os.uname().machine != "x86_64", reason="raw x86_64 syscalls")
WRITE = "extern void hx_write(const char *, unsigned long);\n"


@pytest.fixture(autouse=True)
def nothing_left(private_tmp):
    yield
    assert not harness_processes(private_tmp), "a harness process outlived its run"
    assert not reviewer_cgroups(), "a harness cgroup was left behind"


def _run_outer(source: str, cflags: list[str] | None = None, timeout: int = 120) -> dict:
    """compile_and_run in a child Python under an outer limit; its result as a dict."""
    code = textwrap.dedent(
        f"""
        import json, sys
        from reviewer.flagmodel import sandbox
        r = sandbox.compile_and_run(sys.stdin.read(), {cflags or []!r})
        print(json.dumps({{"ok": r.ok, "stdout": r.stdout, "error": r.error}}))
        """
    )
    cmd = [sys.executable, "-c", code]
    if sandbox_jail.unshare_works():
        cmd = ["unshare", "--user", "--map-root-user", "--pid", "--fork", "--kill-child", *cmd]

    def limits() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))
        resource.setrlimit(resource.RLIMIT_CPU, (timeout, timeout))

    proc = subprocess.run(
        cmd, input=source, capture_output=True, text=True, timeout=timeout,
        preexec_fn=limits, cwd=os.getcwd(), env=dict(os.environ),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.splitlines()[-1])


def test_normal_program_runs_and_prints(tmp_path):
    src = WRITE + 'int harness_main(void) { hx_write("hi\\n", 3); return 0; }'
    r = sandbox.compile_and_run(src, [])
    assert r.ok and r.stdout == "hi\n"


@x86_64
def test_raw_open_syscall_is_killed_by_seccomp(tmp_path):
    marker = tmp_path / "pwned"
    src = (
        WRITE
        + SYSCALL
        + (
            f'int harness_main(void) {{ hx_write("a\\n", 2); sc(85, (long)"{marker}", 0644, 0); '
            'hx_write("b\\n", 2); return 0; }'
        )
    )
    r = sandbox.compile_and_run(src, [])
    assert not r.ok and "killed" in r.error
    assert r.stdout == "a\n"  # the write before it went through, nothing after
    assert not marker.exists()


@x86_64
def test_raw_fork_bomb_is_contained():
    src = WRITE + SYSCALL + "int harness_main(void) { for (;;) sc(57, 0, 0, 0); }"
    start = time.monotonic()
    r = _run_outer(src)
    assert not r["ok"] and "killed" in r["error"]
    assert time.monotonic() - start < 60


def test_libc_functions_do_not_exist(tmp_path):
    marker = tmp_path / "pwned"
    src = (
        "extern int system(const char *);\n"
        f'int harness_main(void) {{ system("touch {marker}"); return 0; }}'
    )
    r = sandbox.compile_and_run(src, [])
    assert not r.ok and "undefined reference" in r.error and "system" in r.error
    assert not marker.exists()


def test_constructors_never_run():
    src = WRITE + (
        '__attribute__((constructor)) static void c(void) { hx_write("ctor\\n", 5); }\n'
        'int harness_main(void) { hx_write("main\\n", 5); return 0; }'
    )
    r = sandbox.compile_and_run(src, [])
    assert r.ok and r.stdout == "main\n"


def test_own_entry_point_cannot_replace_the_runtime():
    src = WRITE + "void __reviewer_start(void) { for (;;); }\nint harness_main(void) { return 0; }"
    r = sandbox.compile_and_run(src, [])
    assert not r.ok and "compile failed" in r.error


def test_endless_loop_is_cut_within_seconds():
    start = time.monotonic()
    r = sandbox.compile_and_run(WRITE + "int harness_main(void) { for (;;); }", [])
    assert not r.ok and ("killed" in r.error or "timed out" in r.error)
    assert time.monotonic() - start < sandbox_jail.RUN.wall_seconds + 10


def test_fifty_gigabytes_are_refused():
    src = WRITE + (
        "static char big[50UL << 30];\n"
        "int harness_main(void) { for (unsigned long i = 0; i < sizeof(big); i += 4096) "
        "big[i] = 1; return 0; }"
    )
    r = _run_outer(src)
    assert not r["ok"]


def test_include_of_a_system_file_in_harness_source_fails_to_build():
    r = sandbox.compile_and_run('#include "/etc/passwd"\nint harness_main(void) { return 0; }', [])
    assert not r.ok and "compile failed" in r.error


def test_isolation_is_reported():
    note = sandbox_jail.isolation_note()
    assert "seccomp strict" in note and "no libc" in note
