"""A helper the series never shows whole, read as its older definition under a new name when a
caller shown whole evidences the rename (reviewer/flagmodel/def_rename.py). Hand-written C."""

from __future__ import annotations

from reviewer.flagmodel import def_rename
from reviewer.flagmodel.c_parse import all_definitions, parse
from reviewer.flagmodel.defs import Sourced

FILE = "include/linux/x.h"

OLDER = """\
static inline void flag_put(vma_flags_t *flags, vma_flag_t bit)
{
\tunsigned long *map = flags->__vma_flags;

\t__set_bit((int)bit, map);
}

static inline vma_flags_t make_flags(size_t count, const vma_flag_t *bits)
{
\tvma_flags_t flags = EMPTY_VMA_FLAGS;
\tint i;

\t/* one by one */
\tfor (i = 0; i < count; i++)
\t\tflag_put(&flags, bits[i]);
\treturn flags;
}
"""

# The series shows the caller whole (its comment dropped, the loop re-wrapped) calling the
# helper by its new name, and the helper's new head, cut by the hunk.
CALLER = """\
static __always_inline vma_flags_t make_flags(size_t count,
\t\tconst vma_flag_t *bits)
{
\tvma_flags_t flags = EMPTY_VMA_FLAGS;
\tint i;

\tfor (i = 0; i < count; i++)
\t\tflags_put_flag(&flags, bits[i]);
\treturn flags;
}
"""
HEAD = "static __always_inline void flags_put_flag(vma_flags_t *flags,\n\t\tvma_flag_t bit)\n{\n"


def _older(text: str = OLDER) -> dict[str, list[Sourced]]:
    out: dict[str, list[Sourced]] = {}
    for d in all_definitions(parse(text)):
        out.setdefault(d.name, []).append(Sourced(d, "snapshot old", FILE))
    return out


def _shown(text: str = CALLER, path: str = FILE):
    return [(d, path) for d in all_definitions(parse(text))]


def test_the_older_body_under_the_new_name():
    older = _older()
    found = def_rename.renames(_shown(), older)
    assert [(r.old, r.new) for r in found["flags_put_flag"]] == [("flag_put", "flags_put_flag")]
    got = def_rename.definition("flags_put_flag", found, older, [HEAD], FILE)
    assert got is not None and got.defn.name == "flags_put_flag"
    assert "__set_bit((int)bit, map);" in got.defn.text and "flag_put(" not in got.defn.text
    assert "flag_put() renamed" in got.origin and "make_flags() in include/linux/x.h" in got.origin


def test_a_shown_piece_that_disagrees_refuses_it():
    older = _older()
    found = def_rename.renames(_shown(), older)
    other = HEAD.replace("vma_flag_t bit", "unsigned int bit")
    assert def_rename.definition("flags_put_flag", found, older, [other], FILE) is None
    # nothing shown of the new definition: nothing to hold the older body against
    assert def_rename.definition("flags_put_flag", found, older, [], FILE) is None


def test_no_rename_without_evidence_of_one_name_only():
    older = _older()
    # the caller differs in more than the name: not evidence of a rename
    changed = CALLER.replace("i < count", "i <= count")
    assert def_rename.renames(_shown(changed), older) == {}
    # the caller in another file is not a copy of the older one
    assert def_rename.renames(_shown(path="mm/other.h"), older) == {}
    # the new name is defined in the older source too: a switch of callee, not a rename
    both = OLDER + "\nstatic inline void flags_put_flag(vma_flags_t *f, vma_flag_t b)\n{\n}\n"
    older = _older(both)
    found = def_rename.renames(_shown(), older)
    assert def_rename.definition("flags_put_flag", found, older, [HEAD], FILE) is None


def test_two_evidenced_renames_with_different_bodies_leave_it_undefined():
    other = OLDER.replace("flag_put", "flag_mark").replace("make_flags", "build_flags")
    older = _older(OLDER + other.replace("__set_bit", "__clear_bit"))
    callers = CALLER + CALLER.replace("make_flags", "build_flags")
    found = def_rename.renames(_shown(callers), older)
    assert {r.old for r in found["flags_put_flag"]} == {"flag_put", "flag_mark"}
    assert def_rename.definition("flags_put_flag", found, older, [HEAD], FILE) is None
    # an old name the series still uses was not renamed away: the other one is the rename
    got = def_rename.definition(
        "flags_put_flag", found, older, [HEAD], FILE, used=frozenset({"flag_mark"})
    )
    assert got is not None and "__set_bit" in got.defn.text


