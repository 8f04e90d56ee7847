"""Definitions the hunks cut short, rebuilt from a base definition the shown lines match, and
change blocks trimmed of the context they share (the unverified causes of issue 10)."""

from __future__ import annotations

from functools import lru_cache

import pytest

from reviewer.flagmodel import def_rebuild, sandbox
from reviewer.flagmodel.c_parse import definitions, parse
from reviewer.flagmodel.check import check_revision, trim_fragment
from reviewer.flagmodel.hunk_pairs import parse_diff
from tests.flagmodel.march import revision

# A hunk that changes a helper's signature and shows two lines of its body (as v4 patch 13
# does): the old side is lines 10..13 of the file, the helper's body goes on to line 16.
CUT = """\
diff --git a/include/linux/x.h b/include/linux/x.h
--- a/include/linux/x.h
+++ b/include/linux/x.h
@@ -10,4 +10,5 @@ struct x;
 /* Update the first word. */
-static inline void set_word(vma_flags_t *flags, unsigned long value)
+static __always_inline void set_word(vma_flags_t *flags,
+\t\tunsigned long value)
 {
 \tunsigned long *bitmap = flags->__vma_flags;
"""

BASE = """\
static inline void set_word(vma_flags_t *flags, unsigned long value)
{
    unsigned long *bitmap = flags->__vma_flags;

    *bitmap |= value;
}
"""


def _file():
    (f,) = parse_diff(CUT)
    return f


def _defn(text: str):
    (d,) = [d for d in definitions(parse(text)) if d.name == "set_word"]
    return d


NEAR = {12, 13}  # old numbers of the context lines that show the helper


def test_rebuilt_from_a_base_whose_shown_lines_match():
    got = def_rebuild.rebuild("set_word", _file(), NEAR, [[("snapshot x", _defn(BASE))]])
    assert got is not None and got.origin == "snapshot x"
    assert not got.defn.node.has_error
    text = got.text
    # the new signature from the patch, the lines the patch does not show from the base
    assert "static __always_inline void set_word(vma_flags_t *flags," in text
    assert "static inline void" not in text
    assert "*bitmap |= value;" in text and text.rstrip().endswith("}")


def test_a_base_that_differs_on_a_shown_line_is_not_used():
    other = BASE.replace("flags->__vma_flags", "flags->other")
    assert def_rebuild.rebuild("set_word", _file(), NEAR, [[("x", _defn(other))]]) is None


def test_two_fitting_bases_that_disagree_leave_it_refused():
    other = BASE.replace("|= value", "&= ~value")
    tier = [("a", _defn(BASE)), ("b", _defn(other))]
    assert def_rebuild.rebuild("set_word", _file(), NEAR, [tier]) is None
    # bases that differ only in white space agree
    spaced = BASE.replace("    *bitmap", "\t*bitmap")
    assert def_rebuild.rebuild(
        "set_word", _file(), NEAR, [[("a", _defn(BASE)), ("b", _defn(spaced))]]
    )


def test_the_first_tier_that_fits_wins():
    other = BASE.replace("|= value", "&= ~value")
    got = def_rebuild.rebuild(
        "set_word", _file(), NEAR, [[], [("series", _defn(other))], [("snap", _defn(BASE))]]
    )
    assert got is not None and got.origin == "series" and "&= ~value" in got.text


def test_a_base_of_another_length_does_not_fit_a_split_definition():
    # the same helper shown in two hunks: the lines between them must be exactly the base's
    split = (
        CUT + "@@ -15,2 +16,2 @@ struct x;\n-\t*bitmap |= value;\n+\t*bitmap |= value | 1;\n }\n"
    )
    (f,) = parse_diff(split)
    got = def_rebuild.rebuild("set_word", f, NEAR, [[("x", _defn(BASE))]])
    assert got is not None and "*bitmap |= value | 1;" in got.text
    longer = BASE.replace("\n\n", "\n\n\n")
    assert def_rebuild.rebuild("set_word", f, NEAR, [[("x", _defn(longer))]]) is None


@lru_cache(maxsize=1)
def _v4_report():
    return check_revision(list(revision("v4")))


needs_gcc = pytest.mark.skipif(sandbox.gcc() is None, reason="system package missing: gcc")


@needs_gcc
def test_v4_helpers_cut_by_the_hunks_are_compiled():
    report = _v4_report()
    rebuilt = [n for n in report.notes if "post-image was rebuilt" in n]
    assert any("include/linux/mm_types.h" in n and "vma_flags_set_word()" in n for n in rebuilt)
    refused = [f.message for f in report.findings if "not compiled" in f.message]
    for name in ("vma_flags_overwrite_word", "vma_flags_set_word", "vma_flags_clear_word"):
        assert not [m for m in refused if f"{name}()" in m], name
    # one never shown whole anywhere is read through its rename (line_states, def_rename)
    assert not [m for m in refused if "vma_flags_set_flag" in m]
    assert any(
        n.startswith("vma_flags_set_flag() is shown whole nowhere") and "vma_flag_set()" in n
        for n in report.notes
    )
    assert report.count("error") == 2  # the real __VMA_UFFD_FLAGS bug, nothing new


