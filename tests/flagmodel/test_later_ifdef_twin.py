"""ifdef-twin: a changed prototype is no static inline body with a stub twin to miss (the shape
met in a June 2026 series: an extern helper's prototype converted right above a static inline
wrapper that calls it, in a header hunk whose @@ line is cut after a comma)."""

from __future__ import annotations

from tests.flagmodel import synth
from tests.flagmodel.march import run

SECTION = "unsigned long get_area(struct file *file, unsigned long addr,"
PROTO = "unsigned long __get_area(struct file *file, unsigned long len, {});"
WRAPPER = """
 static inline unsigned long get_area_simple(struct file *file, unsigned long len)
 {
 \treturn __get_area(file, len, 0);
 }
"""


def _header(lines: str):
    return synth.patch(synth.diff("include/linux/mm.h", synth.hunk(200, lines, SECTION)))


def test_changed_prototype_is_no_one_sided_twin():
    lines = (
        f"-{PROTO.format('vm_flags_t vm_flags')}\n+{PROTO.format('vma_flags_t vma_flags')}\n"
        + WRAPPER
    )
    assert run("ifdef-twin", [_header(lines)]) == []


def test_converted_static_inline_body_still_warns():
    """The check itself still fires for a static inline body the patch converts alone."""
    body = "static inline unsigned long __get_area(struct file *file, unsigned long len, {})"
    lines = (
        f"-{body.format('vm_flags_t vm_flags')}\n+{body.format('vma_flags_t vma_flags')}\n"
        " {\n \treturn len;\n }\n" + WRAPPER
    )
    found = run("ifdef-twin", [_header(lines)])
    assert [(f.severity, f.line) for f in found] == [("warning", 200)]
