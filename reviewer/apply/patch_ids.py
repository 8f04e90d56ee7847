"""Commit sha -> ``git patch-id --stable``, kept across runs.

A commit id is a hash of its content (tree, parents, message), so the patch-id of a commit never
changes: computing it once per commit is enough. The cache is a small SQLite file in the user's
cache directory (``$REVIEWER_CACHE`` or platformdirs' cache dir); when it cannot be opened or
written, patch-ids are simply computed again.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)
_CHUNK = 500  # SQLite host parameters per query


def default_path() -> Path:
    from platformdirs import user_cache_dir

    root = os.environ.get("REVIEWER_CACHE") or user_cache_dir("reviewer")
    return Path(root) / "patch-ids.sqlite3"


class PatchIdCache:
    """``get(shas)`` and ``put({sha: patch_id})``; "" records a commit without a diff."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self._conn: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, timeout=5)
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS patch_ids"
                " (sha TEXT PRIMARY KEY, patch_id TEXT NOT NULL)"
            )
        except (sqlite3.Error, OSError) as exc:
            log.info("patch-id cache %s not used: %s", self.path, exc)
            self._conn = None

    def get(self, shas: Iterable[str]) -> dict[str, str]:
        if self._conn is None:
            return {}
        shas = list(shas)
        found: dict[str, str] = {}
        try:
            for start in range(0, len(shas), _CHUNK):
                chunk = shas[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT sha, patch_id FROM patch_ids WHERE sha IN ({marks})", chunk
                )
                found.update(rows)
        except sqlite3.Error as exc:
            log.info("patch-id cache read failed: %s", exc)
        return found

    def put(self, ids: dict[str, str]) -> None:
        if self._conn is None or not ids:
            return
        try:
            with self._conn:
                self._conn.executemany(
                    "INSERT OR REPLACE INTO patch_ids (sha, patch_id) VALUES (?, ?)", ids.items()
                )
        except sqlite3.Error as exc:
            log.info("patch-id cache write failed: %s", exc)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
