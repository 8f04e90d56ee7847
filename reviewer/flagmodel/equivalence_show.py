"""Text of a difference for the reader: flags values as bit names, events and results of a run, the
counterexample's inputs, a locking change, an OR-in that became an assignment."""

from __future__ import annotations

import itertools
from typing import Any

from reviewer.flagmodel import interp_values as interp
from reviewer.flagmodel import registry
from reviewer.flagmodel.equivalence_side import Obs


def lock_text(old: list[str], new: list[str]) -> str:
    if old and not new:
        return (
            f"old code took the VMA write lock via {', '.join(sorted(set(old)))}(); the new "
            "helpers take no lock"
        )
    if new and not old:
        return f"new code takes the VMA write lock via {', '.join(sorted(set(new)))}()"
    return f"locking helpers changed: {sorted(set(old))} -> {sorted(set(new))}"


def overwrite_summary(o: Obs, n: Obs, init: dict[str, int], domain: int) -> str:
    """Name the common behaviour change "OR-in became assignment" when the counterexample
    shows it: the old side kept the target's own bits on top of the source's, the new side
    holds exactly the source's."""
    for name in sorted(set(o.subjects) & set(n.subjects)):
        before = init.get(name, 0) & domain
        old_val, new_val = (
            interp.comparable(o.subjects[name], domain),
            interp.comparable(n.subjects[name], domain),
        )
        if not isinstance(old_val, int) or not isinstance(new_val, int) or old_val == new_val:
            continue
        sources = [src for src in sorted(init) if src != name and init[src] & domain == new_val]
        if sources and old_val == before | new_val:
            return (
                f"flags of {name} are now overwritten instead of OR-ed in: a flag set in "
                f"{name} but clear in {sources[0]} is now cleared"
            )
    return ""


def event_diff(oev: list, nev: list) -> str:
    for a, b in itertools.zip_longest(oev, nev):
        if a != b:
            return f"old {_show_event(a)}, new {_show_event(b)}"
    return "events differ"


def _show_event(ev: Any) -> str:
    if ev is None:
        return "does nothing more"
    if ev[0] == "call":
        return f"calls {ev[1]}({', '.join(show_value(v) for v in ev[2])})"
    if ev[0] == "warn":
        return f"{ev[1]}() condition {'true' if ev[2] else 'false'}"
    if ev[0] == "store":
        return f"stores {show_value(ev[2])} to {ev[1]}"
    if ev[0] == "goto":
        return f"jumps to {ev[1]}"
    if ev[0] == "branch":
        return f"condition {'true' if ev[1] else 'false'}"
    return str(ev)


def show_result(res: Any) -> str:
    if res is None:
        return "falls through"
    kind, value = res
    if kind == "goto":
        return f"jumps to {value}"
    return f"returns {show_value(value)}"


def show_value(value: Any) -> str:
    value = interp.comparable(value) if not isinstance(value, interp.Opaque) else value
    if isinstance(value, interp.Opaque):
        return value.key
    if isinstance(value, int):
        return str(value) if value in (0, 1) or value < 0 else show_bits(value)
    if isinstance(value, tuple) and value and value[0] == "bit":
        return registry.bit_label(value[1]).replace("VM_", "VMA_") + "_BIT"
    return str(value)


def show_bits(bits: Any) -> str:
    """Names of the bits of a flags value; any other value (an unknown value such as
    ``*vma_flags`` read through a pointer the block does not resolve) shown as itself."""
    if not isinstance(bits, int) or isinstance(bits, bool) or bits < 0:
        return show_value(bits)
    if bits == 0:
        return "none"
    names = []
    while bits:
        low = bits & -bits
        names.append(registry.bit_label(low.bit_length() - 1))
        bits ^= low
    return "|".join(names)


def describe(
    init: dict[str, int],
    atoms: dict[str, bool],
    bits: list[int],
    subjects: list[str],
    fixed: dict[str, int],
) -> str:
    parts = []
    for subj in subjects:
        on = [registry.bit_label(b) for b in bits if init.get(subj, 0) >> b & 1]
        off = [registry.bit_label(b) for b in bits if not init.get(subj, 0) >> b & 1]
        desc = []
        if on:
            desc.append(" and ".join(on) + " set")
        if off:
            desc.append(" and ".join(off) + " clear")
        parts.append(f"{', '.join(desc)} in {subj}")
    for atom, val in atoms.items():
        parts.append(f"`{atom}` {'true' if val else 'false'}")
    return "with " + "; ".join(parts) if parts else "always"
