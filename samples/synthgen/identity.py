"""Fixed identities, addresses and dates: everything that makes the output deterministic."""

from __future__ import annotations

AUTHOR = ("Lorenzo Example", "lorenzo@example.org")
MAINTAINER = ("Andrew Example", "akpm@example.org")
LIST = "linux-mm@kvack.example.org"
SIGNATURE = "2.52.0"
BASE_DATE = "2026-01-05T09:00:00+00:00"
MM_NEW_DATE = "2026-01-20T09:00:00+00:00"
SERIES_SLUG = "vma-desc-flags"


def ident_env(name: str, email: str, date: str) -> dict[str, str]:
    return {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_COMMITTER_DATE": date,
        "TZ": "UTC",
    }
