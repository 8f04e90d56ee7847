"""reviewer compare SERIES [--from R1 --to R2]: what changed between two revisions."""

from __future__ import annotations

import argparse

from reviewer.commands._common import add_series_arguments, emit_json, open_store

NAME = "compare"
HELP = "compare two revisions: identical, rebase-only, message-only or code-changed per patch"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_series_arguments(parser, revision=False)
    parser.add_argument("--from", dest="from_rev", help="older revision (default: the one before)")
    parser.add_argument("--to", dest="to_rev", help="newer revision (default: latest)")
    parser.add_argument("--repo", help="also apply both in this repo and show git range-diff")
    parser.add_argument("--no-diff", action="store_true", help="verdicts only, no interdiffs")


def run(args: argparse.Namespace) -> int:
    from reviewer.compare.revisions import compare_revisions, pick_revisions
    from reviewer.report.apply_compare_text import render_comparison

    series = open_store(args).get_series(args.series)
    old, new = pick_revisions(series, args.from_rev, args.to_rev)
    comparison = compare_revisions(old, new)
    range_diff = None
    if args.repo:
        from reviewer.apply.range_diff import range_diff_text

        range_diff = range_diff_text(args.repo, old, new)
    if args.json:
        data = comparison.to_json()
        if range_diff is not None:
            data["range_diff"] = range_diff
        emit_json(data)
        return 0
    print("\n".join(render_comparison(comparison, diffs=not args.no_diff)))
    if range_diff is not None:
        from reviewer.sanitize import clean_text

        print("\ngit range-diff:")
        print(clean_text(range_diff))
    return 0
