#!/usr/bin/env python3
"""Time `reviewer track` and `reviewer update` of ~200 series on a local public-inbox server.

Generates an archive of SERIES series (cover + PATCHES patches + REPLIES Reviewed-by replies each;
200 x 10 = 2,000 messages by default), imports it into a real v2 public-inbox (full index)
served by public-inbox-httpd on 127.0.0.1, then times, as whole `reviewer` processes:

  track            all series by message-id (one process, one fetch per series)
  update (quiet)   all series, nothing new on the server
  update (news)    after new replies to every 4th series and a v2 of every 10th series
and, as the floor any poller pays, b4 fetching every thread once (b4.get_pi_thread_by_msgid,
no cache, one after another in one process). Then applied detection, offline (no polling):

  update --branch  against a maintainer branch of BRANCH_COMMITS unrelated commits plus every 5th
                   series applied whole and the first half of every 7th, with an empty patch-id
                   cache, then again (cache warm, applied series no longer matched), next to
                   `update --offline` without a branch (the cost of deriving states alone)

    python bench/update_scale.py [--series 200] [--patches 6] [--replies 3] [--jobs 8]
                                 [--workers 2] [--branch-commits 2000]

Needs public-inbox (.ci/install-public-inbox.sh). Prints figures; asserts nothing about time.
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

from tests import synthetic_archive as synth  # noqa: E402
from tests.pi_server import PublicInboxServer, missing_reason  # noqa: E402


def reviewer(env: dict[str, str], *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "reviewer.cli", *args],
        env=env, cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"reviewer {args[0]} failed ({result.returncode}): {result.stderr.strip()}")
    return elapsed, result.stdout


def b4_fetch_all(env: dict[str, str], server: str, msgids: list[str]) -> float:
    code = (
        "import sys, b4\n"
        "b4._setup_main_config()\n"
        f"b4.MAIN_CONFIG['midmask'] = {server!r} + '/%s'\n"
        "for mid in sys.argv[1:]:\n"
        "    assert b4.get_pi_thread_by_msgid(mid, nocache=True, quiet=True), mid\n"
    )
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *msgids], env=env, check=True)
    return time.perf_counter() - start


def make_branch(root: Path, args: argparse.Namespace) -> tuple[Path, int, int]:
    """A repo whose branch "maint" has filler commits, then every 5th series applied whole and the
    first half of every 7th (git am of the v1 patches); returns (repo, whole, partial)."""
    import git

    repo = git.Repo.init(root / "maint-repo", initial_branch="maint")
    stamp = "1768035600 +0000"  # 2026-01-10, inside update's --since window
    stream = []
    for n in range(args.branch_commits):
        msg, body = f"filler: commit {n}\n".encode(), f"filler {n}\n".encode()
        stream += [b"commit refs/heads/maint\n",
                   f"author Filler <filler@example.org> {stamp}\n".encode(),
                   f"committer Filler <filler@example.org> {stamp}\n".encode(),
                   b"data %d\n%s" % (len(msg), msg),
                   f"M 644 inline filler/f{n % 97}.txt\n".encode(),
                   b"data %d\n%s\n" % (len(body), body)]  # fmt: skip
    with tempfile.TemporaryFile() as fh:
        fh.write(b"".join(stream))
        fh.seek(0)
        repo.git.fast_import("--quiet", istream=fh)
    repo.git.checkout("-q", "-f", "maint")
    whole = [k for k in range(args.series) if k % 5 == 0]
    half = [k for k in range(args.series) if k % 7 == 0 and k % 5]
    patches = [m for k in whole for m in synth.series(k, args.patches)[1:]]
    patches += [m for k in half for m in synth.series(k, args.patches)[1 : 1 + args.patches // 2]]
    (root / "applied.mbox").write_bytes(synth.mbox(patches))
    repo.git.am(str(root / "applied.mbox"))
    return Path(repo.working_dir), len(whole), len(half)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=200)
    parser.add_argument("--patches", type=int, default=6)
    parser.add_argument("--replies", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=8, help="reviewer update --jobs")
    parser.add_argument("--workers", type=int, default=2, help="public-inbox-httpd -W")
    parser.add_argument("--branch-commits", type=int, default=2000, help="filler commits")
    args = parser.parse_args(argv)
    reason = missing_reason()
    if reason:
        sys.exit(f"update_scale: {reason}")

    with tempfile.TemporaryDirectory(prefix="reviewer-bench-") as tmp:
        root = Path(tmp)
        env = dict(os.environ, XDG_CACHE_HOME=str(root / "cache"), GIT_CONFIG_NOSYSTEM="1")
        # A reviewer's own address, as a real user has: update then looks for their replies.
        env.update(GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0="user.email")
        env["GIT_CONFIG_VALUE_0"] = "rev1@example.net"
        db = str(root / "bench.sqlite3")
        server = PublicInboxServer(root / "pi").init()
        archive = [
            m for k in range(args.series) for m in synth.series(k, args.patches, 1, args.replies)
        ]
        start = time.perf_counter()
        server.import_bytes(synth.mbox(archive))
        imported = time.perf_counter() - start
        server.start(workers=args.workers)
        try:
            msgids = [synth.cover_id(k) for k in range(args.series)]
            t_b4 = b4_fetch_all(env, server.url, msgids)
            t_track, _ = reviewer(env, "track", "--db", db, "--server", server.url, *msgids)
            t_quiet, _ = reviewer(
                env, "update", "--json", "--db", db, "--server", server.url,
                "--jobs", str(args.jobs),
            )  # fmt: skip
            news = [synth.reply(k, 1, 1, 99) for k in range(0, args.series, 4)]
            news += [m for k in range(0, args.series, 10) for m in synth.series(k, args.patches, 2)]
            server.import_bytes(synth.mbox(news))
            t_news, out = reviewer(
                env, "update", "--json", "--db", db, "--server", server.url,
                "--jobs", str(args.jobs),
            )  # fmt: skip
        finally:
            server.stop()
        repo, whole, half = make_branch(root, args)
        offline = ("update", "--json", "--offline", "--db", db)
        t_derive, _ = reviewer(env, *offline)
        on_branch = (*offline, "--branch", "maint", "--repo", str(repo))
        t_cold, applied_out = reviewer(env, *on_branch)
        t_warm, _ = reviewer(env, *on_branch)

    changed = [s for s in json.loads(out)["series"] if s["changes"]]
    posted = sum(1 for s in changed for c in s["changes"] if " posted (" in c)
    print(f"archive: {len(archive)} messages in {args.series} series "
          f"(imported + indexed in {imported:.1f}s); {len(news)} new messages later")  # fmt: skip
    print(f"cpus: {os.cpu_count()}, httpd workers: {args.workers}, update jobs: {args.jobs}")
    print(f"b4 fetch of every thread, sequential:  {t_b4:6.2f}s")
    print(f"reviewer track of {args.series} series:         {t_track:6.2f}s")
    print(f"reviewer update, nothing new:         {t_quiet:6.2f}s  "
          f"({t_quiet / t_b4:.2f}x b4 fetch-all)")  # fmt: skip
    print(f"reviewer update, with news:           {t_news:6.2f}s  "
          f"({len(changed)} series changed, {posted} new revisions)")  # fmt: skip
    lines = [c for s in json.loads(applied_out)["series"] for c in s["changes"]]
    print(f"branch: {args.branch_commits} filler commits + {whole} series applied whole, "
          f"first half of {half} more")  # fmt: skip
    print(f"reviewer update --offline, no branch: {t_derive:6.2f}s")
    print(f"reviewer update --offline --branch:   {t_cold:6.2f}s  (patch-id cache empty; "
          f"{sum(' applied to ' in c for c in lines)} applied, "
          f"{sum(' patches of ' in c for c in lines)} partly on the branch)")  # fmt: skip
    print(f"  the same again:                     {t_warm:6.2f}s  (cache warm)")
    target = 20.0 * args.series / 200
    verdict = "met" if max(t_quiet, t_news) <= target else "MISSED"
    print(f"target: update of {args.series} series <= {target:.0f}s: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
