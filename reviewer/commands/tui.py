"""reviewer tui [SOURCE]: the terminal UI; with SOURCE, track it first and open that series."""

from __future__ import annotations

import argparse

from reviewer.commands._common import open_store, warn_problems

NAME = "tui"
HELP = "browse and review tracked series in a terminal UI"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", nargs="?", metavar="SOURCE",
                        help="mbox, maildir or message-id to track and open first")  # fmt: skip
    parser.add_argument("--offline", action="store_true", help="never touch the network")
    parser.add_argument("--server", help="public-inbox server URL (default: b4's midmask)")
    parser.add_argument("--repo", help="git repository for apply, check and posted-vs-applied")


def run(args: argparse.Namespace) -> int:
    from reviewer.errors import ReviewerError

    if args.source == "-":
        raise ReviewerError("the TUI reads keys from stdin: track stdin first (reviewer track -)")
    store = open_store(args)
    series_id = None
    if args.source:
        from reviewer.sources.mail import load_source
        from reviewer.tracking.ingest import ingest

        report = ingest(store, load_source(args.source, offline=args.offline, server=args.server))
        warn_problems(report.problems)
        if not report.series_ids:
            raise ReviewerError(f"{args.source}: no patch series found (nothing tracked)")
        series_id = report.series_ids[0]
    try:
        from tui.app import ReviewerApp
    except ImportError as exc:
        raise ReviewerError(f"the TUI needs textual: {exc}") from exc
    app = ReviewerApp(store, open_series=series_id, offline=args.offline, repo=args.repo)
    app.server = args.server
    app.run()
    quit_now(store, app.return_code or 0)  # 143 after SIGTERM, with the terminal restored
    return app.return_code or 0


def quit_now(store, code: int = 0) -> None:
    """Q ends the process at once: the app has stopped and every result is in the (now closed)
    database, so the interpreter's teardown of b4, git, tree-sitter and Textual (~0.5 s of the
    1-1.4 s a Q took) is skipped. A job still running in a thread is only computing."""
    import os
    import sys

    store.close()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