def test_a_caller_renamed_with_its_callee_is_evidence():
    # the caller got a new name too: every occurrence of both names is renamed
    caller = CALLER.replace("make_flags", "flags_make")
    older = _older()
    found = def_rename.renames(_shown(caller), older)
    assert [r.old for r in found["flags_put_flag"]] == ["flag_put"]
    got = def_rename.definition("flags_put_flag", found, older, [HEAD], FILE)
    assert got is not None and "__set_bit((int)bit, map);" in got.defn.text
    # not when the new caller's name is one the older source defines (another helper)
    taken = OLDER + "\nstatic inline int flags_make(void)\n{\n\treturn 0;\n}\n"
    assert "flags_put_flag" not in def_rename.renames(_shown(caller), _older(taken))


# The harness end to end: a series that shows `flags_put_flag()` only as a context head, and a
# caller whole; the older source (standing in for the shipped snapshot) has the caller calling
# `flag_put()`. The series' new mk_vma_flags() is compiled over the renamed body and run.
SERIES = (
    "diff --git a/include/linux/mm.h b/include/linux/mm.h\n"
    "--- a/include/linux/mm.h\n+++ b/include/linux/mm.h\n"
    "@@ -1,4 +1,4 @@\n"
    " #define EMPTY_VMA_FLAGS ((vma_flags_t){ })\n"
    " static __always_inline void flags_put_flag(vma_flags_t *flags,\n"
    " \t\tvma_flag_t bit)\n"
    " {\n"
    "@@ -20,10 +20,13 @@ struct x;\n"
    + "".join(" " + ln + "\n" for ln in CALLER.rstrip("\n").split("\n"))
    + "+\n"
    "+#define mk_vma_flags(...) make_flags(COUNT_ARGS(__VA_ARGS__), \\\n"
    "+\t\t(const vma_flag_t []){__VA_ARGS__})\n"
)


def _harness_report(monkeypatch, body: str):
    from reviewer.flagmodel import defs
    from reviewer.flagmodel.check import check_revision
    from tests.flagmodel.synth import patch

    older = {}
    for d in all_definitions(parse(OLDER.replace("__set_bit", body))):
        older.setdefault(d.name, []).append(Sourced(d, "snapshot old", "include/linux/mm.h"))
    monkeypatch.setattr(defs, "snapshot", lambda: older)
    return check_revision([patch(SERIES)])


def test_the_harness_runs_a_helper_over_a_renamed_definition(monkeypatch):
    from reviewer.flagmodel import sandbox

    if sandbox.gcc() is None:
        import pytest

        pytest.skip("system package missing: gcc (install: .ci/install-system-deps.sh)")
    report = _harness_report(monkeypatch, "__set_bit")
    assert any(n.startswith("flags_put_flag() is shown whole nowhere") for n in report.notes)
    assert not [f for f in report.findings if "not compiled" in f.message]
    assert not [f for f in report.findings if f.check == "helper-def"]
    # the renamed body is what runs: a wrong one is caught at the series' mk_vma_flags()
    report = _harness_report(monkeypatch, "__clear_bit")
    errors = [f for f in report.findings if f.check == "helper-def"]
    assert errors and "mk_vma_flags()" in errors[0].message


def test_tokens_memoised_by_text_fresh_list_per_call():
    from reviewer.flagmodel import c_parse, def_rename

    text = "static inline bool f(int x) { /* c */ return x & 1; }"
    first = def_rename.tokens(text)
    assert first[:3] == [("static", "static"), ("inline", "inline"), ("primitive_type", "bool")]
    assert ("comment", "/* c */") not in first
    first.clear()
    assert def_rename.tokens(text)[-3:] == [("number_literal", "1"), (";", ";"), ("}", "}")]
    assert def_rename._tokens in c_parse.NODE_MEMOS


def test_only_definitions_of_a_file_both_sides_have_are_tokenised():
    """The older source's definitions of files the series shows nothing of (most of the
    snapshot) cannot match and are not tokenised; neither are the series' definitions of
    files the older source does not have. The evidence found is the same."""
    older = _older()
    elsewhere = "static inline int other_helper(int x)\n{\n\treturn x + 1;\n}\n"
    for d in all_definitions(parse(elsewhere)):
        older.setdefault(d.name, []).append(Sourced(d, "snapshot old", "include/linux/y.h"))
    shown = [*_shown(), *_shown(elsewhere.replace("x + 1", "x + 2"), "mm/z.c")]
    def_rename._tokens.cache_clear()
    found = def_rename.renames(shown, older)
    assert set(found) == {"flags_put_flag"}
    tokenised = def_rename._tokens.cache_info().currsize
    assert tokenised == len(older["flag_put"]) + len(older["make_flags"]) + 1  # + the caller
