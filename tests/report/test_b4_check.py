"""reviewer check --b4-check driven by the installed b4's own check runner
(b4.review.checks.run_perpatch_checks / run_series_checks), as b4 review runs it: one patch at a
time, in the repository with the series applied (b4's review branch checked out), the body
decoded by b4, optionally with B4_TRACKING_FILE. On the mini tree the flag model finds nothing
in the synthetic v1 series checked as a series on its base; checked alone or against the
working tree (the post-image) patches 1, 3 and 4 get false equivalence errors."""

from __future__ import annotations

import email
import email.policy
import json
import mailbox
import sys
from email.message import EmailMessage
from pathlib import Path

import b4
import pytest
from b4.review import checks

from reviewer.sources.mail import load_source
from reviewer.store.core import Store
from reviewer.tracking.ingest import ingest
from tests.helpers_minitree import BASE_SHA, make_minitree_repo, patches_only_mbox, synthetic_mbox

ROOT = Path(__file__).resolve().parents[2]
CHANGE_ID = "20260119-vma-desc-flags"


def _mails() -> list[EmailMessage]:
    """The thread's mails as b4 holds them (parsed with b4's policy)."""
    return [
        email.message_from_bytes(m.as_bytes(), policy=b4.emlpolicy)
        for m in mailbox.mbox(synthetic_mbox("v1-thread"))
    ]


def _numbered(mails, counter: int) -> EmailMessage:
    for msg in mails:
        subject = b4.LoreSubject(str(msg["Subject"]))
        if subject.counter == counter and not subject.reply:
            return msg
    raise AssertionError(counter)


@pytest.fixture
def review_repo(tmp_path):
    """The mini tree with the series applied on b4/review/<change-id>, checked out (as b4 review
    leaves it), plus b4's empty tracking commit at the tip."""
    repo = make_minitree_repo(tmp_path)
    repo.git.checkout("-b", f"b4/review/{CHANGE_ID}")
    repo.git.am(str(patches_only_mbox("v1-thread", tmp_path / "series.mbox")))
    repo.git.commit("--allow-empty", "-m", "b4 review tracking")
    return repo


def _run(repo, db: Path, msg: EmailMessage, tmp_path, tracking: dict | None = None):
    cmd = f"{sys.executable} -m reviewer.cli check --b4-check --db {db}"
    env = {"PYTHONPATH": str(ROOT), "REVIEWER_CACHE": str(tmp_path / "cache")}
    if tracking is not None:
        path = tmp_path / "tracking.json"
        path.write_text(json.dumps(tracking))
        env["B4_TRACKING_FILE"] = str(path)
    mid = str(msg["Message-ID"]).strip("<>")
    return checks.run_perpatch_checks([(mid, msg)], [cmd], repo.working_dir, extra_env=env)[mid]


def _tracked_db(tmp_path) -> Path:
    db = tmp_path / "track.sqlite3"
    store = Store.open(db)
    ingest(store, load_source(str(synthetic_mbox("v1-thread")), offline=True))
    store.close()
    return db


def test_tracked_series_checked_in_context_on_the_base_tree(review_repo, tmp_path):
    db, mails = _tracked_db(tmp_path), _mails()
    for counter in (1, 3, 4):
        (result,) = _run(review_repo, db, _numbered(mails, counter), tmp_path)
        assert result["tool"] == "reviewer-flagmodel", result
        assert result["status"] == "pass", result  # alone or on the post-image: 2 errors each
        assert f"patch {counter}/4, tracked series 1 v1, base {BASE_SHA[:12]}" in result["summary"]
    # the working tree was not read: the base tree came from git objects into the cache
    assert (tmp_path / "cache" / "base-trees" / BASE_SHA / "include/linux/mm.h").is_file()


def test_cover_letter_returns_nothing(review_repo, tmp_path):
    db, mails = _tracked_db(tmp_path), _mails()
    cover = _numbered(mails, 0)
    cmd = f"{sys.executable} -m reviewer.cli check --b4-check --db {db}"
    env = {"PYTHONPATH": str(ROOT), "REVIEWER_CACHE": str(tmp_path / "cache")}
    mid = str(cover["Message-ID"]).strip("<>")
    assert (
        checks.run_series_checks((mid, cover), [cmd], review_repo.working_dir, extra_env=env) == []
    )


def test_rebuilt_from_b4_tracking_file_without_a_database_entry(review_repo, tmp_path):
    mails = _mails()
    tracking = {
        "series": {"change-id": CHANGE_ID, "base-commit": BASE_SHA, "revision": 1},
        "patches": [
            {"header-info": {"msgid": str(_numbered(mails, n)["Message-ID"]).strip("<>")}}
            for n in (1, 2, 3, 4)
        ],
    }
    (result,) = _run(review_repo, tmp_path / "empty.sqlite3", _numbered(mails, 3), tmp_path,
                     tracking)  # fmt: skip
    assert result["status"] == "pass", result
    assert "patch 3/4, b4 review branch" in result["summary"]
    # without the tracking file the patch is checked alone, and says so (since the flag model
    # reads helpers from its API snapshot, patch 3 alone no longer gives false errors)
    (alone,) = _run(review_repo, tmp_path / "empty.sqlite3", _numbered(mails, 3), tmp_path)
    assert "this patch alone" in alone["summary"]


@pytest.mark.parametrize("cte", ["base64", "quoted-printable"])
def test_encoded_bodies_are_read_as_b4_decodes_them(review_repo, tmp_path, cte):
    db, mails = _tracked_db(tmp_path), _mails()
    plain = _numbered(mails, 3)
    encoded = EmailMessage(policy=email.policy.default)
    for key in ("From", "Subject", "Date", "Message-ID"):
        encoded[key] = plain[key]
    text = plain.get_content()
    if cte == "quoted-printable":  # a long line: soft breaks ending in '=' when encoded
        text = text.replace("\n---\n", "\n" + "x" * 120 + "\n---\n", 1)
    encoded.set_content(text, cte=cte)
    wire = encoded.as_string()
    assert ("diff --git" not in wire) if cte == "base64" else ("=\n" in wire)  # soft breaks
    (result,) = _run(review_repo, db, encoded, tmp_path)
    assert result["status"] == "pass", result
    assert "patch 3/4" in result["summary"]
