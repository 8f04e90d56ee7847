"""A side run again with the same inputs gives the observation it gave and teaches the side
what it taught (equivalence_side.Side.run); a change of any input runs it again."""

from __future__ import annotations

from reviewer.flagmodel import interp_statements
from reviewer.flagmodel.c_parse import parse_statements
from reviewer.flagmodel.equivalence_side import Side, SideInfo
from reviewer.flagmodel.tree_state import Model

TEXT = "if (cond)\n\tvm_flags |= VM_LOCKED;\nnewflags = vm_flags & ~VM_WRITE;\n"


def _side(monkeypatch) -> tuple[Side, list[int]]:
    runs: list[int] = []
    original = interp_statements.run_statements

    def counted(env, stmts):
        if len(env.frames) == 1:
            runs.append(1)
        return original(env, stmts)

    monkeypatch.setattr(interp_statements, "run_statements", counted)
    info = SideInfo(flag_names={"vm_flags", "newflags"})
    return Side(parse_statements(TEXT), Model("S1"), info), runs


def test_the_same_run_is_not_interpreted_twice_and_still_teaches_the_side(monkeypatch):
    side, runs = _side(monkeypatch)
    first = side.run({"vm_flags": 0}, {})
    learnt = (set(side.seen_subjects), set(side.seen_atoms), set(side.seen_bits),
              list(side.locals_seen), set(side.inputs))  # fmt: skip
    assert learnt[0] and learnt[1] and learnt[2]
    side.seen_subjects.clear()  # as enumerate_sides does before the runs after pairing
    side.locals_seen.clear()
    again = side.run({"vm_flags": 0}, {})
    assert again is first and len(runs) == 1
    assert (set(side.seen_subjects), set(side.seen_atoms), set(side.seen_bits),
            list(side.locals_seen), set(side.inputs)) == learnt  # fmt: skip


def test_any_changed_input_runs_again(monkeypatch):
    side, runs = _side(monkeypatch)
    base = side.run({"vm_flags": 0}, {})
    other = [
        side.run({"vm_flags": 1 << 13}, {}),  # another value
        side.run({"vm_flags": 0}, {"cond": True}),  # another condition
    ]
    side.renames = {"newflags": "new_vma_flags"}
    other.append(side.run({"vm_flags": 0}, {}))
    side.bit_vars["bit"] = 3
    other.append(side.run({"vm_flags": 0}, {}))
    side.model.features = "min"
    other.append(side.run({"vm_flags": 0}, {}))
    assert len(runs) == 6 and all(o is not base for o in other)
    assert other[0].subjects != base.subjects
    traced = side.run({"vm_flags": 1 << 13}, {}, trace=True)  # blame needs its own environment
    assert traced.env is not None and len(runs) == 7
