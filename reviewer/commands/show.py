"""reviewer show SERIES: revisions and the patches of one revision."""

from __future__ import annotations

import argparse

from reviewer.commands._common import add_series_arguments, emit_json, open_store

NAME = "show"
HELP = "show a series: revisions and patches"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_series_arguments(parser)
    parser.add_argument("--offline", action="store_true",
                        help="never touch the network (attestation: not checked)")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from reviewer.report.text import patch_table, series_header
    from reviewer.report.views import revision_detail, series_summary
    from reviewer.results.attestation import attest_revision
    from reviewer.store.core import resolve_revision

    store = open_store(args)
    series = store.get_series(args.series)
    revision = resolve_revision(series, args.revision)
    attested = attest_revision(store, revision, offline=args.offline)
    if args.json:
        detail = revision_detail(revision)
        for view, patch in zip(detail["patch_list"], revision.patches, strict=True):
            view["attestation"] = attested[patch.message_id].to_json()
        emit_json({**series_summary(series), "revision": detail})
        return 0
    print("\n".join(series_header(series)))
    print()
    print("\n".join(patch_table(revision, attested)))
    return 0
