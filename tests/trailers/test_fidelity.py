"""Trailer comments survive parse, apply and verify-applied; Link:/Message-Id: count only in the
real trailer block (issue 12, item 9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.apply.am import apply_revision
from reviewer.apply.verify import verify_applied
from tests.helpers_minitree import BASE_SHA, make_minitree_repo, revisions_of

HOSTILE = Path(__file__).resolve().parents[1] / "hostile"
STABLE = "Cc: stable@vger.kernel.org # 6.1+"


@pytest.fixture(scope="module")
def v1():
    return revisions_of(HOSTILE / "trailer-comment.mbox")["v1"]


@pytest.fixture
def repo(tmp_path):
    return make_minitree_repo(tmp_path)


def test_parsed_commit_message_keeps_the_trailer_comment(v1):
    assert all(STABLE in p.commit_message for p in v1.patches)


def test_verbatim_git_am_is_identical_not_edited(repo, v1, tmp_path):
    repo.git.checkout("-q", "-b", "verbatim", BASE_SHA)
    patches = tmp_path / "patches.mbox"
    from tests.mail_helpers import messages, write_mbox

    raws = messages(HOSTILE / "trailer-comment.mbox")
    write_mbox(patches, [r for r in raws if b"Subject: [PATCH 0/" not in r and b"Re:" not in r])
    repo.git.am(str(patches))
    repo.git.checkout("-q", "master")
    assert STABLE in repo.commit("verbatim").message
    result = verify_applied(repo.working_dir, v1, "verbatim")
    assert [p.status for p in result.patches] == ["identical"] * 4, [
        (p.status, p.message_diff) for p in result.patches
    ]


def test_apply_keeps_the_trailer_comment_in_its_commits(repo, v1):
    result = apply_revision(repo.working_dir, v1)
    messages = repo.git.log("--format=%B%x00", f"{BASE_SHA}..{result.tip}").split("\x00")
    assert sum(STABLE in m for m in messages) == 4


def test_link_in_the_body_is_not_a_link_trailer(repo, v1):
    """A commit that quotes the patch's Link: in its body text (not its trailer block) is not
    matched by link."""
    posted = v1.patches[0]
    root = Path(repo.working_dir)
    repo.git.checkout("-q", "-b", "quoting", BASE_SHA)
    (root / "unrelated.txt").write_text("x\n")
    repo.git.add("unrelated.txt")
    message = (
        "docs: something else\n\nAs discussed in\nLink: https://lore.kernel.org/r/"
        f"{posted.message_id}\nwe do this instead.\n\nSigned-off-by: M <m@example.org>\n"
    )
    repo.git.commit("-q", "--cleanup=verbatim", "-m", message)
    repo.git.checkout("-q", "master")
    result = verify_applied(repo.working_dir, v1, "quoting")
    assert result.patches[0].matched_by != "link"
    assert result.patches[0].status == "not-found"


def test_apply_of_a_tracked_revision_applies_b4_am_ready_mails_as_export(repo, tmp_path):
    """`reviewer apply` builds its mails with b4's am-ready path, as `export` does: the trailer
    comment survives, the collected trailers are in the commits, and each commit message is the
    one `git am` of the exported mbox makes."""
    from reviewer.results.apply import applied_revision
    from reviewer.sources.mail import load_source
    from reviewer.store.core import Store
    from reviewer.tracking.ingest import ingest
    from reviewer.trailers.export import am_ready_mbox

    store = Store.open(tmp_path / "db.sqlite3")
    ingest(store, load_source(str(HOSTILE / "trailer-comment.mbox"), offline=True))
    series = store.get_series(1)
    revision = series.latest
    result = applied_revision(store, revision, repo.working_dir)
    assert result.ok, result
    applied = repo.git.log("--reverse", "--format=%B%x00", f"{BASE_SHA}..{result.tip}")
    messages = [m.strip() for m in applied.split("\x00") if m.strip()]
    assert len(messages) == 4 and all(STABLE in m for m in messages)
    assert all("Acked-by: David Example <david@example.org>" in m for m in messages)
    assert "Reviewed-by: Vlastimil Example <vbabka@example.org>" in messages[1]
    assert "Tested-by:" not in messages[3]  # sent from another address: mismatch, left out
    # the same commits as `git am` of the export
    exported = tmp_path / "export.mbox"
    exported.write_bytes(am_ready_mbox(store, series, revision))
    repo.git.checkout("-q", "-b", "exported", BASE_SHA)
    repo.git.am(str(exported))
    repo.git.checkout("-q", "master")
    by_am = repo.git.log("--reverse", "--format=%B%x00", f"{BASE_SHA}..exported")
    assert messages == [m.strip() for m in by_am.split("\x00") if m.strip()]
