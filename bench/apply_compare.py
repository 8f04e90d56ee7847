#!/usr/bin/env python3
"""Time compare on the real threads and apply on the mini tree against `git am` of the same mbox.

  compare   classify_pairs of v1 -> RESEND, RESEND -> v2 and v1 -> v2 of the real January 2026
            threads (12/12/13 patches; revisions parsed once, outside the timing), and for
            reference `git range-diff` of the synthetic v2 -> v3 in the mini tree.
  apply     apply_revision (worktree add, one `git am` per patch, ref, worktree removal) of the
            synthetic v1 on the mini tree, against one `git am` of the same 4 patches in a
            throwaway clone (the floor: git's own work, nothing isolated or explained).
  verify    verify_applied of the synthetic v2 against the maintainer-style branch.

Prints medians and ratios; asserts nothing about time.

    python bench/apply_compare.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewer.apply.am import apply_revision  # noqa: E402
from reviewer.apply.verify import verify_applied  # noqa: E402
from reviewer.compare.revisions import classify_pairs  # noqa: E402
from tests.helpers_minitree import (  # noqa: E402
    make_applied_branch,
    make_minitree_repo,
    patches_only_mbox,
    real_revisions,
    synthetic_revisions,
)


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    start = time.perf_counter()
    real = real_revisions()
    print(f"parse real v1+RESEND+v2 threads (once): {time.perf_counter() - start:.3f}s")
    for a, b in (("v1", "v1-RESEND"), ("v1-RESEND", "v2"), ("v1", "v2")):
        t = median_time(lambda a=a, b=b: classify_pairs(real[a], real[b]), args.runs)
        print(f"compare {a:>9} -> {b:<9} (text only): {t * 1000:8.1f} ms")

    synth = synthetic_revisions()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        repo = make_minitree_repo(tmp_path)
        v3 = apply_revision(repo.working_dir, synth["v3"])
        v2 = apply_revision(repo.working_dir, synth["v2"])
        t_rd = median_time(
            lambda: repo.git.range_diff(f"{v2.base}..{v2.tip}", f"{v3.base}..{v3.tip}"), args.runs
        )
        t_cmp = median_time(lambda: classify_pairs(synth["v2"], synth["v3"]), args.runs)
        print(
            f"synthetic v2 -> v3: compare {t_cmp * 1000:.1f} ms, git range-diff of applied "
            f"commits {t_rd * 1000:.1f} ms (ratio {t_cmp / t_rd:.2f})"
        )

        t_apply = median_time(lambda: apply_revision(repo.working_dir, synth["v1"]), args.runs)
        mbox = patches_only_mbox("v1-thread", tmp_path / "v1.mbox")
        clones = iter(range(args.runs))

        def git_am() -> None:
            clone = repo.clone(str(tmp_path / f"clone-{next(clones)}"))
            with clone.git.custom_environment(
                GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@localhost"
            ):
                clone.git.am(str(mbox))

        t_am = median_time(git_am, args.runs)
        print(
            f"apply synthetic v1 (4 patches): reviewer apply {t_apply * 1000:.1f} ms, "
            f"git clone + git am {t_am * 1000:.1f} ms (ratio {t_apply / t_am:.2f})"
        )

        make_applied_branch(repo, tmp_path)
        t_ver = median_time(
            lambda: verify_applied(repo.working_dir, synth["v2"], "mm-stable"), args.runs
        )
        print(f"verify-applied synthetic v2 vs mm-stable: {t_ver * 1000:.1f} ms")


if __name__ == "__main__":
    main()
