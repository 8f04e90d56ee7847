"""Read one git config value by running ``git config`` itself (argv list, no shell).

The start-up path of every command (which store, who is writing, whether the helper harness
runs) only needs a config value; running git directly spares each process GitPython's import
(about a fifth of a second), which the operations on repositories still use."""

from __future__ import annotations

import subprocess


def git_config(key: str, *options: str) -> str | None:
    """The value of ``key`` as ``git config [options] --get key`` prints it (repository of the
    current directory, then global); None when unset, invalid or git cannot run."""
    try:
        done = subprocess.run(
            ["git", "config", *options, "--get", key],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            check=False,
        )
    except OSError:
        return None
    if done.returncode != 0:
        return None
    return done.stdout.rstrip("\n")
