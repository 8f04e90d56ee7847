"""Shared fixtures: sample paths, an isolated database and home, and an in-process CLI runner."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest_plugins = ["tests.fixtures_public_inbox", "tests.fixtures_postgres", "tests.smtp_server"]

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
THREADS = SAMPLES / "threads"
V1 = THREADS / "v1-thread.mbox"
RESEND = THREADS / "v1-resend-thread.mbox"
V2 = THREADS / "v2-thread.mbox"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI (.ci/run installs every system package first) a test skipped because a system
    package is missing is a failure, not a silent skip."""
    outcome = yield
    report = outcome.get_result()
    if (
        report.skipped
        and os.environ.get("CI")
        and "system package missing:" in str(report.longrepr)
    ):
        report.outcome = "failed"
        report.longrepr = f"CI: {report.longrepr} (.ci/install-system-deps.sh should install it)"


@pytest.fixture(scope="session", autouse=True)
def no_real_dns():
    """No test asks the machine's DNS: `show` and `review` check DKIM signatures online unless
    --offline, and dnspython (through dkimpy and b4) asks this empty server on 127.0.0.1 instead
    (every name: NXDOMAIN). tests/results/test_attestation.py serves its own keys."""
    from tests.dns_server import serving_nothing

    with serving_nothing():
        yield


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory, monkeypatch):
    """No test reads or writes the user's database, caches or git config."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("REVIEWER_DB", str(home / "reviewer.sqlite3"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    # `--no-harness` run in-process sets it for the process: never let it reach the next test
    monkeypatch.delenv("REVIEWER_HARNESS", raising=False)
    return home


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "track.sqlite3"


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys, db_path):
    """Run `reviewer ARGS...` in-process against the test database."""
    from reviewer.cli import main

    def run(*args: str | Path) -> Result:
        argv = [str(a) for a in args]
        if "--db" not in argv and argv:
            argv[1:1] = ["--db", str(db_path)]
        capsys.readouterr()
        try:
            code = main(argv)
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def tracked(cli):
    """The three real January 2026 threads, tracked."""
    result = cli("track", "--offline", V1, RESEND, V2)
    assert result.code == 0, result.err
    return cli


@pytest.fixture
def thread_copy(tmp_path):
    def copy(path: Path) -> Path:
        dest = tmp_path / path.name
        shutil.copy(path, dest)
        return dest

    return copy
