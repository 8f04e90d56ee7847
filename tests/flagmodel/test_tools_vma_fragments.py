"""tools/testing/vma test code of the March 2026 series (built with NUM_VMA_FLAG_BITS=128):
fragments the engine must decide, from the real lines."""

from __future__ import annotations

from reviewer.flagmodel.equivalence import SideInfo, compare
from reviewer.flagmodel.equivalence_preproc import select_branches
from reviewer.flagmodel.tree_state import Model


def tools_model(bits: int = 128) -> Model:
    model = Model("S3")
    model.num_bits, model.tools, model.features = bits, True, "min"
    return model


def run(old: str, new: str, bits: int = 128, info: SideInfo | None = None):
    info = info or SideInfo(flag_names={"vm_flags", "vma_flags", "flags"})
    return compare(old, new, tools_model(bits), tools_model(bits), info, info)


# v4 5/25 tools/testing/vma/tests/vma.c:172 (test_vma_flags_test)
OLD_MK = (
    "\tconst vma_flags_t flags = mk_vma_flags(VMA_READ_BIT, VMA_WRITE_BIT,\n"
    "\t\t\t\t\t       VMA_EXEC_BIT, 64, 65);"
)
NEW_MK = (
    "\tconst vma_flags_t flags = mk_vma_flags(VMA_READ_BIT, VMA_WRITE_BIT,\n"
    "\t\t\t\t\t       VMA_EXEC_BIT\n"
    "#if NUM_VMA_FLAG_BITS > 64\n"
    "\t\t\t\t\t       , 64, 65\n"
    "#endif\n"
    "\t\t);"
)


def test_conditional_inside_an_argument_list_is_decided_by_the_build():
    out = run(OLD_MK, NEW_MK)
    assert out.status == "equivalent", out


def test_conditional_inside_an_argument_list_still_finds_a_dropped_bit():
    out = run(OLD_MK, NEW_MK.replace(", 64, 65", ", 64"))
    assert out.status == "different", out


def test_inverted_conditional_inside_an_argument_list_differs():
    out = run(OLD_MK, NEW_MK.replace("#if NUM_VMA_FLAG_BITS > 64", "#if !(NUM_VMA_FLAG_BITS > 64)"))
    assert out.status == "different", out


def test_branches_keep_their_rows_and_undecidable_conditions_are_left_alone():
    text = select_branches(NEW_MK, tools_model())
    assert text is not None
    assert text.split("\n")[3].strip() == ", 64, 65" and not text.split("\n")[2].strip()
    assert len(text.split("\n")) == len(NEW_MK.split("\n"))
    narrow = select_branches(NEW_MK, tools_model(64))
    assert narrow is not None and "64, 65" not in narrow
    assert (
        select_branches(NEW_MK.replace("NUM_VMA_FLAG_BITS", "SOME_UNKNOWN"), tools_model()) is None
    )


MERGE_C = "tools/testing/vma/tests/merge.c"


def _check_alone(p):
    from reviewer.flagmodel.check import check_revision

    return check_revision([p], helpers=False)


def _at(report, line):
    return [f for f in report.findings if f.file == MERGE_C and f.line == line]


def test_local_declared_in_an_earlier_hunk_of_the_function():
    """v4 4/25 __test_merge_existing(): `prev_flags |= VM_STICKY;` -> `vma_flags_set_mask(
    &prev_flags, VMA_STICKY_FLAGS);`, prev_flags declared two hunks up (the file's joined hunks
    do not parse around it: an earlier hunk ends inside an initialiser)."""
    from reviewer.flagmodel.mutations import replace_line
    from tests.flagmodel import march

    p = march.patch("v4", 4)
    assert _at(_check_alone(p), 837) == []
    line = "\t\tvma_flags_set_mask(&prev_flags, VMA_STICKY_FLAGS);"
    bad = replace_line(p, "+" + line, "+" + line.replace("set_mask", "clear_mask"))
    assert [f.severity for f in _at(_check_alone(bad), 837)] == ["error"]


def test_uncut_comments_keeps_rows():
    from reviewer.flagmodel.block_context import uncut_comments

    assert uncut_comments(["\t * tail", "\t */", "\tx = 1;", "\t/*", "\t * head"]) == [
        "",
        "    ",
        "\tx = 1;",
        "\t/*",
        "\t * head */",
    ]
    assert uncut_comments(['s = "/*";', "a = 1; /* c */"]) == ['s = "/*";', "a = 1; /* c */"]


# v4 20/25 tools/testing/vma/tests/vma.c:350 (test_vma_flags_clear)
OLD_STRUCTS = """\
\tstruct vm_area_struct vma;
\tstruct vm_area_desc desc;

\tvma.flags = flags;
\tdesc.vma_flags = flags;"""
NEW_STRUCTS = """\
\tstruct vm_area_struct vma = {
\t\t.flags = flags,
\t};
\tstruct vm_area_desc desc = {
\t\t.vma_flags = flags,
\t};"""


def test_struct_declared_with_its_flags_designated():
    out = run(OLD_STRUCTS, NEW_STRUCTS)
    assert out.status == "equivalent", out
    out = run(
        OLD_STRUCTS, NEW_STRUCTS.replace(".vma_flags = flags", ".vma_flags = EMPTY_VMA_FLAGS")
    )
    assert out.status == "different", out
    # a list that does not name the flags leaves them zero
    out = run(OLD_STRUCTS, NEW_STRUCTS.replace("\t\t.flags = flags,\n", ""))
    assert out.status == "different", out
