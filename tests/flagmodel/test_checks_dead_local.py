"""dead-local on real March 2026 lines (do_brk_flags() soft-dirty, fixed in v3)."""

from __future__ import annotations

from tests.flagmodel import march

BUG = "\t\tvma_flags_set(&vma_flags, VMA_SOFTDIRTY_BIT);"


def test_softdirty_on_the_dead_local_is_an_error():
    [found] = march.run("dead-local", [march.patch("v2", 17)])
    assert (found.file, found.line, found.severity) == ("mm/vma.c", 2946, "error")
    assert "vma_flags" in found.message and "where the old code changed vma" in found.message


def test_fixed_line_on_the_vma_is_fine():
    assert march.run("dead-local", [march.patch("v4", 17)]) == []


def test_local_read_afterwards_is_fine():
    """mseal_apply() sets VMA_SEALED_BIT on its local vma_flags and passes it on."""
    assert [
        f for f in march.run("dead-local", [march.patch("v2", 22)]) if f.file == "mm/mseal.c"
    ] == []


def test_set_becomes_clear_still_caught():
    p = march.mutate(march.patch("v2", 17), BUG, BUG.replace("vma_flags_set", "vma_flags_clear"))
    [found] = march.run("dead-local", [p])
    assert found.line == 2946 and found.severity == "warning"


def test_the_finding_names_the_flag_set_on_the_local():
    # the reply can say which flag never reaches the VMA; another bit there is another finding
    [found] = march.run("dead-local", [march.patch("v2", 17)])
    assert "VMA_SOFTDIRTY_BIT is never set on vma" in found.message
    p = march.mutate(march.patch("v2", 17), BUG, BUG.replace("SOFTDIRTY", "MIXEDMAP"))
    [other] = march.run("dead-local", [p])
    assert "VMA_MIXEDMAP_BIT is never set on vma" in other.message


def test_old_subjects_parse_only_lines_naming_a_writer(monkeypatch):
    """The subjects the removed lines wrote: only a line that names a flags writer is parsed
    for its calls (the others cannot call one)."""
    from reviewer.flagmodel.checks import dead_local
    from reviewer.flagmodel.hunk_pairs import parse_diff
    from tests.flagmodel import synth

    body = """
-\tint unrelated = compute(a, b);
-\tvm_flags_set(vma, VM_SOFTDIRTY);
+\tvma_flags_set(&vma_flags, VMA_SOFTDIRTY_BIT);
"""
    [f] = parse_diff(synth.diff("mm/x.c", synth.hunk(10, body)))
    parsed, real = [], dead_local.parse
    monkeypatch.setattr(dead_local, "parse", lambda text: parsed.append(text) or real(text))
    subjects = dead_local._old_subjects(f, dead_local._writers())
    assert list(subjects.values()) == [[("vma", "word_set")]]
    assert parsed == ["\tvm_flags_set(vma, VM_SOFTDIRTY);"]
