"""Arrays of flags and loops over them in the tools/testing/vma tests (v4 4/25, merge.c
test_vma_merge_special_flags()): the list of special flags, the loop that ORs them together and
the loop body that sets one of them, each item the same flag on both sides."""

from __future__ import annotations

from functools import lru_cache

from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.equivalence import SideInfo, compare
from reviewer.flagmodel.mutations import replace_line
from tests.flagmodel import march
from tests.flagmodel.test_tools_vma_fragments import tools_model

MERGE_C = "tools/testing/vma/tests/merge.c"


def _check(p4):
    """Patch 4 checked in its series (patch 2 defines ASSERT_FLAGS_SAME_MASK())."""
    patches = list(march.revision("v4")[:3]) + [p4]
    report = check_revision(patches, helpers=False, focus={4})
    return [f for f in report.findings if f.file == MERGE_C]


@lru_cache(maxsize=1)
def _real():
    return _check(march.patch("v4", 4))


def _at(findings, line):
    return [f for f in findings if f.line == line]


def test_the_real_loops_are_verified():
    for line in (485, 492, 513, 516, 540):
        assert _at(_real(), line) == [], line


def test_a_cleared_item_in_the_or_loop_is_blamed_on_its_line():
    line = "\t\tvma_flags_set(&all_special_flags, special_flags[i]);"
    p = replace_line(march.patch("v4", 4), "+" + line, "+" + line.replace("set(", "clear("))
    found = _at(_check(p), 493)
    assert [f.severity for f in found] == ["error"]


def test_a_cleared_loop_item_copied_to_the_vma_is_blamed_on_the_clear():
    line = "\t\tvma_flags_set(&flags, special_flag);"
    p = replace_line(march.patch("v4", 4), "+" + line, "+" + line.replace("set(", "clear("))
    assert [f.severity for f in _at(_check(p), 516)] == ["error"]


def _run(old: str, new: str, inits_old: dict, inits_new: dict):
    from reviewer.flagmodel.c_parse import parse_statements

    def info(inits: dict) -> SideInfo:
        nodes = {}
        for name, text in inits.items():
            frag = parse_statements(f"int __x[] = {text};")
            decl = frag.statements[0].child_by_field_name("declarator")
            nodes[name] = decl.child_by_field_name("value")
        names = {"vm_flags", "vma_flags", "flags", "all"}
        return SideInfo(flag_names=names, inits=nodes)

    return compare(old, new, tools_model(), tools_model(), info(inits_old), info(inits_new))


def test_an_item_read_at_an_index_the_block_does_not_compute_is_the_same_on_both_sides():
    """`special_flag = special_flags[i]` inside a loop the block does not show: the index is
    chosen by the search, the same on both sides; a wrong item in one list differs."""
    old_list = "{ VM_IO, VM_DONTEXPAND, VM_PFNMAP, VM_MIXEDMAP }"
    new_list = "{ VMA_IO_BIT, VMA_DONTEXPAND_BIT, VMA_PFNMAP_BIT, VMA_MIXEDMAP_BIT }"
    old = "vma->vm_flags = vm_flags | special_flags[i];"
    new = "vma_flags_set(&flags, special_flags[i]);\nvma->flags = flags;"
    new_inits = {"special_flags": new_list, "flags": "vma_flags"}
    same = _run(old, new, {"special_flags": old_list}, new_inits)
    assert same.status == "equivalent", same
    wrong = new_list.replace("VMA_MIXEDMAP_BIT", "VMA_PFNMAP_BIT")
    out = _run(
        old, new, {"special_flags": old_list}, {"special_flags": wrong, "flags": "vma_flags"}
    )
    assert out.status == "different", out


def test_a_loop_that_does_not_end_is_unverified():
    out = _run("for (;;) all |= VM_IO;", "for (;;) vma_flags_set(&all, VMA_IO_BIT);", {}, {})
    assert out.status == "unverified" and "loop" in out.message
