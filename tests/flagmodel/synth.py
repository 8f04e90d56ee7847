"""Small hand-written patches for the flag-model tests: a unified diff built from a few lines of
our own, its hunk headers counted here (so a test only writes the lines that matter)."""

from __future__ import annotations

from reviewer.models import Patch


def hunk(start: int, lines: str, func: str = "") -> str:
    """One hunk from `lines` (each starting with ' ', '+' or '-'; an empty line is a blank
    context line), old and new side at `start`."""
    body = [ln or " " for ln in lines.strip("\n").splitlines()]  # an empty line: blank context
    old = sum(1 for ln in body if ln[:1] in (" ", "-"))
    new = sum(1 for ln in body if ln[:1] in (" ", "+"))
    head = f"@@ -{start},{old} +{start},{new} @@" + (f" {func}" if func else "")
    return "\n".join([head, *body]) + "\n"


def diff(path: str, *hunks: str) -> str:
    """The diff of one file from its hunks (see `hunk`)."""
    return (
        f"diff --git a/{path} b/{path}\nindex 1111111..2222222 100644\n--- a/{path}\n+++ b/{path}\n"
        + "".join(hunks)
    )


def patch(*diffs: str, index: int = 1, subject: str = "mm: convert to vma_flags_t") -> Patch:
    return Patch(
        index=index,
        subject=subject,
        message_id=f"<synth-{index}@example.org>",
        author="A Developer <dev@example.org>",
        date="2026-06-29T20:25:23+01:00",
        commit_message=subject + "\n",
        diff="".join(diffs),
        patch_id=None,
    )


# a test of VM_GROWSUP (VM_NONE except on parisc) in a function body, converted to its bit
GROWS_UP = """
 static int grow_up(struct vm_area_struct *vma, int grows)
 {
 \tif (grows & PROT_GROWSUP) {
-\t\tif (!(vma->vm_flags & VM_GROWSUP))
+\t\tif (!vma_test(vma, VMA_GROWSUP_BIT))
 \t\t\treturn -EINVAL;
 \t}
 \treturn 0;
 }
"""
