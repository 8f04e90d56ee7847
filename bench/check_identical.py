#!/usr/bin/env python3
"""Record or compare `reviewer check --json` of the real threads (speed work must not change
a finding, its order or its text).

    python bench/check_identical.py record DIR   # write DIR/<name>.json with this checkout
    python bench/check_identical.py compare DIR  # run again, diff against DIR, exit 1 on change

Each thread is tracked into a fresh database and checked as a whole process (the default
`--fixups compare`); the harness cache is REVIEWER_CACHE if set, else a temporary one.
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THREADS = {
    "march-v1": "samples/threads/march/v1-thread.mbox",
    "march-v2": "samples/threads/march/v2-thread.mbox",
    "march-v3": "samples/threads/march/v3-thread.mbox",
    "march-v4": "samples/threads/march/v4-thread.mbox",
    "jan-v1": "samples/threads/v1-thread.mbox",
    "jan-v1-resend": "samples/threads/v1-resend-thread.mbox",
    "jan-v2": "samples/threads/v2-thread.mbox",
}


def check_json(mbox: Path, tmp: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.setdefault("REVIEWER_CACHE", str(tmp / "cache"))
    db = str(tmp / "db.sqlite3")
    base = [sys.executable, "-m", "reviewer.cli"]
    subprocess.run([*base, "track", "--offline", "--db", db, str(mbox)], env=env, cwd=tmp,
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    done = subprocess.run([*base, "check", "--json", "--db", db, "1"], env=env, cwd=tmp,
                          stdout=subprocess.PIPE, text=True)  # fmt: skip
    if done.returncode not in (0, 1):
        sys.exit(f"check of {mbox} failed ({done.returncode})")
    return json.dumps(json.loads(done.stdout), indent=1, sort_keys=False) + "\n"


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] not in ("record", "compare"):
        sys.exit(__doc__)
    mode, out = sys.argv[1], Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    changed = 0
    for name, rel in THREADS.items():
        with tempfile.TemporaryDirectory() as t:
            text = check_json(ROOT / rel, Path(t))
        path = out / f"{name}.json"
        if mode == "record":
            path.write_text(text)
            print(f"{name}: recorded")
            continue
        before = path.read_text().splitlines()
        diff = list(difflib.unified_diff(before, text.splitlines(), f"{name} before",
                                         f"{name} after", lineterm=""))  # fmt: skip
        changed += bool(diff)
        print(f"{name}: {'CHANGED' if diff else 'identical'}")
        print("\n".join(diff[:40]))
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
