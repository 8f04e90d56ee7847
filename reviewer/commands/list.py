"""reviewer list: the tracked series, one line each."""

from __future__ import annotations

import argparse

from reviewer.commands._common import emit_json, open_store

NAME = "list"
HELP = "list tracked series"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--state", help="only series in this state")


def run(args: argparse.Namespace) -> int:
    from reviewer.constants import SeriesState
    from reviewer.errors import ReviewerError

    if args.state is not None and args.state not in tuple(SeriesState):
        raise ReviewerError(f"unknown state {args.state!r} (one of: {', '.join(SeriesState)})")
    store = open_store(args)
    if args.json:
        emit_json(json_rows(store, args.state))
        return 0
    print_table(store, args.state)
    return 0


def json_rows(store, state: str | None) -> list[dict]:
    """series_summary of each series plus what the text table shows: live A/R/T trailers of the
    latest revision, the counts of its newest stored check (null when never checked), the
    owner/delegate and each reviewer's state and progress ("Liam: 7/13 done"). A fixed number
    of queries whatever the number of series (no model loaded a series)."""
    from reviewer.flagmodel.findings import Severity
    from reviewer.report.views import revision_row_summary
    from reviewer.results.check import latest_counts, latest_not_run
    from reviewer.review.progress import summary_counts
    from reviewer.store.review import latest_progress_counts
    from reviewer.store.summary import series_rows

    checks, partial = latest_counts(store), latest_not_run(store)
    marks = latest_progress_counts(store)
    people = store.who_is_on(state)
    revisions = store.revision_rows(state)
    out = []
    for row in series_rows(store, state):
        counts = checks.get(row.latest_message_id)
        check = dict(zip(Severity, counts, strict=True)) if counts else None
        if check:
            check["not_run"] = partial.get(row.latest_message_id, [])
        out.append({
            "id": row.id,
            "subject": row.subject,
            "author": row.author,
            "state": row.state,
            "revisions": [revision_row_summary(r) for r in revisions.get(row.id, [])],
            "progress": summary_counts(*marks[row.id]) if row.id in marks else "",
            "trailers": {"acked": row.acked, "reviewed": row.reviewed, "tested": row.tested},
            "check": check,
            "owner": row.owner,
            "reviewers": [
                {"reviewer": p["reviewer"], "state": p["state"], "done": p["done"],
                 "patches": p["patches"]}
                for p in people.get(row.id, [])
            ],
            "who": who_line(row.owner, people.get(row.id, [])),
        })  # fmt: skip
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

    if not owner and not people:
        return ""
    parts = [f"owner: {actor_name(owner)}"] if owner else []
    for p in people:
        state = f"{p['state']} " if p["state"] else ""
        parts.append(f"{actor_name(p['reviewer'])}: {state}{p['done']}/{p['patches']} done")
    return "; ".join(parts)
