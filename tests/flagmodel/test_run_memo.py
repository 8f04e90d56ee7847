"""The search gives back a side's run for an assignment that agrees with it on everything the run
read (reviewer/flagmodel/run_memo.py): fewer runs, the same outcome as running every one."""

from __future__ import annotations

import pytest

from reviewer.flagmodel import equivalence_search, interp_values
from reviewer.flagmodel.c_parse import parse_statements
from reviewer.flagmodel.equivalence import SideInfo, compare
from reviewer.flagmodel.run_memo import RunMemo
from reviewer.flagmodel.tree_state import Model
from tests.flagmodel.test_tools_vma_fragments import tools_model


class _Reads:
    """What a run read (the fields of interp_values.Env that RunMemo looks at)."""

    def __init__(self, subjects=(), atoms=(), index=(), bits=(), dead=()):
        self.free_reads = set(subjects) | set(dead)
        self.key_dead = set(dead)
        self.seen_atoms = set(atoms)
        self.seen_index_vars = dict.fromkeys(index, 4)
        self.seen_bit_vars = set(bits)


DIMS = frozenset({("s", "vma"), ("a", "cond"), ("i", "i")})


def test_a_run_that_left_a_dimension_unread_is_given_back_when_what_it_read_agrees():
    memo = RunMemo(DIMS)
    memo.put(_Reads(index=["i"]), {"vma": 5}, {"cond": True}, {"i": 2}, {}, "run")
    assert memo.get({"vma": 7}, {"cond": False}, {"i": 2}, {}) == "run"
    assert memo.get({"vma": 5}, {"cond": True}, {"i": 3}, {}) is None
    assert memo.hits == 1


def test_a_subject_overwritten_before_it_was_read_is_not_part_of_the_key():
    memo = RunMemo(DIMS)
    memo.put(_Reads(dead=["vma"], atoms=["cond"]), {"vma": 5}, {"cond": True}, {}, {}, "run")
    assert memo.get({"vma": 1}, {"cond": True}, {"i": 1}, {}) == "run"
    assert memo.get({"vma": 5}, {"cond": False}, {}, {}) is None


def test_a_run_that_read_every_dimension_is_not_kept():
    memo = RunMemo(DIMS)
    reads = _Reads(subjects=["vma"], atoms=["cond"], index=["i"])
    memo.put(reads, {"vma": 5}, {"cond": True}, {"i": 0}, {}, "run")
    assert memo.patterns == {}
    assert memo.get({"vma": 5}, {"cond": True}, {"i": 0}, {}) is None


def test_a_read_for_a_key_only_then_overwritten_is_not_a_dependence():
    env = interp_values.Env(Model("S3"), {"vma": 3}, {}, set(), {})
    assert env.unused_read("vma").bits == 3
    assert "vma" in env.free_reads and env.key_only == {"vma"}  # still an input of the block
    env.set_subject("vma", interp_values.Flags(8, "bitmap"))
    assert env.key_dead == {"vma"} and env.key_only == set()
    env.subject_value("vma")  # the value the block wrote: still no dependence on the start
    assert env.key_dead == {"vma"}


def test_a_read_for_its_value_after_a_key_read_is_a_dependence():
    env = interp_values.Env(Model("S3"), {"vma": 3}, {}, set(), {})
    env.unused_read("vma")
    env.subject_value("vma")
    env.set_subject("vma", interp_values.Flags(8, "bitmap"))
    assert env.key_only == set() and env.key_dead == set()


class _NoMemo(RunMemo):
    def get(self, *args):
        return None


def _info(lists: dict[str, str]) -> SideInfo:
    nodes = {}
    for name, text in lists.items():
        decl = parse_statements(f"int __x[] = {text};").statements[0]
        nodes[name] = decl.child_by_field_name("declarator").child_by_field_name("value")
    return SideInfo(flag_names={"vm_flags", "vma_flags", "flags"}, inits=nodes)


# v4 4/25 tools/testing/vma/tests/merge.c:516, reduced: the loop body of
# test_vma_merge_special_flags(); the old side overwrites the VMA's flags (vm_flags_reset())
OLD_LOOP = "vm_flags_reset(vma, VM_READ | special_flags[i]);"
NEW_LOOP = (
    "vma_flags_t flags = mk_vma_flags(VMA_READ_BIT);\n"
    "vma_flags_set(&flags, special_flags[i]);\n"
    "vma->flags = flags;"
)
OLD_LIST = "{ VM_IO, VM_DONTEXPAND, VM_PFNMAP, VM_MIXEDMAP }"
NEW_LIST = "{ VMA_IO_BIT, VMA_DONTEXPAND_BIT, VMA_PFNMAP_BIT, VMA_MIXEDMAP_BIT }"


