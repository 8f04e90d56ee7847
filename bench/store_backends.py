#!/usr/bin/env python3
"""The tracking store on SQLite and on PostgreSQL, side by side.

Starts a throwaway PostgreSQL cluster on 127.0.0.1 (tests/pg_server.py; needs Debian's
postgresql package), then for each backend times, as whole `reviewer` processes where a user
would run one:

  track Jan threads   `reviewer track --offline` of the three real January 2026 threads
                      (v1, v1-RESEND, v2: 212 messages, 3 revisions of 13 patches)
  track 200 series    `reviewer track --offline` of SERIES synthetic series (cover, PATCHES
                      patches, REPLIES replies each) in one mbox
  update 200: news    the store side of `reviewer update`: new mail for every series (a reply on
                      each, a v2 of every 10th) stored and the series rebuilt, then states
                      re-derived (`reviewer update --offline`); polling is network time,
                      measured by bench/update_scale.py
  list 10,000         the series-list query (`series_rows`, what `reviewer list` and the TUI
                      list run) over 10,000 series (3 patches, 2 trailers each, a reviewer or
                      two on every 5th; best of 3, in-process), and the whole `reviewer list`
                      and `reviewer list --json` processes; the rows are made
                      on SQLite through the store and copied to PostgreSQL as
                      `reviewer db migrate` does
  N writers           N processes writing at once for SECONDS (tests/store_writer.py: each
                      round tracks a series, a reply to a shared series, sets its own state,
                      marks a patch done, sets a state by hand); then checks nothing was lost

    python bench/store_backends.py [--series 200] [--patches 6] [--replies 3]
                                   [--list-series 10000] [--writers 8] [--seconds 60]

Prints figures (and the load average: the machine may be shared); asserts nothing about time
(it does fail when a write was lost).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from reviewer.models import Patch, Revision, Trailer  # noqa: E402
from reviewer.store.core import Store  # noqa: E402
from reviewer.store.summary import series_rows  # noqa: E402
from tests import synthetic_archive as synth  # noqa: E402
from tests.pg_server import PgCluster, missing_reason  # noqa: E402

THREADS = [REPO / "samples" / "threads" / n for n in
           ("v1-thread.mbox", "v1-resend-thread.mbox", "v2-thread.mbox")]  # fmt: skip


def reviewer(env: dict, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "reviewer.cli", *args], cwd=REPO, env=env,
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"store_backends: reviewer {args[0]} failed: {done.stderr.strip()[-400:]}")
    return took, done.stdout


TEAM = ("Liam <liam@example.org>", "Vlastimil <vbabka@example.org>")


def fill_list(db: str, count: int) -> float:
    """``count`` series straight through the store (no mail parsing): 3 patches, 2 trailers;
    every 5th series has one or two reviewers with an own state and patches marked done."""
    store = Store.open(db, actor="Bench <bench@example.org>")
    start = time.perf_counter()
    for first in range(0, count, 500):
        with store.transaction():
            for k in range(first, min(count, first + 500)):
                sid = store.create_series(f"synth: list series {k}", synth.author(k))
                rev = Revision(1, False, "v1", f"c.{k}@x", f"synth: list series {k}",
                               synth.author(k), "2026-01-05T09:00:00+00:00", 3)  # fmt: skip
                for i in range(1, 4):
                    patch = Patch(i, f"part {i}", f"p.{k}.{i}@x", synth.author(k),
                                  "2026-01-05T09:00:00+00:00", "msg", "diff", None)  # fmt: skip
                    if i < 3:
                        patch.trailers = [Trailer("Reviewed-by", f"R <r{i}@x>")]
                    rev.patches.append(patch)
                store.replace_revisions(sid, [rev])
                if k % 5 == 0:  # a team on every 5th series: own states and progress
                    for who in TEAM[: 1 + k % 2]:
                        store.set_reviewer_state(sid, rev.message_id, "reviewing", True, who)
                        for patch in rev.patches[: 1 + k % 3]:
                            store.set_patch_review(sid, patch.message_id, "done", who)
    took = time.perf_counter() - start
    store.close()
    return took


def time_list(db: str) -> tuple[float, float]:
    """Best of 3: (wall, CPU of this process). On a loaded machine the wall time waits for a
    core; the CPU time is what the query costs the client (PostgreSQL's work is in its server
    process, so there only the wall time counts)."""
    store = Store.open(db)
    wall = cpu = float("inf")
    for _ in range(3):
        start, start_cpu = time.perf_counter(), time.process_time()
        rows = series_rows(store)
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    assert len(rows) >= 1, "no rows"
    store.close()
    return wall, cpu


def writers(env: dict, db: str, n: int, seconds: float, root: Path) -> dict:
    shared = root / "shared.mbox"
    shared.write_bytes(synth.mbox(synth.series(0, patches=2)))
    reviewer(env, "track", "--offline", "--db", db, str(shared))
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.store_writer", db, str(w), "--seconds", str(seconds)],
            cwd=REPO,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for w in range(1, n + 1)
    ]
    reports, errors = [], 0
    for p in procs:
        out, err = p.communicate()
        if p.returncode != 0:
            errors += 1
            print(f"  writer failed: {err.strip()[-300:]}", file=sys.stderr)
        else:
            reports.append(json.loads(out.strip().splitlines()[-1]))
    store = Store.open(db)
    shared_id = store.get_series(synth.cover_id(0)).id
    stored = store.message_ids(shared_id)
    lost = sum(1 for r in reports for mid in r["replies"] if mid not in stored)
    own = {mid for r in reports for mid in r["series"]}
    lost += len(own) - len({store.get_series(mid).id for mid in own})
    done = {(r["reviewer"], r["patch_message_id"]) for r in store.patch_reviews(shared_id)}
    lost += sum(1 for r in reports for mid in r["done"] if (r["writer"], mid) not in done)
    rounds = sum(r["rounds"] for r in reports)
    return {"rounds": rounds, "lost": lost, "failed": errors}


LIST_SOURCE: list[str] = []  # the SQLite list store, copied to PostgreSQL


def run_backend(name: str, make_db, args, root: Path, env: dict) -> dict:
    out: dict = {}
    db = make_db("jan")
    out["track Jan threads"], _ = reviewer(env, "track", "--offline", "--db", db,
                                           *map(str, THREADS))  # fmt: skip

    db = make_db("s200")
    archive = root / "s200.mbox"
    mails = [m for k in range(args.series) for m in synth.series(k, args.patches, 1, args.replies)]
    archive.write_bytes(synth.mbox(mails))
    out[f"track {args.series} series"], _ = reviewer(env, "track", "--offline", "--db", db,
                                                    str(archive))  # fmt: skip
    news = root / "news.mbox"
    msgs = [synth.reply(k, 1, 1, 99) for k in range(args.series)]
    msgs += [m for k in range(0, args.series, 10) for m in synth.series(k, args.patches, 2)]
    news.write_bytes(synth.mbox(msgs))
    t_news, _ = reviewer(env, "track", "--offline", "--db", db, str(news))
    t_states, _ = reviewer(env, "update", "--offline", "--db", db)
    out[f"update {args.series}: news stored"] = t_news
    out[f"update {args.series}: states"] = t_states

    db = make_db("list")
    if name == "sqlite":
        out[f"fill {args.list_series} (setup)"] = fill_list(db, args.list_series)
        LIST_SOURCE.append(db)
    else:  # the same rows, copied the way `reviewer db migrate` does
        from reviewer.store.transfer import copy

        start = time.perf_counter()
        copy(Store.open(LIST_SOURCE[0]), Store.open(db))
        out[f"fill {args.list_series} (setup)"] = time.perf_counter() - start
    wall, cpu = time_list(db)
    out[f"list query {args.list_series}"] = wall
    out[f"list query {args.list_series} (client CPU)"] = cpu
    out[f"reviewer list {args.list_series}"], _ = reviewer(env, "list", "--db", db)
    out[f"reviewer list --json {args.list_series}"], _ = reviewer(env, "list", "--json", "--db", db)

    db = make_db("writers")
    w = writers(env, db, args.writers, args.seconds, root)
    out[f"{args.writers} writers x {args.seconds:g}s: rounds"] = w["rounds"]
    out[f"{args.writers} writers: lost / failed"] = f"{w['lost']} / {w['failed']}"
    if w["lost"] or w["failed"]:
        print(f"store_backends: {name}: writes lost or writers failed: {w}", file=sys.stderr)
        out["_bad"] = True
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--series", type=int, default=200)
    parser.add_argument("--patches", type=int, default=6)
    parser.add_argument("--replies", type=int, default=3)
    parser.add_argument("--list-series", type=int, default=10000)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    reason = missing_reason()
    if reason:
        sys.exit(f"store_backends: {reason}")

    with tempfile.TemporaryDirectory(prefix="reviewer-bench-") as tmp:
        root = Path(tmp)
        os.chmod(root, 0o755)
        env = dict(os.environ, HOME=str(root), XDG_CACHE_HOME=str(root / "cache"),
                   GIT_CONFIG_NOSYSTEM="1", REVIEWER_AS="Bench <bench@example.org>")  # fmt: skip
        env.pop("REVIEWER_DB", None)
        cluster = PgCluster.start(root / "pg")
        try:
            results = {
                "sqlite": run_backend(
                    "sqlite", lambda n: str(root / f"{n}.sqlite3"), args, root, env
                ),  # fmt: skip
                "postgresql": run_backend(
                    "postgresql", lambda n: cluster.new_database(n), args, root, env
                ),  # fmt: skip
            }
        finally:
            cluster.stop()
    bad = any(r.pop("_bad", False) for r in results.values())
    print("load average: {:.1f} {:.1f} {:.1f}, {} cores".format(*os.getloadavg(), os.cpu_count()))
    print(f"{'':<34} {'SQLite':>12} {'PostgreSQL':>12}")
    for key in results["sqlite"]:
        cells = []
        for backend in ("sqlite", "postgresql"):
            value = results[backend][key]
            cells.append(f"{value:>11.2f}s" if isinstance(value, float) else f"{value!s:>12}")
        print(f"{key:<34} {cells[0]} {cells[1]}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
