"""The tracking database schema and its migrations, for SQLite and PostgreSQL alike.

Raw messages are the source of truth; revisions, patches, trailers and fix-ups are derived from
them and rebuilt per series on every ingest, so re-tracking is idempotent and loses nothing.
Everything a person adds (states, progress, results) is keyed by message-id, never by the row
id of a derived row, so a rebuild by one reviewer never breaks another reviewer's rows.

Adding a table or column: append ONE string to ``MIGRATIONS`` (never edit an earlier one). Write
portable DDL in SQLite's spelling: ``INTEGER PRIMARY KEY`` for an automatic id and ``BLOB`` for
bytes are translated for PostgreSQL (``reviewer.store.db.ddl_for``); ``ALTER TABLE ... ADD
COLUMN`` needs a DEFAULT for a NOT NULL column; no triggers. A per-person table has a
``reviewer TEXT NOT NULL`` column (``Store.actor``) in its key. The schema version is SQLite's
``PRAGMA user_version`` and PostgreSQL's ``schema_version`` table; ``migrate`` runs the missing
migrations in one locked transaction that re-reads the version, so processes that open a new
database together never apply a migration twice.
"""

from __future__ import annotations

from reviewer.store.db import POSTGRESQL, SQLITE, Database, ddl_for, statements

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
    # 2: per-revision states (reviewer.tracking.states), keyed by the revision's message-id because
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
    # 4: apply and posted-vs-applied results (reviewer.results.apply), by revision, kind and
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
    # 5: several people, one store: who wrote what, an owner/delegate per series, an
    # optimistic version of the hand-set state, each reviewer's own state and per-patch progress
    # (keyed by message-id and reviewer), and the team (everyone who wrote to this store)
    """
    ALTER TABLE series ADD COLUMN owner TEXT NOT NULL DEFAULT '';
    ALTER TABLE series ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
    ALTER TABLE series ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
    ALTER TABLE series ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE series ADD COLUMN state_by TEXT NOT NULL DEFAULT '';
    ALTER TABLE series ADD COLUMN state_at TEXT NOT NULL DEFAULT '';
    ALTER TABLE messages ADD COLUMN added_by TEXT NOT NULL DEFAULT '';
    ALTER TABLE revision_states ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
    ALTER TABLE check_results ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
    ALTER TABLE repo_results ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
    CREATE INDEX series_state ON series(state);
    CREATE INDEX revisions_series ON revisions(series_id, position);
    CREATE INDEX check_results_newest ON check_results(revision_message_id, created);
    CREATE TABLE team (
        reviewer TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
    );
    CREATE TABLE reviewer_states (
        series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        reviewer TEXT NOT NULL,
        revision_message_id TEXT NOT NULL,
        state TEXT NOT NULL,
        by_hand INTEGER NOT NULL DEFAULT 0,
        updated TEXT NOT NULL,
        PRIMARY KEY (series_id, reviewer)
    );
    CREATE TABLE patch_reviews (
        series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        patch_message_id TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        state TEXT NOT NULL,
        updated TEXT NOT NULL,
        PRIMARY KEY (patch_message_id, reviewer)
    );
    CREATE INDEX patch_reviews_series ON patch_reviews(series_id, reviewer);
    """,
    # 6: the reviewer's own work: notes and carried/dropped marks on per-patch progress (the
    # per-reviewer patch_reviews of 5), comments on diff lines and the replies drafted or sent
    # (reviewer.store.review). Keyed by message-ids and reviewer; portable SQL only.
    """
    ALTER TABLE patch_reviews ADD COLUMN note TEXT NOT NULL DEFAULT '';
    ALTER TABLE patch_reviews ADD COLUMN origin TEXT NOT NULL DEFAULT 'own';
    ALTER TABLE patch_reviews ADD COLUMN given_on TEXT NOT NULL DEFAULT '';
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
        updated TEXT NOT NULL,
        reviewer TEXT NOT NULL DEFAULT ''
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
        created TEXT NOT NULL,
        reviewer TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX review_replies_series ON review_replies(series_id);
    """,
    # 7: the series list's counts, one row a series written by every rebuild
    # (Store.replace_revisions), so listing 10,000 series reads one row each instead of
    # aggregating every revision, patch and trailer (filled here from the derived rows); and
    # b4's attestation result (DKIM, patatt) per patch message, by hash of the bytes checked
    # (reviewer.results.attestation), so it is not checked again for every look.
    """
    CREATE TABLE series_list (
        series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        latest_label TEXT NOT NULL,
        latest_message_id TEXT NOT NULL,
        expected INTEGER NOT NULL,
        patches INTEGER NOT NULL,
        acked INTEGER NOT NULL,
        reviewed INTEGER NOT NULL,
        tested INTEGER NOT NULL,
        last_activity TEXT NOT NULL,
        revisions INTEGER NOT NULL,
        PRIMARY KEY (series_id)
    );
    INSERT INTO series_list (series_id, latest_label, latest_message_id, expected, patches,
        acked, reviewed, tested, last_activity, revisions)
    SELECT l.series_id, l.label, l.message_id, l.expected,
        (SELECT COUNT(*) FROM patches p WHERE p.revision_id = l.id),
        (SELECT COUNT(*) FROM trailers t JOIN patches p ON p.id = t.patch_row
          WHERE p.revision_id = l.id AND t.status IN ('ok', 'carried')
          AND lower(t.name) = 'acked-by'),
        (SELECT COUNT(*) FROM trailers t JOIN patches p ON p.id = t.patch_row
          WHERE p.revision_id = l.id AND t.status IN ('ok', 'carried')
          AND lower(t.name) = 'reviewed-by'),
        (SELECT COUNT(*) FROM trailers t JOIN patches p ON p.id = t.patch_row
          WHERE p.revision_id = l.id AND t.status IN ('ok', 'carried')
          AND lower(t.name) = 'tested-by'),
        (SELECT MAX(r.date) FROM revisions r WHERE r.series_id = l.series_id),
        (SELECT COUNT(*) FROM revisions r WHERE r.series_id = l.series_id)
    FROM revisions l
    WHERE l.position = (SELECT MAX(r.position) FROM revisions r WHERE r.series_id = l.series_id);
    CREATE TABLE attestations (
        message_id TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        result TEXT NOT NULL,
        checked TEXT NOT NULL,
        checked_by TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (message_id, content_hash)
    );
    """,
]

