"""The tracking database: open, look up, load models, and rewrite a series' derived rows.

Every query of the tracking database lives here (``reviewer.store.schema`` has the DDL,
``reviewer.store.db`` the SQLite/PostgreSQL shim under it). Rows are read by column name.
Writes record who (``Store.actor``: ``--as``, else git ``user.name <user.email>``) and when.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from reviewer.constants import LIVE_TRAILERS
from reviewer.errors import ReviewerError
from reviewer.models import Cover, Fixup, Patch, Revision, Series, Trailer
from reviewer.store.db import (
    RETRIES,
    Database,
    DatabaseError,
    TransientError,
    backoff,
    is_url,
)
from reviewer.store.schema import migrate, schema_version

LIST_TRAILERS = ("acked-by", "reviewed-by", "tested-by")  # the list's A/R/T columns
GROUPING_LOCK = 0x47525550  # advisory lock: finding or creating the series of new mail
SERIES_LOCK = 0x53455249  # advisory lock, per series id: adding mail and rebuilding a series


def default_db_path() -> Path | str:
    """Where the store is: $REVIEWER_DB, else git config reviewer.db, else the user data dir."""
    env = os.environ.get("REVIEWER_DB")
    if env:
        return env if is_url(env) else Path(env)
    configured = _git_config("reviewer.db")
    if configured:
        return configured if is_url(configured) else Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("reviewer")) / "reviewer.sqlite3"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def now_precise() -> str:
    """A timestamp that orders writes made within one second (results caches)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _git_config(key: str) -> str | None:
    import git

    try:
        return git.Git().config("--get", key).strip() or None
    except (git.GitCommandError, OSError):
        return None


def default_actor() -> str:
    """Who is writing: $REVIEWER_AS (``--as``), else git's ``user.name <user.email>``."""
    explicit = os.environ.get("REVIEWER_AS", "").strip()
    if explicit:
        return explicit
    name, email = _git_config("user.name"), _git_config("user.email")
    if email:
        return f"{name} <{email}>" if name else email
    import getpass

    try:
        return name or getpass.getuser()
    except (KeyError, OSError):
        return name or "unknown"


@lru_cache(maxsize=4096)
def actor_email(actor: str) -> str:
    from email.utils import parseaddr

    return parseaddr(actor)[1].lower() if "@" in actor else ""


@lru_cache(maxsize=4096)  # a list of 10,000 series names the same few people again and again
def actor_name(actor: str) -> str:
    from email.utils import parseaddr

    name, email = parseaddr(actor)
    return name or (email.split("@")[0] if email else actor)


