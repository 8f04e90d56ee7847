"""Time the whole flag-model check of the real v2 series, cold and warm.

Usage: python bench/flag_check.py [--mbox PATH | --march REV] [--runs N] [--reasons]
                                  [--process N] [--jobs N] [--no-outcomes]
Cold: empty harness cache (every gcc build runs). Warm: harness results and the outcomes of
the helper harness and the checks cached by content hash (outcome_cache), parse memos cleared
before each run (what a new `reviewer check` process does after imports); `--no-outcomes`: the
kept outcomes are deleted before each warm run (only the gcc results are cached). The check
runs its independent parts in worker processes (`--jobs N`, default REVIEWER_JOBS or the CPUs;
`--jobs 1`: none). The bar is under 2 s (wall) for the whole check. Each figure is wall time
and CPU time (this process's and its workers'; gcc runs only in the cold check); on a shared
machine wall time is inflated: compare CPU, and wall time only on an idle machine.
`--process N`: also N whole `python -m reviewer.cli check` processes (interpreter start-up,
imports, stored-report lookup and save included), each on a fresh database the series was
tracked into first (not timed), with the warm harness cache; CPU includes children.
`--march v4` checks a revision of the real March 2026 series (samples/threads/march/);
`--reasons` also breaks the unverified blocks down by reason (one line per reason with its
count, then each block with file, line and message).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from series_input import ROOT, add_series_args, latest_patches, series_mbox  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_series_args(parser)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reasons", action="store_true", help="unverified blocks by reason")
    parser.add_argument("--process", type=int, default=0, help="whole `reviewer check` runs")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (1: none)")
    parser.add_argument("--no-outcomes", action="store_true", help="warm: gcc results only")
    args = parser.parse_args()
    if args.jobs:
        os.environ["REVIEWER_JOBS"] = str(args.jobs)
    args.mbox = series_mbox(args)

    t0 = time.perf_counter()
    from reviewer.cli import tuned_gc
    from reviewer.flagmodel.check import check_revision, clear_memos
    from reviewer.flagmodel.check_jobs import worker_count

    patches = latest_patches(args.mbox)
    t_load = time.perf_counter() - t0

    cpu: dict[str, list[float]] = {}

    def timed(label: str, **kwargs) -> float:
        clear_memos()  # as in a fresh `reviewer check` process
        if args.no_outcomes:
            for kept in Path(os.environ["REVIEWER_CACHE"], "flagmodel").glob("outcome-*"):
                kept.unlink()
        t, c = time.perf_counter(), _cpu()
        with tuned_gc(exiting=False):  # the collector as `reviewer check` runs it
            check_revision(patches, **kwargs)
        cpu.setdefault(label, []).append(_cpu() - c)
        return time.perf_counter() - t

    with tempfile.TemporaryDirectory() as cache:
        os.environ["REVIEWER_CACHE"] = cache
        cold = timed("cold")  # every harness program built and run
        report = check_revision(patches)
        warm = [timed("warm") for _ in range(args.runs)]
        processes = [whole_check(args.mbox, cache) for _ in range(args.process)]
    python_only = [timed("python", helpers=False) for _ in range(args.runs)]
    again = []
    for _ in range(args.runs):
        t, c = time.perf_counter(), _cpu()
        check_revision(patches, helpers=False)
        again.append(time.perf_counter() - t)
        cpu.setdefault("again", []).append(_cpu() - c)
    print(f"series: {len(patches)} patches, {sum(len(p.diff) for p in patches)} diff bytes")
    print(
        f"workers: {worker_count(1 << 10)} (REVIEWER_JOBS or the CPUs; --jobs); CPU below is "
        f"this process and its workers, wall is what the reviewer waits"
    )
    med = statistics.median
    print(f"imports + mbox parse: {t_load:.2f} s")
    print(f"cold check (empty harness cache, every gcc build): {cold:.2f} s wall")
    print(
        f"warm check (harness cached), median of {args.runs}: {med(warm):.3f} s wall "
        f"(max {max(warm):.3f} s) -> {'OK' if max(warm) < 2 else 'OVER'} vs 2 s bar; "
        f"CPU {med(cpu['warm']):.3f} s (min {min(cpu['warm']):.3f} s)"
    )
    print(
        f"Python part only (no harness), median: {med(python_only):.3f} s wall, "
        f"CPU {med(cpu['python']):.3f} s"
    )
    print(
        f"same content again in one process (memos warm): {med(again):.3f} s wall, "
        f"CPU {med(cpu['again']):.3f} s"
    )
    if processes:
        walls, cpus = [w for w, _ in processes], [c for _, c in processes]
        print(
            f"whole `reviewer check` process (fresh db, warm harness cache), median of "
            f"{len(processes)}: {med(walls):.3f} s wall, CPU {med(cpus):.3f} s "
            f"(min {min(cpus):.3f} s) -> {'OK' if med(cpus) <= 2 else 'OVER'} vs 2 s bar (CPU)"
        )
    print(
        f"result: {report.verified} verified, {report.unverified} unverified, "
        f"{report.count('error')} errors, {report.count('warning')} warnings"
    )
    if args.reasons:
        print_reasons(report)
    return 0


def _cpu() -> float:
    """CPU of this process and of its reaped children (the check's workers, gcc)."""
    return time.process_time() + _children_cpu()


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def whole_check(mbox: str, cache: str) -> tuple[float, float]:
    """(wall, CPU) of one `python -m reviewer.cli check` process of the tracked mbox."""
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "REVIEWER_CACHE": cache, "HOME": tmp, "PYTHONPATH": str(ROOT)}
        db = str(Path(tmp) / "db.sqlite3")
        base = [sys.executable, "-m", "reviewer.cli"]
        subprocess.run([*base, "track", "--offline", "--db", db, mbox], env=env, cwd=tmp,
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        c, t = _children_cpu(), time.perf_counter()
        done = subprocess.run([*base, "check", "--db", db, "1"], env=env, cwd=tmp,
                              stdout=subprocess.DEVNULL)  # fmt: skip
        wall, cpu = time.perf_counter() - t, _children_cpu() - c
    if done.returncode not in (0, 1):
        sys.exit(f"reviewer check failed ({done.returncode})")
    return wall, cpu


# message pattern -> reason (first match wins); the message keeps file, line and detail
REASONS = (
    (r"not compiled: the patch does not show every line", "helper: definition split by hunks"),
    (r"not compiled: the patch text does not hold the whole", "helper: definition cut by hunk"),
    (r"not compiled: uses \S+, which is not compiled either", "helper: uses a refused one"),
    (r"not compiled: call of .*defined neither", "helper: calls a name defined nowhere"),
    (r"not compiled: ", "helper: other refusal"),
    (r"^helper harness \(", "helper: harness run failed"),
    (r"does not parse as complete statements", "conversion: fragment does not parse"),
    (r"has no definition in the series", "conversion: call of a name defined nowhere"),
    (r"prototype (changed|is not visible)|takes \d+ arguments", "conversion: prototype changed"),
    (r"a parameter of the changed function on one side", "conversion: one-sided parameter"),
    (r"decided by that region", "conversion: changed region"),
    (r"expression kind|statement kind|compound literal", "conversion: construct not modelled"),
    (
        r"unknown value|is not known|cannot tell which|bit argument|cannot resolve",
        "conversion: unknown value",
    ),
    (r"the model failed here", "model failure"),
)


def reason_of(message: str) -> str:
    for pattern, reason in REASONS:
        if re.search(pattern, message):
            return reason
    return "other"


def print_reasons(report) -> None:
    rows = [f for f in report.sorted_findings() if f.check == "unverified"]
    by = Counter(reason_of(f.message) for f in rows)
    total = report.verified + report.unverified
    share = 100 * report.unverified / total if total else 0.0
    print(f"unverified by reason ({report.unverified} of {total} blocks, {share:.1f} %):")
    for reason, n in by.most_common():
        print(f"  {n:4d}  {reason}")
    for f in rows:
        print(f"  [{reason_of(f.message)}] {f.patch}:{f.file}:{f.line}: {f.message[:150]}")


if __name__ == "__main__":
    sys.exit(main())
