"""A macro rewritten to do more: the new body's events are the old body's with some inserted
(a test macro that asserts more). That is an extension, not a mistranslation, as long as each
inserted call agrees with the old body's calls of the same function in the same run: an
``ASSERT_TRUE(vma_test_single_mask(&vma, mk_vma_flags(_flag)))`` added next to
``ASSERT_TRUE(vma_flags_test(&flags, _flag))`` and ``ASSERT_TRUE(vma_test(&vma, _flag))`` must be
called with what they are called with whenever those all agree; a negated one is not."""

from __future__ import annotations

from reviewer.flagmodel import interp_values as interp
from reviewer.flagmodel.equivalence_show import show_value
from reviewer.flagmodel.equivalence_side import Obs

EXTENSION = "extension"


def extension_verdict(o: Obs, n: Obs) -> str | tuple[str, str, int] | None:
    """EXTENSION when the new events are the old ones with consistent insertions; a
    difference ("event", message, index of the new event) when an inserted call contradicts
    the old calls of its function that all agree in this run; None when the new events are
    not the old ones with insertions."""
    oev = [e for e in o.events if e[0] != "return"]
    nev = [e for e in n.events if e[0] != "return"]
    # (the comparable events equivalence_diff kept on the observations, when it did)
    old_keys = o.compared[0] if o.compared is not None else [interp.comparable(e) for e in oev]
    new_keys = n.compared[0] if n.compared is not None else [interp.comparable(e) for e in nev]
    inserted: list[int] = []
    pos = 0
    for index, _event in enumerate(nev):
        if pos < len(old_keys) and new_keys[index] == old_keys[pos]:
            pos += 1
        else:
            inserted.append(index)
    if pos < len(old_keys):
        return None
    for index in inserted:
        event = nev[index]
        if event[0] != "call":
            continue
        same = {interp.comparable(e[2]) for e in oev if e[0] == "call" and e[1] == event[1]}
        if len(same) == 1 and interp.comparable(event[2]) not in same:
            args = ", ".join(show_value(a) for a in event[2])
            agreed = ", ".join(show_value(a) for a in next(iter(same)))
            return (
                "event",
                f"the added {event[1]}({args}) disagrees with every {event[1]}() the old body "
                f"makes here ({event[1]}({agreed}))",
                index,
            )
    return EXTENSION
