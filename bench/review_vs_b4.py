#!/usr/bin/env python3
"""Time `reviewer review` of the real v2 thread against `b4 am -m` on the same mbox.

Both run as whole processes (interpreter start-up included), several times; prints the medians
and ratios. Every reviewer run uses a fresh database, so `review` tracks, compares and checks
from scratch; `track` alone is the work comparable to b4 am (parse, trailers, store). "Cold"
runs start with an empty cache directory (the flag model compiles its gcc harnesses), "warm"
runs share one (harness builds are cached by content hash). The warm review, track and b4 runs
take turns (review, track, b4, review, ...) so a change of the machine's load hits all three
alike; the CPU figures (children included) are the ones to compare on a shared machine.

Python bytecode: ``--bytecode env`` (the default) runs as the environment says: with
PYTHONDONTWRITEBYTECODE=1 the checkout's modules are compiled from source in every run while
b4 loads the .pyc files pip wrote into site-packages. ``--bytecode cached`` gives both a warm
bytecode cache (PYTHONPYCACHEPREFIX in the temporary directory, filled by a first run that is
not counted), as an installed reviewer runs.

    python bench/review_vs_b4.py [--runs N] [--bytecode env|cached] [MBOX]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
V2 = ROOT / "samples" / "threads" / "v2-thread.mbox"


CPU: dict[str, list[float]] = {}  # label -> CPU seconds (user + sys) of each run


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], env: dict[str, str], cwd: Path, label: str = "") -> float:
    """Wall time of one run; its CPU time (the process and its children: gcc, the harness)
    goes to CPU[label], the figure to compare on a loaded machine."""
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)  # fmt: skip
    if done.returncode:
        sys.exit(f"{cmd[2]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    CPU.setdefault(label, []).append(_children_cpu() - cpu)
    return time.perf_counter() - start


BASE_ENV = dict(os.environ)


def review(tmp: Path, run: str, cache: Path, mbox: str, command: str = "review") -> float:
    env = {**BASE_ENV, "XDG_CACHE_HOME": str(cache), "HOME": str(tmp)}
    env.pop("REVIEWER_CACHE", None)  # the cache under test is XDG_CACHE_HOME's
    # the checkout's code (the clean cwd cannot shadow it, and nothing needs installing)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    db = tmp / f"bench-{run}.sqlite3"
    cmd = [sys.executable, "-m", "reviewer.cli", command, "--offline", "--db", str(db), mbox]
    label = command if command != "review" else f"review {run.rstrip('0123456789')}"
    return timed(cmd, env, tmp / "work", label)


def b4_am(tmp: Path, run: int, mbox: str) -> float:
    env = {**BASE_ENV, "XDG_CACHE_HOME": str(tmp / "b4cache"), "HOME": str(tmp)}
    outdir = tmp / f"am-{run}"
    outdir.mkdir()
    cmd = [sys.executable, "-m", "b4.command", "--offline-mode", "am", "-m", mbox,
           "-o", str(outdir), "--no-cover"]  # fmt: skip
    return timed(cmd, env, tmp / "work", "b4")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mbox", nargs="?", default=str(V2))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--bytecode", choices=("env", "cached"), default="env")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        (tmp / "work").mkdir()  # a clean cwd: nothing there may shadow the package
        if args.bytecode == "cached":
            BASE_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
            BASE_ENV["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
            b4_am(tmp, -1, args.mbox)  # fill the bytecode cache (not counted)
            review(tmp, "pyc", tmp / "cache-pyc", args.mbox)
            CPU.clear()
        cold = [review(tmp, f"cold{i}", tmp / f"cache{i}", args.mbox) for i in range(args.runs)]
        warm = [review(tmp, "warm", tmp / "cache", args.mbox)]  # fills the harness cache
        track, b4 = [], []
        for i in range(args.runs):  # side by side: one of each in turn
            warm.append(review(tmp, f"warm{i}", tmp / "cache", args.mbox))
            track.append(review(tmp, f"t{i}", tmp / "cache", args.mbox, "track"))
            b4.append(b4_am(tmp, i, args.mbox))
    c, w, b = statistics.median(cold), statistics.median(warm[1:]), statistics.median(b4)
    t = statistics.median(track)
    size = Path(args.mbox).stat().st_size / 1e6
    print(f"input: {args.mbox} ({size:.1f} MB), {args.runs} runs each, medians")
    print(f"python bytecode: {args.bytecode} (see --help); warm = the harness cache filled by "
          "one uncounted review; every review and track run has a fresh database")  # fmt: skip
    print(f"reviewer review, fresh db, empty cache: {c * 1000:6.0f} ms  ({c / b:.2f}x b4 am)")
    print(f"reviewer review, fresh db, warm cache:  {w * 1000:6.0f} ms  ({w / b:.2f}x b4 am)")
    print(f"reviewer track (parse, trailers, store): {t * 1000:5.0f} ms  ({t / b:.2f}x b4 am)")
    print(f"b4 am -m:                               {b * 1000:6.0f} ms")
    bc = statistics.median(CPU["b4"])
    print("CPU time (user + sys, children included), medians:")
    rows = (("review cold", "review, empty cache"), ("review warm", "review, warm cache"),
            ("track", "track"), ("b4", "b4 am -m"))  # fmt: skip
    for label, name in rows:
        runs = CPU[label][1:] if label == "review warm" else CPU[label]
        c = statistics.median(runs)
        print(f"  {name:20s} {c * 1000:6.0f} ms  ({c / bc:.2f}x b4 am)")


if __name__ == "__main__":
    main()
