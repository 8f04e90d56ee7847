"""Issue 12, items 2d, 5, 5b, 6: reviewer's worktrees and refs next to the user's own git setup."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reviewer.apply.am import FAILED, apply_revision
from reviewer.apply.worktree import gc, stale_worktrees, worktree
from reviewer.errors import ReviewerError
from tests.helpers_minitree import BASE_SHA, make_minitree_repo, synthetic_revisions

ROOT = Path(__file__).resolve().parents[2]

# githooks(5), every hook git can run (client and server side).
HOOKS = [
    "applypatch-msg",
    "pre-applypatch",
    "post-applypatch",
    "pre-commit",
    "pre-merge-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
    "pre-rebase",
    "post-checkout",
    "post-merge",
    "pre-push",
    "pre-receive",
    "update",
    "proc-receive",
    "post-receive",
    "post-update",
    "reference-transaction",
    "push-to-checkout",
    "pre-auto-gc",
    "post-rewrite",
    "sendemail-validate",
    "fsmonitor-watchman",
    "p4-changelist",
    "p4-prepare-changelist",
    "p4-post-changelist",
    "p4-pre-submit",
    "post-index-change",
]


@pytest.fixture(scope="module")
def synth():
    return synthetic_revisions()


@pytest.fixture
def repo(tmp_path):
    return make_minitree_repo(tmp_path / "user")


def worktree_paths(repo) -> list[str]:
    out = repo.git.worktree("list", "--porcelain")
    return [line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("worktree ")]


def install_every_hook(repo, marker_dir: Path) -> None:
    hooks = Path(repo.git_dir) / "hooks"
    hooks.mkdir(exist_ok=True)
    for name in HOOKS:
        hook = hooks / name
        hook.write_text(f"#!/bin/sh\necho ran >> {marker_dir}/{name}\nexit 0\n")
        hook.chmod(0o755)


def test_every_user_hook_stays_silent_in_apply(repo, synth, tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir()
    install_every_hook(repo, markers)
    # the hooks do run for the user's own git commands (so the test can see them)
    repo.git.checkout("-q", "-b", "probe")
    assert (markers / "post-checkout").exists()
    repo.git.checkout("-q", "master")
    for marker in markers.iterdir():
        marker.unlink()

    result = apply_revision(repo.working_dir, synth["v3"], base="master")  # uses --3way
    assert len(result.patches) == 4
    mem = Path(repo.working_dir) / "drivers/char/mem.c"
    mem.write_text("nothing here\n")
    repo.git.add(str(mem))
    repo.git.commit("-qm", "break mem.c", "--no-verify")
    for marker in markers.iterdir():  # the user's own commit ran their hooks
        marker.unlink()
    result = apply_revision(repo.working_dir, synth["v1"], base="HEAD")  # failure explanation
    assert FAILED in [p.status for p in result.patches]
    gc(repo)
    assert sorted(p.name for p in markers.iterdir()) == []


def test_user_worktrees_are_never_pruned(repo, synth, tmp_path):
    mine = tmp_path / "usb-disk" / "feature"
    repo.git.worktree("add", "-q", "--detach", str(mine), "HEAD")
    mine.rename(tmp_path / "usb-disk" / "unmounted")  # the disk is gone, the registration stays
    apply_revision(repo.working_dir, synth["v1"])
    gc(repo)
    assert str(mine) in worktree_paths(repo)


def test_stale_reviewer_worktree_from_a_killed_run_is_cleaned_on_the_next_run(repo, synth):
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        import git
        from reviewer.apply.worktree import worktree
        with worktree(git.Repo({repo.working_dir!r}), {BASE_SHA!r}) as wt:
            print(wt.working_dir, flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == -signal.SIGKILL
    left = proc.stdout.strip()
    assert left in worktree_paths(repo)
    assert stale_worktrees(repo) == [left]
    apply_revision(repo.working_dir, synth["v1"])
    assert worktree_paths(repo) == [repo.working_dir]
    assert not Path(left).exists()


def test_a_live_reviewer_worktree_is_not_stale(repo):
    with worktree(repo, BASE_SHA) as wt:
        assert wt.working_dir in worktree_paths(repo)
        assert stale_worktrees(repo) == []
    assert worktree_paths(repo) == [repo.working_dir]


def test_gc_removes_reviewer_refs_and_nothing_else(repo, synth):
    result = apply_revision(repo.working_dir, synth["v1"])
    repo.git.update_ref("refs/heads/keep", BASE_SHA)
    repo.git.update_ref("refs/reviewerish/keep", BASE_SHA)
    report = gc(repo)
    assert report.refs == [result.ref]
    refs = repo.git.for_each_ref("--format=%(refname)").splitlines()
    assert "refs/heads/keep" in refs and "refs/reviewerish/keep" in refs
    assert not [r for r in refs if r.startswith("refs/reviewer/")]


def test_gc_command(cli, repo, synth, db_path):
    apply_revision(repo.working_dir, synth["v1"])
    result = cli("gc", "--repo", repo.working_dir)
    assert result.code == 0, result.err
    assert "removed 1 ref under refs/reviewer/, 0 stale worktrees" in result.out


def test_existing_ref_in_the_way_is_one_clear_error(repo, synth):
    repo.git.update_ref("refs/reviewer/apply", BASE_SHA)
    with pytest.raises(ReviewerError, match=r"refs/reviewer/apply.*reviewer gc"):
        apply_revision(repo.working_dir, synth["v1"])
    assert worktree_paths(repo) == [repo.working_dir]


def test_failed_apply_still_leaves_no_worktree(repo, synth):
    mem = Path(repo.working_dir) / "drivers/char/mem.c"
    mem.write_text("nothing here\n")
    repo.git.commit("-qam", "break mem.c")
    result = apply_revision(repo.working_dir, synth["v1"], base="HEAD")
    assert FAILED in [p.status for p in result.patches]
    assert worktree_paths(repo) == [repo.working_dir]
    assert os.path.isdir(repo.git_dir)
