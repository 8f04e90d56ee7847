"""Where files the user asks for (reply drafts, am-ready mboxes) go by default, and which
repository an apply defaults to: never silently the current directory, which is usually the
user's kernel tree (a stray mbox there ends up in `git status` or, worse, in a commit)."""

from __future__ import annotations

from pathlib import Path

OUTPUT_DIR_KEY = "reviewer.output-dir"


def output_dir() -> Path:
    """git config reviewer.output-dir, else the user data directory (next to the database)."""
    from reviewer.sources.fetch import git_config

    configured = git_config(OUTPUT_DIR_KEY)
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("reviewer"))


def is_kernel_tree(path: Path) -> bool:
    return (path / "include" / "linux" / "mm.h").is_file() and (path / "Makefile").is_file()


def default_repo(configured: str | None) -> str:
    """The repository an apply prompt offers: the one given (--repo), else git config
    reviewer.applied-repo, else the current directory only when it is a kernel tree."""
    from reviewer.sources.fetch import git_config

    if configured:
        return configured
    if repo := git_config("reviewer.applied-repo"):
        return repo
    cwd = Path.cwd()
    return str(cwd) if is_kernel_tree(cwd) else ""
