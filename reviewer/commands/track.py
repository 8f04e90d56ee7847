"""reviewer track SOURCE...: remember series (all their versions) in the tracking database."""

from __future__ import annotations

import argparse

from reviewer.commands._common import add_source_arguments, emit_json, open_store, warn_problems

NAME = "track"
HELP = "track series from mboxes, maildirs, stdin or message-ids"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_source_arguments(parser)


def track_sources(args: argparse.Namespace):
    from reviewer.errors import ReviewerError
    from reviewer.sources.mail import load_source
    from reviewer.sources.mua import whole_thread
    from reviewer.tracking.ingest import IngestReport, ingest

    store = open_store(args)
    total = IngestReport()
    for spec in args.sources:
        loaded = load_source(spec, offline=args.offline, server=args.server)
        if spec == "-":  # one mail piped from a mail client: its whole thread
            loaded = whole_thread(loaded, args.offline, args.server)
        report = ingest(store, loaded)
        if not report.series_ids:
            warn_problems(report.problems)
            raise ReviewerError(f"{spec}: no patch series found (nothing tracked)")
        total.series_ids = sorted({*total.series_ids, *report.series_ids})
        total.changes += report.changes
        total.problems += report.problems
        total.new_messages += report.new_messages
    return store, total


def run(args: argparse.Namespace) -> int:
    from reviewer.sanitize import clean_line

    store, report = track_sources(args)
    if args.json:
        emit_json(
            {
                "series": report.series_ids,
                "new_messages": report.new_messages,
                "changes": report.changes,
                "problems": report.problems,
            }
        )
        return 0
    warn_problems(report.problems)
    for series_id in report.series_ids:
        series = store.load_series(series_id)
        labels = ", ".join(r.label for r in series.revisions)
        print(f"series {series.id}: {clean_line(series.subject)} [{labels}]")
    for change in report.changes:
        print(f"  {clean_line(change)}")
    if not report.changes:
        print(f"  nothing new ({report.new_messages} new messages)")
    return 0
