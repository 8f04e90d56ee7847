"""Applied detection in `update`: the posted-vs-applied matching against a branch, read once."""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest

from reviewer.apply.patch_ids import PatchIdCache
from reviewer.apply.verify import BranchIndex
from reviewer.tracking.on_branch import Branch, BranchChecker, OnBranch
from tests.helpers_minitree import (
    BASE_SHA,
    make_applied_branch,
    make_minitree_repo,
    make_plain_am_branch,
    patches_only_mbox,
    synthetic_mbox,
    synthetic_revisions,
)


@pytest.fixture
def repo(tmp_path: Path) -> git.Repo:
    return make_minitree_repo(tmp_path)


@pytest.fixture
def tracked_v2(cli):
    result = cli("track", "--offline", synthetic_mbox("v2-thread"))
    assert result.code == 0, result.err
    return cli


def _update(cli, repo: git.Repo, branch: str, *extra: str):
    return cli("update", "--offline", "--branch", branch, "--repo", repo.working_dir, *extra)


def _partial_branch(repo: git.Repo, tmp: Path, count: int, name: str = "partial") -> None:
    """`name` on base with the first `count` patches of synthetic v2 (plain git am, no Link:)."""
    repo.git.checkout("-q", "-b", name, BASE_SHA)
    repo.git.am(str(patches_only_mbox("v2-thread", tmp / "v2-all.mbox")))
    repo.git.reset("-q", "--hard", f"HEAD~{4 - count}")
    repo.git.checkout("-q", "master")


def test_maintainer_branch_marks_applied_and_names_edited_code(tracked_v2, repo, tmp_path):
    make_applied_branch(repo, tmp_path)  # edited trailers, folded fix-up, extra file, lost hunk
    result = _update(tracked_v2, repo, "mm-stable")
    assert result.code == 0, result.err
    assert "v2 applied to mm-stable (4/4 patches; 3 with edited code: 1, 3, 4)" in result.out
    shown = json.loads(tracked_v2("state", "--json", "1").out)
    assert shown["state"] == "applied"
    assert shown["revisions"][-1]["note"] == "mm-stable (4/4 patches; 3 with edited code: 1, 3, 4)"


def test_plain_git_am_branch_is_applied_without_edits(tracked_v2, repo, tmp_path):
    make_plain_am_branch(repo, tmp_path, "v2-thread", "plain")
    result = _update(tracked_v2, repo, "plain")
    assert "v2 applied to plain (4/4 patches)\n" in result.out


def test_some_patches_on_the_branch_is_not_applied(tracked_v2, repo, tmp_path):
    _partial_branch(repo, tmp_path, 3)
    result = _update(tracked_v2, repo, "partial")
    assert result.code == 0, result.err
    assert "3/4 patches of v2 on partial" in result.out
    assert "applied" not in result.out
    assert json.loads(tracked_v2("list", "--json").out)[0]["state"] == "new"
    again = _update(tracked_v2, repo, "partial")
    assert "patches of v2" not in again.out and "1 unchanged" in again.out


def test_branch_catching_up_later_marks_applied(tracked_v2, repo, tmp_path):
    _partial_branch(repo, tmp_path, 2)
    assert "2/4 patches of v2 on partial" in _update(tracked_v2, repo, "partial").out
    repo.git.branch("-f", "partial", repo.git.rev_parse("HEAD"))  # back to base: nothing there
    assert "patches of v2" not in _update(tracked_v2, repo, "partial").out
    make_plain_am_branch(repo, tmp_path, "v2-thread", "full")
    assert "v2 applied to full (4/4 patches)" in _update(tracked_v2, repo, "full").out


def test_applied_series_are_not_matched_again(tracked_v2, repo, tmp_path):
    make_plain_am_branch(repo, tmp_path, "v2-thread", "plain")
    assert "v2 applied" in _update(tracked_v2, repo, "plain").out
    repo.git.branch("-D", "plain")  # the branch is not read again for an applied series
    result = _update(tracked_v2, repo, "plain")
    assert result.code == 0, result.err
    assert json.loads(tracked_v2("list", "--json").out)[0]["state"] == "applied"


def test_unknown_branch_is_one_warning(tracked_v2, repo):
    result = _update(tracked_v2, repo, "no-such-branch")
    assert result.code == 1
    assert result.err.count("no-such-branch: no such commit") == 1


def test_branch_patch_ids_are_cached_by_commit(repo, tmp_path):
    _partial_branch(repo, tmp_path, 4, "plain")
    v2 = synthetic_revisions()["v2"]
    cache = PatchIdCache(tmp_path / "cache.sqlite3")
    first = BranchChecker(Branch(repo.working_dir, "plain"), None, cache).check(v2)
    assert first.applied
    shas = repo.git.rev_list(f"{BASE_SHA}..plain").split()
    cached = cache.get(shas)
    assert set(cached) == set(shas) and all(cached.values())
    # the next read takes patch-ids from the cache instead of computing them again
    cache.put({shas[0]: "0" * 40})
    index = BranchIndex.build(repo, [f"{BASE_SHA}..plain"], cache)
    assert index.by_patch_id()["0" * 40].sha == shas[0]
    assert cached[shas[0]] not in index.by_patch_id()


def test_a_lone_equal_subject_is_not_enough(repo, tmp_path):
    v2 = synthetic_revisions()["v2"]
    repo.git.checkout("-q", "-b", "other")
    for patch in v2.patches:  # same subjects, someone else's empty commits
        repo.git.commit("-q", "--allow-empty", "-m", patch.subject, "--author", "X <x@example.com>")
    found = BranchChecker(Branch(repo.working_dir, "other"), None).check(v2)
    assert found.found == []


def test_notes() -> None:
    assert OnBranch("mm-stable", 13, list(range(1, 14)), [5, 9]).note() == (
        "mm-stable (13/13 patches; 2 with edited code: 5, 9)"
    )
    assert OnBranch("mm-stable", 4, [1, 2, 3]).note() == "3/4 patches on mm-stable"
    assert not OnBranch("mm-stable", 0).applied
