import re

import git

from tests.helpers_minitree import (
    BASE_SHA,
    MM_NEW_SHA,
    make_minitree_repo,
    patches_only_mbox,
    synthetic_mbox,
)


def test_minitree_repo_is_the_deterministic_base(tmp_path):
    repo = make_minitree_repo(tmp_path)
    assert repo.head.commit.hexsha == BASE_SHA
    assert repo.commit("mm-new").hexsha == MM_NEW_SHA
    assert not repo.is_dirty(untracked_files=True)


def test_synthetic_threads_name_their_base(tmp_path):
    bases = {
        name: re.search(r"^base-commit: (\w+)$", synthetic_mbox(name).read_text(), re.M).group(1)
        for name in ("v1-thread", "v1-resend-thread", "v2-thread", "v3-rebased-thread")
    }
    assert bases == {
        "v1-thread": BASE_SHA,
        "v1-resend-thread": BASE_SHA,
        "v2-thread": BASE_SHA,
        "v3-rebased-thread": MM_NEW_SHA,
    }


def test_synthetic_v1_applies_with_git_am(tmp_path):
    repo = make_minitree_repo(tmp_path)
    repo.git.am(str(patches_only_mbox("v1-thread", tmp_path / "v1.mbox")))
    log = repo.git.log("--format=%s", f"{BASE_SHA}..HEAD").splitlines()
    assert len(log) == 4
    assert (
        "vma_desc_test_flag(desc, VMA_SHARED_BIT)"
        in (tmp_path / "minitree" / "drivers/char/mem.c").read_text()
    )


def test_v3_does_not_apply_cleanly_on_base(tmp_path):
    repo = make_minitree_repo(tmp_path)
    try:
        repo.git.am(str(patches_only_mbox("v3-rebased-thread", tmp_path / "v3.mbox")))
    except git.GitCommandError:
        repo.git.am("--abort")
    else:
        raise AssertionError("v3 changed a context line of mem.c; plain git am must fail on base")


def test_v3_applies_on_mm_new(tmp_path):
    repo = make_minitree_repo(tmp_path)
    repo.git.checkout("-q", "mm-new")
    repo.git.am(str(patches_only_mbox("v3-rebased-thread", tmp_path / "v3.mbox")))
    assert len(repo.git.log("--format=%s", f"{MM_NEW_SHA}..HEAD").splitlines()) == 4


def test_regenerating_gives_identical_files(tmp_path):
    from tests.helpers_minitree import _generator

    _generator().generate(tmp_path / "out")
    for name in ("v1-thread", "v1-resend-thread", "v2-thread", "v3-rebased-thread"):
        assert (tmp_path / "out" / f"{name}.mbox").read_bytes() == synthetic_mbox(name).read_bytes()
