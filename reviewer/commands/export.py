"""reviewer export SERIES -o FILE: an am-ready mbox with the collected trailers."""

from __future__ import annotations

import argparse

from reviewer.commands._common import add_series_arguments, emit_json, open_store

NAME = "export"
HELP = "write an am-ready mbox with collected trailers"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_series_arguments(parser)
    parser.add_argument("-o", "--output", required=True, help="mbox file to write ('-': stdout)")


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from reviewer.errors import ReviewerError
    from reviewer.store.core import resolve_revision
    from reviewer.trailers.export import am_ready_mbox

    store = open_store(args)
    series = store.get_series(args.series)
    revision = resolve_revision(series, args.revision)
    data = am_ready_mbox(store, series, revision)
    if args.output == "-":
        sys.stdout.buffer.write(data)
        return 0
    try:
        Path(args.output).write_bytes(data)
    except OSError as exc:
        raise ReviewerError(f"cannot write {args.output}: {exc.strerror}") from exc
    if args.json:
        emit_json({"output": args.output, "revision": revision.label,
                   "patches": len(revision.patches)})  # fmt: skip
    else:
        print(f"wrote {revision.label} ({len(revision.patches)} patches) to {args.output}")
    return 0
