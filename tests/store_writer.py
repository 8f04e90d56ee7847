"""One of several concurrent writers of a store (tests/store/test_concurrency.py, bench/).

    python -m tests.store_writer DB WRITER (--rounds N | --seconds S)

Each round the writer, as "Writer W <wW@example.org>": tracks a series of its own (series
number 1000*W + round, two patches), tracks a reply of its own to the shared series 0, sets its
own review state on series 0 and marks one of its patches done, and sets the shared state of
its own series by hand. It prints one JSON line of what it wrote, so the caller can check that
everything is in the store.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from reviewer.sources.mail import load_source
from reviewer.store.core import Store
from reviewer.tracking import states
from reviewer.tracking.ingest import ingest
from tests import synthetic_archive as synth

SHARED = 0


def _track(store: Store, raws: list[bytes], name: str) -> list[int]:
    with tempfile.TemporaryDirectory(prefix="writer-") as tmp:
        path = Path(tmp) / f"{name}.mbox"
        path.write_bytes(synth.mbox(raws))
        return ingest(store, load_source(str(path), offline=True)).series_ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("writer", type=int)
    parser.add_argument("--rounds", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=0.0)
    args = parser.parse_args(argv)
    who = f"Writer {args.writer} <w{args.writer}@example.org>"
    store = Store.open(args.db, actor=who)
    shared_id = store.get_series(synth.cover_id(SHARED)).id
    wrote = {"writer": who, "series": [], "replies": [], "done": []}
    deadline = time.monotonic() + args.seconds
    n = 0
    while (args.rounds and n < args.rounds) or (args.seconds and time.monotonic() < deadline):
        k = 1000 * args.writer + n
        _track(store, synth.series(k, patches=2), f"own-{k}")
        wrote["series"].append(synth.cover_id(k))
        reply = synth.reply(SHARED, 1, 1 + n % 2, 100 * args.writer + n)
        _track(store, [reply], f"reply-{k}")
        wrote["replies"].append(
            f"reply.s{SHARED}.v1.{1 + n % 2}.{100 * args.writer + n}@example.net"
        )
        shared = store.load_series(shared_id)
        states.set_mine(store, shared, "reviewing")
        states.mark_patches(store, shared, [1 + n % 2])
        wrote["done"].append(shared.latest.patches[n % 2].message_id)
        own = store.get_series(synth.cover_id(k))
        states.set_by_hand(store, own, "changes-requested")
        n += 1
    wrote["rounds"] = n
    print(json.dumps(wrote))
    return 0


if __name__ == "__main__":
    sys.exit(main())
