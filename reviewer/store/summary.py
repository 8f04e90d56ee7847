"""One light query for series lists: counts per series without loading patches or diffs.

``Store.list_series()`` loads every patch of every series; a list of 10,000 tracked series only
needs a row each, so this reads them with a single aggregate SQL query.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.store.core import Store

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
    rows = store.series_rows(state, LIVE)
    if not rows:
        return []
    names = rows[0].keys()  # the query's column names are SeriesRow's field names
    return [SeriesRow(**dict(zip(names, r, strict=True))) for r in rows]
