"""reviewer review SOURCE...: track, then print the whole report of the series."""

from __future__ import annotations

import argparse

from reviewer.commands._common import add_source_arguments, emit_json, warn_problems

NAME = "review"
HELP = "track a series and print the full review report"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_source_arguments(parser)
    parser.add_argument("--revision", "-r", help="revision to report on (default: latest)")
    parser.add_argument("--repo", help="kernel tree: also apply the revision in a worktree")
    parser.add_argument("--base", help="with --repo: apply on this base")
    parser.add_argument("--branch", help="with --repo: verify the posted patches against REF")
    from reviewer.commands.check import add_fixups_argument

    add_fixups_argument(parser)


def _tracked_ids(args: argparse.Namespace) -> list[int] | None:
    """`review 1`: the report of already tracked series, by the id `list` prints. A source is a
    series id only when it is all digits and not a file (no message-id is all digits)."""
    from pathlib import Path

    from reviewer.commands._common import open_store

    if not all(s.strip().isdigit() and not Path(s).exists() for s in args.sources):
        return None
    store = open_store(args)
    return [store.get_series(s).id for s in args.sources]


def run(args: argparse.Namespace) -> int:
    from reviewer.commands._common import open_store
    from reviewer.commands.track import track_sources
    from reviewer.report.review import ReviewOptions, build_review, render_review
    from reviewer.tracking.ingest import IngestReport

    tracked = _tracked_ids(args)
    if tracked is not None:
        store, report = open_store(args), IngestReport(series_ids=tracked)
    else:
        store, report = track_sources(args)
    options = ReviewOptions(
        repo=args.repo, base=args.base, branch=args.branch, fixups=args.fixups, offline=args.offline
    )
    reviews = [build_review(store, sid, args.revision, options) for sid in report.series_ids]
    if args.json:
        emit_json({"problems": report.problems, "series": [r.to_json() for r in reviews]})
        return 0
    warn_problems(report.problems)
    print("\n\n".join(render_review(r) for r in reviews), end="")
    return 0
