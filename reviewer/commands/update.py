"""reviewer update [SERIES...]: poll the archive for new replies, new revisions, applied series."""

from __future__ import annotations

import argparse

from reviewer.commands._common import emit_json, open_store, warn

NAME = "update"
HELP = "poll the archive for new replies and revisions of tracked series"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "series", nargs="*", metavar="SERIES", help="series ids or message-ids (default: all)"
    )
    parser.add_argument("--server", help="public-inbox server URL (default: b4's midmask)")
    parser.add_argument("--offline", action="store_true", help="no polling; re-derive states")
    parser.add_argument("--jobs", "-j", type=int, default=None, help="series polled at once")
    parser.add_argument(
        "--branch",
        help="maintainer branch whose commits mark series applied "
        "(default: git config reviewer.applied-branch)",
    )
    parser.add_argument(
        "--repo", help="repository holding --branch (default: reviewer.applied-repo, else .)"
    )


def _branch(args: argparse.Namespace):
    from reviewer.tracking.on_branch import Branch
    from reviewer.tracking.update import git_config

    repo = args.repo or git_config("reviewer.applied-repo") or "."
    ref = args.branch or git_config("reviewer.applied-branch", gitdir=repo)
    if not ref:
        return None
    return Branch(repo=repo, ref=ref)


def run(args: argparse.Namespace) -> int:
    from reviewer.sanitize import clean_line
    from reviewer.tracking.update import (
        DEFAULT_JOBS,
        git_config,
        poll_problem_line,
        report_view,
        update,
    )

    store = open_store(args)
    report = update(
        store,
        args.series,
        server=args.server,
        offline=args.offline,
        jobs=args.jobs or DEFAULT_JOBS,
        branch=_branch(args),
        user_email=git_config("user.email"),
    )
    failed = bool(report.problems) or any(s.problems for s in report.series)
    if args.json:
        emit_json(report_view(report))
        return 1 if failed else 0
    if args.offline:
        warn("offline: not polling the archive, only deriving states")
    for problem in report.problems:
        warn(problem)
    for item in report.unpolled:
        warn(poll_problem_line(item))
    for item in report.changed:
        print(f"series {item.series_id}: {clean_line(item.subject)} [{item.state}]")
        for change in item.changes:
            print(f"  {clean_line(change)}")
    print(report.summary(offline=args.offline))
    return 1 if failed else 0
