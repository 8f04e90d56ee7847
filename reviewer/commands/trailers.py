"""reviewer trailers SERIES: who gave which trailer on which patch."""

from __future__ import annotations

import argparse

from reviewer.commands._common import add_series_arguments, emit_json, open_store

NAME = "trailers"
HELP = "show the trailer matrix of a revision"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_series_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from reviewer.report.text import notes, trailer_matrix
    from reviewer.report.views import trailers_view
    from reviewer.store.core import resolve_revision

    series = open_store(args).get_series(args.series)
    revision = resolve_revision(series, args.revision)
    if args.json:
        emit_json(trailers_view(revision))
        return 0
    print("\n".join(trailer_matrix(revision) + [""] + notes(revision)))
    return 0
