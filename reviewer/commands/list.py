"""reviewer list: the tracked series, one line each."""

from __future__ import annotations

import argparse

from reviewer.commands._common import emit_json, open_store

NAME = "list"
HELP = "list tracked series"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--state", help="only series in this state")


def run(args: argparse.Namespace) -> int:
    from reviewer.sanitize import clean_line
    from reviewer.views import series_summary

    series_list = open_store(args).list_series(state=args.state)
    if args.json:
        emit_json([series_summary(s) for s in series_list])
        return 0
    for series in series_list:
        labels = ", ".join(r.label for r in series.revisions)
        latest = series.latest
        print(
            f"{series.id:>4}  {series.state:<18} {len(latest.patches):>3}p  [{labels}]"
            f"  {clean_line(series.subject)}"
        )
    return 0
