"""What the helper harness' containment costs, and what a hostile helper costs a check.

Usage: python bench/harness_sandbox.py
Times, on the real v2 series (patches 1-5, where the helpers are defined), with an empty
harness cache each time: the honest check; a helper whose body loops forever (bounded by the
sandbox's CPU and wall-clock limits); a helper whose macro calls system() (refused by the
allowlist before anything is compiled). Prints the isolation this machine gives the harness.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    from reviewer.flagmodel import sandbox_jail
    from reviewer.flagmodel.check import check_revision, clear_memos
    from reviewer.series.parse import parse_messages
    from reviewer.sources.mail import load_source
    from tests.flagmodel.hostile_helpers import with_body, with_macro

    loaded = load_source(str(ROOT / "samples/threads/v2-thread.mbox"), offline=True)
    patches = parse_messages([m.msg for m in loaded.messages]).revisions[-1].patches[:5]
    cases = {
        "honest (patches 1-5)": patches,
        "endless loop in vma_flags_test_mask()": with_body(patches, "for (;;) ; return 0;"),
        "system() in vma_flags_test()'s macro": with_macro(
            patches, '({ extern int system(const char *); system("id"); 0; })'
        ),
    }
    print(f"isolation: {sandbox_jail.isolation_note()}")
    print(
        f"limits per run: CPU {sandbox_jail.RUN.cpu_seconds} s, wall "
        f"{sandbox_jail.RUN.wall_seconds:g} s, memory {sandbox_jail.RUN.memory_bytes >> 20} MiB"
    )
    for label, series in cases.items():
        with tempfile.TemporaryDirectory() as cache:
            os.environ["REVIEWER_CACHE"] = cache
            clear_memos()
            start = time.perf_counter()
            report = check_revision(series)
            took = time.perf_counter() - start
        harness = [f for f in report.findings if "harness" in f.message]
        print(
            f"{label:42s} {took:6.2f} s cold  verified {report.verified:4d}  "
            f"harness findings {len(harness)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
