#!/usr/bin/env python3
"""Time reviewer on mail shaped to find super-linear code (issue 12, item 3).

Generates three inputs into bench/inputs/ (deterministic; regenerated when missing):

  deep-chain.mbox     one 2-patch series and a reply chain DEPTH deep under patch 1, each reply
                      answering the one before (the last carries a Reviewed-by)
  many-series.mbox    SERIES unrelated one-patch series (SERIES authors) in one mbox, one
                      reply each
  big-patch.mbox      one patch whose diff adds BIG_MB megabytes of lines

and times, as whole `reviewer` processes on a fresh database each: `track --offline`, then
`export` (and `show` for the deep chain).

    python bench/hostile_scale.py [--depth 3000] [--series 5000] [--big-mb 10] [--only NAME]

Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
INPUTS = Path(__file__).resolve().parent / "inputs"
SEP = "From mboxrd@z Thu Jan  1 00:00:00 1970\n"


def _patch(mid: str, subject: str, body_lines: list[str], irt: str | None = None, n=1, of=1,
           author: str = "Dev Eloper <dev@example.org>"):  # fmt: skip
    head = [
        f"Message-Id: <{mid}>",
        f"From: {author}",
        "Date: Mon, 19 Jan 2026 10:00:00 +0000",
        f"Subject: [PATCH {n}/{of}] {subject}" if of > 1 else f"Subject: [PATCH] {subject}",
    ]
    if irt:
        head += [f"In-Reply-To: <{irt}>", f"References: <{irt}>"]
    diff = [
        "---",
        f" file{n}.c | {len(body_lines)} +",
        "",
        f"diff --git a/file{n}.c b/file{n}.c",
        "new file mode 100644",
        "index 0000000..1111111",
        "--- /dev/null",
        f"+++ b/file{n}.c",
        f"@@ -0,0 +1,{len(body_lines)} @@",
        *("+" + line for line in body_lines),
    ]
    text = "\n".join(head) + f"\n\n{subject}\n\nSigned-off-by: Dev Eloper <dev@example.org>\n"
    return SEP + text + "\n".join(diff) + "\n\n"


def _reply(mid: str, irt: str, refs: str, subject: str, body: str) -> str:
    return SEP + (
        f"Message-Id: <{mid}>\nFrom: Rev Iewer <rev@example.org>\n"
        f"Date: Mon, 19 Jan 2026 11:00:00 +0000\nSubject: Re: {subject}\n"
        f"In-Reply-To: <{irt}>\nReferences: {refs}\n\n{body}\n\n"
    )


def deep_chain(depth: int) -> Path:
    path = INPUTS / f"deep-chain-{depth}.mbox"
    if path.exists():
        return path
    parts = [
        SEP + "Message-Id: <cover@deep>\nFrom: Dev Eloper <dev@example.org>\n"
        "Date: Mon, 19 Jan 2026 10:00:00 +0000\nSubject: [PATCH 0/2] deep: a series\n\n"
        "cover\n\n",
        _patch("p1@deep", "deep: one", ["int one;"], "cover@deep", 1, 2),
        _patch("p2@deep", "deep: two", ["int two;"], "cover@deep", 2, 2),
    ]
    parent = "p1@deep"
    for level in range(depth):
        mid = f"r{level}@deep"
        body = "Reviewed-by: Rev Iewer <rev@example.org>" if level == depth - 1 else "> more\nhm"
        # real clients keep References to the root and the last few parents
        refs = f"<cover@deep> <p1@deep> <{parent}>"
        parts.append(_reply(mid, parent, refs, "[PATCH 1/2] deep: one", body))
        parent = mid
    path.write_text("".join(parts))
    return path


def many_series(count: int) -> Path:
    path = INPUTS / f"many-series-{count}.mbox"
    if path.exists():
        return path
    parts = []
    for n in range(count):
        mid = f"s{n}@many"
        author = f"Dev {n} <dev{n}@example.org>"  # one author each: see tests/hostile for one
        parts.append(_patch(mid, f"drv{n}: fix thing {n}", [f"int fix{n};"], author=author))
        parts.append(
            _reply(
                f"a{n}@many",
                mid,
                f"<{mid}>",
                f"[PATCH] drv{n}: fix thing {n}",
                "Acked-by: Rev Iewer <rev@example.org>",
            )
        )
    path.write_text("".join(parts))
    return path


def big_patch(megabytes: int) -> Path:
    path = INPUTS / f"big-patch-{megabytes}mb.mbox"
    if path.exists():
        return path
    line = "static const int table_entry_%08d = 0x5a5a5a5a; /* padding padding */"
    count = megabytes * 1024 * 1024 // (len(line % 0) + 2)
    path.write_text(_patch("big@patch", "big: a large table", [line % i for i in range(count)]))
    return path


def run(env: dict[str, str], *args: str) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "reviewer.cli", *args],
        env=env, cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"reviewer {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return elapsed


def measure(name: str, mbox: Path, commands: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "REVIEWER_DB": f"{tmp}/db.sqlite3", "REVIEWER_CACHE": f"{tmp}/cache"}
        size = mbox.stat().st_size / 1e6
        print(f"{name} ({mbox.name}, {size:.1f} MB)")
        secs = run(env, "track", "--offline", str(mbox))
        print(f"  track --offline   {secs:8.2f} s")
        for command in commands:
            args = [a.replace("{tmp}", tmp) for a in command]
            print(f"  {' '.join(command[:2]):17} {run(env, *args):8.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--depth", type=int, default=3000)
    parser.add_argument("--series", type=int, default=5000)
    parser.add_argument("--big-mb", type=int, default=10)
    parser.add_argument("--only", choices=["deep", "many", "big"])
    args = parser.parse_args()
    INPUTS.mkdir(exist_ok=True)
    export = ["export", "1", "-o", "{tmp}/out.mbox"]
    if args.only in (None, "deep"):
        measure("deep reply chain", deep_chain(args.depth), [["show", "1"], export])
    if args.only in (None, "many"):
        measure("many one-patch series", many_series(args.series), [["list"], export])
    if args.only in (None, "big"):
        measure("one big patch", big_patch(args.big_mb), [export])


if __name__ == "__main__":
    main()
