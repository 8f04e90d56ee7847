#!/usr/bin/env python3
"""Build the synthetic series in samples/synthetic/ from the mini kernel tree in samples/minitree/.

The script creates a throwaway git repository from samples/minitree (commit "base"), commits a small
four-patch series modelled on the January 2026 VMA-flags series, and writes every revision as an mbox
thread with ``git format-patch`` (cover letter, base-commit, threading) plus hand-written replies
carrying trailers:

- v1-thread.mbox          [PATCH 0/4]: Acked-by on the cover, Reviewed-by on 2/4, and a Tested-by
                          on 4/4 whose address does not match the sender's.
- v1-resend-thread.mbox   [PATCH RESEND 0/4]: the same commits as v1, new mails; Reviewed-by on 1/4.
- v2-thread.mbox          [PATCH v2 0/4]: 1/4 carries the Reviewed-by (message-only), 2/4 changes code
                          in tools/testing/vma/vma_internal.h (code-changed), 3/4 has a reworded commit
                          message (message-only), 4/4 identical.
- v3-rebased-thread.mbox  [PATCH v3 0/4]: v2 rebased onto the "mm-new" branch (base + one unrelated
                          commit): same code, other line numbers, one changed context line.

The code lives in the synthgen/ package next to this script (identity, tree, series, mail,
replies); this script puts it together. Everything is deterministic (fixed names, dates,
message-ids, git signature), so running the script again reproduces the committed files byte for
byte. Tests import ``build_base_repo`` to get a repo
whose HEAD is the base the series applies to.

Usage: python samples/make_synthetic.py [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # tests load this file by path; the package sits next to it
    sys.path.insert(0, str(HERE))

from synthgen.identity import MAINTAINER, ident_env  # noqa: E402
from synthgen.mail import format_thread, message_id, to_mbox  # noqa: E402
from synthgen.replies import BLURB_V1, BLURB_V2, BLURB_V3, COVER_SUBJECT, REPLIES  # noqa: E402
from synthgen.series import commit_series, series_v1, series_v2  # noqa: E402
from synthgen.tree import build_base_repo  # noqa: E402

OUT = HERE / "synthetic"
_ident_env = ident_env  # the name tests/helpers_minitree.py uses
__all__ = ["MAINTAINER", "build_base_repo", "generate", "main", "message_id", "_ident_env"]


def generate(out: Path) -> dict[str, str]:
    """Write the four thread mboxes into out; return the commit ids that matter."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "minitree"
        repo = build_base_repo(path)
        base = repo.head.commit.hexsha
        mm_new = repo.commit("mm-new").hexsha

        repo.git.checkout("-q", "-b", "series-v1", base)
        v1_tip = commit_series(repo, series_v1(), "2026-01-19T12:00:00+00:00")[-1]
        repo.git.checkout("-q", "-b", "series-v2", base)
        v2_tip = commit_series(repo, series_v2(), "2026-01-22T12:00:00+00:00")[-1]
        repo.git.checkout("-q", "-b", "series-v3", mm_new)
        v3_tip = commit_series(repo, series_v2(), "2026-01-26T08:00:00+00:00")[-1]

        threads = [
            (
                "v1-thread.mbox",
                format_thread(
                    repo,
                    base,
                    v1_tip,
                    "v1",
                    "Mon, 19 Jan 2026 14:48:51 +0000",
                    None,
                    "PATCH",
                    COVER_SUBJECT,
                    BLURB_V1,
                ),
            ),
            (
                "v1-resend-thread.mbox",
                format_thread(
                    repo,
                    base,
                    v1_tip,
                    "v1-resend",
                    "Mon, 19 Jan 2026 21:13:20 +0000",
                    None,
                    "PATCH RESEND",
                    COVER_SUBJECT,
                    BLURB_V1,
                ),
            ),
            (
                "v2-thread.mbox",
                format_thread(
                    repo,
                    base,
                    v2_tip,
                    "v2",
                    "Thu, 22 Jan 2026 16:06:09 +0000",
                    2,
                    "PATCH",
                    COVER_SUBJECT,
                    BLURB_V2,
                ),
            ),
            (
                "v3-rebased-thread.mbox",
                format_thread(
                    repo,
                    mm_new,
                    v3_tip,
                    "v3",
                    "Mon, 26 Jan 2026 10:00:00 +0000",
                    3,
                    "PATCH",
                    COVER_SUBJECT,
                    BLURB_V3,
                ),
            ),
        ]
        for name, thread in threads:
            key = thread.label
            (out / name).write_text(to_mbox(thread, REPLIES[key]))
        return {"base": base, "mm-new": mm_new, "v1": v1_tip, "v2": v2_tip, "v3": v3_tip}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output directory")
    args = parser.parse_args(argv)
    shas = generate(args.out)
    for name, sha in shas.items():
        print(f"{name:7} {sha}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
