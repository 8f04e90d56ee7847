"""Build the mini kernel tree (samples/minitree) as a git repo for tests.

The repo is made by samples/make_synthetic.py, the same code that generated the synthetic series in
samples/synthetic/, with fixed identities and dates, so its commit ids are deterministic and equal
to the base-commit lines of the synthetic mboxes.
"""

from __future__ import annotations

import importlib.util
import mailbox
import re
import sys
from pathlib import Path

import git

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SYNTHETIC = SAMPLES / "synthetic"

# Commit ids of the deterministic repo (asserted by tests/test_helpers_minitree.py).
BASE_SHA = "392ac880c52d111c814466e1be1f2e09fa5b3b47"
MM_NEW_SHA = "940783ab2fd2c7a65f7f429d02877724a6debb7a"


def _generator():
    name = "reviewer_samples_make_synthetic"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SAMPLES / "make_synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def make_minitree_repo(tmp_path: Path) -> git.Repo:
    """A repo in tmp_path/minitree whose HEAD (branch master) is the synthetic series' base.

    Branch ``mm-new`` is the base plus one unrelated commit that shifts the series' hunks; the v3
    ("rebased") synthetic revision applies there.
    """
    return _generator().build_base_repo(Path(tmp_path) / "minitree")


def synthetic_mbox(name: str) -> Path:
    """Path of one generated thread: v1-thread, v1-resend-thread, v2-thread, v3-rebased-thread."""
    return SYNTHETIC / f"{name}.mbox"


def patches_only_mbox(name: str, dest: Path) -> Path:
    """Write just the numbered patches of a synthetic thread (no cover, no replies) for git am."""
    box = mailbox.mbox(dest, create=True)
    for msg in mailbox.mbox(synthetic_mbox(name)):
        subject = " ".join(str(msg["Subject"]).split())
        if re.match(r"\[PATCH[^\]]* [1-9]\d*/\d+\]", subject):
            box.add(msg)
    box.flush()
    return dest
