"""reviewer check SERIES: run the embedded VMA flag model over a revision's patches."""

from __future__ import annotations

import argparse
import sys

NAME = "check"
HELP = "check VMA flag conversions of a revision against the embedded flag model"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "series",
        metavar="SERIES",
        nargs="?",
        help="series id or any message-id (not with --b4-check)",
    )
    parser.add_argument("--revision", "-r", help="label (v1-RESEND), number, or message-id")
    parser.add_argument("--repo", help="kernel tree the series applies to (pre-image)")
    add_fixups_argument(parser)
    parser.add_argument(
        "--b4-check",
        action="store_true",
        help="b4 review external check mode: one patch mail on stdin, "
        "b4's JSON result list on stdout; --repo defaults to the cwd",
    )
    parser.add_argument(
        "--b4-agent",
        action="store_true",
        help="b4 review agent mode (b4.review-agent-command): check the series on the "
        "checked-out b4 review branch and write b4's agent files (b4's prompt is ignored)",
    )


def add_fixups_argument(parser: argparse.ArgumentParser) -> None:
    """--fixups: how the flag model treats fix-ups posted in reply (check and review)."""
    parser.add_argument(
        "--fixups",
        choices=("compare", "folded", "posted"),
        default="compare",
        help="fix-ups posted in reply to a patch: check the patch as posted and with them "
        "folded in and report what they change (compare, the default), only folded in, or "
        "ignore them (posted)",
    )


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from reviewer.errors import ReviewerError

    repo = Path(args.repo) if args.repo else None
    if repo is not None and not repo.is_dir():
        raise ReviewerError(f"--repo {args.repo}: not a directory")
    if args.b4_check:
        return _run_b4(repo, args.db)
    if args.b4_agent:
        return _run_agent(repo, args.db)
    if not args.series:
        raise ReviewerError("check: SERIES is required (or use --b4-check)")
    from reviewer.commands._common import emit_json, open_store
    from reviewer.flagmodel.findings import Severity
    from reviewer.flagmodel.report_text import text_lines
    from reviewer.results.check import checked_revision
    from reviewer.store.core import resolve_revision

    store = open_store(args)
    series = store.get_series(args.series)
    revision = resolve_revision(series, args.revision)
    report = checked_revision(store, revision, repo, args.fixups)
    if args.json:
        emit_json({"series": series.id, "revision": revision.label, **report.to_json()})
    else:
        print("\n".join(text_lines(report, verbose=args.verbose)))
    return 1 if report.count(Severity.ERROR) else 0


def _run_b4(repo, db=None):
    """b4 pipes one patch message to stdin and runs us in the git top directory
    (reviewer.report.b4_check does the work)."""
    import json

    from reviewer.errors import ReviewerError
    from reviewer.report.b4_check import check_message
    from reviewer.store.core import Store

    try:
        store = Store.open(db)
    except ReviewerError:
        store = None  # no database: the series is rebuilt from b4's tracking data, or not
    json.dump(check_message(sys.stdin.buffer.read(), store, repo), sys.stdout)
    sys.stdout.write("\n")
    return 0


def _run_agent(repo, db=None):
    from reviewer.errors import ReviewerError
    from reviewer.report.b4_agent import run_agent
    from reviewer.store.core import Store

    try:
        store = Store.open(db)
    except ReviewerError:
        store = None
    written = run_agent(store, repo)
    print(f"reviewer: flag model: findings on {len(written)} patches written for b4 review")
    return 0
