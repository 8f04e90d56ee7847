"""The tracking database: open, look up, load models, and rewrite a series' derived rows."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from reviewer.errors import ReviewerError
from reviewer.models import Cover, Fixup, Patch, Revision, Series, Trailer
from reviewer.schema import migrate


def default_db_path() -> Path:
    env = os.environ.get("REVIEWER_DB")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("reviewer")) / "reviewer.sqlite3"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: str | Path | None = None) -> Store:
        db_path = Path(path) if path else default_db_path()
        try:
            db_path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(db_path, isolation_level=None, timeout=30)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA journal_mode = WAL")
            migrate(conn)
        except (OSError, sqlite3.Error, RuntimeError) as exc:
            raise ReviewerError(f"cannot open database {db_path}: {exc}") from exc
        return cls(conn, db_path)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One writer transaction: everything inside lands, or nothing does."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- grouping look-ups (reviewer.grouping.SeriesLookup) --------------------------------

    def series_for_messages(self, message_ids: list[str]) -> int | None:
        for chunk in _chunks(message_ids, 500):
            marks = ",".join("?" * len(chunk))
            row = self.conn.execute(
                f"SELECT series_id FROM messages WHERE message_id IN ({marks}) LIMIT 1", chunk
            ).fetchone()
            if row:
                return row[0]
        return None

    def series_for_change_id(self, change_id: str) -> int | None:
        row = self.conn.execute(
            "SELECT series_id FROM revisions WHERE change_id = ? LIMIT 1", (change_id,)
        ).fetchone()
        return row[0] if row else None

    def series_for_subject(self, subject: str, author_email: str) -> int | None:
        rows = self.conn.execute(
            "SELECT series_id, author FROM revisions WHERE lower(subject) = ?", (subject,)
        ).fetchall()
        return next((sid for sid, author in rows if author_email in author.lower()), None)

    def series_for_patch_subjects(self, subjects: list[str], author_email: str) -> int | None:
        from reviewer.grouping import shares_most_subjects

        marks = ",".join("?" * len(subjects))
        rows = self.conn.execute(
            "SELECT DISTINCT r.id, r.series_id FROM patches p JOIN revisions r"
            f" ON p.revision_id = r.id WHERE lower(p.subject) IN ({marks})"
            " AND lower(r.author) LIKE ?",
            [*subjects, f"%{author_email}%"],
        ).fetchall()
        for revision_row, series_id in rows:
            known = [
                " ".join(s.lower().split())
                for (s,) in self.conn.execute(
                    "SELECT subject FROM patches WHERE revision_id = ?", (revision_row,)
                )
            ]
            if shares_most_subjects(subjects, known):
                return series_id
        return None

    # -- raw messages ---------------------------------------------------------------------

    def add_messages(self, series_id: int, raws: dict[str, bytes]) -> int:
        added = 0
        for message_id, raw in raws.items():
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO messages (message_id, series_id, raw, added)"
                " VALUES (?, ?, ?, ?)",
                (message_id, series_id, raw, now()),
            )
            added += cur.rowcount
        return added

    def message_ids(self, series_id: int) -> set[str]:
        rows = self.conn.execute(
            "SELECT message_id FROM messages WHERE series_id = ?", (series_id,)
        )
        return {mid for (mid,) in rows}

    def raw_message(self, message_id: str) -> bytes | None:
        row = self.conn.execute(
            "SELECT raw FROM messages WHERE message_id = ?", (message_id,)
        ).fetchone()
        return row[0] if row else None

    def raw_messages(self, series_id: int) -> list[bytes]:
        rows = self.conn.execute(
            "SELECT raw FROM messages WHERE series_id = ? ORDER BY added, message_id",
            (series_id,),
        )
        return [raw for (raw,) in rows]

    def create_series(self, subject: str, author: str) -> int:
        stamp = now()
        cur = self.conn.execute(
            "INSERT INTO series (subject, author, created, updated) VALUES (?, ?, ?, ?)",
            (subject, author, stamp, stamp),
        )
        return int(cur.lastrowid or 0)

    # -- derived rows ---------------------------------------------------------------------

    def replace_revisions(self, series_id: int, revisions: list[Revision]) -> None:
        self.conn.execute("DELETE FROM revisions WHERE series_id = ?", (series_id,))
        for position, revision in enumerate(revisions):
            revision_row = self._insert_revision(series_id, position, revision)
            for patch in revision.patches:
                self._insert_patch(revision_row, patch)
        latest = revisions[-1]
        self.conn.execute(
            "UPDATE series SET subject = ?, author = ?, updated = ? WHERE id = ?",
            (latest.subject, latest.author, now(), series_id),
        )

    def _insert_revision(self, series_id: int, position: int, rev: Revision) -> int:
        cover = rev.cover
        cur = self.conn.execute(
            "INSERT INTO revisions (series_id, revision, resend, label, message_id, subject,"
            " author, date, expected, change_id, base_commit, partial, cover_message_id,"
            " cover_subject, cover_body, position)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                series_id, rev.revision, int(rev.resend), rev.label, rev.message_id,
                rev.subject, rev.author, rev.date, rev.expected, rev.change_id,
                rev.base_commit, json.dumps(rev.partial),
                cover.message_id if cover else None, cover.subject if cover else None,
                cover.body if cover else None, position,
            ),
        )  # fmt: skip
        return int(cur.lastrowid or 0)

    def _insert_patch(self, revision_row: int, patch: Patch) -> None:
        cur = self.conn.execute(
            "INSERT INTO patches (revision_id, idx, subject, message_id, author, date,"
            " commit_message, diff, patch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                revision_row, patch.index, patch.subject, patch.message_id, patch.author,
                patch.date, patch.commit_message, patch.diff, patch.patch_id,
            ),
        )  # fmt: skip
        patch_row = cur.lastrowid
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
        return [sid for (sid,) in rows]

    def list_series(self, state: str | None = None) -> list[Series]:
        return [self.load_series(sid) for sid in self.series_ids(state)]

    def get_series(self, ref: str | int) -> Series:
        """A series by the id `list` prints, or by any message-id in any of its revisions."""
        text = str(ref).strip()
        if text.isdigit():
            row = self.conn.execute("SELECT id FROM series WHERE id = ?", (int(text),)).fetchone()
            if row:
                return self.load_series(row[0])
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
        series = Series(id=row[0], subject=row[1], author=row[2], state=row[3])
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
            cover = Cover(r[12], r[13], r[14]) if r[12] else None
            revision = Revision(
                revision=r[1], resend=bool(r[2]), label=r[3], message_id=r[4], subject=r[5],
                author=r[6], date=r[7], expected=r[8], change_id=r[9], base_commit=r[10],
                partial=json.loads(r[11]), cover=cover,
            )  # fmt: skip
            revision.patches = self._load_patches(r[0])
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
            patch = Patch(*r[1:])
            patch.trailers = [
                Trailer(n, v, s, snd, mid, g, bool(vc), note)
                for (n, v, s, snd, mid, g, vc, note) in self.conn.execute(
                    "SELECT name, value, status, sender, message_id, given_on, via_cover, note"
                    " FROM trailers WHERE patch_row = ? ORDER BY id",
                    (r[0],),
                )
            ]
            patch.fixups = [
                Fixup(*f)
                for f in self.conn.execute(
                    "SELECT message_id, author, subject, diff FROM fixups WHERE patch_row = ?"
                    " ORDER BY id",
                    (r[0],),
                )
            ]
            patches.append(patch)
        return patches


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
    from reviewer.fetch import parse_msgid

    return parse_msgid(text) or text.strip().strip("<>")


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
