"""One light query for series lists: counts per series without loading patches or diffs.

``Store.list_series()`` loads every patch of every series; a list of 10,000 tracked series only
needs a row each, so this reads them with a single aggregate SQL query.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from reviewer.store.core import Store


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
    rows = store.series_rows(state)
    if not rows:
        return []
    names = list(rows[0].keys())
    order = [f.name for f in fields(SeriesRow)]
    if names == order:  # the query's columns are SeriesRow's fields, in order: no dict a row
        return [SeriesRow(*r) for r in rows]
    return [SeriesRow(**dict(zip(names, r, strict=True))) for r in rows]
