"""reviewer.git_config reads one value with git itself (the start-up path of every command)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import git

from reviewer.flagmodel import harness_setting
from reviewer.git_config import git_config
from reviewer.store import who


def test_values_come_from_the_repository_then_the_global_config(tmp_path: Path, monkeypatch):
    repo = git.Repo.init(tmp_path / "repo")
    monkeypatch.chdir(repo.working_tree_dir)
    assert git_config("reviewer.harness") is None  # unset
    with repo.config_writer("global") as cfg:
        cfg.set_value("user", "name", "Jane Reviewer")
    with repo.config_writer() as cfg:
        cfg.set_value("reviewer", "harness", "off")
        cfg.set_value("user", "email", "jane@example.org")
    assert git_config("reviewer.harness") == "off"
    assert git_config("reviewer.harness", "--type=bool") == "false"
    assert who._git_config("user.name") == "Jane Reviewer"
    assert who.default_actor() == "Jane Reviewer <jane@example.org>"
    harness_setting._git_config.cache_clear()
    try:
        assert harness_setting.enabled() is False
    finally:
        harness_setting._git_config.cache_clear()


def test_an_invalid_value_or_a_missing_git_is_none(tmp_path: Path, monkeypatch):
    repo = git.Repo.init(tmp_path / "repo")
    monkeypatch.chdir(repo.working_tree_dir)
    with repo.config_writer() as cfg:
        cfg.set_value("reviewer", "harness", "maybe")
    assert git_config("reviewer.harness", "--type=bool") is None  # git refuses: not a bool
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert git_config("reviewer.harness") is None


def test_check_and_review_start_without_gitpython():
    """The commands' start-up path (store, actor, harness setting, report sections without a
    tree) does not import GitPython: it costs about a fifth of a second per process."""
    code = (
        "import sys\n"
        "from reviewer.commands import check, review\n"
        "from reviewer.flagmodel import check as engine, harness_setting\n"
        "from reviewer.report import apply_compare, review as report\n"
        "from reviewer.results import check as results\n"
        "from reviewer.store import core\n"
        "harness_setting.enabled(); core.default_actor()\n"
        "print('git' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr[-2000:]
