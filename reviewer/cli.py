"""The ``reviewer`` command line: argument parsing and the one place errors become exit codes."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from reviewer import __version__
from reviewer.commands import COMMANDS
from reviewer.errors import ReviewerError


def _add_common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """--db, --as, --json, -v and --no-harness, accepted before the subcommand and after it.
    After it they default to SUPPRESS, so a value given before the subcommand is not
    overwritten by the default."""
    keep = {"default": argparse.SUPPRESS} if suppress else {}
    parser.add_argument(
        "--db",
        help="tracking database: a SQLite file or a postgresql:// URL (default: $REVIEWER_DB,"
        " else git config reviewer.db, else the user data dir)",
        **keep,
    )
    parser.add_argument(
        "--as",
        dest="as_",
        metavar="WHO",
        help="who is writing, 'Name <email>' (default: git config user.name/user.email)",
        **keep,
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output", **keep)
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log what is being done", **keep
    )
    parser.add_argument(
        "--no-harness",
        action="store_true",
        help="never compile or run helper definitions from mail (also: git config "
        "reviewer.harness false)",
        **keep,
    )


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    _add_common(common, suppress=True)
    return common


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reviewer", description="Review and track Linux-kernel mailing-list patch series."
    )
    parser.add_argument("--version", action="version", version=f"reviewer {__version__}")
    _add_common(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = _common_options()
    for name in COMMANDS:
        module = importlib.import_module(f"reviewer.commands.{name}")
        cmd = sub.add_parser(module.NAME, help=module.HELP, parents=[common])
        module.add_arguments(cmd)
        cmd.set_defaults(run=module.run)
    return parser


# The collector's thresholds for a command's run (CPython's defaults are 700, 10, 10). A check
# keeps many long-lived objects (parsed trees, memos), so the default full passes re-scan them
# again and again: about 0.3-0.45 s of a 3-4 s review of the January v2 thread went to the
# collector, 0.1-0.15 s with these (docs/speed.md). Memory freed by reference counting (nearly
# all of it) is unaffected; cycles are collected less often.
GC_THRESHOLDS = (10_000, 50, 100)


@contextmanager
def tuned_gc(exiting: bool) -> Iterator[None]:
    """For the command's run: what start-up allocated (modules, the parser: never garbage)
    frozen out of the collector's passes, and higher thresholds.

    ``exiting`` (main() run as the process's command): afterwards everything is frozen, so
    the interpreter's collections at exit do not walk the whole heap (~0.5 s of a review);
    objects are still freed as their modules go, and databases close at exit
    (``reviewer.store.db``). Otherwise (a caller of main() in process, the tests) the
    caller's settings are restored."""
    import gc

    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        if exiting:
            gc.freeze()
        else:
            gc.set_threshold(*before)
            gc.unfreeze()


def main(argv: list[str] | None = None) -> int:
    """Run one command; its exit code. ``argv`` None: the process's own command line (the
    console script, ``python -m reviewer.cli``), which ends when this returns."""
    args = build_parser().parse_args(argv)
    if args.no_harness:
        import os

        from reviewer.flagmodel.harness_setting import ENV

        os.environ[ENV] = "0"
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="reviewer: %(message)s",
    )
    if not args.verbose:
        logging.getLogger("b4").setLevel(logging.CRITICAL)
    try:
        with tuned_gc(exiting=argv is None):
            return args.run(args)
    except ReviewerError as exc:
        print(f"reviewer: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("reviewer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
