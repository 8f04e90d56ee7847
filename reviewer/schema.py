"""The tracking database schema and its migrations (PRAGMA user_version is the schema version).

Raw messages are the source of truth; revisions, patches, trailers and fix-ups are derived from
them and rebuilt per series on every ingest, so re-tracking is idempotent and loses nothing.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[str] = [
    # 1: initial schema
    """
    CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        subject TEXT NOT NULL,
        author TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'new',
        state_set_by_hand INTEGER NOT NULL DEFAULT 0,
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    );
    CREATE TABLE messages (
        message_id TEXT PRIMARY KEY,
        series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        raw BLOB NOT NULL,
        added TEXT NOT NULL
    );
    CREATE INDEX messages_series ON messages(series_id);
    CREATE TABLE revisions (
        id INTEGER PRIMARY KEY,
        series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        revision INTEGER NOT NULL,
        resend INTEGER NOT NULL,
        label TEXT NOT NULL,
        message_id TEXT NOT NULL,
        subject TEXT NOT NULL,
        author TEXT NOT NULL,
        date TEXT NOT NULL,
        expected INTEGER NOT NULL,
        change_id TEXT,
        base_commit TEXT,
        partial TEXT NOT NULL DEFAULT '[]',
        cover_message_id TEXT,
        cover_subject TEXT,
        cover_body TEXT,
        position INTEGER NOT NULL,
        UNIQUE (series_id, message_id)
    );
    CREATE INDEX revisions_change_id ON revisions(change_id);
    CREATE INDEX revisions_author_subject ON revisions(subject);
    CREATE TABLE patches (
        id INTEGER PRIMARY KEY,
        revision_id INTEGER NOT NULL REFERENCES revisions(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        subject TEXT NOT NULL,
        message_id TEXT NOT NULL,
        author TEXT NOT NULL,
        date TEXT NOT NULL,
        commit_message TEXT NOT NULL,
        diff TEXT NOT NULL,
        patch_id TEXT,
        UNIQUE (revision_id, idx)
    );
    CREATE INDEX patches_message_id ON patches(message_id);
    CREATE TABLE trailers (
        id INTEGER PRIMARY KEY,
        patch_row INTEGER NOT NULL REFERENCES patches(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        status TEXT NOT NULL,
        sender TEXT NOT NULL,
        message_id TEXT NOT NULL,
        given_on TEXT NOT NULL,
        via_cover INTEGER NOT NULL,
        note TEXT NOT NULL
    );
    CREATE INDEX trailers_patch ON trailers(patch_row);
    CREATE TABLE fixups (
        id INTEGER PRIMARY KEY,
        patch_row INTEGER NOT NULL REFERENCES patches(id) ON DELETE CASCADE,
        message_id TEXT NOT NULL,
        author TEXT NOT NULL,
        subject TEXT NOT NULL,
        diff TEXT NOT NULL
    );
    CREATE INDEX fixups_patch ON fixups(patch_row);
    """,
    # 2: per-revision states (reviewer.states), keyed by the revision's message-id because
    # revision rows are rebuilt on every ingest
    """
    CREATE TABLE IF NOT EXISTS revision_states (
        series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        message_id TEXT NOT NULL,
        state TEXT NOT NULL,
        by_hand INTEGER NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        updated TEXT NOT NULL,
        PRIMARY KEY (series_id, message_id)
    );
    """,
    # 3: flag-model check reports, by revision and by content hash of what was checked
    """
    CREATE TABLE check_results (
        revision_message_id TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        report TEXT NOT NULL,
        errors INTEGER NOT NULL,
        warnings INTEGER NOT NULL,
        infos INTEGER NOT NULL,
        created TEXT NOT NULL,
        PRIMARY KEY (revision_message_id, content_hash)
    );
    """,
    # 4: apply and posted-vs-applied results (reviewer.apply_results), by revision, kind and
    # content hash of what was done; commit is the base applied on or the branch tip verified
    """
    CREATE TABLE repo_results (
        revision_message_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('apply', 'verify')),
        content_hash TEXT NOT NULL,
        commit_sha TEXT NOT NULL,
        repo TEXT NOT NULL,
        result TEXT NOT NULL,
        ok INTEGER NOT NULL,
        created TEXT NOT NULL,
        PRIMARY KEY (revision_message_id, kind, content_hash)
    );
    """,
    # 5: the reviewer's own work (reviewer.review_store): per-patch progress, comments on diff
    # lines and the replies drafted or sent. Keyed by message-ids (patch rows are rebuilt on
    # every ingest); portable SQL only.
    """
    CREATE TABLE patch_progress (
        series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        patch_message_id TEXT NOT NULL,
        state TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        origin TEXT NOT NULL CHECK (origin IN ('own', 'carried', 'dropped')),
        given_on TEXT NOT NULL DEFAULT '',
        updated TEXT NOT NULL,
        PRIMARY KEY (series_id, patch_message_id)
    );
    CREATE TABLE review_comments (
        id INTEGER PRIMARY KEY,
        series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        patch_message_id TEXT NOT NULL,
        file TEXT NOT NULL,
        side TEXT NOT NULL CHECK (side IN ('new', 'old', 'hunk', 'patch')),
        line INTEGER NOT NULL,
        anchor TEXT NOT NULL,
        context TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL,
        finding_id TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    );
    CREATE INDEX review_comments_series ON review_comments(series_id);
    CREATE TABLE review_replies (
        id INTEGER PRIMARY KEY,
        series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        patch_message_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('draft', 'sent')),
        raw BLOB NOT NULL,
        path TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL
    );
    CREATE INDEX review_replies_series ON review_replies(series_id);
    """,
]


def migrate(conn: sqlite3.Connection) -> None:
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > len(MIGRATIONS):
        raise RuntimeError(
            f"database schema v{current} is newer than this reviewer (v{len(MIGRATIONS)})"
        )
    for version, script in enumerate(MIGRATIONS[current:], current + 1):
        conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
