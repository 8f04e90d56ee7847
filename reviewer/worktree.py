"""Throwaway git worktrees: the only place reviewer applies anything.

The user's working tree, index and branches are never touched: a detached worktree is made in a
temporary directory and removed again, also when the run is interrupted (Ctrl-C or SIGTERM).
Results are kept under refs/reviewer/ only.
"""

from __future__ import annotations

import contextlib
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import git

from reviewer.errors import ReviewerError

REF_NAMESPACE = "refs/reviewer"

# Identity and config for commands run in a worktree: a fixed committer, and no hooks, since
# hooks are the user's code and would run on patch text from mail.
GIT_ENV = {
    "GIT_COMMITTER_NAME": "reviewer",
    "GIT_COMMITTER_EMAIL": "reviewer@localhost",
    "GIT_CONFIG_COUNT": "2",
    "GIT_CONFIG_KEY_0": "core.hooksPath",
    "GIT_CONFIG_VALUE_0": "/dev/null",
    "GIT_CONFIG_KEY_1": "am.threeWay",
    "GIT_CONFIG_VALUE_1": "false",
}


def open_repo(path: str | Path) -> git.Repo:
    try:
        repo = git.Repo(path)
    except git.NoSuchPathError as exc:
        raise ReviewerError(f"{path}: no such directory") from exc
    except git.InvalidGitRepositoryError as exc:
        raise ReviewerError(f"{path}: not a git repository") from exc
    return repo


def resolve_commit(repo: git.Repo, ref: str) -> str:
    try:
        return repo.git.rev_parse("--verify", "--quiet", f"{ref}^{{commit}}")
    except git.GitCommandError as exc:
        raise ReviewerError(f"{ref}: no such commit in {repo.working_dir}") from exc


def has_commit(repo: git.Repo, sha: str) -> bool:
    try:
        repo.git.rev_parse("--verify", "--quiet", f"{sha}^{{commit}}")
    except git.GitCommandError:
        return False
    return True


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def worktree(repo: git.Repo, commit: str) -> Iterator[git.Repo]:
    """A detached worktree at commit, removed (with its admin data) however the block ends."""
    tmp = Path(tempfile.mkdtemp(prefix="reviewer-wt-"))
    path = tmp / "tree"
    with _sigterm_as_interrupt():
        try:
            repo.git.worktree("add", "--detach", "--quiet", str(path), commit)
            wt = git.Repo(path)
            with wt.git.custom_environment(**GIT_ENV):
                yield wt
        finally:
            _remove(repo, path)
            with contextlib.suppress(OSError):
                _rmtree(tmp)


def _remove(repo: git.Repo, path: Path) -> None:
    with contextlib.suppress(git.GitCommandError):
        repo.git.worktree("remove", "--force", "--force", str(path))
    with contextlib.suppress(git.GitCommandError):
        repo.git.worktree("prune")


def _rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def set_ref(repo: git.Repo, name: str, sha: str) -> str:
    ref = f"{REF_NAMESPACE}/{name}"
    repo.git.update_ref(ref, sha)
    return ref
