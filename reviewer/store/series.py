"""Series queries: grouping look-ups for new mail, raw messages, creating a series,
rewriting its derived rows (revisions, patches, trailers, fix-ups) and loading them back as
models; ``resolve_revision`` picks one revision of a loaded series.

Mixed into ``reviewer.store.core.Store``: uses its ``conn``, ``actor``, ``lock_series`` and
``_lock_grouping``, and ``_save_list_row`` of ``reviewer.store.listing``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from reviewer.errors import ReviewerError
from reviewer.models import Cover, Fixup, Patch, Revision, Series, Trailer
from reviewer.store.who import now


class SeriesQueries:
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
