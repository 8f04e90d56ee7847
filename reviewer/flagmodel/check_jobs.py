"""Run the independent parts of a check side by side in worker processes.

Once the model chain of a revision is built (each patch's model comes from the patches before
it), what is left is independent: the conversions of each changed file of each patch, the
per-bug-class checks and the helper harness. Each job writes into a report of its own; what it
added (a ``Delta``) comes back and is merged into the revision's report in job order, so the
report is the same as when the jobs run one after the other in one process (the same findings in
the same order, deduplicated by ``CheckReport.add`` as they are merged).

Workers are forked (they start with the parent's parsed views, models and memos and are handed
a job's number, never mail text to execute); nothing outlives the check: the pool is shut down
before ``run_jobs`` returns. Jobs run in this process instead when there is one CPU, one job,
``REVIEWER_JOBS=1``, no ``fork`` on the platform, or other threads in the process (forking a
threaded process can deadlock the child: the TUI's worker threads) or when no worker can be
started (no semaphores without /dev/shm, no processes left). A job whose worker died
(killed, out of memory) is reported as one unverified finding naming it; the rest of the report
is kept. Ctrl-C ends the workers quietly; the command reports the interruption once.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from reviewer.flagmodel.findings import UNVERIFIED, CheckReport, Finding, Severity

JOBS_ENV = "REVIEWER_JOBS"  # worker processes of a check (1: no workers)
MAX_WORKERS = 8


@dataclass
class Job:
    """One independent part of a check: `run` writes into the report it is given."""

    label: str  # names the job in a finding when its worker died
    patch: int  # the patch a finding about the job belongs to (0: the series)
    cost: int  # a rough size: bigger jobs are started first
    run: Callable[[CheckReport], None]


@dataclass
class Delta:
    """What one job added to its own report."""

    findings: list[Finding] = field(default_factory=list)
    verified: int = 0
    unverified: int = 0
    notes: list[str] = field(default_factory=list)
    verified_lines: set[tuple[int, str]] = field(default_factory=set)

    def merge_into(self, report: CheckReport) -> None:
        for f in self.findings:
            report.add(f)
        report.verified += self.verified
        report.unverified += self.unverified
        report.notes.extend(self.notes)
        report.verified_lines |= self.verified_lines


def worker_count(jobs: int) -> int:
    """Workers for `jobs` jobs: REVIEWER_JOBS, else the CPUs this process may use (at most 8)."""
    raw = os.environ.get(JOBS_ENV, "").strip()
    if raw.isdigit() and int(raw) > 0:
        wanted = int(raw)
    else:
        try:
            wanted = len(os.sched_getaffinity(0))
        except AttributeError:  # not Linux
            wanted = os.cpu_count() or 1
        wanted = min(wanted, MAX_WORKERS)
    return max(1, min(wanted, jobs))


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


# the jobs of the check in progress, read by the forked workers (set before they are forked)
_JOBS: list[Job] = []
_TEMPLATE = CheckReport()


def _fresh() -> CheckReport:
    t = _TEMPLATE
    return CheckReport(
        tree_state=t.tree_state, final_state=t.final_state, state_source=t.state_source
    )


def _run(index: int) -> Delta:
    report = _fresh()
    _JOBS[index].run(report)
    return Delta(
        report.findings, report.verified, report.unverified, report.notes, report.verified_lines
    )


def run_jobs(jobs: list[Job], template: CheckReport) -> list[Delta]:
    """Run the jobs (each on a report with `template`'s states); their deltas in job order."""
    global _JOBS, _TEMPLATE
    _JOBS, _TEMPLATE = jobs, template
    try:
        workers = worker_count(len(jobs))
        if workers > 1 and _can_fork():
            done = _in_workers(jobs, workers)
            if done is not None:
                return done
        return [_run(i) for i in range(len(jobs))]
    finally:
        _JOBS, _TEMPLATE = [], CheckReport()


def _in_workers(jobs: list[Job], workers: int) -> list[Delta] | None:
    """The deltas, or None when no worker could be started (no semaphores without /dev/shm,
    no processes left): the jobs then run in this process."""
    order = sorted(range(len(jobs)), key=lambda i: -jobs[i].cost)
    results: dict[int, Delta] = {}
    context = multiprocessing.get_context("fork")
    # Ctrl-C held back while the workers are forked (the first submit forks them all): a
    # worker gets it only once it ends quietly on it
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        try:
            pool = ProcessPoolExecutor(workers, context, initializer=_quiet_on_interrupt)
        except (OSError, ImportError, NotImplementedError):
            return None
        try:
            futures = {i: pool.submit(_run, i) for i in order}
        except (OSError, BrokenProcessPool):
            pool.shutdown(cancel_futures=True)
            return None
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    with pool:
        for i, future in futures.items():
            try:
                results[i] = future.result()
            except BrokenProcessPool:
                results[i] = _lost(jobs[i], "its worker process died")
            except Exception as exc:  # noqa: BLE001 - a job that could not come back
                results[i] = _lost(jobs[i], f"{type(exc).__name__}: {exc}")
    return [results[i] for i in range(len(jobs))]


def _quiet_on_interrupt() -> None:
    """Ctrl-C reaches the workers too (one process group): a worker just ends, the parent
    alone says it was interrupted (no traceback from each worker)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _lost(job: Job, why: str) -> Delta:
    finding = Finding(
        Severity.INFO, UNVERIFIED, job.patch, "", 0, f"{job.label} could not run: {why}"
    )
    return Delta(findings=[finding], unverified=1)
