"""SQL for the reviewer's own work: per-patch progress, comments on diff lines, replies.

Only SQL lives here (portable: ON CONFLICT ... DO UPDATE, no INSERT OR REPLACE, no rowid), so the
store can be ported as a whole; reviewer.review.progress, reviewer.review.comments and
reviewer.review.reply hold the logic. Rows are keyed by message-ids because patch rows are rebuilt
on every ingest. Writers call these inside ``store.transaction()``.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.store.core import Store, now


@dataclass
class ProgressRow:
    patch_message_id: str
    state: str
    note: str
    origin: str  # own | carried | dropped
    given_on: str  # label of the revision the mark was given on


@dataclass
class CommentRow:
    id: int
    series_id: int
    patch_message_id: str
    file: str
    side: str  # new | old | hunk | patch
    line: int
    anchor: str  # the diff line commented on, with its +/-/space prefix
    context: str  # the diff lines just above it, for re-anchoring
    body: str
    finding_id: str
    created: str
    updated: str


@dataclass
class ReplyRow:
    id: int
    series_id: int
    patch_message_id: str
    message_id: str
    status: str  # draft | sent
    raw: bytes
    path: str
    created: str


# -- progress -------------------------------------------------------------------------------


def progress_rows(
    store: Store, series_id: int, reviewer: str | None = None
) -> dict[str, ProgressRow]:
    """One reviewer's marks (default: this one) on the series' patches."""
    rows = store.conn.execute(
        "SELECT patch_message_id, state, note, origin, given_on FROM patch_reviews"
        " WHERE series_id = ? AND reviewer = ?",
        (series_id, reviewer or store.actor),
    )
    return {r["patch_message_id"]: ProgressRow(**r.asdict()) for r in rows}


def has_progress(store: Store, series_id: int) -> bool:
    """Whether anyone marked a patch of the series (carrying runs for every reviewer)."""
    row = store.conn.execute(
        "SELECT 1 FROM patch_reviews WHERE series_id = ? LIMIT 1", (series_id,)
    ).fetchone()
    return row is not None


def progress_reviewers(store: Store, series_id: int) -> list[str]:
    rows = store.conn.execute(
        "SELECT DISTINCT reviewer FROM patch_reviews WHERE series_id = ? ORDER BY reviewer",
        (series_id,),
    )
    return [r["reviewer"] for r in rows]


def put_progress(
    store: Store, series_id: int, row: ProgressRow, reviewer: str | None = None
) -> None:
    store.conn.execute(
        "INSERT INTO patch_reviews (series_id, patch_message_id, reviewer, state, note, origin,"
        " given_on, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (patch_message_id, reviewer) DO UPDATE SET state = excluded.state,"
        " note = excluded.note, origin = excluded.origin, given_on = excluded.given_on,"
        " updated = excluded.updated",
        (series_id, row.patch_message_id, reviewer or store.actor, row.state, row.note,
         row.origin, row.given_on, now()),
    )  # fmt: skip


def delete_progress(store: Store, series_id: int, patch_message_id: str) -> None:
    store.conn.execute(
        "DELETE FROM patch_reviews WHERE series_id = ? AND patch_message_id = ? AND reviewer = ?",
        (series_id, patch_message_id, store.actor),
    )


def delete_derived_progress(store: Store, series_id: int, reviewer: str | None = None) -> None:
    """Forget a reviewer's carried and dropped marks (derived again from the own ones)."""
    store.conn.execute(
        "DELETE FROM patch_reviews WHERE series_id = ? AND reviewer = ? AND origin <> 'own'",
        (series_id, reviewer or store.actor),
    )


