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
    parser.add_argument(
        "--owner", metavar="WHO", help="set the series' owner/delegate ('none' for nobody)"
    )
    parser.add_argument(
        "--mine",
        metavar="STATE",
        help="set your own review state: new, reviewing, changes-requested, done, dropped",
    )
    parser.add_argument(
        "--done",
        metavar="N[,N...]",
        help="mark patches of the revision (default latest) done by you",
    )


def run(args: argparse.Namespace) -> int:
    from reviewer.errors import ReviewerError
    from reviewer.review.progress import Mark
    from reviewer.sanitize import clean_line
    from reviewer.store.core import resolve_revision
    from reviewer.tracking import states
    from reviewer.tracking.update import git_config

    store = open_store(args)
    series = store.get_series(args.series)
    if args.state and args.auto:
        raise ReviewerError("give a STATE or --auto, not both")
    if args.auto:
        states.clear_hand(store, series, git_config("user.email"))
    elif args.state:
        revision = resolve_revision(series, args.revision) if args.revision else None
        states.set_by_hand(store, series, args.state, revision)
    if args.owner is not None:
        states.set_owner(store, series, args.owner)
    if args.mine:
        states.set_mine(store, series, args.mine)
    if args.done:
        revision = resolve_revision(series, args.revision) if args.revision else None
        states.mark_patches(store, series, _indexes(args.done), Mark.DONE, revision)
    series = store.load_series(series.id)
    per_revision = states.revision_states(store, series)
    shared = store.series_state(series.id)
    people = store.who_is_on().get(series.id, [])
    if args.json:
        emit_json(
            {
                "id": series.id,
                "state": series.state,
                "owner": shared["owner"],
                "state_by": shared["state_by"],
                "reviewers": [
                    {"reviewer": p["reviewer"], "state": p["state"], "done": p["done"],
                     "patches": p["patches"]}
                    for p in people
                ],
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
    if shared["owner"]:
        print(f"  owner: {clean_line(shared['owner'])}")
    for p in people:
        done = f"{p['done']}/{p['patches']} done"
        print(f"  {clean_line(p['reviewer'])}: {p['state'] or '-'}, {done}")
    return 0


def _indexes(text: str) -> list[int]:
    from reviewer.errors import ReviewerError

    try:
        return sorted({int(part) for part in text.replace(" ", "").split(",") if part})
    except ValueError:
        raise ReviewerError(f"--done takes patch numbers like 1,2,5 (got {text!r})") from None
