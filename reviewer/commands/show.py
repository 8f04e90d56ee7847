"""reviewer show SERIES: revisions and the patches of one revision."""

from __future__ import annotations

import argparse

from reviewer.commands._common import add_series_arguments, emit_json, open_store

NAME = "show"
HELP = "show a series: revisions and patches"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_series_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from reviewer.report import patch_table, series_header
    from reviewer.store import resolve_revision
    from reviewer.views import revision_detail, series_summary

    series = open_store(args).get_series(args.series)
    revision = resolve_revision(series, args.revision)
    if args.json:
        emit_json({**series_summary(series), "revision": revision_detail(revision)})
        return 0
    print("\n".join(series_header(series)))
    print()
    print("\n".join(patch_table(revision)))
    return 0
