"""reviewer list: the tracked series, one line each."""

from __future__ import annotations

import argparse

from reviewer.commands._common import emit_json, open_store

NAME = "list"
HELP = "list tracked series"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--state", help="only series in this state")


def run(args: argparse.Namespace) -> int:
    from reviewer.errors import ReviewerError
    from reviewer.tracking.states import STATES

    if args.state is not None and args.state not in STATES:
        raise ReviewerError(f"unknown state {args.state!r} (one of: {', '.join(STATES)})")
    store = open_store(args)
    if args.json:
        emit_json(json_rows(store, args.state))
        return 0
    print_table(store, args.state)
    return 0


def json_rows(store, state: str | None) -> list[dict]:
    """series_summary of each series plus what the text table shows: live A/R/T trailers of the
    latest revision and the counts of its newest stored check (null when never checked)."""
    from reviewer.report.views import series_summary
    from reviewer.results.check import latest_counts, latest_not_run
    from reviewer.review.progress import summary_counts
    from reviewer.store.review import latest_progress_counts
    from reviewer.store.summary import series_rows

    checks, partial = latest_counts(store), latest_not_run(store)
    marks = latest_progress_counts(store)
    rows = {row.id: row for row in series_rows(store, state)}
    out = []
    for series in store.list_series(state=state):
        row = rows.get(series.id)
        view = series_summary(series)
        view["progress"] = summary_counts(*marks[series.id]) if series.id in marks else ""
        if row is not None:
            view["trailers"] = {"acked": row.acked, "reviewed": row.reviewed, "tested": row.tested}
            counts = checks.get(row.latest_message_id)
            view["check"] = (
                dict(zip(("error", "warning", "info"), counts, strict=True)) if counts else None
            )
            if counts:
                view["check"]["not_run"] = partial.get(row.latest_message_id, [])
        out.append(view)
    return out


def print_table(store, state: str | None) -> None:
    """One line a series from the light summary query (no patches loaded), with check counts."""
    from reviewer.results.check import latest_counts, latest_not_run
    from reviewer.review.progress import summary_counts
    from reviewer.sanitize import clean_line
    from reviewer.store.review import latest_progress_counts
    from reviewer.store.summary import series_rows

    checks, partial = latest_counts(store), latest_not_run(store)
    people = store.who_is_on(state)
    marks = latest_progress_counts(store)  # this reviewer's own marks
    progress = f" {'PROGRESS':<12}" if marks else ""  # once any patch is marked
    footnotes = []
    print(
        f"{'ID':>4}  {'STATE':<17} {'LATEST':<10} PATCHES  A/R/T    {'CHECK':<11}{progress} SUBJECT"
    )
    for row in series_rows(store, state):
        counts = checks.get(row.latest_message_id)
        check = "E{}/W{}/I{}".format(*counts) if counts else "-"
        if counts and row.latest_message_id in partial:
            check += "!"
            why = "; ".join(partial[row.latest_message_id])
            footnotes.append(f"! series {row.id}: not run: {why}")
        patches = f"{row.patches}/{row.expected}"
        art = f"{row.acked}/{row.reviewed}/{row.tested}"
        done = summary_counts(*marks[row.id]).split(",")[0] if row.id in marks else "-"
        done = f" {done:<12}" if marks else ""
        print(
            f"{row.id:>4}  {row.state:<17} {row.latest_label:<10} {patches:<7}  {art:<8}"
            f" {check:<11}{done} {clean_line(row.subject)}"
        )
        who = who_line(row.owner, people.get(row.id, []))
        if who:
            print(f"{'':>6}{clean_line(who)}")
    for line in footnotes:
        print(clean_line(line))


def who_line(owner: str, people: list) -> str:
    """Who is on a series: "owner: Liam; Liam: reviewing 7/13 done; Vlastimil: done 13/13"."""
    from reviewer.store.core import actor_name

    parts = [f"owner: {actor_name(owner)}"] if owner else []
    for p in people:
        state = f"{p['state']} " if p["state"] else ""
        parts.append(f"{actor_name(p['reviewer'])}: {state}{p['done']}/{p['patches']} done")
    return "; ".join(parts)
