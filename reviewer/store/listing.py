"""The series list: the ``series_list`` row a series (counts of its latest revision, written
by every rebuild), reading the list without loading patches, and rebuilding the rows after an
import (reviewer.store.summary reads them).

Mixed into ``reviewer.store.core.Store``: uses its ``conn``, and ``series_ids``/``load_series``
of ``reviewer.store.series``.
"""

from __future__ import annotations

from reviewer.constants import LIVE_TRAILERS
from reviewer.models import Revision

LIST_TRAILERS = ("acked-by", "reviewed-by", "tested-by")  # the list's A/R/T columns


class ListQueries:
    def _save_list_row(self, series_id: int, revisions: list[Revision]) -> None:
        """The series' row of the list (series_rows): counts of its latest revision."""
        latest = revisions[-1]
        names = [
            t.name.lower() for p in latest.patches for t in p.trailers if t.status in LIVE_TRAILERS
        ]
        acked, reviewed, tested = (names.count(n) for n in LIST_TRAILERS)
        self.conn.execute(
            "INSERT INTO series_list (series_id, latest_label, latest_message_id, expected,"
            " patches, acked, reviewed, tested, last_activity, revisions)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (series_id) DO UPDATE SET"
            " latest_label = excluded.latest_label,"
            " latest_message_id = excluded.latest_message_id, expected = excluded.expected,"
            " patches = excluded.patches, acked = excluded.acked, reviewed = excluded.reviewed,"
            " tested = excluded.tested, last_activity = excluded.last_activity,"
            " revisions = excluded.revisions",
            (
                series_id, latest.label, latest.message_id, latest.expected,
                len(latest.patches), acked, reviewed, tested,
                max(r.date for r in revisions), len(revisions),
            ),
        )  # fmt: skip

    def series_rows(self, state: str | None = None):
        """One row a series for lists, without loading patches: id, subject, author, state,
        latest_label, latest_message_id, expected, patches, acked, reviewed, tested,
        last_activity, revisions, owner. The counts are the series' ``series_list`` row, written by
        every rebuild: one indexed row a series, no aggregation over patches and trailers
        (10,000 series: bench/store_backends.py)."""
        where, params = ("WHERE s.state = ?", [state]) if state else ("", [])
        return self.conn.execute(
            f"""
            SELECT s.id, s.subject, s.author, s.state,
                   COALESCE(l.latest_label, '') AS latest_label,
                   COALESCE(l.latest_message_id, '') AS latest_message_id,
                   COALESCE(l.expected, 0) AS expected, COALESCE(l.patches, 0) AS patches,
                   COALESCE(l.acked, 0) AS acked, COALESCE(l.reviewed, 0) AS reviewed,
                   COALESCE(l.tested, 0) AS tested,
                   COALESCE(l.last_activity, s.updated) AS last_activity,
                   COALESCE(l.revisions, 0) AS revisions, s.owner
            FROM series s LEFT JOIN series_list l ON l.series_id = s.id
            {where}
            ORDER BY s.id
            """,
            params,
        ).fetchall()

    def revision_rows(self, state: str | None = None) -> dict[int, list]:
        """{series id: its revisions in order, with their patch counts}, one query for all:
        revision, resend, label, patches, expected, message_id, subject, author, date,
        partial."""
        where, params = ("WHERE s.state = ?", (state,)) if state else ("", ())
        rows = self.conn.execute(
            "SELECT r.series_id, r.revision, r.resend, r.label, r.expected, r.message_id,"
            " r.subject, r.author, r.date, r.partial, COALESCE(pc.n, 0) AS patches"
            " FROM revisions r JOIN series s ON s.id = r.series_id"
            " LEFT JOIN (SELECT revision_id, COUNT(*) AS n FROM patches GROUP BY revision_id) pc"
            f" ON pc.revision_id = r.id {where}"
            " ORDER BY r.series_id, r.position",
            params,
        )
        out: dict[int, list] = {}
        for row in rows:
            out.setdefault(row["series_id"], []).append(row)
        return out

    def series_list_missing(self) -> int:
        """How many series with revisions have no list row (a dump from before schema 7)."""
        return self.conn.execute(
            "SELECT COUNT(DISTINCT r.series_id) AS n FROM revisions r WHERE NOT EXISTS"
            " (SELECT 1 FROM series_list l WHERE l.series_id = r.series_id)"
        ).fetchone()["n"]

    def rebuild_series_list(self) -> None:
        """Write the list row of every series that has revisions (after an import)."""
        for sid in self.series_ids():
            series = self.load_series(sid)
            if series.revisions:
                self._save_list_row(sid, series.revisions)
