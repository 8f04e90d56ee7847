"""Time the whole flag-model check of the real v2 series, cold and warm.

Usage: python bench/flag_check.py [--mbox PATH] [--runs N]
Cold: empty harness cache (every gcc build runs). Warm: harness results cached by content
hash, parse memos cleared before each run (what a new `reviewer check` process does after
imports). The bar is under 2 s for the whole check.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mbox", default=str(ROOT / "samples/threads/v2-thread.mbox"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    t0 = time.perf_counter()
    from reviewer.flagmodel.check import check_revision, clear_memos
    from reviewer.series.parse import parse_messages
    from reviewer.sources.mail import load_source

    loaded = load_source(args.mbox, offline=True)
    patches = parse_messages([m.msg for m in loaded.messages]).revisions[-1].patches
    t_load = time.perf_counter() - t0

    def timed(**kwargs) -> float:
        clear_memos()  # as in a fresh `reviewer check` process
        t = time.perf_counter()
        check_revision(patches, **kwargs)
        return time.perf_counter() - t

    with tempfile.TemporaryDirectory() as cache:
        os.environ["REVIEWER_CACHE"] = cache
        cold = timed()  # every harness program built and run
        report = check_revision(patches)
        warm = [timed() for _ in range(args.runs)]
    python_only = [timed(helpers=False) for _ in range(args.runs)]
    again = []
    for _ in range(args.runs):
        t = time.perf_counter()
        check_revision(patches, helpers=False)
        again.append(time.perf_counter() - t)
    print(f"series: {len(patches)} patches, {sum(len(p.diff) for p in patches)} diff bytes")
    print(f"imports + mbox parse: {t_load:.2f} s")
    print(f"cold check (empty harness cache, every gcc build): {cold:.2f} s")
    print(
        f"warm check (harness cached), median of {args.runs}: {statistics.median(warm):.3f} s "
        f"(max {max(warm):.3f} s) -> {'OK' if max(warm) < 2 else 'OVER'} vs 2 s bar"
    )
    print(f"Python part only (no harness), median: {statistics.median(python_only):.3f} s")
    print(f"same content again in one process (memos warm): {statistics.median(again):.3f} s")
    print(
        f"result: {report.verified} verified, {report.unverified} unverified, "
        f"{report.count('error')} errors, {report.count('warning')} warnings"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
