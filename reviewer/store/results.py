"""Stored results caches, keyed by message-id and content hash: check reports
(reviewer.results.check), repository results of apply and friends (reviewer.results.apply),
attestation results (reviewer.results.attestation). A cache keeps the ``keep`` newest.

Mixed into ``reviewer.store.core.Store``: uses its ``conn`` and ``actor``.
"""

from __future__ import annotations

from reviewer.store.who import now, now_precise


class ResultQueries:
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