@needs_gcc
def test_v4_else_if_block_is_decided_through_the_flags_pointer_parameter():
    # v4 patch 21 mm/vma.c: `else if (is_data_mapping(next->vm_flags))` became
    # `else if (is_data_mapping_vma_flags(&next->flags))`: equivalent, decided (it was a
    # fragment that did not parse, and &next->flags was not bound to the parameter)
    at = [f for f in _v4_report().findings if (f.patch, f.file, f.line) == (21, "mm/vma.c", 1474)]
    assert not at


def test_trim_else_if_and_shared_closers():
    old, new = trim_fragment(
        "\t} else if (a & VM_X) {\n\t\tx = 1;", "\t} else if (vma_flags_test(&f, B)) {\n\t\tx = 1;"
    )
    assert old.startswith("if (a & VM_X)") and new.startswith("if (vma_flags_test(&f, B))")
    old, new = trim_fragment(
        "\t.vm_flags = f,\n\t.pgoff = 1,\n};", "\t.vma_flags = g,\n\t.pgoff = 1,\n};"
    )
    assert not old.rstrip().endswith("};") and not new.rstrip().endswith("};")
    # a closer the block opened itself stays
    assert trim_fragment("if (x) {\n\ty();\n}", "if (z) {\n\ty();\n}")[0].endswith("}")


def test_trim_macro_body_splices_only_without_the_define_line():
    old, new = trim_fragment(
        "\t.vm_flags = f_,\t\\\n\t.x = 1,\t\\", "\t.vma_flags = g_,\t\\\n\t.x = 1,\t\\"
    )
    assert "\\" not in old and "\\" not in new
    kept = trim_fragment("#define A(x) \\\n\t(x | VM_X)", "#define A(x) \\\n\t(x | VM_Y)")
    assert kept == ("#define A(x) \\\n\t(x | VM_X)", "#define A(x) \\\n\t(x | VM_Y)")


@needs_gcc
def test_v4_a_helper_glued_to_a_cut_one_is_still_known_to_later_patches():
    # v4 patch 1 adds vma_flags_diff_pair() whole, in the hunk after one that cuts
    # vma_flags_test_any_mask() short: the joined text glued the two; the hunk alone gives it,
    # so patch 5's vma_flags_diff_pair() calls in mm/vma.c are decided
    report = _v4_report()
    nowhere = [f for f in report.findings if "vma_flags_diff_pair() has no definition" in f.message]
    assert not nowhere
    assert not [f for f in report.findings if (f.patch, f.file, f.line) == (5, "mm/vma.c", 1972)]


def test_vetting_memo_answers_what_vet_answers():
    from reviewer.flagmodel import harness_allowlist
    from reviewer.flagmodel.helper_harness import _VetMemo

    d = _defn(BASE)
    memo = _VetMemo()
    base = frozenset({"vma_flags_t"})
    direct = harness_allowlist.vet(d, base)
    assert memo.vet(d, base) == direct and memo.hits == 0
    # other known names that do not occur in the definition: the same answer, from the memo
    assert memo.vet(d, base | {"unrelated_helper"}) == direct and memo.hits == 1
    # a name it uses missing from the known set: refused, as vet() refuses, not a stale hit
    with pytest.raises(harness_allowlist.Refused) as why:
        memo.vet(d, frozenset())
    assert why.value.kind == harness_allowlist.Refused.UNKNOWN and why.value.name == "vma_flags_t"
    with pytest.raises(harness_allowlist.Refused):
        memo.vet(d, frozenset({"unrelated_helper"}))  # memoised refusals raise again
    assert memo.hits == 2


def test_base_with_attribute_macros_matches_the_patch_lines():
    # The old side shows `static __always_inline ...` (v4 patch 7's __mk_vma_flags()); a base
    # definition's text is what the parser saw, with `__always_inline` blanked to `inline`.
    # The two are the same line: the base fits.
    cut = CUT.replace(
        "-static inline void set_word(vma_flags_t *flags, unsigned long value)",
        "-static __always_inline void set_word(vma_flags_t *flags, unsigned long value)",
    )
    (f,) = parse_diff(cut)
    base = _defn(BASE.replace("static inline", "static __always_inline"))
    assert "__always_inline" not in base.text  # blanked by the parser
    got = def_rebuild.rebuild("set_word", f, NEAR, [[("snapshot x", base)]])
    assert got is not None and "*bitmap |= value;" in got.text
    # a base that really differs on a shown line still does not fit
    other = _defn(BASE.replace("unsigned long *bitmap", "unsigned int *bitmap"))
    assert def_rebuild.rebuild("set_word", f, NEAR, [[("snapshot x", other)]]) is None