def latest_progress_counts(store: Store) -> dict[int, tuple[int, int, int, int]]:
    """{series id: (done, skip, needs-work, patches)} of this reviewer's marks on each series'
    latest revision, counting own and carried marks (a mark dropped because the code changed
    does not count)."""
    rows = store.conn.execute(
        "WITH latest AS ("
        " SELECT r.id, r.series_id FROM revisions r"
        " JOIN (SELECT series_id, MAX(position) AS pos FROM revisions GROUP BY series_id) m"
        " ON m.series_id = r.series_id AND m.pos = r.position)"
        " SELECT l.series_id,"
        " SUM(CASE WHEN g.state = 'done' AND g.origin <> 'dropped' THEN 1 ELSE 0 END) AS done,"
        " SUM(CASE WHEN g.state = 'skip' AND g.origin <> 'dropped' THEN 1 ELSE 0 END) AS skip,"
        " SUM(CASE WHEN g.state = 'needs-work' AND g.origin <> 'dropped' THEN 1 ELSE 0 END)"
        " AS needs_work, COUNT(p.id) AS patches"
        " FROM latest l JOIN patches p ON p.revision_id = l.id"
        " LEFT JOIN patch_reviews g ON g.series_id = l.series_id"
        " AND g.patch_message_id = p.message_id AND g.reviewer = ?"
        " WHERE EXISTS (SELECT 1 FROM patch_reviews x WHERE x.series_id = l.series_id"
        " AND x.reviewer = ?)"
        " GROUP BY l.series_id",
        (store.actor, store.actor),
    )
    return {
        r["series_id"]: (r["done"] or 0, r["skip"] or 0, r["needs_work"] or 0, r["patches"] or 0)
        for r in rows
    }


# -- comments -------------------------------------------------------------------------------

_COMMENT_COLUMNS = (
    "id, series_id, patch_message_id, file, side, line, anchor, context, body, finding_id,"
    " created, updated"
)


def add_comment(store: Store, row: CommentRow) -> int:
    stamp = now()
    return store.conn.returning_id(
        "INSERT INTO review_comments (series_id, patch_message_id, file, side, line, anchor,"
        " context, body, finding_id, created, updated, reviewer)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (row.series_id, row.patch_message_id, row.file, row.side, row.line, row.anchor,
         row.context, row.body, row.finding_id, stamp, stamp, store.actor),
    )  # fmt: skip


def update_comment_body(store: Store, comment_id: int, body: str) -> bool:
    cur = store.conn.execute(
        "UPDATE review_comments SET body = ?, updated = ? WHERE id = ?", (body, now(), comment_id)
    )
    return cur.rowcount > 0


def delete_comment(store: Store, comment_id: int) -> bool:
    cur = store.conn.execute("DELETE FROM review_comments WHERE id = ?", (comment_id,))
    return cur.rowcount > 0


def get_comment(store: Store, comment_id: int) -> CommentRow | None:
    row = store.conn.execute(
        f"SELECT {_COMMENT_COLUMNS} FROM review_comments WHERE id = ?", (comment_id,)
    ).fetchone()
    return CommentRow(**row.asdict()) if row else None


def series_comments(store: Store, series_id: int) -> list[CommentRow]:
    rows = store.conn.execute(
        f"SELECT {_COMMENT_COLUMNS} FROM review_comments WHERE series_id = ? ORDER BY id",
        (series_id,),
    )
    return [CommentRow(**r.asdict()) for r in rows]


# -- replies --------------------------------------------------------------------------------


def add_reply(
    store: Store, series_id: int, patch_message_id: str, message_id: str, status: str,
    raw: bytes, path: str = "",
) -> int:  # fmt: skip
    return store.conn.returning_id(
        "INSERT INTO review_replies (series_id, patch_message_id, message_id, status, raw, path,"
        " created, reviewer) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (series_id, patch_message_id, message_id, status, raw, path, now(), store.actor),
    )


def series_replies(store: Store, series_id: int) -> list[ReplyRow]:
    rows = store.conn.execute(
        "SELECT id, series_id, patch_message_id, message_id, status, raw, path, created"
        " FROM review_replies WHERE series_id = ? ORDER BY id",
        (series_id,),
    )
    return [ReplyRow(**{**r.asdict(), "raw": bytes(r["raw"])}) for r in rows]