VERSION_LOCK = 0x52455649  # advisory lock key of schema migrations ("REVI")


def schema_version(db: Database) -> int:
    """The schema version of an open database (0: empty)."""
    if db.dialect == SQLITE:
        return int(db.execute("PRAGMA user_version").fetchone()["user_version"])
    row = db.execute("SELECT to_regclass('schema_version') AS found").fetchone()
    if row["found"] is None:
        return 0
    row = db.execute("SELECT version FROM schema_version").fetchone()
    return int(row["version"]) if row else 0


def _set_version(db: Database, version: int) -> None:
    if db.dialect == SQLITE:
        db.execute(f"PRAGMA user_version = {int(version)}")
    else:
        db.execute("UPDATE schema_version SET version = ?", (version,))


def migrate(db: Database, target: int | None = None) -> int:
    """Bring the schema to ``target`` (default: the newest); returns the version reached.

    Cheap when nothing is missing; otherwise one writer transaction (SQLite's BEGIN IMMEDIATE,
    PostgreSQL's advisory lock) that re-reads the version before running what is missing.
    """
    target = len(MIGRATIONS) if target is None else target
    current = schema_version(db)
    if current > len(MIGRATIONS):
        raise RuntimeError(
            f"database schema v{current} is newer than this reviewer (v{len(MIGRATIONS)})"
        )
    if current >= target:
        return current
    db.begin()
    try:
        if db.dialect == POSTGRESQL:
            db.lock(VERSION_LOCK)
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            if db.execute("SELECT count(*) FROM schema_version").fetchone()[0] == 0:
                db.execute("INSERT INTO schema_version (version) VALUES (0)")
        current = schema_version(db)  # another process may have migrated meanwhile
        for version in range(current + 1, target + 1):
            for statement in statements(ddl_for(db.dialect, MIGRATIONS[version - 1])):
                db.execute(statement)
        _set_version(db, max(current, target))
        sync_ids(db)
    except BaseException:
        db.rollback()
        raise
    db.commit()
    return max(current, target)


def sync_ids(db: Database) -> None:
    """After rows were written with explicit ids (an import, old data), new ids follow them.

    SQLite's ``INTEGER PRIMARY KEY`` always does; a PostgreSQL identity column needs its
    sequence moved past the largest id."""
    if db.dialect != POSTGRESQL:
        return
    rows = db.execute(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND column_name = 'id' AND is_identity = 'YES' ORDER BY table_name"
    ).fetchall()
    for row in rows:
        table = row["table_name"]
        db.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
            f" COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        )
