"""reviewer show SERIES: revisions and the patches of one revision."""

from __future__ import annotations

import argparse

from reviewer.commands._common import add_series_arguments, emit_json, open_store

NAME = "show"
HELP = "show a series: revisions and patches"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_series_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from reviewer.report.text import patch_table, series_header
    from reviewer.report.views import revision_detail, series_summary
    from reviewer.store.core import resolve_revision

    series = open_store(args).get_series(args.series)
    revision = resolve_revision(series, args.revision)
    if args.json:
        emit_json({**series_summary(series), "revision": revision_detail(revision)})
        return 0
    print("\n".join(series_header(series)))
    print()
    print("\n".join(patch_table(revision)))
    return 0
