"""Definitions rebuilt from the lines the hunks of several patches show, lined up by line
number (reviewer/flagmodel/line_states.py), and the helper harness using them. Small
hand-written patches only."""

from __future__ import annotations

import pytest

from reviewer.flagmodel import line_states, sandbox
from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.hunk_pairs import parse_diff
from tests.flagmodel.synth import diff, hunk, patch

PATH = "include/linux/mm.h"

# Patch 1 changes the head of a helper; its hunk stops two lines into the body. (The first
# line makes the base the January 2026 API, where the model knows vma_flags_set_mask().)
HEAD = hunk(
    19,
    """
 #define EMPTY_VMA_FLAGS ((vma_flags_t){ })
 /* Set flags. */
-static inline void vma_flags_set_mask(vma_flags_t *flags, vma_flags_t to_set)
+static __always_inline void vma_flags_set_mask(vma_flags_t *flags,
+\t\tvma_flags_t to_set)
 {
 \tunsigned long *dst = flags->__vma_flags;
 \tconst unsigned long *src = to_set.__vma_flags;
""",
)


def tail(body: str = "\tbitmap_or(dst, dst, src, NUM_VMA_FLAG_BITS);", start: int = 26) -> str:
    """Patch 2 changes a line below the helper; its context shows the helper's end (after
    patch 1 the helper's blank line is line 26)."""
    return hunk(
        start,
        f"""

{" " + body}
 }}

-#define VMA_FOO_OLD 1
+#define VMA_FOO_NEW 1
""",
        "static __always_inline void vma_flags_set_mask(vma_flags_t *flags,",
    )


def _states(*diffs: str) -> line_states.FileStates:
    steps = [(i + 1, f) for i, d in enumerate(diffs) for f in parse_diff(d)]
    return line_states.build(steps)[PATH]


def test_a_helper_cut_in_one_patch_is_whole_with_the_next_patch_context():
    fs = _states(diff(PATH, HEAD), diff(PATH, tail()))
    assert fs.consistent and fs.patches == [1, 2]
    got = line_states.whole_definition(fs.lines_after(1), "vma_flags_set_mask", 21)
    assert got is not None and not got.defn.node.has_error
    assert "bitmap_or(dst, dst, src" in got.text and got.text.rstrip().endswith("}")
    assert "vma_flags_t to_set)" in got.text  # the head as patch 1 made it
    # the base state (before patch 1) has the old one-line head and the same end
    base = line_states.whole_definition(fs.known[0], "vma_flags_set_mask", 21)
    assert base is not None and "(vma_flags_t *flags, vma_flags_t to_set)" in base.text
    assert "vma_flags_set_mask" in {w.defn.name for w in line_states.definitions_in(fs.known[0])}


def test_pieces_that_do_not_line_up_are_not_combined():
    # patch 2 claims a different text at a line patch 1 showed (not the same base)
    clash = hunk(
        24,
        """
 \tunsigned long *dst = flags->other;
 \tconst unsigned long *src = to_set.__vma_flags;

-\tbitmap_or(dst, dst, src, NUM_VMA_FLAG_BITS);
+\tbitmap_andnot(dst, dst, src, NUM_VMA_FLAG_BITS);
 }
""",
    )
    fs = _states(diff(PATH, HEAD), diff(PATH, clash))
    assert not fs.consistent
    assert fs.lines_after(1) == {}


def test_a_gap_in_the_shown_lines_leaves_it_cut():
    fs = _states(diff(PATH, HEAD), diff(PATH, tail(start=27)))  # one line off: a gap
    assert line_states.whole_definition(fs.lines_after(1), "vma_flags_set_mask", 21) is None


def test_closed_after_a_top_level_return():
    head = "static inline bool f(const vma_flags_t *flags)\n{\n\treturn g(flags);\n"
    got = line_states.closed_after_return(head, "f")
    assert got is not None and got.name == "f" and not got.node.has_error
    # not when the shown body does not end in a return, or has a label one could jump to
    assert line_states.closed_after_return(head.replace("return g", "g"), "f") is None
    jump = "int f(int x)\n{\n\tif (x)\n\t\tgoto out;\n\treturn 0;\n"
    assert line_states.closed_after_return(jump, "f") is None
    nested = "int f(int x)\n{\n\tif (x) {\n\t\treturn 1;\n"
    assert line_states.closed_after_return(nested, "f") is None


needs_gcc = pytest.mark.skipif(
    sandbox.gcc() is None,
    reason="system package missing: gcc (install: .ci/install-system-deps.sh)",
)


