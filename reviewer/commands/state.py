"""reviewer state SERIES [STATE]: show or set where a series (or one revision) stands."""

from __future__ import annotations

import argparse

from reviewer.commands._common import add_series_arguments, emit_json, open_store

NAME = "state"
HELP = "show or set a series' state (new, reviewing, changes-requested, ...)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_series_arguments(parser)
    parser.add_argument(
        "state",
        nargs="?",
        metavar="STATE",
        help="set: new, reviewing, changes-requested, superseded, applied or archived",
    )
    parser.add_argument(
        "--auto", action="store_true", help="forget states set by hand and derive them again"
    )


def run(args: argparse.Namespace) -> int:
    from reviewer import states
    from reviewer.errors import ReviewerError
    from reviewer.sanitize import clean_line
    from reviewer.store import resolve_revision
    from reviewer.update import git_config

    store = open_store(args)
    series = store.get_series(args.series)
    if args.state and args.auto:
        raise ReviewerError("give a STATE or --auto, not both")
    if args.auto:
        states.clear_hand(store, series, git_config("user.email"))
    elif args.state:
        revision = resolve_revision(series, args.revision) if args.revision else None
        states.set_by_hand(store, series, args.state, revision)
    series = store.load_series(series.id)
    per_revision = states.revision_states(store, series)
    if args.json:
        emit_json(
            {
                "id": series.id,
                "state": series.state,
                "revisions": [
                    {"label": s.label, "message_id": s.message_id, "state": s.state,
                     "by_hand": s.by_hand, "note": s.note}
                    for s in per_revision
                ],
            }
        )  # fmt: skip
        return 0
    print(f"series {series.id}: {clean_line(series.subject)}: {series.state}")
    for s in per_revision:
        how = "set by hand" if s.by_hand else "derived"
        note = f", {clean_line(s.note)}" if s.note else ""
        print(f"  {s.label:<12} {s.state:<18} ({how}{note})")
    return 0
