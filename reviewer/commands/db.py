"""reviewer db info|migrate|export|import: the store itself, and moving it between backends."""

from __future__ import annotations

import argparse
import sys

from reviewer.commands._common import emit_json, open_store

NAME = "db"
HELP = "the tracking store: info, migrate (copy to another store), export, import"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    # the common options work after the action too ("db import FILE --db URL")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="the store (file or URL)")
    common.add_argument("--as", dest="as_", default=argparse.SUPPRESS, metavar="WHO")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    sub.add_parser(
        "info", parents=[common], help="backend, schema version and row counts of the store"
    )
    migrate = sub.add_parser(
        "migrate",
        parents=[common],
        help="copy the whole store (--db, or --from) into another, empty store (--to):"
        " e.g. a personal SQLite file into the team's PostgreSQL database, or back",
    )
    migrate.add_argument("--from", dest="source", metavar="DB", help="source (default --db)")
    migrate.add_argument("--to", dest="target", metavar="DB", required=True, help="target")
    export = sub.add_parser(
        "export", parents=[common], help="write the whole store (--db) to FILE (JSON lines)"
    )
    export.add_argument("file", metavar="FILE", help="dump file, '-' for stdout")
    imp = sub.add_parser(
        "import", parents=[common], help="read a dump FILE into the empty store (--db)"
    )
    imp.add_argument("file", metavar="FILE", help="dump file, '-' for stdin")


def run(args: argparse.Namespace) -> int:
    from reviewer.errors import ReviewerError
    from reviewer.store import transfer as store_transfer
    from reviewer.store.core import Store

    action = args.db_command
    if action == "migrate":
        source = Store.open(args.source or args.db, actor=args.as_)
        target = Store.open(args.target, actor=args.as_)
        counts = store_transfer.copy(source, target)
        return _report(args, f"copied {source.where} -> {target.where}", counts)
    store = open_store(args)
    if action == "info":
        return _info(args, store, store_transfer)
    if action == "export":
        if args.file == "-":
            counts = store_transfer.export(store, sys.stdout)
            print(f"reviewer: exported {counts.line()}", file=sys.stderr)
            return 0
        try:
            with open(args.file, "w", encoding="utf-8") as out:
                counts = store_transfer.export(store, out)
        except OSError as exc:
            raise ReviewerError(f"cannot write {args.file}: {exc.strerror}") from None
        return _report(args, f"exported {store.where} -> {args.file}", counts)
    if args.file == "-":
        counts = store_transfer.load(store, store_transfer.read_dump(sys.stdin, "stdin"))
    else:
        try:
            with open(args.file, encoding="utf-8") as lines:
                counts = store_transfer.load(
                    store, store_transfer.read_dump(lines, args.file), args.file
                )
        except OSError as exc:
            raise ReviewerError(f"cannot read {args.file}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise ReviewerError(f"{args.file}: not a reviewer store dump") from None
    return _report(args, f"imported {args.file} -> {store.where}", counts)


def _report(args: argparse.Namespace, what: str, counts) -> int:
    if args.json:
        emit_json({"done": what, "rows": counts.tables})
    else:
        print(f"{what}: {counts.line()}")
    return 0


def _info(args: argparse.Namespace, store, store_transfer) -> int:
    from reviewer.store.schema import MIGRATIONS

    rows = store_transfer.row_counts(store)
    info = {
        "database": store.where,
        "backend": store.dialect,
        "schema": store.schema_version(),
        "newest_schema": len(MIGRATIONS),
        "you": store.actor,
        "team": [r["reviewer"] for r in store.team()],
        "rows": rows,
    }
    if args.json:
        emit_json(info)
        return 0
    print(f"{info['database']} ({info['backend']}, schema v{info['schema']})")
    print(f"you: {info['you']}")
    if info["team"]:
        print(f"team: {'; '.join(info['team'])}")
    print("rows: " + ", ".join(f"{t} {n}" for t, n in rows.items()))
    return 0
