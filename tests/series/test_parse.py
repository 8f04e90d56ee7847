"""b4-backed parsing of the real January 2026 threads, checked by hand against the mail."""

from __future__ import annotations

import b4
import pytest

from reviewer.series.parse import parse_messages
from tests.conftest import RESEND, V1, V2


def parse(*paths):
    msgs = [m for p in paths for m in b4.get_msgs_from_mailbox_or_maildir(str(p))]
    return parse_messages(msgs)


@pytest.fixture(scope="module")
def v2():
    (revision,) = parse(V2).revisions
    return revision


# Who reviewed what on v2, read off the thread by hand (sender of each reply + its trailer).
V2_TRAILERS = {
    1: {("Reviewed-by", "Pedro Falcato"), ("Reviewed-by", "Liam R. Howlett")},
    2: {("Reviewed-by", "Pedro Falcato"), ("Reviewed-by", "Liam R. Howlett")},
    3: {("Reviewed-by", "Pedro Falcato"), ("Reviewed-by", "Liam R. Howlett")},
    4: {("Acked-by", "Liam R. Howlett")},
    5: {("Reviewed-by", "Pedro Falcato"), ("Reviewed-by", "Liam R. Howlett")},
    6: {("Reviewed-by", "Liam R. Howlett")},
    7: {("Reviewed-by", "Liam R. Howlett")},
    8: {
        ("Reviewed-by", "Baolin Wang"),
        ("Reviewed-by", "Jarkko Sakkinen"),
        ("Reviewed-by", "Liam R. Howlett"),
    },
    9: {("Acked-by", "Darrick J. Wong"), ("Acked-by", "Pedro Falcato")},
    10: {("Reviewed-by", "Pedro Falcato"), ("Reviewed-by", "Liam R. Howlett")},
    11: {("Reviewed-by", "Liam R. Howlett")},
    12: {("Reviewed-by", "Liam R. Howlett")},
    13: set(),
}


def test_v2_has_thirteen_patches_and_its_cover(v2):
    assert (v2.label, v2.revision, v2.resend, v2.expected) == ("v2", 2, False, 13)
    assert [p.index for p in v2.patches] == list(range(1, 14))
    assert v2.message_id == "cover.1769097829.git.lorenzo.stoakes@oracle.com"
    assert v2.cover is not None and "00/13" in v2.cover.subject
    assert not v2.partial
    assert v2.patches[0].subject == "mm/vma: remove __private sparse decoration from vma_flags_t"


def test_v2_trailers_match_the_thread(v2):
    got = {
        p.index: {(t.name, t.value.split("<")[0].replace('"', "").strip()) for t in p.trailers}
        for p in v2.patches
    }
    assert got == V2_TRAILERS
    assert all(t.status == "ok" for p in v2.patches for t in p.trailers)


def test_fixup_patches_in_replies_stay_with_their_patch(v2):
    fixups = {p.index: [f.message_id for f in p.fixups] for p in v2.patches if p.fixups}
    assert fixups == {
        7: ["3aab9ab1-74b4-405e-9efb-08fc2500c06e@lucifer.local"],
        8: ["d4acd230-562b-4e86-bb25-2410a7d07a33@lucifer.local"],
        12: ["1e032732-61c3-485c-9aa7-6a09016fefc1@lucifer.local"],
    }
    # the fix-ups' own Signed-off-by is not a review trailer of the patch
    assert not any(t.name == "Signed-off-by" for p in v2.patches for t in p.trailers)
    assert all(f.diff.startswith("diff --git") for p in v2.patches for f in p.fixups)


def test_patch_fields(v2):
    patch = v2.patches[2]
    assert patch.files == ["include/linux/mm.h"]
    assert patch.diff.startswith("diff --git a/include/linux/mm.h")
    assert "Signed-off-by: Lorenzo Stoakes" in patch.commit_message
    assert len(patch.patch_id) == 40


def test_v1_and_resend_are_separate_revisions():
    result = parse(V1, RESEND, V2)
    labels = [(r.label, len(r.patches)) for r in result.revisions]
    assert labels == [("v1", 12), ("v1-RESEND", 12), ("v2", 13)]
    assert result.revisions[1].resend and not result.revisions[0].resend
    assert result.ignored == [] and result.duplicates == []
