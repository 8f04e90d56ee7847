"""reviewer progress SERIES [PATCH [STATE]] [--note TEXT]: per-patch review progress."""

from __future__ import annotations

import argparse

from reviewer.commands._common import add_series_arguments, emit_json, open_store

NAME = "progress"
HELP = "show or mark per-patch progress (done, skip, needs-work) and private notes"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_series_arguments(parser)
    parser.add_argument("patch", nargs="?", metavar="PATCH", help="patch index or message-id")
    parser.add_argument(
        "state", nargs="?", metavar="STATE", help="done, skip, needs-work, or none to clear"
    )
    parser.add_argument("--note", help="private note on the patch ('' removes it)")


def run(args: argparse.Namespace) -> int:
    from reviewer.errors import ReviewerError
    from reviewer.review import progress
    from reviewer.sanitize import clean_line
    from reviewer.store.core import resolve_revision

    store = open_store(args)
    series = store.get_series(args.series)
    revision = resolve_revision(series, args.revision)
    if args.state is not None or args.note is not None:
        if args.patch is None:
            raise ReviewerError("give the PATCH to mark")
        patch = progress.find_patch(revision, args.patch)
        state = progress.check_mark(args.state) if args.state is not None else None
        progress.set_mark(store, series, revision, patch, state, args.note)
        series = store.load_series(series.id)
        revision = resolve_revision(series, revision.label)
    entries = progress.revision_progress(store, series, revision)
    if args.patch is not None:
        wanted = progress.find_patch(revision, args.patch).index
        entries = [e for e in entries if e.index == wanted]
    if args.json:
        emit_json({"series": series.id, "revision": revision.label,
                   "summary": progress.summary(progress.revision_progress(store, series, revision)),
                   "patches": [e.to_json() for e in entries]})  # fmt: skip
        return 0
    total = progress.summary(progress.revision_progress(store, series, revision))
    print(f"series {series.id} {revision.label}: {total or 'no progress marked'}")
    subjects = {p.index: p.subject for p in revision.patches}
    for e in entries:
        note = f"  # {clean_line(e.note)}" if e.note else ""
        print(f"  {e.index:>3}/{revision.expected:<3} {e.label() or '-':<18}"
              f" {clean_line(subjects[e.index])[:60]}{note}")  # fmt: skip
    return 0
