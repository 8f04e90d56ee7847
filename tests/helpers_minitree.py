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


def _am_one(repo: git.Repo, name: str, index: int, tmp: Path) -> None:
    box = mailbox.mbox(tmp / f"{name}-{index}.mbox", create=True)
    for msg in mailbox.mbox(synthetic_mbox(name)):
        subject = " ".join(str(msg["Subject"]).split())
        if re.match(rf"\[PATCH[^\]]* 0*{index}/\d+\]", subject):
            box.add(msg)
    box.flush()
    repo.git.am(str(tmp / f"{name}-{index}.mbox"))


def _amend(repo: git.Repo, edit_files: dict[str, tuple[str, str]], message_extra: str = "") -> None:
    root = Path(repo.working_tree_dir)
    for rel, (old, new) in edit_files.items():
        text = (root / rel).read_text()
        assert old in text, (rel, old)
        (root / rel).write_text(text.replace(old, new, 1))
    repo.git.add("-A")
    message = repo.head.commit.message.rstrip("\n") + (
        "\n" + message_extra if message_extra else ""
    )
    repo.git.commit("-q", "--amend", "--cleanup=verbatim", "-m", message + "\n")


def make_applied_branch(repo: git.Repo, tmp: Path, name: str = "mm-stable") -> str:
    """Branch `name` on base with the synthetic v2 as a maintainer might have committed it.

    1/4 also changes tools/testing/vma/vma_internal.h beyond the posted delta (the seed 002 case),
    2/4 has edited trailers (Link + maintainer sign-off), 3/4 has a fix-up folded in, 4/4 lost
    its fs/aio.c hunk. Link: trailers name the posted message-ids of 1/4-3/4; 4/4 has none.
    """
    gen = _generator()
    ids = {n: gen.message_id("v2", n) for n in range(5)}
    env = gen._ident_env(*gen.MAINTAINER, "2026-01-28T10:00:00+00:00")
    repo.git.checkout("-q", "-b", name, BASE_SHA)
    link = "Link: https://lore.kernel.org/r/{}\nSigned-off-by: Andrew Example <akpm@example.org>"
    with repo.git.custom_environment(**env):
        _am_one(repo, "v2-thread", 1, tmp)
        _amend(
            repo,
            {"tools/testing/vma/vma_internal.h": ("#define MMF_HAS_MDWE\t28\n", "")},
            link.format(ids[1]),
        )
        _am_one(repo, "v2-thread", 2, tmp)
        _amend(repo, {}, link.format(ids[2]))
        _am_one(repo, "v2-thread", 3, tmp)
        _amend(
            repo,
            {
                "mm/secretmem.c": (
                    "desc->vm_flags | VM_LOCKED, len)",
                    "/*is_vma_locked=*/ true, len)",
                )
            },
            link.format(ids[3]),
        )
        _am_one(repo, "v2-thread", 4, tmp)
        _amend(
            repo,
            {
                "fs/aio.c": (
                    "vma_desc_set_flag(desc, VMA_DONTEXPAND_BIT);",
                    "desc->vm_flags |= VM_DONTEXPAND;",
                )
            },
        )
    repo.git.checkout("-q", "master")
    return repo.commit(name).hexsha


def make_plain_am_branch(repo: git.Repo, tmp: Path, thread: str, name: str) -> str:
    """Branch `name` on base with every patch of a synthetic thread applied by plain git am."""
    repo.git.checkout("-q", "-b", name, BASE_SHA)
    repo.git.am(str(patches_only_mbox(thread, tmp / f"{thread}-all.mbox")))
    repo.git.checkout("-q", "master")
    return repo.commit(name).hexsha


THREADS = SAMPLES / "threads"


def revisions_of(*paths: Path) -> dict:
    """{label: Revision} parsed (with trailers carried across) from mbox files."""
    from reviewer.series.parse import parse_messages
    from reviewer.sources.mail import load_source
    from reviewer.trailers.carry import carry_trailers

    msgs = [m.msg for p in paths for m in load_source(str(p)).messages]
    revisions = parse_messages(msgs).revisions
    carry_trailers(revisions)
    return {r.label: r for r in revisions}


def synthetic_revisions() -> dict:
    names = ("v1-thread", "v1-resend-thread", "v2-thread", "v3-rebased-thread")
    return revisions_of(*(synthetic_mbox(n) for n in names))


def real_revisions() -> dict:
    names = ("v1-thread", "v1-resend-thread", "v2-thread")
    return revisions_of(*(THREADS / f"{n}.mbox" for n in names))
