"""The synthetic 4-patch series on the mini tree: versions, trailer statuses, export, git am."""

from __future__ import annotations

import pytest

from reviewer.store.core import Store
from tests.helpers_minitree import make_minitree_repo, synthetic_mbox

THREADS = ["v1-thread", "v1-resend-thread", "v2-thread", "v3-rebased-thread"]


@pytest.fixture
def series(cli, db_path):
    result = cli("track", "--offline", *[synthetic_mbox(n) for n in THREADS])
    assert result.code == 0, result.err
    (only,) = Store.open(db_path).list_series()
    return only


def statuses(series, label, index):
    (rev,) = [r for r in series.revisions if r.label == label]
    return {
        (t.name, t.value.split(" <")[0], t.status, t.given_on, t.via_cover)
        for t in rev.patches[index - 1].trailers
    }


def test_four_versions_one_series(series):
    assert [(r.label, len(r.patches)) for r in series.revisions] == [
        ("v1", 4),
        ("v1-RESEND", 4),
        ("v2", 4),
        ("v3", 4),
    ]


def test_cover_ack_spreads_and_mismatch_is_marked(series):
    for index in range(1, 5):
        assert ("Acked-by", "David Example", "ok", "v1", True) in statuses(series, "v1", index)
    # Zi's Tested-by names zi.example@nvidia.example.com but was sent from ziy@example.com
    assert ("Tested-by", "Zi Example", "mismatch", "v1", False) in statuses(series, "v1", 4)


def test_reviews_carry_over_unchanged_code_and_keep_their_marks(series):
    # RESEND is identical to v1: everything given on v1 is carried
    assert ("Reviewed-by", "Vlastimil Example", "carried", "v1", False) in statuses(
        series, "v1-RESEND", 2
    )
    # v2 1/4 is message-only: Pedro's RESEND review carries; a carried mismatch stays marked
    assert ("Reviewed-by", "Pedro Example", "carried", "v1-RESEND", False) in statuses(
        series, "v2", 1
    )
    assert ("Tested-by", "Zi Example", "mismatch", "v1", False) in statuses(series, "v2", 4)
    # v3 is a rebase of v2: the fresh v2 review of the changed 2/4 carries, not v1's stale one
    assert ("Reviewed-by", "Vlastimil Example", "carried", "v2", False) in statuses(series, "v3", 2)


def test_code_change_makes_an_unrenewed_review_stale(cli, db_path):
    # without v2's replies, Vlastimil's v1 review of 2/4 is stale on v2 (code changed)
    cli("track", "--offline", synthetic_mbox("v1-thread"))
    from tests.mail_helpers import header, select, write_mbox

    v2_patches = select(
        synthetic_mbox("v2-thread"), lambda raw: not header(raw, "Subject").startswith("Re:")
    )
    cli("track", "--offline", write_mbox(db_path.parent / "v2-only.mbox", v2_patches))
    series = Store.open(db_path).load_series(1)
    stale = [t for t in series.latest.patches[1].trailers if "Vlastimil" in t.value]
    assert [(t.status, t.note) for t in stale] == [("stale", "given on v1, patch changed since")]


def test_export_applies_with_git_am(cli, series, tmp_path):
    repo = make_minitree_repo(tmp_path)
    out = tmp_path / "v2.mbox"
    assert cli("export", str(series.id), "--revision", "v2", "-o", out).code == 0
    repo.git.am(str(out))
    log = repo.git.log("-4", "--format=%B%x00").split("\x00")
    messages = [m.strip() for m in log if m.strip()]
    assert len(messages) == 4
    assert all("Acked-by: David Example <david@example.org>" in m for m in messages)
    assert sum("Reviewed-by: Vlastimil Example" in m for m in messages) == 1
    # the mismatched Tested-by is not exported
    assert not any("Tested-by: Zi Example" in m for m in messages)
