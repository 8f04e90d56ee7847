"""reviewer reply SERIES PATCH: the review reply to one patch, previewed, drafted or sent."""

from __future__ import annotations

import argparse
import sys

from reviewer.commands._common import add_series_arguments, emit_json, open_store

NAME = "reply"
HELP = "compose the review reply to a patch (comments + trailer): preview, --draft or --send"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_series_arguments(parser)
    parser.add_argument("patch", nargs="?", metavar="PATCH", help="patch index or message-id")
    parser.add_argument("-t", "--trailer", help="Reviewed-by, Acked-by or Tested-by")
    parser.add_argument("--edit", action="store_true", help="edit the body in $VISUAL/$EDITOR")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--draft", metavar="FILE", help="write the reply as an mbox draft")
    what.add_argument("--send", action="store_true", help="send it (git sendemail.* SMTP)")
    parser.add_argument("--yes", action="store_true", help="confirm --send without asking")


def run(args: argparse.Namespace) -> int:
    from reviewer.errors import ReviewerError
    from reviewer.review import reply as review_reply
    from reviewer.review.progress import find_patch
    from reviewer.store.core import resolve_revision

    store = open_store(args)
    series = store.get_series(args.series)
    if args.patch is None:  # the replies kept for the series
        return _list(args, review_reply.sent_and_drafts(store, series))
    revision = resolve_revision(series, args.revision)
    patch = find_patch(revision, args.patch)
    me = review_reply.identity()
    composed = review_reply.compose(store, series, revision, patch, args.trailer, me)
    if args.edit:
        body = _edit(composed.body)
        composed = review_reply.compose(store, series, revision, patch, None, me, body=body)
    result = {"series": series.id, "revision": revision.label, "patch": patch.index,
              "message_id": composed.message_id, "comments": composed.comments,
              "to": composed.recipients(), "status": "preview", "path": ""}  # fmt: skip
    if args.send:
        if not (args.yes or _confirm(composed)):
            raise ReviewerError("not sent (not confirmed)")
        review_reply.send(store, series, composed)
        result["status"] = "sent"
    elif args.draft:
        review_reply.save_draft(store, series, composed, args.draft)
        result |= {"status": "draft", "path": args.draft}
    if args.json:
        emit_json({**result, "mail": composed.as_bytes().decode("utf-8", "replace")})
        return 0
    if result["status"] == "preview":
        _preview(composed)
    elif result["status"] == "sent":
        print(f"sent <{composed.message_id}> to {len(result['to'])} recipients")
    else:
        print(f"draft written to {args.draft}")
    return 0


def _preview(composed) -> None:
    from reviewer.sanitize import clean_text

    sys.stdout.write(clean_text(composed.as_bytes().decode("utf-8", "replace")))


def _confirm(composed) -> bool:
    """Ask on the terminal; without one, sending needs --yes."""
    from reviewer.errors import ReviewerError

    if not sys.stdin.isatty():
        raise ReviewerError("refusing to send without confirmation: no terminal (use --yes)")
    _preview(composed)
    answer = input(f"Send this reply to {len(composed.recipients())} recipients? [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def _edit(body: str) -> str:
    import os
    import shlex
    import subprocess
    import tempfile
    from pathlib import Path

    from reviewer.errors import ReviewerError

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise ReviewerError("--edit needs $VISUAL or $EDITOR")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reply.txt"
        path.write_text(body, encoding="utf-8")
        done = subprocess.run([*shlex.split(editor), str(path)], check=False)
        if done.returncode:
            raise ReviewerError(f"editor exited with status {done.returncode}; nothing done")
        return path.read_text(encoding="utf-8")


def _list(args, replies) -> int:
    if args.json:
        emit_json([{"id": r.id, "patch_message_id": r.patch_message_id,
                    "message_id": r.message_id, "status": r.status, "path": r.path,
                    "created": r.created} for r in replies])  # fmt: skip
        return 0
    for r in replies:
        where = f" {r.path}" if r.path else ""
        print(f"#{r.id} {r.status:<5} {r.created} <{r.message_id}>{where}")
    return 0
