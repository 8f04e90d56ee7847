"""One light query for series lists: counts per series without loading patches or diffs.

``Store.list_series()`` loads every patch of every series; a list of 10,000 tracked series only
needs a row each, so this reads them with a single aggregate SQL query.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.store import Store

LIVE = ("ok", "carried")  # trailers that still count (stale and mismatched ones do not)


@dataclass
class SeriesRow:
    id: int
    subject: str
    author: str
    state: str
    latest_label: str
    latest_message_id: str
    expected: int
    patches: int
    acked: int
    reviewed: int
    tested: int
    last_activity: str  # ISO 8601 date of the newest revision
    revisions: int
    owner: str = ""  # the series' owner/delegate, '' for nobody


def series_rows(store: Store, state: str | None = None) -> list[SeriesRow]:
    return [
        SeriesRow(
            id=r["id"],
            subject=r["subject"],
            author=r["author"],
            state=r["state"],
            latest_label=r["latest_label"],
            latest_message_id=r["latest_message_id"],
            expected=r["expected"],
            patches=r["patches"],
            acked=r["acked"] or 0,
            reviewed=r["reviewed"] or 0,
            tested=r["tested"] or 0,
            last_activity=r["last_activity"] or "",
            revisions=r["revisions"],
            owner=r["owner"],
        )  # fmt: skip
        for r in store.series_rows(state, LIVE)
    ]
