from pathlib import Path

import pytest

from reviewer.apply.verify import verify_applied
from reviewer.errors import ReviewerError
from tests.helpers_minitree import (
    make_applied_branch,
    make_minitree_repo,
    make_plain_am_branch,
    synthetic_revisions,
)


@pytest.fixture(scope="module")
def v2():
    return synthetic_revisions()["v2"]


@pytest.fixture
def repo(tmp_path):
    repo = make_minitree_repo(tmp_path)
    make_applied_branch(repo, tmp_path)
    make_plain_am_branch(repo, tmp_path, "v2-thread", "plain")
    return repo


def test_maintainer_branch(repo, v2):
    result = verify_applied(repo.working_dir, v2, "mm-stable")
    got = [(p.index, p.status, p.matched_by, p.files) for p in result.patches]
    assert got == [
        (1, "code-differs", "link", ["tools/testing/vma/vma_internal.h"]),
        (2, "message-or-trailers-edited", "link", []),
        (3, "code-differs", "link", ["mm/secretmem.c"]),
        (4, "code-differs", "subject+author", ["fs/aio.c"]),
    ]
    p1, p2, p3, p4 = result.patches
    assert p1.diffs["tools/testing/vma/vma_internal.h"].startswith("(committed only)")
    assert "+Signed-off-by: Andrew Example <akpm@example.org>" in p2.message_diff
    assert (
        "++\tif (!mlock_future_ok(desc->mm, /*is_vma_locked=*/ true, len))"
        in p3.diffs["mm/secretmem.c"]
    )
    assert p4.diffs["fs/aio.c"].startswith("(posted only)")


def test_plain_git_am_is_identical(repo, v2):
    result = verify_applied(repo.working_dir, v2, "plain")
    assert [(p.status, p.matched_by) for p in result.patches] == [("identical", "patch-id")] * 4


def test_changed_delta_in_a_posted_file(repo, v2):
    # The seed 002 case: the commit's tools/testing/vma/vma_internal.h is not the posted delta.
    repo.git.checkout("-q", "plain~2")
    header = Path(repo.working_dir) / "tools/testing/vma/vma_internal.h"
    header.write_text(
        header.read_text().replace("static inline void vma_start_write", "void vma_start_write", 1)
    )
    repo.git.commit("-q", "--amend", "-a", "--no-edit")
    repo.git.cherry_pick("plain~1", "plain")
    repo.git.branch("conflict-resolved")
    repo.git.checkout("-q", "master")
    result = verify_applied(repo.working_dir, v2, "conflict-resolved")
    p2 = result.patches[1]
    assert (p2.status, p2.files) == ("code-differs", ["tools/testing/vma/vma_internal.h"])
    assert "++void vma_start_write" in p2.diffs["tools/testing/vma/vma_internal.h"]
    assert [p.status for p in result.patches] == [
        "identical",
        "code-differs",
        "identical",
        "identical",
    ]


def test_not_found(repo, v2):
    result = verify_applied(repo.working_dir, v2, "mm-new")
    assert {p.status for p in result.patches} == {"not-found"}


def test_unknown_branch(repo, v2):
    with pytest.raises(ReviewerError, match="no-such-branch: no such commit"):
        verify_applied(repo.working_dir, v2, "no-such-branch")