class Store:
    def __init__(self, conn: Database, path: Path | str, actor: str | None = None):
        self.conn = conn
        self.path = path  # what Store.open takes again: the file, or the PostgreSQL URL
        self._actor = actor
        self._grouping_locked = False

    @classmethod
    def open(cls, path: str | Path | None = None, actor: str | None = None) -> Store:
        target = path if path else default_db_path()
        if not is_url(target):
            target = Path(target)
        db = Database.connect(target)
        try:
            for attempt in range(RETRIES + 1):
                try:
                    migrate(db)
                    break
                except TransientError:
                    if attempt == RETRIES:
                        raise
                    backoff(attempt)
        except (DatabaseError, RuntimeError) as exc:
            db.close()
            message = str(exc)
            if isinstance(exc, RuntimeError):
                message = f"cannot open database {db.where}: {exc}"
            raise ReviewerError(message) from exc
        return cls(db, target, actor)

    def reopen(self) -> Store:
        """A new connection to the same store writing as the same person (``--as`` included):
        what a worker thread uses, since a connection belongs to the thread that opened it."""
        return Store.open(self.path, actor=self.actor)

    @property
    def dialect(self) -> str:
        return self.conn.dialect

    @property
    def where(self) -> str:
        """The database as it can be printed (a URL's password masked)."""
        return self.conn.where

    def schema_version(self) -> int:
        """The schema version of the open database."""
        return schema_version(self.conn)

    @property
    def actor(self) -> str:
        if self._actor is None:
            self._actor = default_actor()
        return self._actor

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self, record_actor: bool = True) -> Iterator[Database]:
        """One writer transaction: everything inside lands, or nothing does. The writer joins
        the store's team (``record_actor=False``: a verbatim copy, as ``db import``)."""
        if self.conn.in_transaction:  # nested: part of the caller's transaction
            yield self.conn
            return
        self.conn.begin()
        self._grouping_locked = False
        try:
            yield self.conn
            if record_actor:
                self._register_actor()
        except BaseException:
            self.conn.rollback()
            raise
        finally:
            self._grouping_locked = False
        self.conn.commit()

    def retrying(self, work, attempts: int = RETRIES):
        """Run ``work()`` in a transaction, again from the start when it lost a race."""
        for attempt in range(attempts + 1):
            try:
                with self.transaction():
                    return work()
            except TransientError:
                if attempt == attempts:
                    raise
                backoff(attempt)
        return None

    def _register_actor(self) -> None:
        stamp = now()
        self.conn.execute(
            "INSERT INTO team (reviewer, name, email, first_seen, last_seen)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (reviewer) DO UPDATE SET"
            " last_seen = excluded.last_seen",
            (self.actor, actor_name(self.actor), actor_email(self.actor), stamp, stamp),
        )

    def lock_series(self, series_id: int) -> None:
        """Hold the series until the transaction ends (another writer of it waits)."""
        self.conn.lock(SERIES_LOCK, series_id)

    def _lock_grouping(self) -> None:
        """New mail is placed in one transaction at a time (no duplicate series on a server)."""
        if self.conn.in_transaction and not self._grouping_locked:
            self.conn.lock(GROUPING_LOCK, 0)
            self._grouping_locked = True

    # -- grouping look-ups (reviewer.series.grouping.SeriesLookup) -------------------------

    def series_for_messages(self, message_ids: list[str]) -> int | None:
        self._lock_grouping()
        for chunk in _chunks(message_ids, 500):
            marks = ",".join("?" * len(chunk))
            row = self.conn.execute(
                f"SELECT series_id FROM messages WHERE message_id IN ({marks}) LIMIT 1", chunk
            ).fetchone()
            if row:
                return row["series_id"]
        return None

    def series_for_change_id(self, change_id: str) -> int | None:
        self._lock_grouping()
        row = self.conn.execute(
            "SELECT series_id FROM revisions WHERE change_id = ? LIMIT 1", (change_id,)
        ).fetchone()
        return row["series_id"] if row else None

    def series_for_subject(self, subject: str, author_email: str) -> int | None:
        self._lock_grouping()
        rows = self.conn.execute(
            "SELECT series_id, author FROM revisions WHERE lower(subject) = ?", (subject,)
        ).fetchall()
        return next((r["series_id"] for r in rows if author_email in r["author"].lower()), None)

    def series_for_patch_subjects(self, subjects: list[str], author_email: str) -> int | None:
        from reviewer.series.grouping import shares_most_subjects

        self._lock_grouping()
        marks = ",".join("?" * len(subjects))
        rows = self.conn.execute(
            "SELECT DISTINCT r.id, r.series_id FROM patches p JOIN revisions r"
            f" ON p.revision_id = r.id WHERE lower(p.subject) IN ({marks})"
            " AND lower(r.author) LIKE ? ORDER BY r.id",
            [*subjects, f"%{author_email}%"],
        ).fetchall()
        for row in rows:
            known = [
                " ".join(r["subject"].lower().split())
                for r in self.conn.execute(
                    "SELECT subject FROM patches WHERE revision_id = ?", (row["id"],)
                )
            ]
            if shares_most_subjects(subjects, known):
                return row["series_id"]
        return None

    # -- raw messages ---------------------------------------------------------------------

    def add_messages(self, series_id: int, raws: dict[str, bytes]) -> int:
        self.lock_series(series_id)
        added = 0
        stamp = now()
        for message_id, raw in raws.items():
            cur = self.conn.execute(
                "INSERT INTO messages (message_id, series_id, raw, added, added_by)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING",
                (message_id, series_id, raw, stamp, self.actor),
            )
            added += max(cur.rowcount, 0)
        return added

    def message_ids(self, series_id: int) -> set[str]:
        rows = self.conn.execute(
            "SELECT message_id FROM messages WHERE series_id = ?", (series_id,)
        )
        return {r["message_id"] for r in rows}

    def raw_message(self, message_id: str) -> bytes | None:
        row = self.conn.execute(
            "SELECT raw FROM messages WHERE message_id = ?", (message_id,)
        ).fetchone()
        return bytes(row["raw"]) if row else None

    def raw_messages(self, series_id: int) -> list[bytes]:
        rows = self.conn.execute(
            "SELECT raw FROM messages WHERE series_id = ? ORDER BY added, message_id",
            (series_id,),
        )
        return [bytes(r["raw"]) for r in rows]

    def create_series(self, subject: str, author: str) -> int:
        self._lock_grouping()
        stamp = now()
        return self.conn.returning_id(
            "INSERT INTO series (subject, author, created, updated, created_by, updated_by)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (subject, author, stamp, stamp, self.actor, self.actor),
        )

    # -- derived rows ---------------------------------------------------------------------

    def replace_revisions(self, series_id: int, revisions: list[Revision]) -> None:
        """Rewrite the derived rows of a series. Nothing a person wrote points at them: states,
        progress and results are keyed by message-id, so they survive the rebuild."""
        self.lock_series(series_id)
        self.conn.execute("DELETE FROM revisions WHERE series_id = ?", (series_id,))
        for position, revision in enumerate(revisions):
            revision_row = self._insert_revision(series_id, position, revision)
            for patch in revision.patches:
                self._insert_patch(revision_row, patch)
        latest = revisions[-1]
        self.conn.execute(
            "UPDATE series SET subject = ?, author = ?, updated = ?, updated_by = ? WHERE id = ?",
            (latest.subject, latest.author, now(), self.actor, series_id),
        )
        self._save_list_row(series_id, revisions)

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

    def _insert_revision(self, series_id: int, position: int, rev: Revision) -> int:
        cover = rev.cover
        return self.conn.returning_id(
            "INSERT INTO revisions (series_id, revision, resend, label, message_id, subject,"
            " author, date, expected, change_id, base_commit, partial, cover_message_id,"
            " cover_subject, cover_body, position)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                series_id, rev.revision, int(rev.resend), rev.label, rev.message_id,
                rev.subject, rev.author, rev.date, rev.expected, rev.change_id,
                rev.base_commit, json.dumps(rev.partial),
                cover.message_id if cover else None, cover.subject if cover else None,
                cover.body if cover else None, position,
            ),
        )  # fmt: skip

    def _insert_patch(self, revision_row: int, patch: Patch) -> None:
        patch_row = self.conn.returning_id(
            "INSERT INTO patches (revision_id, idx, subject, message_id, author, date,"
            " commit_message, diff, patch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                revision_row, patch.index, patch.subject, patch.message_id, patch.author,
                patch.date, patch.commit_message, patch.diff, patch.patch_id,
            ),
        )  # fmt: skip
        self.conn.executemany(
            "INSERT INTO trailers (patch_row, name, value, status, sender, message_id,"
            " given_on, via_cover, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (patch_row, t.name, t.value, t.status, t.sender, t.message_id, t.given_on,
                 int(t.via_cover), t.note)
                for t in patch.trailers
            ],
        )  # fmt: skip
        self.conn.executemany(
            "INSERT INTO fixups (patch_row, message_id, author, subject, diff)"
            " VALUES (?, ?, ?, ?, ?)",
            [(patch_row, f.message_id, f.author, f.subject, f.diff) for f in patch.fixups],
        )

    # -- reading models -------------------------------------------------------------------

    def series_ids(self, state: str | None = None) -> list[int]:
        if state:
            rows = self.conn.execute("SELECT id FROM series WHERE state = ? ORDER BY id", (state,))
        else:
            rows = self.conn.execute("SELECT id FROM series ORDER BY id")
        return [r["id"] for r in rows]

    def list_series(self, state: str | None = None) -> list[Series]:
        return [self.load_series(sid) for sid in self.series_ids(state)]

    def get_series(self, ref: str | int) -> Series:
        """A series by the id `list` prints, or by any message-id in any of its revisions."""
        text = str(ref).strip()
        if text.isdigit() and len(text) < 19:
            row = self.conn.execute("SELECT id FROM series WHERE id = ?", (int(text),)).fetchone()
            if row:
                return self.load_series(row["id"])
        series_id = self.series_for_messages([_bare_msgid(text)])
        if series_id is None:
            raise ReviewerError(f"no tracked series matches {text!r} (try `reviewer list`)")
        return self.load_series(series_id)

    def load_series(self, series_id: int) -> Series:
        row = self.conn.execute(
            "SELECT id, subject, author, state FROM series WHERE id = ?", (series_id,)
        ).fetchone()
        if row is None:
            raise ReviewerError(f"no tracked series with id {series_id}")
        series = Series(
            id=row["id"], subject=row["subject"], author=row["author"], state=row["state"]
        )
        series.revisions = self._load_revisions(series_id)
        return series

    def _load_revisions(self, series_id: int) -> list[Revision]:
        rows = self.conn.execute(
            "SELECT id, revision, resend, label, message_id, subject, author, date, expected,"
            " change_id, base_commit, partial, cover_message_id, cover_subject, cover_body"
            " FROM revisions WHERE series_id = ? ORDER BY position",
            (series_id,),
        ).fetchall()
        revisions = []
        for r in rows:
            cover = None
            if r["cover_message_id"]:
                cover = Cover(
                    message_id=r["cover_message_id"], subject=r["cover_subject"],
                    body=r["cover_body"],
                )  # fmt: skip
            revision = Revision(
                revision=r["revision"], resend=bool(r["resend"]), label=r["label"],
                message_id=r["message_id"], subject=r["subject"], author=r["author"],
                date=r["date"], expected=r["expected"], change_id=r["change_id"],
                base_commit=r["base_commit"], partial=json.loads(r["partial"]), cover=cover,
            )  # fmt: skip
            revision.patches = self._load_patches(r["id"])
            revisions.append(revision)
        return revisions

    def _load_patches(self, revision_row: int) -> list[Patch]:
        rows = self.conn.execute(
            "SELECT id, idx, subject, message_id, author, date, commit_message, diff, patch_id"
            " FROM patches WHERE revision_id = ? ORDER BY idx",
            (revision_row,),
        ).fetchall()
        patches = []
        for r in rows:
            patch = Patch(
                index=r["idx"], subject=r["subject"], message_id=r["message_id"],
                author=r["author"], date=r["date"], commit_message=r["commit_message"],
                diff=r["diff"], patch_id=r["patch_id"],
            )  # fmt: skip
            patch.trailers = [
                Trailer(
                    name=t["name"],
                    value=t["value"],
                    status=t["status"],
                    sender=t["sender"],
                    message_id=t["message_id"],
                    given_on=t["given_on"],
                    via_cover=bool(t["via_cover"]),
                    note=t["note"],
                )  # fmt: skip
                for t in self.conn.execute(
                    "SELECT name, value, status, sender, message_id, given_on, via_cover, note"
                    " FROM trailers WHERE patch_row = ? ORDER BY id",
                    (r["id"],),
                )
            ]
            patch.fixups = [
                Fixup(
                    message_id=f["message_id"],
                    author=f["author"],
                    subject=f["subject"],
                    diff=f["diff"],
                )  # fmt: skip
                for f in self.conn.execute(
                    "SELECT message_id, author, subject, diff FROM fixups WHERE patch_row = ?"
                    " ORDER BY id",
                    (r["id"],),
                )
            ]
            patches.append(patch)
        return patches

    # -- states (reviewer.tracking.states) ---------------------------------------------------

    def revision_states(self, series_id: int) -> dict[str, tuple[str, bool, str]]:
        """{revision message-id: (state, set by hand, note)} of one series."""
        rows = self.conn.execute(
            "SELECT message_id, state, by_hand, note FROM revision_states WHERE series_id = ?",
            (series_id,),
        )
        return {r["message_id"]: (r["state"], bool(r["by_hand"]), r["note"]) for r in rows}

    def save_revision_states(
        self, series_id: int, states: list[tuple[str, str, bool, str]]
    ) -> None:
        """Upsert (message-id, state, by hand, note) rows; an unchanged row keeps its author."""
        stamp = now()
        self.conn.executemany(
            "INSERT INTO revision_states"
            " (series_id, message_id, state, by_hand, note, updated, updated_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (series_id, message_id) DO UPDATE SET"
            " state = excluded.state, by_hand = excluded.by_hand, note = excluded.note,"
            " updated = excluded.updated, updated_by = excluded.updated_by"
            " WHERE revision_states.state <> excluded.state"
            " OR revision_states.by_hand <> excluded.by_hand"
            " OR revision_states.note <> excluded.note",
            [
                (series_id, mid, st, int(hand), note, stamp, self.actor)
                for mid, st, hand, note in states
            ],
        )

    def clear_hand_states(self, series_id: int) -> None:
        self.conn.execute(
            "UPDATE revision_states SET by_hand = 0, updated_by = ? WHERE series_id = ?",
            (self.actor, series_id),
        )
        self.conn.execute(
            "UPDATE series SET state_set_by_hand = 0, updated_by = ? WHERE id = ?",
            (self.actor, series_id),
        )

    def series_state(self, series_id: int):
        """The shared state row of a series: state, state_set_by_hand, owner, version,
        state_by, state_at (who changed the state last, and when), updated, updated_by."""
        row = self.conn.execute(
            "SELECT state, state_set_by_hand, owner, version, state_by, state_at, updated,"
            " updated_by FROM series WHERE id = ?",
            (series_id,),
        ).fetchone()
        if row is None:
            raise ReviewerError(f"no tracked series with id {series_id}")
        return row

    def set_series_state(
        self, series_id: int, state: str, by_hand: bool, expected_version: int | None = None
    ) -> None:
        """Set the shared state; with ``expected_version`` only if nobody changed it since
        (optimistic check: ``StaleState`` otherwise). A change bumps the version and records
        who made it."""
        changed = "(state <> ? OR state_set_by_hand <> ?)"
        sql = (
            f"UPDATE series SET version = version + (CASE WHEN {changed} THEN 1 ELSE 0 END),"
            f" state_by = (CASE WHEN {changed} THEN ? ELSE state_by END),"
            f" state_at = (CASE WHEN {changed} THEN ? ELSE state_at END),"
            " state = ?, state_set_by_hand = ? WHERE id = ?"
        )
        hand = int(by_hand)
        params: list = [state, hand, state, hand, self.actor, state, hand, now(), state, hand,
                        series_id]  # fmt: skip
        if expected_version is not None:
            sql += " AND version = ?"
            params.append(expected_version)
        if self.conn.execute(sql, params).rowcount == 0 and expected_version is not None:
            row = self.series_state(series_id)
            raise StaleState(
                f"series {series_id} was changed by {row['state_by'] or 'someone'}"
                f" (now {row['state']}) since you looked; look again and retry"
            )

    def touch_series(self, series_id: int) -> None:
        self.conn.execute(
            "UPDATE series SET updated = ?, updated_by = ? WHERE id = ?",
            (now(), self.actor, series_id),
        )

    def set_owner(self, series_id: int, owner: str) -> None:
        """The series' owner/delegate (as Patchwork's delegate); '' for nobody."""
        self.conn.execute(
            "UPDATE series SET owner = ?, version = version + 1, updated = ?, updated_by = ?"
            " WHERE id = ?",
            (owner, now(), self.actor, series_id),
        )

    # -- the team, each reviewer's own state and progress -------------------------------------

    def team(self) -> list:
        """Everyone who wrote to this store: reviewer, name, email, first_seen, last_seen."""
        return self.conn.execute(
            "SELECT reviewer, name, email, first_seen, last_seen FROM team ORDER BY reviewer"
        ).fetchall()

    def team_emails(self) -> set[str]:
        emails = {r["email"] for r in self.team() if r["email"]}
        mine = actor_email(self.actor)
        return emails | ({mine} if mine else set())

    def reviewer_for_email(self, email: str) -> str:
        for r in self.team():
            if r["email"] == email.lower():
                return r["reviewer"]
        return email if email != actor_email(self.actor) else self.actor

    def set_reviewer_state(
        self,
        series_id: int,
        revision_message_id: str,
        state: str,
        by_hand: bool = True,
        reviewer: str | None = None,
    ) -> None:
        """One reviewer's own state on a series; a derived state never overrides a hand one."""
        keep_hand = "" if by_hand else " WHERE reviewer_states.by_hand = 0"
        self.conn.execute(
            "INSERT INTO reviewer_states"
            " (series_id, reviewer, revision_message_id, state, by_hand, updated)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (series_id, reviewer) DO UPDATE SET"
            " revision_message_id = excluded.revision_message_id, state = excluded.state,"
            " by_hand = excluded.by_hand, updated = excluded.updated" + keep_hand,
            (series_id, reviewer or self.actor, revision_message_id, state, int(by_hand), now()),
        )

    def reviewer_states(self, series_id: int) -> list:
        return self.conn.execute(
            "SELECT reviewer, revision_message_id, state, by_hand, updated FROM reviewer_states"
            " WHERE series_id = ? ORDER BY reviewer",
            (series_id,),
        ).fetchall()

    def set_patch_review(
        self, series_id: int, patch_message_id: str, state: str, reviewer: str | None = None
    ) -> None:
        """One reviewer's progress on one patch (e.g. "done"), by the patch's message-id."""
        self.conn.execute(
            "INSERT INTO patch_reviews (series_id, patch_message_id, reviewer, state, updated)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (patch_message_id, reviewer) DO UPDATE SET"
            " state = excluded.state, updated = excluded.updated",
            (series_id, patch_message_id, reviewer or self.actor, state, now()),
        )

    def patch_reviews(self, series_id: int) -> list:
        return self.conn.execute(
            "SELECT patch_message_id, reviewer, state, updated, origin FROM patch_reviews"
            " WHERE series_id = ? ORDER BY reviewer, patch_message_id",
            (series_id,),
        ).fetchall()

    def who_is_on(self, state: str | None = None) -> dict[int, list]:
        """{series id: rows (reviewer, state, done, patches)}: each reviewer's own state and how
        many patches of the latest revision they marked done. One pass: the latest revision is
        the series' list row, the done counts one grouped join (no query a reviewer; the former
        correlated form took 112 s for 2,000 reviewers on PostgreSQL)."""
        where, params = ("WHERE s.state = ?", (state,)) if state else ("", ())
        rows = self.conn.execute(
            f"""
            WITH people AS (
                SELECT series_id, reviewer FROM reviewer_states
                UNION SELECT series_id, reviewer FROM patch_reviews
            ), latest AS (
                SELECT r.id, r.series_id FROM revisions r JOIN series_list sl
                  ON sl.series_id = r.series_id AND sl.latest_message_id = r.message_id
                WHERE r.series_id IN (SELECT series_id FROM people)
            ), done AS (
                SELECT l.series_id, pr.reviewer, COUNT(*) AS done
                FROM latest l JOIN patches p ON p.revision_id = l.id
                JOIN patch_reviews pr ON pr.patch_message_id = p.message_id
                WHERE pr.state = 'done' AND pr.origin <> 'dropped'
                GROUP BY l.series_id, pr.reviewer
            )
            SELECT pe.series_id, pe.reviewer, COALESCE(rs.state, '') AS state,
                   COALESCE(d.done, 0) AS done, COALESCE(sl.patches, 0) AS patches
            FROM people pe
            JOIN series s ON s.id = pe.series_id
            LEFT JOIN series_list sl ON sl.series_id = pe.series_id
            LEFT JOIN done d ON d.series_id = pe.series_id AND d.reviewer = pe.reviewer
            LEFT JOIN reviewer_states rs
              ON rs.series_id = pe.series_id AND rs.reviewer = pe.reviewer
            {where}
            ORDER BY pe.series_id, pe.reviewer
            """,
            params,
        )
        out: dict[int, list] = {}
        for row in rows:
            out.setdefault(row["series_id"], []).append(row)
        return out

    def owners(self) -> dict[int, str]:
        rows = self.conn.execute("SELECT id, owner FROM series WHERE owner <> ''")
        return {r["id"]: r["owner"] for r in rows}

    # -- results caches (reviewer.results.check, reviewer.results.apply) ----------------------

    def check_report(self, revision_message_id: str, key: str) -> str | None:
        row = self.conn.execute(
            "SELECT report FROM check_results WHERE revision_message_id = ? AND content_hash = ?",
            (revision_message_id, key),
        ).fetchone()
        return row["report"] if row else None

    def save_check_report(
        self, revision_message_id: str, key: str, report: str, counts: tuple[int, int, int],
        keep: int,
    ) -> None:  # fmt: skip
        """Store a report as the newest of its revision; keep the ``keep`` newest."""
        self.conn.execute(
            "INSERT INTO check_results (revision_message_id, content_hash, report, errors,"
            " warnings, infos, created, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (revision_message_id, content_hash) DO UPDATE SET"
            " report = excluded.report, errors = excluded.errors,"
            " warnings = excluded.warnings, infos = excluded.infos,"
            " created = excluded.created, created_by = excluded.created_by",
            (revision_message_id, key, report, *counts, now_precise(), self.actor),
        )
        self.conn.execute(
            "DELETE FROM check_results WHERE revision_message_id = ? AND content_hash NOT IN"
            " (SELECT content_hash FROM check_results WHERE revision_message_id = ?"
            "  ORDER BY created DESC, content_hash DESC LIMIT ?)",
            (revision_message_id, revision_message_id, keep),
        )

    def latest_check_report(self, revision_message_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT report FROM check_results WHERE revision_message_id = ?"
            " ORDER BY created DESC, content_hash DESC LIMIT 1",
            (revision_message_id,),
        ).fetchone()
        return row["report"] if row else None

    def latest_check_counts(self) -> dict[str, tuple[int, int, int]]:
        """{revision message-id: (errors, warnings, infos)} of each revision's newest report."""
        rows = self.conn.execute(
            "SELECT revision_message_id, errors, warnings, infos FROM"
            " (SELECT revision_message_id, errors, warnings, infos, ROW_NUMBER() OVER"
            "  (PARTITION BY revision_message_id ORDER BY created DESC, content_hash DESC) AS n"
            "  FROM check_results) newest WHERE n = 1"
        )
        return {r["revision_message_id"]: (r["errors"], r["warnings"], r["infos"]) for r in rows}

    def latest_check_reports(self) -> dict[str, str]:
        """{revision message-id: report JSON} of each revision's newest report."""
        rows = self.conn.execute(
            "SELECT revision_message_id, report FROM"
            " (SELECT revision_message_id, report, ROW_NUMBER() OVER"
            "  (PARTITION BY revision_message_id ORDER BY created DESC, content_hash DESC) AS n"
            "  FROM check_results) newest WHERE n = 1"
        )
        return {r["revision_message_id"]: r["report"] for r in rows}

    def repo_result(self, revision_message_id: str, kind: str, key: str) -> str | None:
        row = self.conn.execute(
            "SELECT result FROM repo_results"
            " WHERE revision_message_id = ? AND kind = ? AND content_hash = ?",
            (revision_message_id, kind, key),
        ).fetchone()
        return row["result"] if row else None

    def save_repo_result(
        self, revision_message_id: str, kind: str, key: str, commit: str, repo: str,
        result: str, ok: bool, keep: int,
    ) -> None:  # fmt: skip
        """Store a result as the newest of its revision and kind; keep the ``keep`` newest."""
        self.conn.execute(
            "INSERT INTO repo_results (revision_message_id, kind, content_hash, commit_sha, repo,"
            " result, ok, created, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (revision_message_id, kind, content_hash) DO UPDATE SET"
            " commit_sha = excluded.commit_sha, repo = excluded.repo, result = excluded.result,"
            " ok = excluded.ok, created = excluded.created, created_by = excluded.created_by",
            (revision_message_id, kind, key, commit, repo, result, int(ok), now_precise(),
             self.actor),
        )  # fmt: skip
        self.conn.execute(
            "DELETE FROM repo_results WHERE revision_message_id = ? AND kind = ?"
            " AND content_hash NOT IN (SELECT content_hash FROM repo_results"
            "  WHERE revision_message_id = ? AND kind = ?"
            "  ORDER BY created DESC, content_hash DESC LIMIT ?)",
            (revision_message_id, kind, revision_message_id, kind, keep),
        )

    def latest_repo_result(self, revision_message_id: str, kind: str) -> str | None:
        row = self.conn.execute(
            "SELECT result FROM repo_results WHERE revision_message_id = ? AND kind = ?"
            " ORDER BY created DESC, content_hash DESC LIMIT 1",
            (revision_message_id, kind),
        ).fetchone()
        return row["result"] if row else None

    # -- attestation results (reviewer.results.attestation) ---------------------------------

    def attestation(self, message_id: str, key: str) -> str | None:
        row = self.conn.execute(
            "SELECT result FROM attestations WHERE message_id = ? AND content_hash = ?",
            (message_id, key),
        ).fetchone()
        return row["result"] if row else None

    def save_attestation(self, message_id: str, key: str, result: str) -> None:
        self.conn.execute(
            "INSERT INTO attestations (message_id, content_hash, result, checked, checked_by)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_id, content_hash) DO UPDATE SET"
            " result = excluded.result, checked = excluded.checked,"
            " checked_by = excluded.checked_by",
            (message_id, key, result, now(), self.actor),
        )

    # -- the series list (reviewer.store.summary) -------------------------------------------

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


class StaleState(ReviewerError):
    """A state set by hand lost to someone else's change made since the caller looked."""


def resolve_revision(series: Series, ref: str | None) -> Revision:
    """A revision by label ("v1-RESEND"), plain number when unambiguous, or message-id."""
    if not series.revisions:
        raise ReviewerError(f"series {series.id} has no revisions")
    if ref is None:
        return series.latest
    text = ref.strip()
    wanted = _bare_msgid(text)
    for revision in series.revisions:
        if text.lower() == revision.label.lower() or wanted == revision.message_id:
            return revision
    number = text.lower().lstrip("v")
    if number.isdigit():
        matches = [r for r in series.revisions if r.revision == int(number)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            labels = ", ".join(r.label for r in matches)
            raise ReviewerError(f"revision {text!r} is ambiguous: {labels}")
    known = ", ".join(r.label for r in series.revisions)
    raise ReviewerError(f"series {series.id} has no revision {text!r} (known: {known})")


def _bare_msgid(text: str) -> str:
    from reviewer.sources.fetch import parse_msgid

    return parse_msgid(text) or text.strip().strip("<>")


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
