"""The mini-tree repository: init, commits with fixed identities, string edits, base + mm-new."""

from __future__ import annotations

import shutil
from pathlib import Path

import git

from synthgen.identity import AUTHOR, BASE_DATE, MAINTAINER, MM_NEW_DATE, SIGNATURE, ident_env

MINITREE = Path(__file__).resolve().parent.parent / "minitree"


def init_repo(path: Path) -> git.Repo:
    repo = git.Repo.init(path, initial_branch="master")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", AUTHOR[0])
        cfg.set_value("user", "email", AUTHOR[1])
        cfg.set_value("commit", "gpgsign", "false")
        cfg.set_value("core", "autocrlf", "false")
        cfg.set_value("core", "abbrev", "12")
        cfg.set_value("format", "signature", SIGNATURE)
    return repo


def commit_all(repo: git.Repo, message: str, date: str, who: tuple[str, str] = AUTHOR) -> str:
    repo.git.add("-A")
    with repo.git.custom_environment(**ident_env(who[0], who[1], date)):
        repo.git.commit("-q", "--no-verify", "--cleanup=verbatim", "-m", message)
    return repo.head.commit.hexsha


# Edits: (path, old, new) string replacements applied to the work tree.

Edit = tuple[str, str, str]


def apply_edits(root: Path, edits: list[Edit]) -> None:
    for rel, old, new in edits:
        path = root / rel
        text = path.read_text()
        if text.count(old) < 1:
            raise SystemExit(f"make_synthetic: edit does not match in {rel}: {old[:60]!r}")
        path.write_text(text.replace(old, new))


MM_H = "include/linux/mm.h"
VMA_INTERNAL = "tools/testing/vma/vma_internal.h"

# The unrelated upstream commit that makes "mm-new": it shifts every hunk of the series in mm.h and
# secretmem.c and rewrites one context line of the mem.c hunk (not adjacent to the changed line, so
# plain git am fails there but git am --3way merges).
MM_NEW: list[Edit] = [
    (
        MM_H,
        "struct folio_batch;\n",
        "struct folio_batch;\nstruct mmu_gather;\nstruct vm_fault;\nstruct vm_special_mapping;\n",
    ),
    (
        MM_H,
        "extern unsigned long max_mapnr;\n",
        "extern unsigned long max_mapnr;\n\n"
        "/*\n * Linux kernel virtual memory manager primitives.\n"
        ' * The idea being to have a "virtual" mm in the same way\n'
        " * we have a virtual fs - giving a cleaner interface to the\n"
        " * mm details, and allowing different kinds of memory mappings\n"
        " * (from shared memory to executable loading to arbitrary\n"
        " * mmap() functions).\n */\n",
    ),
    (
        "mm/secretmem.c",
        "#define SECRETMEM_MODE_MASK\t(0x0)\n",
        "/*\n * Define mode and flag masks to allow validation of the system call\n"
        " * parameters.\n */\n#define SECRETMEM_MODE_MASK\t(0x0)\n",
    ),
    (
        "drivers/char/mem.c",
        "#ifndef CONFIG_MMU\n\treturn -ENOSYS;\n#endif\n\tif (desc->vm_flags",
        "#ifndef CONFIG_MMU\n\treturn -ENODEV;\n#endif\n\tif (desc->vm_flags",
    ),
]
MM_NEW_MESSAGE = """\
mm: describe the mm primitives, return -ENODEV for nommu /dev/zero mmap

Forward-declare the structures later helpers need, restore the description
of what include/linux/mm.h provides, document the secretmem masks and
return -ENODEV rather than -ENOSYS from mmap_zero_prepare() on nommu.

Signed-off-by: Andrew Example <akpm@example.org>
"""


def build_base_repo(path: Path) -> git.Repo:
    """A repo at path: master = the mini tree ("base", HEAD), mm-new = base + one upstream
    commit."""
    repo = init_repo(path)
    shutil.copytree(MINITREE, path, dirs_exist_ok=True)
    commit_all(repo, "mini kernel tree: base for the synthetic series\n", BASE_DATE, MAINTAINER)
    repo.git.branch("mm-new")
    repo.git.checkout("-q", "mm-new")
    apply_edits(path, MM_NEW)
    commit_all(repo, MM_NEW_MESSAGE, MM_NEW_DATE, MAINTAINER)
    repo.git.checkout("-q", "master")
    return repo
