"""The independent parts of a check run in forked workers; the report is the same as run in
one process, a worker that dies costs one unverified finding, and nothing outlives the check."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from reviewer.flagmodel import check_jobs
from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.check_jobs import Job, run_jobs
from reviewer.flagmodel.findings import UNVERIFIED, CheckReport
from reviewer.flagmodel.fixup_check import check_with_fixups
from tests.march_series import jan, march


def _note_pid(tag: str):
    def run(report: CheckReport) -> None:
        report.notes.append(f"{tag} {os.getpid()}")
        report.verified += 1

    return run


def _children() -> list[str]:
    """Processes whose parent is this one (read from /proc: any kind of child counts)."""
    me, out = str(os.getpid()), []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        if stat.rsplit(")", 1)[1].split()[1] == me:
            out.append(pid)
    return out


@pytest.fixture
def two_workers(monkeypatch):
    monkeypatch.setenv(check_jobs.JOBS_ENV, "2")
    assert threading.active_count() == 1, "the test process must be able to fork"


def test_jobs_run_in_forked_workers_and_come_back_in_job_order(two_workers):
    # the cheapest job first: workers start the costly ones first, the merge keeps job order
    jobs = [Job(f"job {i}", 0, i, _note_pid(f"job{i}")) for i in range(6)]
    before = _children()  # the tests' DNS server
    deltas = run_jobs(jobs, CheckReport())
    tags = [d.notes[0].split()[0] for d in deltas]
    assert tags == [f"job{i}" for i in range(6)]
    pids = {d.notes[0].split()[1] for d in deltas}
    assert str(os.getpid()) not in pids and 1 <= len(pids) <= 2
    assert _children() == before  # the pool is gone when run_jobs returns


def test_one_worker_or_other_threads_run_the_jobs_here(monkeypatch):
    monkeypatch.setenv(check_jobs.JOBS_ENV, "1")
    deltas = run_jobs([Job("a", 0, 0, _note_pid("a")), Job("b", 0, 0, _note_pid("b"))],
                      CheckReport())  # fmt: skip
    assert {d.notes[0].split()[1] for d in deltas} == {str(os.getpid())}
    monkeypatch.setenv(check_jobs.JOBS_ENV, "2")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        deltas = run_jobs([Job("a", 0, 0, _note_pid("a")), Job("b", 0, 0, _note_pid("b"))],
                          CheckReport())  # fmt: skip
    finally:
        stop.set()
        other.join()
    assert {d.notes[0].split()[1] for d in deltas} == {str(os.getpid())}


def test_a_worker_that_dies_costs_its_job_only(two_workers):
    def killed(report: CheckReport) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    jobs = [Job("fine", 1, 0, _note_pid("fine")), Job("the conversions of x.c", 3, 9, killed)]
    before = _children()
    deltas = run_jobs(jobs, CheckReport())
    lost = deltas[1]
    assert lost.unverified == 1 and lost.findings[0].check == UNVERIFIED
    assert lost.findings[0].patch == 3
    assert lost.findings[0].message.startswith("the conversions of x.c could not run")
    # the other job either finished before the pool broke or is reported the same way
    assert deltas[0].notes or deltas[0].findings[0].message.startswith("fine could not run")
    assert _children() == before


def test_each_job_starts_from_the_revision_states():
    def read_states(report: CheckReport) -> None:
        report.notes.append(f"{report.tree_state}/{report.final_state}/{report.state_source}")

    template = CheckReport(tree_state="S1", final_state="S3", state_source="patch text")
    (delta,) = run_jobs([Job("states", 0, 0, read_states)], template)
    assert delta.notes == ["S1/S3/patch text"]


def test_worker_count_follows_the_setting_and_the_jobs(monkeypatch):
    monkeypatch.setenv(check_jobs.JOBS_ENV, "3")
    assert check_jobs.worker_count(10) == 3 and check_jobs.worker_count(2) == 2
    monkeypatch.setenv(check_jobs.JOBS_ENV, "many")  # not a number: the CPUs, at most 8
    assert 1 <= check_jobs.worker_count(100) <= check_jobs.MAX_WORKERS


def _same(a: CheckReport, b: CheckReport) -> None:
    assert a.to_json() == b.to_json()
    assert a.verified_lines == b.verified_lines


@pytest.mark.parametrize("revision", ["v2"])
def test_a_real_series_checked_in_workers_is_checked_as_in_one_process(
    monkeypatch, two_workers, revision
):
    patches = march(revision)
    monkeypatch.setenv(check_jobs.JOBS_ENV, "1")
    alone = check_revision(patches, helpers=False)
    assert alone.count("error") > 0  # v2 carries the mistakes v3 fixed: findings to compare
    monkeypatch.setenv(check_jobs.JOBS_ENV, "2")
    _same(check_revision(patches, helpers=False), alone)


def test_the_fixup_compare_mode_in_workers_is_the_same_as_in_one_process(monkeypatch, two_workers):
    patches = jan("v2-thread.mbox")  # fix-ups in reply: two checks, the second replays
    monkeypatch.setenv(check_jobs.JOBS_ENV, "1")
    alone = check_with_fixups(patches, helpers=False)
    monkeypatch.setenv(check_jobs.JOBS_ENV, "2")
    _same(check_with_fixups(patches, helpers=False), alone)


INTERRUPTED = """
import os, signal, sys, time
from reviewer.flagmodel.check_jobs import Job, run_jobs
from reviewer.flagmodel.findings import CheckReport

def slow(report):
    if os.getpid() != PARENT:
        os.kill(PARENT, signal.SIGUSR1)
    time.sleep(30)

def interrupt(*_):  # a job has started in a worker: Ctrl-C to the whole process group
    os.killpg(0, signal.SIGINT)

PARENT = os.getpid()
signal.signal(signal.SIGUSR1, interrupt)
try:
    run_jobs([Job("a", 0, 0, slow), Job("b", 0, 0, slow)], CheckReport())
except KeyboardInterrupt:
    print("interrupted")
"""


def test_ctrl_c_ends_the_workers_without_a_traceback(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPTED],
        cwd=root,
        env={**os.environ, check_jobs.JOBS_ENV: "2"},
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,  # its own process group: the SIGINT stays in there
    )
    assert done.stdout.strip() == "interrupted"
    assert "Traceback" not in done.stderr, done.stderr


def test_no_worker_can_start_the_jobs_run_here(two_workers, monkeypatch):
    """No semaphores (a container without /dev/shm) or no processes left: the check runs in
    this process instead of failing."""

    def refused(*_a, **_k):
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(check_jobs, "ProcessPoolExecutor", refused)
    deltas = run_jobs([Job("a", 0, 0, _note_pid("a")), Job("b", 0, 0, _note_pid("b"))],
                      CheckReport())  # fmt: skip
    assert [d.notes[0].split()[0] for d in deltas] == ["a", "b"]
    assert {d.notes[0].split()[1] for d in deltas} == {str(os.getpid())}
