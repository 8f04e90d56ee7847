"""Small pieces every command shares: the store, JSON output, source options."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from reviewer.store.core import Store


def open_store(args: argparse.Namespace) -> Store:
    return Store.open(args.db, actor=getattr(args, "as_", None))


def emit_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def warn(line: str) -> None:
    from reviewer.sanitize import clean_line

    print(f"reviewer: warning: {clean_line(line)}", file=sys.stderr)


SHOWN_PER_KIND = 5


def warn_problems(problems: list[str]) -> None:
    """Warn about each problem, but only the first few of a kind: 5,000 unrelated mails give
    five example lines and one count (--json keeps them all)."""
    import re

    seen: dict[str, int] = {}
    for problem in problems:
        head = problem.split(": ", 1)[0]
        kind = re.sub(r"<[^>]*>|\([^)]*\)|\d+", "#", head)
        seen[kind] = seen.get(kind, 0) + 1
        if seen[kind] <= SHOWN_PER_KIND:
            warn(problem)
    for kind, count in seen.items():
        if count > SHOWN_PER_KIND:
            what = "messages " + kind if kind.startswith("not part of") else f"like {kind!r}"
            warn(f"... and {count - SHOWN_PER_KIND} more {what} (--json lists them all)")


def add_source_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="mbox file, maildir, '-' for stdin, or a message-id / lore URL",
    )
    parser.add_argument("--offline", action="store_true", help="never touch the network")
    parser.add_argument("--server", help="public-inbox server URL (default: b4's midmask)")


def add_series_arguments(parser: argparse.ArgumentParser, revision: bool = True) -> None:
    parser.add_argument("series", metavar="SERIES", help="series id or any message-id")
    if revision:
        parser.add_argument(
            "--revision", "-r", help="label (v1-RESEND), number, or message-id; default latest"
        )