@pytest.mark.parametrize(
    "new_list", [NEW_LIST, NEW_LIST.replace("VMA_MIXEDMAP_BIT", "VMA_PFNMAP_BIT")]
)
def test_an_overwritten_vma_is_run_once_per_array_position_with_the_same_outcome(
    monkeypatch, new_list
):
    """Both sides overwrite the VMA's flags without reading them: each side runs once per
    position of the array, not once per assignment of the VMA's flags, and the outcome (a wrong
    item included) is the one of running every assignment."""
    old_info, new_info = _info({"special_flags": OLD_LIST}), _info({"special_flags": new_list})

    def both(memo_class):
        count = [0]
        real_init = interp_values.Env.__init__

        def counting_init(self, *args, **kwargs):
            count[0] += 1
            real_init(self, *args, **kwargs)

        with monkeypatch.context() as m:
            m.setattr(equivalence_search, "RunMemo", memo_class)
            m.setattr(interp_values.Env, "__init__", counting_init)
            out = compare(OLD_LOOP, NEW_LOOP, tools_model(), tools_model(), old_info, new_info)
        return out, count[0]

    memoised, fewer = both(RunMemo)
    every, all_runs = both(_NoMemo)
    assert (memoised.status, memoised.message, memoised.counterexample) == (
        every.status,
        every.message,
        every.counterexample,
    )
    assert memoised.status == ("equivalent" if new_list == NEW_LIST else "different")
    assert memoised.assignments == every.assignments
    assert fewer * 4 < all_runs, (fewer, all_runs)


def test_a_comparison_of_two_kept_runs_is_reused_only_under_the_flags_it_read():
    from reviewer.flagmodel.run_memo import DifferMemo

    calls = []

    def differ(o, n, init):
        calls.append(dict(init))
        return ("state", init.get("vma", 0)) if init.get("vma", 0) else None

    memo = DifferMemo()
    o, n = object(), object()
    assert memo.compare(o, n, {"vma": 0, "next": 1}, differ) is None
    assert memo.compare(o, n, {"vma": 0, "next": 2}, differ) is None  # `next` was not read
    assert memo.compare(o, n, {"vma": 4, "next": 2}, differ) == ("state", 4)
    assert memo.compare(object(), n, {"vma": 0, "next": 2}, differ) is None  # other runs
    assert len(calls) == 3


def _side(text: str, info: SideInfo):
    from reviewer.flagmodel.equivalence_side import Side

    return Side(parse_statements(text), tools_model(), info)


def test_what_a_run_saw_is_seen_again_without_running_it():
    info = _info({"copy": "vma_flags"})
    side = _side(
        "vma_flags_t copy = vma_flags;\nvma_flags_set(&copy, VMA_IO_BIT);\nvma->flags = copy;", info
    )
    side.run({}, {})
    before = (set(side.seen_subjects), list(side.locals_seen), list(side.derived_seen))
    assert before[0] and before[1]
    side.seen_subjects.clear()
    side.locals_seen.clear()
    side.derived_seen.clear()
    side.see(side.last_seen)
    assert (side.seen_subjects, side.locals_seen, side.derived_seen) == before


def test_the_discovery_of_a_side_nothing_renamed_is_not_run_twice(monkeypatch):
    from reviewer.flagmodel.equivalence_side import Side

    counts = {"old": 0, "new": 0}
    real_run = Side.run

    def run(self, init, atoms, trace=False):
        if self.memo is None and not trace:
            counts["new" if b"vma_set_flags" in self.frag.statements[0].text else "old"] += 1
        return real_run(self, init, atoms, trace)

    monkeypatch.setattr(Side, "run", run)
    info = SideInfo(flag_names={"vm_flags", "vma_flags", "flags"})
    out = compare(
        "vm_flags_set(vma, VM_IO);",
        "vma_set_flags(vma, VMA_IO_BIT);",
        tools_model(),
        tools_model(),
        info,
        info,
    )
    assert out.status == "equivalent"
    assert counts["new"] == counts["old"]  # the old side's discovery runs, no more
