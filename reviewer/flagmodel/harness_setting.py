"""Whether the helper harness (compiling and running helper definitions from mail) is on.

Off with `--no-harness` on the command line (which sets REVIEWER_HARNESS=0 for the process and
what it starts), or with `git config reviewer.harness false`. With it off, helper definitions
are still parsed and checked structurally, but nothing is compiled or run."""

from __future__ import annotations

import functools
import os

ENV = "REVIEWER_HARNESS"
OFF_NOTE = (
    "helper harness off (--no-harness or git config reviewer.harness false): helper "
    "definitions not compiled or run"
)


def enabled() -> bool:
    value = os.environ.get(ENV)
    if value is not None:
        return value.strip().lower() not in ("0", "false", "no", "off")
    return _git_config() is not False


@functools.lru_cache(maxsize=1)
def _git_config() -> bool | None:
    from reviewer.git_config import git_config

    out = git_config("reviewer.harness", "--type=bool")
    return None if out is None else out.strip() == "true"


def fingerprint() -> str:
    """Part of the stored report's key: a report made with the harness off is not reused
    when it is on again (and the other way round)."""
    return "harness:on" if enabled() else "harness:off"
