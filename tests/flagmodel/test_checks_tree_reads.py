"""The checks read a --repo tree at its commit through git objects: what the working tree holds
(the series applied by b4 review, a link from mail to /etc/passwd, untracked files) is not
read."""

from __future__ import annotations

import os

import git

from reviewer.flagmodel.checks import tree
from reviewer.flagmodel.tree_state import state_from_tree


def _repo(tmp_path):
    repo = git.Repo.init(tmp_path)
    (tmp_path / "mm").mkdir()
    (tmp_path / "mm/a.c").write_text("void f(void) { vma_flags_overwrite(x, flags); }\n")
    (tmp_path / "include/linux").mkdir(parents=True)
    (tmp_path / "include/linux/mm_types.h").write_text("typedef int vma_flag_t;\n")
    repo.index.add(["mm/a.c", "include/linux/mm_types.h"])
    repo.index.commit("base")
    return repo


def test_working_tree_changes_and_links_are_not_read(tmp_path):
    _repo(tmp_path)
    os.remove(tmp_path / "mm/a.c")
    os.symlink("/etc/passwd", tmp_path / "mm/a.c")  # what a patch could plant
    (tmp_path / "mm/b.c").write_text("vma_flags_overwrite(y, flags);\n")  # untracked
    assert tree.files_mentioning(tmp_path, "vma_flags_overwrite", ("mm",)) == ["mm/a.c"]
    text = tree.read(tmp_path, "mm/a.c")
    assert text is not None and "vma_flags_overwrite(x, flags)" in text and "root:" not in text


def test_a_link_committed_in_the_tree_is_not_followed(tmp_path):
    repo = _repo(tmp_path)
    os.symlink("/etc/passwd", tmp_path / "mm/link.c")
    repo.index.add(["mm/link.c"])
    repo.index.commit("a link")
    assert tree.read(tmp_path, "mm/link.c") is None


def test_tree_state_reads_the_commit_not_the_working_tree(tmp_path):
    _repo(tmp_path)
    (tmp_path / "include/linux/mm_types.h").write_text("")  # the working tree lost it
    assert state_from_tree(tmp_path) is not None
