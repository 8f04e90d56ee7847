"""What the interpreter does once instead of on every run (docs/speed.md, "The interpreter's
per-run cost"): values made cheaply but still compared by value, an untraced run without the
blame containers, the comparable events of a kept run worked out once, definitions ranked
once. Each test fails if the shortcut changes what the engine decides."""

from __future__ import annotations

import pytest

from reviewer.flagmodel import equivalence_diff
from reviewer.flagmodel.c_parse import definitions, parse, parse_statements
from reviewer.flagmodel.defs import Sourced, is_stub, pick
from reviewer.flagmodel.equivalence_side import Obs
from reviewer.flagmodel.interp_values import Alias, Array, BitNum, Env, Flags, Opaque
from reviewer.flagmodel.tree_state import Model


def test_values_compare_and_hash_by_value_and_by_class():
    assert Flags(6, "bitmap") == Flags(6, "bitmap")
    assert hash(Flags(6, "bitmap", "VM_X")) == hash(Flags(6, "bitmap", "VM_X"))
    assert Flags(6, "bitmap") != Flags(6, "word")
    assert BitNum(3) != Flags(3) and Opaque("x") != Alias("x")
    assert Flags(1) != ("flags", 1)  # not a tuple: interp_values.comparable tells them apart
    keyed = {Flags(1): "a", BitNum(1): "b", Opaque("k"): "c", Alias("vma"): "d"}
    assert keyed[Flags(1)] == "a" and keyed[Alias("vma")] == "d"
    assert {Array((Flags(1), BitNum(2))): 1}[Array((Flags(1), BitNum(2)))] == 1
    # slotted: no per-value dict (a check makes ~140 k of them)
    for value in (Flags(1), BitNum(1), Opaque("k"), Alias("v"), Array(())):
        assert not hasattr(value, "__dict__")


def test_an_untraced_run_has_no_blame_containers_to_write_and_a_traced_one_has_its_own():
    plain = Env(Model("S3"), {}, {}, set(), {})
    assert not plain.tracing and plain.trace.get(1) is None and not plain.branches
    with pytest.raises((AttributeError, TypeError)):
        plain.branches.append(("cond", True))  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        plain.trace[1] = "value"
    first, second = Env(Model("S3"), {}, {}, set(), {}), Env(Model("S3"), {}, {}, set(), {})
    first.start_tracing()
    second.start_tracing()
    first.branches.append(("cond", True))
    first.writes.setdefault("vma", []).append(("node", 1))
    assert first.tracing and second.branches == [] and second.writes == {}
    assert plain.branches == () and dict(plain.writes) == {}


def test_a_side_s_tables_given_at_construction_are_the_run_s():
    consts, vma_names, bit_vars = {}, {"vma"}, {"bit": 3}
    env = Env(Model("S3"), {}, {}, set(), {}, consts=consts, vma_names=vma_names, bit_vars=bit_vars)
    assert env.consts is consts and env.vma_names is vma_names and env.bit_vars is bit_vars
    bare = Env(Model("S3"), {}, {}, set(), {})
    assert bare.consts == {} and bare.pointer_names == set() and bare.index_vars == {}
    assert bare.bit_params is not Env(Model("S3"), {}, {}, set(), {}).bit_params


def _obs(events, bit_tests=frozenset()):
    return Obs(None, tuple(events), {}, {}, [], [], bit_tests=frozenset(bit_tests))


def test_compared_events_are_kept_on_a_run_and_a_one_flag_test_still_reads_the_other_side():
    words = _obs([("call", "f", (("flags", 4),)), ("return", 0)])
    other = _obs([("call", "f", (("flags", 2),))])
    truths = _obs([("call", "f", (1,)), ("return", 0)])
    first = equivalence_diff.difference(words, other, 0xFF, {})
    assert first is not None and first[0] == "event"
    assert words.compared == ((("call", "f", (4,)),), (("call", "f", (4,)),))
    # the same answer again from what was kept
    assert equivalence_diff.difference(words, other, 0xFF, {}) == first
    assert equivalence_diff.difference(words, words, 0xFF, {}) is None
    # `f(vm_flags & VM_X)` (a one-flag test) against `f(bool)`: compared by truth, not kept
    tested = _obs([("call", "f", (("flags", 4),)), ("return", 0)], {(0, 0)})
    assert equivalence_diff.difference(tested, truths, 0xFF, {}) is None
    assert tested.compared is None
    assert equivalence_diff.difference(tested, _obs([("call", "f", (0,))]), 0xFF, {}) is not None


def test_definitions_are_ranked_once_and_a_tie_still_goes_to_the_later_one():
    root = parse(
        "#ifdef CONFIG_X\nstatic inline int f(int a) { return a; }\n#endif\n"
        "static inline int f(int a) { return 0; }\n"
        "static inline int f(int a) { return a + 1; }\n"
    )
    cands = [Sourced(d, "test", "x.h") for d in definitions(root)]
    assert [is_stub(c.defn) for c in cands] == [False, True, False]
    assert pick(cands, "all") is cands[2]  # no condition, not a stub, later of a tie
    assert pick(cands[:2], "all") is cands[0]  # CONFIG_X enabled, the stub loses
    assert pick(cands[:2], "min") is cands[1]  # CONFIG_X disabled: its twin does not apply


def test_statement_structure_asked_once_gives_the_same_runs_on_every_assignment():
    frag = parse_statements(
        "struct vm_area_struct vma = { .flags = flags, };\n"
        "if (vma_flags_test(&vma.flags, VMA_WRITE_BIT)) {\n"
        "\tx = 1;\n} else {\n\tx = 2;\n}\n"
    )
    assert frag.ok
    for bits in (0, 1 << 1):
        env = Env(Model("S3"), {"flags": bits}, {}, {"flags"}, {})
        from reviewer.flagmodel.interp_statements import run_statements

        run_statements(env, frag.statements)
        assert env.frames[0].locals["x"] == (1 if bits else 2)
