"""c_parse.nodes_of: every node of the kinds, in source order, outer before inner, error trees
too; c_parse.definitions reads a tree once."""

from reviewer.flagmodel import c_parse

SOURCE = """\
static inline void f(struct vm_area_struct *vma, vma_flags_t *flags)
{
\tg(h)(x);
\tvma->vm_flags = y | VM_READ;
\tvma_flags_set(flags, VMA_WRITE_BIT);
#ifdef CONFIG_X
\tz(a, b(c));
#endif
}
#define MASK(x) (BIT(x) | other(x))
"""

BROKEN = "void h(void) { a = b(; vma->flags = c(d)(e) }"


def _walked(root, kinds):
    found = [n for n in c_parse.walk(root) if n.type in kinds]
    return sorted(found, key=lambda n: (n.start_byte, -n.end_byte))


def test_query_matches_the_walk():
    kinds_list = [
        ("call_expression",),
        ("identifier", "type_identifier", "field_identifier"),
        ("assignment_expression", "call_expression"),
        ("preproc_ifdef", "preproc_if", "preproc_elif"),
        ("function_definition", "declaration"),
        ("parameter_declaration", "declaration", "field_declaration"),
    ]
    for text in (SOURCE, BROKEN):
        root = c_parse.parse(text)
        for kinds in kinds_list:
            got = c_parse.nodes_of(root, *kinds)
            assert got == _walked(root, kinds), (text, kinds)
        body = c_parse.nodes_of(root, "compound_statement")[0]
        assert c_parse.nodes_of(body, "call_expression") == _walked(body, ("call_expression",))


def test_outer_call_before_inner_and_root_included():
    root = c_parse.parse(SOURCE)
    calls = [c_parse.text_of(n) for n in c_parse.nodes_of(root, "call_expression")]
    assert calls[:2] == ["g(h)(x)", "g(h)"]
    assert "b(c)" in calls and calls.index("z(a, b(c))") < calls.index("b(c)")
    unit = c_parse.nodes_of(root, "translation_unit")
    assert unit == [root]


def test_anonymous_and_unknown_kinds():
    root = c_parse.parse(SOURCE)
    assert c_parse.nodes_of(root, "|") == _walked(root, ("|",))
    assert len(c_parse.nodes_of(root, "|")) == 1  # a macro body is not parsed
    assert c_parse.nodes_of(root, "no_such_kind") == []


def test_result_is_a_fresh_list():
    root = c_parse.parse(SOURCE)
    first = c_parse.nodes_of(root, "identifier")
    first.clear()
    assert c_parse.nodes_of(root, "identifier")


def test_definitions_are_fresh_objects_of_one_reading():
    """definitions() reads a tree once but hands out new objects each call (callers key
    definitions by identity, e.g. the harness' line map)."""
    root = c_parse.parse(SOURCE)
    first, again = c_parse.definitions(root), c_parse.definitions(root)
    assert [d.name for d in first] == ["f", "MASK"]
    assert first == again
    assert all(a is not b and a.params is not b.params for a, b in zip(first, again, strict=True))
    assert c_parse._tree_definitions in c_parse.NODE_MEMOS
