"""The series a benchmark times: the real January v2 thread by default, `--mbox PATH`, or a
revision of the March 2026 series (`--march v1..v4`, samples/threads/march/)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def add_series_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mbox", default=str(ROOT / "samples/threads/v2-thread.mbox"))
    parser.add_argument("--march", help="a revision of the March 2026 series (v1..v4)")


def series_mbox(args: argparse.Namespace) -> str:
    if args.march:
        return str(ROOT / "samples/threads/march" / f"{args.march}-thread.mbox")
    return args.mbox


def latest_patches(mbox: str) -> list:
    """The patches of the thread's latest revision, parsed by b4 (offline)."""
    from reviewer.series.parse import parse_messages
    from reviewer.sources.mail import load_source

    loaded = load_source(mbox, offline=True)
    return parse_messages([m.msg for m in loaded.messages]).revisions[-1].patches
