"""reviewer list: the tracked series, one line each."""

from __future__ import annotations

import argparse

from reviewer.commands._common import emit_json, open_store

NAME = "list"
HELP = "list tracked series"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--state", help="only series in this state")


def run(args: argparse.Namespace) -> int:
    store = open_store(args)
    if args.json:
        from reviewer.progress import summary_counts
        from reviewer.review_store import latest_progress_counts
        from reviewer.views import series_summary

        marks = latest_progress_counts(store)
        emit_json(
            [
                {
                    **series_summary(s),
                    "progress": summary_counts(*marks[s.id]) if s.id in marks else "",
                }
                for s in store.list_series(state=args.state)
            ]
        )
        return 0
    print_table(store, args.state)
    return 0


def print_table(store, state: str | None) -> None:
    """One line a series from the light summary query (no patches loaded), with check counts."""
    from reviewer.check_results import latest_counts
    from reviewer.progress import summary_counts
    from reviewer.review_store import latest_progress_counts
    from reviewer.sanitize import clean_line
    from reviewer.series_summary import series_rows

    checks = latest_counts(store)
    marks = latest_progress_counts(store)
    progress = f" {'PROGRESS':<12}" if marks else ""  # once any patch is marked
    print(
        f"{'ID':>4}  {'STATE':<17} {'LATEST':<10} PATCHES  A/R/T    {'CHECK':<11}{progress} SUBJECT"
    )
    for row in series_rows(store, state):
        counts = checks.get(row.latest_message_id)
        check = "E{}/W{}/I{}".format(*counts) if counts else "-"
        patches = f"{row.patches}/{row.expected}"
        art = f"{row.acked}/{row.reviewed}/{row.tested}"
        done = summary_counts(*marks[row.id]).split(",")[0] if row.id in marks else "-"
        done = f" {done:<12}" if marks else ""
        print(
            f"{row.id:>4}  {row.state:<17} {row.latest_label:<10} {patches:<7}  {art:<8}"
            f" {check:<11}{done} {clean_line(row.subject)}"
        )
