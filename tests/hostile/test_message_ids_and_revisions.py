"""Issue 12, item 1: odd Message-IDs and revision numbers give a clear line or a partial result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.store.core import Store
from tests.conftest import SAMPLES

HOSTILE = Path(__file__).resolve().parent
SYNTHETIC_V1 = SAMPLES / "synthetic" / "v1-thread.mbox"


def no_traceback(result) -> None:
    assert "Traceback" not in result.err, result.err


@pytest.mark.parametrize("name", ["empty-message-id.mbox", "reply-without-message-id.mbox"])
def test_replies_without_a_usable_message_id_are_skipped_with_a_line(cli, db_path, name):
    result = cli("track", "--offline", "--json", HOSTILE / name)
    no_traceback(result)
    assert result.code == 0, result.err
    problems = json.loads(result.out)["problems"]
    assert any("no usable Message-ID; skipped" in p for p in problems), problems
    latest = Store.open(db_path).load_series(1).latest
    assert len(latest.patches) == 4 and not latest.partial


def test_a_patch_with_an_empty_message_id_gives_a_partial_revision(cli, db_path):
    result = cli("track", "--offline", "--json", HOSTILE / "empty-message-id-patch.mbox")
    no_traceback(result)
    assert result.code == 0, result.err
    latest = Store.open(db_path).load_series(1).latest
    assert latest.partial == ["missing 1 of 4 patches: 2"]


@pytest.mark.parametrize("name", ["huge-revision.mbox", "huge-revision-int64.mbox"])
def test_huge_revision_numbers_are_one_clear_error(cli, db_path, name):
    result = cli("track", "--offline", HOSTILE / name)
    no_traceback(result)
    assert result.code == 2
    assert "revision number" in result.err and "not plausible" in result.err
    assert result.err.strip().splitlines()[-1].endswith("no patch series found (nothing tracked)")


def test_huge_revision_next_to_good_mail_tracks_the_good_mail(cli, tmp_path, db_path):
    both = tmp_path / "both.mbox"
    both.write_bytes(SYNTHETIC_V1.read_bytes() + (HOSTILE / "huge-revision.mbox").read_bytes())
    result = cli("track", "--offline", "--json", both)
    no_traceback(result)
    assert result.code == 0, result.err
    assert [r.label for r in Store.open(db_path).load_series(1).revisions] == ["v1"]


def test_huge_patch_count_is_one_clear_line(cli, tmp_path, db_path):
    path = tmp_path / "count.mbox"
    path.write_bytes(SYNTHETIC_V1.read_bytes().replace(b"/4]", b"/9999]"))
    result = cli("track", "--offline", path)
    no_traceback(result)
    assert result.code == 2 and "patch count" in result.err


def test_the_same_revision_posted_twice_is_kept_as_a_repost(cli, db_path):
    result = cli("track", "--offline", "--json", SYNTHETIC_V1, HOSTILE / "v2-posted-twice.mbox")
    no_traceback(result)
    assert result.code == 0, result.err
    series = Store.open(db_path).load_series(1)
    assert [r.label for r in series.revisions] == ["v1", "v2", "v2-repost"]
    assert all(len(r.patches) == 4 and not r.partial for r in series.revisions)
    shown = cli("show", "1", "-r", "v2-repost")
    assert shown.code == 0 and "v2-repost" in shown.out


def test_one_authors_unthreaded_single_patches_are_separate_series(cli, db_path):
    result = cli("track", "--offline", HOSTILE / "one-author-single-patches.mbox")
    no_traceback(result)
    assert result.code == 0, result.err
    series = Store.open(db_path).list_series()
    assert sorted(s.subject for s in series) == [f"drv{n}: fix thing {n}" for n in range(5)]
    assert all(len(s.latest.patches) == 1 and not s.latest.partial for s in series)


def test_two_unthreaded_series_with_the_same_numbers_stay_apart(cli, db_path):
    result = cli("track", "--offline", HOSTILE / "unthreaded-same-numbers.mbox")
    assert result.code == 0, result.err
    series = Store.open(db_path).list_series()
    assert sorted([p.subject for p in s.latest.patches] for s in series) == [
        ["a: part 1", "a: part 2"],
        ["b: part 1", "b: part 2"],
    ]
    assert not any(s.latest.partial for s in series)


def test_a_patch_number_posted_twice_in_one_thread_is_partial(cli, db_path):
    result = cli("track", "--offline", HOSTILE / "doubled-patch-number.mbox")
    no_traceback(result)
    assert result.code == 0, result.err
    latest = Store.open(db_path).load_series(1).latest
    assert [p.index for p in latest.patches] == [1, 2, 4]
    assert latest.partial[0] == "missing 1 of 4 patches: 3"
    assert latest.partial[1].startswith("patch 2 posted twice: ignored <")
