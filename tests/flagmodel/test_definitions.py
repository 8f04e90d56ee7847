"""Issue 10 item 1: a helper's meaning comes from its C definition (the series, the base tree
read through git objects, or the shipped API snapshot), on real lines of the March 2026 series."""

from __future__ import annotations

import subprocess
from pathlib import Path

from reviewer.flagmodel import defs
from reviewer.flagmodel.equivalence import SideInfo, compare
from reviewer.flagmodel.tree_state import Model


def _compare(old: str, new: str, flags=(), state: str = "S3", model: Model | None = None):
    names = {"vm_flags", "vma_flags", *flags}
    pre, post = model or Model(state), model or Model(state)
    return compare(
        old, new, pre, post, SideInfo(flag_names=set(names)), SideInfo(flag_names=set(names))
    )


def test_snapshot_keeps_provenance():
    snap = defs.snapshot()
    kernels = [s for s in snap["vma_flags_and_mask"] if s.file == "include/linux/mm.h"]
    origins = [k.origin for k in kernels]
    assert "snapshot mar2026-v4:1/25:post" in origins
    [kernel] = [k for k in kernels if k.origin == "snapshot mar2026-v4:1/25:post"]
    assert "bitmap_and(" in kernel.defn.text
    tools = [s for s in snap["__mk_vma_flags"] if s.origin.startswith("snapshot tools-testing")]
    assert tools and tools[0].file == "tools/testing/vma/include/custom.h"


def test_helper_added_after_january_is_interpreted_from_its_body():
    # mm/vma.c vma_expand(), March v4 patch 5: a bitmap AND through vma_flags_and_mask()
    old = "sticky_flags = vmg->vm_flags & VM_STICKY;"
    new = "sticky_flags = vma_flags_and_mask(&vmg->vma_flags, VMA_STICKY_FLAGS);"
    assert _compare(old, new, {"sticky_flags"}).status == "equivalent"
    wrong = new.replace("VMA_STICKY_FLAGS", "VMA_SPECIAL_FLAGS")
    assert _compare(old, wrong, {"sticky_flags"}).status == "different"


def test_mask_built_with_mk_vma_flags_follows_its_definition():
    # VMA_DATA_FLAGS_NON_EXEC (mk_vma_flags(...)) replaces VM_DATA_FLAGS_NON_EXEC (VM_ ORs):
    # arch/arc/include/asm/page.h, March v4 patch 17
    old = "#define VM_DATA_DEFAULT_FLAGS\tVM_DATA_FLAGS_NON_EXEC"
    new = "#define VMA_DATA_DEFAULT_FLAGS\tVMA_DATA_FLAGS_NON_EXEC"
    assert _compare(old, new).status == "equivalent"
    wrong = new.replace("NON_EXEC", "EXEC")
    assert _compare(old, wrong).status == "different"


def test_legacy_and_bitmap_copies_through_the_converters():
    # mm/mprotect.c: new_vma_flags = legacy_to_vma_flags(newflags); newflags back again
    old = "if (newflags & VM_WRITE) x();"
    new = "if (vma_flags_test(&new_vma_flags, VMA_WRITE_BIT)) x();"
    out = _compare(
        "tmp = newflags;\n" + old,
        "new_vma_flags = legacy_to_vma_flags(newflags);\n" + new,
        {"newflags", "new_vma_flags", "tmp"},
    )
    assert out.status == "equivalent"
    back = _compare(
        "flags = newflags;",
        "flags = vma_flags_to_legacy(legacy_to_vma_flags(newflags));",
        {"newflags", "flags"},
    )
    assert back.status == "equivalent"


def test_series_helper_reads_the_callers_argument():
    # vma_test(vma, bit) is defined by the series; called on `next` it must read `next`
    old = "if ((next->vm_flags & VM_LOCKED) && !(vma->vm_flags & VM_LOCKED)) x();"
    new = "if (vma_test(next, VMA_LOCKED_BIT) && !vma_test(vma, VMA_LOCKED_BIT)) x();"
    assert _compare(old, new).status == "equivalent"
    swapped = "if (vma_test(vma, VMA_LOCKED_BIT) && !vma_test(next, VMA_LOCKED_BIT)) x();"
    assert _compare(old, swapped).status == "different"


def test_variadic_macro_expands_with_the_callers_text():
    # vma_flags_and(&f, ...) = vma_flags_and_mask(f, mk_vma_flags(__VA_ARGS__))
    old = "mask = oldflags & (VM_WRITE | VM_SHARED | VM_LOCKED);"
    new = "mask = vma_flags_and(&old_vma_flags, VMA_WRITE_BIT, VMA_SHARED_BIT, VMA_LOCKED_BIT);"
    info = {"oldflags", "old_vma_flags", "mask"}
    out = compare(
        "oldflags = vma->vm_flags;\n" + old,
        "old_vma_flags = vma->flags;\n" + new,
        Model("S3"),
        Model("S3"),
        SideInfo(flag_names=set(info)),
        SideInfo(flag_names=set(info)),
    )
    assert out.status == "equivalent"


def test_call_without_definition_is_unverified_naming_it():
    out = _compare(
        "if (vma->vm_flags & VM_READ) x();",
        "if (vma_flags_frobnicate(&vma->flags, VMA_READ_BIT)) x();",
    )
    assert out.status == "unverified"
    assert "vma_flags_frobnicate()" in out.message


def test_tree_definitions_come_from_git_objects_not_the_working_tree(tmp_path: Path):
    repo = tmp_path / "linux"
    (repo / "include/linux").mkdir(parents=True)
    header = repo / "include/linux/mm.h"
    header.write_text(
        "static inline bool vma_flags_frob(const vma_flags_t *flags)\n"
        "{\n\treturn vma_flags_test(flags, VMA_READ_BIT);\n}\n"
    )
    run = {"cwd": repo, "check": True, "capture_output": True}
    subprocess.run(["git", "init", "-q"], **run)
    subprocess.run(["git", "add", "."], **run)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"], **run
    )
    header.write_text("/* edited, not committed */\n")
    defs.from_tree.cache_clear()
    tree = defs.from_tree(str(repo))
    [frob] = tree["vma_flags_frob"]
    assert frob.file == "include/linux/mm.h" and frob.origin.startswith("tree ")
    model = Model("S3")
    model.tree_defs = tree
    out = _compare(
        "if (vma->vm_flags & VM_READ) x();",
        "if (vma_flags_frob(&vma->flags)) x();",
        model=model,
    )
    assert out.status == "equivalent"


def test_shipped_snapshot_is_what_the_builder_extracts_from_the_corpus():
    # The corpus sources (the January tools copies, the March v4 series) rebuild exactly; the
    # real trees (owner/repo@commit) are read from a scratch checkout that is not shipped, so
    # their entries are checked in tests/flagmodel/test_snapshot_build.py instead.
    from reviewer.flagmodel import snapshot_build
    from tests.flagmodel.test_snapshot_build import entries, is_tree_origin
    from tests.march_series import MARCH

    tools = MARCH.parent / "tools-testing-vma-after-2026-01-v2"
    mbox = MARCH / "v4-thread.mbox"
    built = snapshot_build.build([("tools", tools), ("series", mbox)], {mbox: "mar2026-v4"})
    shipped = [e for e in entries(snapshot_build.OUT.read_text()) if not is_tree_origin(e[1])]
    assert shipped == entries(built)
