#!/usr/bin/env python3
"""Time `reviewer review` of the real v2 thread against `b4 am -m` on the same mbox.

Both run as whole processes (interpreter start-up included), several times; prints the median
of each and the ratio. Each reviewer run uses a fresh database, so it measures a first track.

    python bench/review_vs_b4.py [--runs N] [MBOX]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

V2 = Path(__file__).resolve().parent.parent / "samples" / "threads" / "v2-thread.mbox"


def timed(cmd: list[str], env: dict[str, str], cwd: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)  # fmt: skip
    if done.returncode:
        sys.exit(f"{cmd[2]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mbox", nargs="?", default=str(V2))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    reviewer_times, b4_times = [], []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "XDG_CACHE_HOME": f"{tmp}/cache", "HOME": tmp}
        cwd = (
            Path(tmp) / "work"
        )  # not tmp itself: $XDG_CACHE_HOME/reviewer must not shadow the package
        cwd.mkdir()
        for run in range(args.runs):
            db = Path(tmp) / f"bench-{run}.sqlite3"
            reviewer_times.append(timed(
                [sys.executable, "-m", "reviewer.cli", "review", "--offline", "--db", str(db),
                 args.mbox], env, str(cwd)))  # fmt: skip
            outdir = Path(tmp) / f"am-{run}"
            outdir.mkdir()
            b4_times.append(timed(
                [sys.executable, "-m", "b4.command", "--offline-mode", "am", "-m", args.mbox,
                 "-o", str(outdir), "--no-cover"], env, str(cwd)))  # fmt: skip
    r, b = statistics.median(reviewer_times), statistics.median(b4_times)
    print(f"input: {args.mbox} ({Path(args.mbox).stat().st_size / 1e6:.1f} MB), {args.runs} runs")
    print(f"reviewer review (fresh db): median {r * 1000:.0f} ms")
    print(f"b4 am -m:                   median {b * 1000:.0f} ms")
    print(f"ratio reviewer/b4: {r / b:.2f}")


if __name__ == "__main__":
    main()
