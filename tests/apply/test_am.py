import copy
from pathlib import Path

import git
import pytest

from reviewer.apply import am as apply_mod
from reviewer.apply.am import APPLIED, FAILED, THREE_WAY, apply_revision, guess_base
from reviewer.errors import ReviewerError
from reviewer.report.apply_compare_text import render_apply
from tests.helpers_minitree import BASE_SHA, make_minitree_repo, synthetic_revisions


@pytest.fixture(scope="module")
def synth():
    return synthetic_revisions()


@pytest.fixture
def repo(tmp_path):
    return make_minitree_repo(tmp_path)


def _untouched(repo):
    assert repo.head.ref.name == "master"
    assert repo.head.commit.hexsha == BASE_SHA
    assert not repo.is_dirty(untracked_files=True)
    assert len(repo.git.worktree("list").splitlines()) == 1


def test_applies_on_base_commit_under_namespaced_ref(repo, synth):
    result = apply_revision(repo.working_dir, synth["v1"])
    assert result.base == BASE_SHA and result.base_source == "base-commit"
    assert [p.status for p in result.patches] == [APPLIED] * 4
    assert result.ref.startswith("refs/reviewer/apply/") and result.ref.endswith("/v1")
    assert repo.commit(result.ref).hexsha == result.tip
    assert repo.git.rev_list("--count", f"{BASE_SHA}..{result.tip}") == "4"
    _untouched(repo)


def test_rebased_revision_needs_three_way_on_old_base(repo, synth):
    result = apply_revision(repo.working_dir, synth["v3"], base="master")
    assert [p.status for p in result.patches] == [APPLIED, APPLIED, APPLIED, THREE_WAY]
    _untouched(repo)


def test_failure_names_file_hunk_tree_and_last_commit(repo, synth, tmp_path):
    mem = Path(repo.working_dir) / "drivers/char/mem.c"
    mem.write_text(
        mem.read_text().replace(
            "\tif (desc->vm_flags & VM_SHARED)\n",
            "\tif (desc->vm_flags & (VM_SHARED | VM_MAYSHARE))\n",
        )
    )
    repo.git.commit("-qam", "mem: also treat VM_MAYSHARE /dev/zero mappings as shared")
    result = apply_revision(repo.working_dir, synth["v1"], base="HEAD")
    assert [p.status for p in result.patches] == [APPLIED, APPLIED, APPLIED, FAILED]
    (failure,) = result.patches[3].failures
    assert failure.file == "drivers/char/mem.c"
    assert failure.hunk.endswith("static int mmap_zero_prepare(struct vm_area_desc *desc)")
    assert "+\tif (desc->vm_flags & (VM_SHARED | VM_MAYSHARE))" in failure.expected_vs_tree
    assert "-\tif (desc->vm_flags & VM_SHARED)" in failure.expected_vs_tree
    assert failure.last_commit.endswith("mem: also treat VM_MAYSHARE /dev/zero mappings as shared")
    assert not result.ok


def test_base_guessed_from_blob_ids(repo, synth):
    rev = copy.deepcopy(synth["v1"])
    rev.base_commit = None
    repo.git.checkout("-q", "mm-new")
    assert guess_base(repo, rev) == BASE_SHA
    result = apply_revision(repo.working_dir, rev)
    assert result.base_source == "guessed from blob ids" and result.ok


def test_missing_declared_base_is_named(repo, synth):
    """base-commit names a commit this repository lacks: say so, not "no base known"."""
    rev = copy.deepcopy(synth["v1"])
    rev.base_commit = "940783ab" + "0" * 32
    repo.git.checkout("-q", "mm-new")
    result = apply_revision(repo.working_dir, rev)
    assert result.base_source == (
        "guessed from blob ids; base-commit 940783ab0000 not in this repository"
    )


def test_missing_declared_base_in_an_unrelated_repo(synth, tmp_path):
    other = git.Repo.init(tmp_path / "other")
    (tmp_path / "other" / "README").write_text("not a kernel tree\n")
    other.index.add(["README"])
    other.index.commit("unrelated")
    rev = copy.deepcopy(synth["v1"])
    rev.base_commit = "940783ab" + "0" * 32
    result = apply_revision(other.working_dir, rev)
    assert result.base_source == "HEAD; base-commit 940783ab0000 not in this repository"
    assert render_apply(result)[0].endswith(
        "(HEAD; base-commit 940783ab0000 not in this repository) -> " + result.ref
    )


def test_bad_input_is_one_clear_error(repo, synth, tmp_path):
    with pytest.raises(ReviewerError, match="not a git repository"):
        apply_revision(tmp_path, synth["v1"])
    with pytest.raises(ReviewerError, match="no such commit"):
        apply_revision(repo.working_dir, synth["v1"], base="does-not-exist")
    evil = copy.deepcopy(synth["v1"])
    evil.patches[0].diff = evil.patches[0].diff.replace("a/mm/khugepaged.c", "a/../../etc/x")
    with pytest.raises(ReviewerError, match="outside the tree: ../../etc/x"):
        apply_revision(repo.working_dir, evil)
    _untouched(repo)


def test_worktree_removed_when_interrupted(repo, synth, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(apply_mod, "_apply_one", interrupted)
    with pytest.raises(KeyboardInterrupt):
        apply_revision(repo.working_dir, synth["v1"])
    _untouched(repo)
    assert not list(Path(repo.git_dir, "worktrees").glob("*"))
