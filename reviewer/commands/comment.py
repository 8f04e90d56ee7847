"""reviewer comment SERIES [PATCH]: list, add, edit or delete review comments on diff lines."""

from __future__ import annotations

import argparse

from reviewer.commands._common import add_series_arguments, emit_json, open_store

NAME = "comment"
HELP = "comment on a diff line, a hunk or a patch (or list, edit, delete comments)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_series_arguments(parser)
    parser.add_argument("patch", nargs="?", metavar="PATCH", help="patch index or message-id")
    parser.add_argument("-m", "--body", help="the comment text (add; with --edit: replace)")
    where = parser.add_argument_group("where (default: the patch as a whole)")
    where.add_argument("--file", help="file of the line commented on")
    where.add_argument("--line", type=int, help="post-image line number (--old: pre-image)")
    where.add_argument("--old", action="store_true", help="--line is a removed line")
    where.add_argument("--hunk", action="store_true", help="comment on the whole hunk")
    parser.add_argument("--finding", metavar="ID", help="adopt a stored flag-model finding")
    parser.add_argument("--edit", type=int, metavar="ID", help="replace the text of comment ID")
    parser.add_argument("--delete", type=int, metavar="ID", help="delete comment ID")


def run(args: argparse.Namespace) -> int:
    from reviewer.errors import ReviewerError
    from reviewer.review import comments
    from reviewer.review.progress import find_patch
    from reviewer.store.core import resolve_revision

    store = open_store(args)
    series = store.get_series(args.series)
    revision = resolve_revision(series, args.revision)
    patch = find_patch(revision, args.patch) if args.patch else None
    made = None
    if args.delete is not None:
        comments.delete(store, args.delete)
    elif args.edit is not None:
        if args.body is None:
            raise ReviewerError("--edit needs the new text (--body; '' deletes)")
        comments.edit(store, args.edit, args.body)
    elif args.body is not None or args.finding:
        if patch is None:
            raise ReviewerError("give the PATCH to comment on")
        if args.finding:
            made = comments.from_finding(store, series, patch, _finding(store, revision, args))
        else:
            index, side = None, None
            if args.file or args.line is not None:
                if not (args.file and args.line is not None):
                    raise ReviewerError("--file and --line go together")
                old = comments.Side.OLD if args.old else comments.Side.NEW
                index = comments.find_line(patch.diff, args.file, args.line, old)
                side = comments.Side.HUNK if args.hunk else None
            elif args.hunk:
                raise ReviewerError("--hunk needs --file and --line of a line in the hunk")
            made = comments.add(store, series, patch, args.body, index, side)
    shown = [patch] if patch else revision.patches
    placed = {p.index: comments.patch_comments(store, series, revision, p) for p in shown}
    if args.json:
        emit_json({"series": series.id, "revision": revision.label, "added": made,
                   "patches": [{"index": i, "comments": [c.to_json() for c in cs]}
                               for i, cs in placed.items() if cs]})  # fmt: skip
        return 0
    _print(revision, placed, made)
    return 0


def _finding(store, revision, args):
    from reviewer.errors import ReviewerError
    from reviewer.results.check import latest_report

    report = latest_report(store, revision.message_id)
    found = next((f for f in report.findings if f.id == args.finding), None) if report else None
    if found is None:
        raise ReviewerError(f"no stored finding {args.finding} on {revision.label} (run check)")
    return found


def _print(revision, placed, made) -> None:
    from reviewer.sanitize import clean_line

    if made is not None:
        print(f"comment #{made} added")
    for index, items in placed.items():
        for p in items:
            c = p.comment
            where = f"{c.file}:{c.line}" if c.file else "patch"
            if c.side == "hunk":
                where = f"hunk at {where}"
            marks = [] if p.own else [f"on {p.written_on}"]
            if p.outdated:
                marks.append("outdated")
            extra = f" ({', '.join(marks)})" if marks else ""
            print(f"{revision.label} {index}/{revision.expected} #{c.id} {where}{extra}:")
            for line in c.body.splitlines():
                print(f"    {clean_line(line)}")
