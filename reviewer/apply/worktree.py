"""Throwaway git worktrees: the only place reviewer applies anything.

The user's working tree, index, branches, worktrees and hooks are never touched: a detached
worktree is made in a temporary directory and removed again, by its path, also when the run is
interrupted (Ctrl-C or SIGTERM). A run killed outright (SIGKILL, OOM) leaves its worktree
behind; the next run, or ``reviewer gc``, removes it (reviewer's own only: a ``reviewer-wt-*``
directory holding the pid of a process that is gone). Nothing is ever ``git worktree prune``d,
since that would also drop the user's own stale registrations. Results are kept under
refs/reviewer/ only. No hook of the user's repository runs for any git command reviewer issues
(``core.hooksPath`` points at an empty directory, fsmonitor is off).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import git

from reviewer.errors import ReviewerError

REF_NAMESPACE = "refs/reviewer"
PREFIX = "reviewer-wt-"
PID_FILE = "pid"


def _no_hooks_dir() -> str:
    """An empty directory for core.hooksPath (recreated empty if someone put files in it)."""
    path = Path(tempfile.mkdtemp(prefix="reviewer-no-hooks-"))
    return str(path)


def git_env(hooks_dir: str) -> dict[str, str]:
    """Identity and config for every git command reviewer runs: a fixed committer, and no
    hooks or fsmonitor, since those are the user's code and would run on patch text from mail."""
    config = {
        "core.hooksPath": hooks_dir,
        "core.fsmonitor": "false",
        "am.threeWay": "false",
    }
    env = {
        "GIT_COMMITTER_NAME": "reviewer",
        "GIT_COMMITTER_EMAIL": "reviewer@localhost",
        "GIT_CONFIG_COUNT": str(len(config)),
    }
    for number, (key, value) in enumerate(config.items()):
        env[f"GIT_CONFIG_KEY_{number}"] = key
        env[f"GIT_CONFIG_VALUE_{number}"] = value
    return env


@contextlib.contextmanager
def no_hooks(repo: git.Repo) -> Iterator[git.Repo]:
    """Run the block's ``repo.git`` commands with the user's hooks switched off."""
    hooks = _no_hooks_dir()
    try:
        with repo.git.custom_environment(**git_env(hooks)):
            yield repo
    finally:
        shutil.rmtree(hooks, ignore_errors=True)


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
    remove_stale_worktrees(repo)
    tmp = Path(tempfile.mkdtemp(prefix=PREFIX))
    (tmp / PID_FILE).write_text(str(os.getpid()))
    hooks = tmp / "no-hooks"
    hooks.mkdir()
    path = tmp / "tree"
    with _sigterm_as_interrupt():
        try:
            with repo.git.custom_environment(**git_env(str(hooks))):
                repo.git.worktree("add", "--detach", "--quiet", str(path), commit)
            wt = git.Repo(path)
            with wt.git.custom_environment(**git_env(str(hooks))):
                yield wt
        finally:
            _remove(repo, path, str(hooks))
            shutil.rmtree(tmp, ignore_errors=True)


# -- reviewer's own worktrees only ---------------------------------------------------------


def _registered(repo: git.Repo) -> list[str]:
    out = repo.git.worktree("list", "--porcelain")
    return [line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("worktree ")]


def _is_ours(path: str) -> bool:
    where = Path(path)
    return where.name == "tree" and where.parent.name.startswith(PREFIX)


def _alive(pid_file: Path) -> bool:
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale_worktrees(repo: git.Repo) -> list[str]:
    """reviewer's worktrees whose run is gone (killed, or /tmp cleaned), by path."""
    return [
        path
        for path in _registered(repo)
        if _is_ours(path) and not _alive(Path(path).parent / PID_FILE)
    ]


def remove_stale_worktrees(repo: git.Repo) -> list[str]:
    stale = stale_worktrees(repo)
    hooks = _no_hooks_dir()
    try:
        for path in stale:
            _remove(repo, Path(path), hooks)
            shutil.rmtree(Path(path).parent, ignore_errors=True)
    finally:
        shutil.rmtree(hooks, ignore_errors=True)
    return stale


def _remove(repo: git.Repo, path: Path, hooks: str) -> None:
    """Remove one worktree of ours by path; if git cannot (its directory is already gone),
    drop just its own admin entry, the one whose gitdir file points at it."""
    with contextlib.suppress(git.GitCommandError), repo.git.custom_environment(**git_env(hooks)):
        repo.git.worktree("remove", "--force", "--force", str(path))
    if str(path) not in _registered(repo):
        return
    admin_root = Path(repo.git.rev_parse("--git-common-dir"))
    if not admin_root.is_absolute():
        admin_root = Path(repo.working_dir) / admin_root
    for admin in (admin_root / "worktrees").glob("*"):
        with contextlib.suppress(OSError):
            pointed = Path((admin / "gitdir").read_text().strip())
            if pointed.parent == path:
                shutil.rmtree(admin, ignore_errors=True)


# -- refs ----------------------------------------------------------------------------------


def set_ref(repo: git.Repo, name: str, sha: str) -> str:
    ref = f"{REF_NAMESPACE}/{name}"
    try:
        with no_hooks(repo):
            repo.git.update_ref(ref, sha)
    except git.GitCommandError as exc:
        blocking = _blocking_ref(repo, ref)
        why = f"the existing ref {blocking} is in the way" if blocking else _first_line(exc)
        raise ReviewerError(
            f"cannot record the result as {ref}: {why} (`reviewer gc --repo "
            f"{repo.working_dir}` removes reviewer's refs)"
        ) from exc
    return ref


def _blocking_ref(repo: git.Repo, ref: str) -> str | None:
    parts = ref.split("/")
    for end in range(2, len(parts)):
        prefix = "/".join(parts[:end])
        if has_ref(repo, prefix):
            return prefix
    return None


def has_ref(repo: git.Repo, ref: str) -> bool:
    try:
        repo.git.show_ref("--verify", "--quiet", ref)
    except git.GitCommandError:
        return False
    return True


def _first_line(exc: git.GitCommandError) -> str:
    text = str(exc.stderr or exc).strip().splitlines()
    return text[-1].strip() if text else "git update-ref failed"


@dataclass
class GcReport:
    refs: list[str] = field(default_factory=list)
    worktrees: list[str] = field(default_factory=list)


def gc(repo: git.Repo) -> GcReport:
    """Remove reviewer's stale worktrees and every ref under refs/reviewer/ (nothing else)."""
    report = GcReport(worktrees=remove_stale_worktrees(repo))
    out = repo.git.for_each_ref("--format=%(refname)", REF_NAMESPACE + "/")
    report.refs = [r for r in out.splitlines() if r.startswith(REF_NAMESPACE + "/")]
    with no_hooks(repo):
        for ref in report.refs:
            repo.git.update_ref("-d", ref)
    return report
