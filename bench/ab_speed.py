#!/usr/bin/env python3
"""Side-by-side CPU of two checkouts of reviewer (A/B), for speed work on a shared machine.

    git archive <base-commit> | tar -x -C /tmp/base
    python bench/ab_speed.py /tmp/base [--runs N]

In turn (base, this checkout, b4, base, this checkout, b4, ...), so a change of the machine's
load hits all alike, it runs as whole processes: `reviewer review --offline` of the January v2
thread (fresh database each run) and `reviewer check` of the March v4 series (tracked into a
fresh database first, not timed), each checkout with its own warm harness cache (filled by one
uncounted run), and `b4 am -m` of the same January thread. Prints the median and minimum CPU
(user + sys, children included) of each; the minimum is the least disturbed by other load.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JAN = "samples/threads/v2-thread.mbox"
MARCH = "samples/threads/march/v4-thread.mbox"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    before = _cpu()
    done = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)  # fmt: skip
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd[:4])} failed ({done.returncode}): {done.stderr[-1500:]}")
    return _cpu() - before


def _env(checkout: Path, tmp: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(checkout), "HOME": str(tmp)}
    env["XDG_CACHE_HOME"] = str(tmp / f"cache-{checkout.name}")
    env.pop("REVIEWER_CACHE", None)
    env.pop("REVIEWER_DB", None)
    return env


def review(checkout: Path, tmp: Path, run: str) -> float:
    db = tmp / f"review-{checkout.name}-{run}.sqlite3"
    cli = [sys.executable, "-m", "reviewer.cli"]
    return _run([*cli, "review", "--offline", "--db", str(db), str(ROOT / JAN)],
                _env(checkout, tmp), tmp / "work")  # fmt: skip


def check(checkout: Path, tmp: Path, run: str) -> float:
    db = tmp / f"check-{checkout.name}-{run}.sqlite3"
    cli = [sys.executable, "-m", "reviewer.cli"]
    env = _env(checkout, tmp)
    _run([*cli, "track", "--offline", "--db", str(db), str(ROOT / MARCH)], env, tmp / "work")
    return _run([*cli, "check", "--db", str(db), "1"], env, tmp / "work")


def b4_am(tmp: Path, run: str) -> float:
    out = tmp / f"am-{run}"
    out.mkdir()
    env = {**os.environ, "HOME": str(tmp), "XDG_CACHE_HOME": str(tmp / "b4cache")}
    cmd = [sys.executable, "-m", "b4.command", "--offline-mode", "am", "-m", str(ROOT / JAN),
           "-o", str(out), "--no-cover"]  # fmt: skip
    return _run(cmd, env, tmp / "work")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the other checkout (the base of the comparison)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sides = {"base": Path(args.base).resolve(), "this": ROOT}
    cpu: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        (tmp / "work").mkdir()
        for checkout in sides.values():  # warm harness caches (not counted)
            review(checkout, tmp, "warmup")
            check(checkout, tmp, "warmup")
        for i in range(args.runs):
            for label, checkout in sides.items():
                cpu.setdefault(f"review {label}", []).append(review(checkout, tmp, str(i)))
                cpu.setdefault(f"check {label}", []).append(check(checkout, tmp, str(i)))
            cpu.setdefault("b4 am -m", []).append(b4_am(tmp, str(i)))
    b4 = statistics.median(cpu["b4 am -m"])
    print(f"base: {sides['base']}  this: {ROOT}  runs: {args.runs}")
    print("CPU (user + sys, children included):      median     min   median/b4")
    for label, values in cpu.items():
        what = label.replace("review", "review Jan v2").replace("check", "check March v4")
        med, low = statistics.median(values), min(values)
        print(f"  {what:38s} {med:6.2f} s {low:6.2f} s   {med / b4:5.2f}x")


if __name__ == "__main__":
    main()
