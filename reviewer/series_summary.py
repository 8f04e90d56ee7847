"""One light query for series lists: counts per series without loading patches or diffs.

``Store.list_series()`` loads every patch of every series; a list of 10,000 tracked series only
needs a row each, so this reads them with a single aggregate SQL query.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.store import Store

LIVE = "('ok', 'carried')"  # trailers that still count (stale and mismatched ones do not)

_QUERY = f"""
WITH latest AS (
    SELECT r.* FROM revisions r
    JOIN (SELECT series_id, MAX(position) AS pos FROM revisions GROUP BY series_id) m
      ON m.series_id = r.series_id AND m.pos = r.position
), activity AS (
    SELECT series_id, MAX(date) AS last, COUNT(*) AS revisions FROM revisions GROUP BY series_id
)
SELECT s.id, s.subject, s.author, s.state,
       COALESCE(l.label, ''), COALESCE(l.message_id, ''), COALESCE(l.expected, 0),
       COUNT(DISTINCT p.id),
       SUM(lower(t.name) = 'acked-by' AND t.status IN {LIVE}),
       SUM(lower(t.name) = 'reviewed-by' AND t.status IN {LIVE}),
       SUM(lower(t.name) = 'tested-by' AND t.status IN {LIVE}),
       COALESCE(a.last, s.updated), COALESCE(a.revisions, 0)
FROM series s
LEFT JOIN latest l ON l.series_id = s.id
LEFT JOIN activity a ON a.series_id = s.id
LEFT JOIN patches p ON p.revision_id = l.id
LEFT JOIN trailers t ON t.patch_row = p.id
{{where}}
GROUP BY s.id
ORDER BY s.id
"""


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


def series_rows(store: Store, state: str | None = None) -> list[SeriesRow]:
    where, params = ("WHERE s.state = ?", (state,)) if state else ("", ())
    rows = store.conn.execute(_QUERY.format(where=where), params)
    return [SeriesRow(*r[:8], *(n or 0 for n in r[8:11]), r[11] or "", r[12]) for r in rows]