def _helper_findings(report):
    return [f for f in report.findings if "vma_flags_set_mask" in f.message]


@needs_gcc
def test_the_harness_compiles_a_helper_the_series_shows_in_two_patches():
    report = check_revision([patch(diff(PATH, HEAD)), patch(diff(PATH, tail()), index=2)])
    assert not [f for f in _helper_findings(report) if "not compiled" in f.message]
    assert any(
        "vma_flags_set_mask() is cut by the hunks" in n and "lines the series' hunks" in n
        for n in report.notes
    )
    # and it is really run: the body patch 2 shows decides the result
    wrong = tail("\tbitmap_andnot(dst, dst, src, NUM_VMA_FLAG_BITS);")
    report = check_revision([patch(diff(PATH, HEAD)), patch(diff(PATH, wrong), index=2)])
    errors = [f for f in _helper_findings(report) if f.check == "helper-def"]
    assert errors and errors[0].patch == 1 and errors[0].severity == "error"


def test_a_file_the_series_creates_is_known_whole_in_later_states():
    created = (
        f"diff --git a/{PATH} b/{PATH}\nnew file mode 100644\n--- /dev/null\n+++ b/{PATH}\n"
        "@@ -0,0 +1,5 @@\n"
        "+static inline bool f(const vma_flags_t *flags)\n"
        "+{\n"
        "+\treturn g(flags);\n"
        "+}\n"
        "+#define X 1\n"
    )
    later = hunk(4, "\n }\n-#define X 1\n+#define X 2\n")
    fs = _states(created, diff(PATH, later))
    assert fs.consistent and fs.known[0] == {}
    got = line_states.whole_definition(fs.lines_after(2), "f", 1)
    assert got is not None and "return g(flags);" in got.text


def test_mover_agrees_with_moved():
    """The bisecting mover gives what the linear scan gives, insertions, removals, hunks at
    line 0/1 and hunks out of order included."""
    import random

    from reviewer.flagmodel.line_states import _moved, _mover

    rng = random.Random(7)
    for _ in range(400):
        ranges, ostart, nstart = [], rng.randint(0, 3), rng.randint(0, 3)
        for _ in range(rng.randint(0, 5)):
            olen, nlen = rng.randint(0, 4), rng.randint(0, 4)
            ranges.append((ostart, olen, nstart, nlen))
            gap = rng.randint(0, 6)
            ostart, nstart = ostart + olen + gap, nstart + nlen + gap
        if rng.random() < 0.2:
            rng.shuffle(ranges)
        for forward in (False, True):
            move = _mover(ranges, forward)
            for n in range(0, 60):
                assert move(n) == _moved(n, ranges, forward), (ranges, forward, n)


@needs_gcc
def test_a_helper_pieced_together_from_two_patches_still_passes_the_allowlist():
    """Mail is hostile: a body the rebuild joins from another patch's context is vetted like
    any other (an inline asm or a call of a function outside the allowlist is refused with its
    reason, never compiled)."""
    hostile_bodies = (
        ('\tasm volatile("syscall");', "token 'asm'"),
        ('\tsystem("id");', "system()"),
    )
    for body, why in hostile_bodies:
        hostile = tail(body + " bitmap_or(dst, dst, src, NUM_VMA_FLAG_BITS);")
        report = check_revision([patch(diff(PATH, HEAD)), patch(diff(PATH, hostile), index=2)])
        assert any("vma_flags_set_mask() is cut by the hunks" in n for n in report.notes), body
        refused = [f for f in _helper_findings(report) if "not compiled" in f.message]
        assert refused and refused[0].severity == "info" and why in refused[0].message, body
        assert not [f for f in _helper_findings(report) if f.check == "helper-def"], body


def test_runs_without_a_body_or_a_define_are_not_parsed(monkeypatch):
    parsed: list[str] = []
    real = line_states.parse
    monkeypatch.setattr(line_states, "parse", lambda text: parsed.append(text) or real(text))
    known = {
        1: "\tvma->vm_flags = flags;",  # a run of statements: nothing whole in it
        2: "\treturn 0;",
        10: "#  define vma_flags_x(f) ((f) + 1)",
        20: "static int f(int x)",
        21: "{",
        22: "\treturn x;",
        23: "}",
    }
    found = line_states.definitions_in(known)
    assert [(w.defn.name, w.first) for w in found] == [("vma_flags_x", 10), ("f", 20)]
    assert len(parsed) == 2 and not any("vm_flags = flags" in t for t in parsed)
