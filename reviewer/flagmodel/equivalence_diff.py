"""Where the observations of the two sides differ (result, events, flags state, locals, an object
one side changes and the other leaves alone), and the differences that leave a block undecided
rather than wrong."""

from __future__ import annotations

import itertools
from typing import Any

from reviewer.flagmodel import interp_values as interp
from reviewer.flagmodel.equivalence_show import event_diff, show_bits, show_result, show_value
from reviewer.flagmodel.equivalence_side import Obs, SideInfo


def one_sided(
    o: Obs, n: Obs, init: dict[str, int], domain: int, old_info: SideInfo, new_info: SideInfo
) -> tuple[str, str, Any] | None:
    """An object (a VMA, a descriptor, flags behind a pointer) that one side changes and the
    other leaves alone: the flags set on a local copy instead of on the VMA."""
    for name in sorted(set(o.subjects) ^ set(n.subjects)):
        obs, info = (o, old_info) if name in o.subjects else (n, new_info)
        base = name.split()[0]
        if base in info.inits or not (
            base in info.vma_names or base in info.pointer_names or "->" in name or "." in name
        ):
            continue  # a local copy (its initialiser is visible) is not observable by itself
        value = interp.comparable(obs.subjects[name], domain)
        start = init.get(name, 0) & domain
        if not isinstance(value, int) or value == start:
            continue
        require_local_to_block(name, old_info.elsewhere | new_info.elsewhere)
        changed, kept = show_bits(value), show_bits(start)
        if obs is o:
            return "state", f"flags of {name}: old {changed}, new {kept} (left unchanged)", None
        return "state", f"flags of {name}: old {kept} (left unchanged), new {changed}", name
    return None


def require_local_to_block(name: str, elsewhere: set[str]) -> None:
    if name.split(" ")[0] in elsewhere or name in elsewhere:
        raise interp.Unsupported(
            f"{name} is also changed by another changed block of the same function; the final "
            "value is decided by that region, which the model does not run as a whole"
        )


def difference(
    o: Obs,
    n: Obs,
    domain: int,
    renames: dict[str, str],
    elsewhere: set[str] = frozenset(),
) -> tuple[str, str, Any] | None:
    """(kind, message, where): where is the index of the first differing event (kind
    "event"), the subject or local that differs ("state"), or None (the result)."""
    require_defined(o, n)
    ores = interp.comparable(o.result)
    nres = interp.comparable(n.result)
    if ores != nres:
        return "result", f"old {show_result(o.result)}, new {show_result(n.result)}", None
    oev, okeys = _compared_events(o, n)
    nev, nkeys = _compared_events(n, o)
    if okeys != nkeys:
        _require_same_kinds(_truth_views(o, n), _truth_views(n, o))
        first = next(
            (
                i
                for i, (a, b) in enumerate(itertools.zip_longest(oev, nev))
                if a is None or b is None or _event_key(a) != _event_key(b)
            ),
            None,
        )
        return "event", event_diff(oev, nev), first
    for name in sorted(set(o.subjects) | set(n.subjects)):
        ov, nv = o.subjects.get(name), n.subjects.get(name)
        if ov is None or nv is None:
            continue
        if interp.comparable(ov, domain) != interp.comparable(nv, domain):
            _require_known(name, ov, nv)
            require_local_to_block(name, elsewhere)
            return (
                "state",
                f"flags of {name}: old {show_bits(interp.comparable(ov, domain))}, "
                f"new {show_bits(interp.comparable(nv, domain))}",
                name,
            )
    for name in o.locals:
        if interp.UNINIT in (o.locals[name], n.locals.get(name)):
            continue  # declared without a value on one side: nothing to compare yet
        if name in n.locals and _as_flag(o.locals[name]) != _as_flag(n.locals[name]):
            require_local_to_block(name, elsewhere)
            return (
                "state",
                f"{name}: old {show_value(o.locals[name])}, new {show_value(n.locals[name])}",
                name,
            )
    return None


def _compared_events(a: Obs, b: Obs) -> tuple[tuple, tuple]:
    """a's events as compared with b's (``_truth_views``, ``comparable``) and their
    ``_event_key``s. Without one-flag test arguments the view does not depend on b: kept on
    the observation."""
    if a.bit_tests:
        events = tuple(interp.comparable(e) for e in _truth_views(a, b))
        return events, tuple(_event_key(e) for e in events)
    if a.compared is None:
        events = tuple(interp.comparable(e) for e in a.events if e[0] != "return")
        a.compared = (events, tuple(_event_key(e) for e in events))
    return a.compared


def _as_flag(value: Any) -> Any:
    """A local as the engine compares it; a bit number as the one-flag word it names (a
    ``vm_flags_t x = VM_IO`` that became ``vma_flag_t x = VMA_IO_BIT`` holds the same flag)."""
    if isinstance(value, interp.BitNum):
        return 1 << value.bit
    return interp.comparable(value)


def _event_key(event: tuple) -> tuple:
    """An event as the sides must agree on it: an assertion by whether it fires (BUILD_BUG_ON()
    of a constant becomes VM_WARN_ON_ONCE() once the value is a bitmap), anything else whole."""
    if len(event) == 3 and event[0] == "warn":
        return ("warn", event[2])
    return event


def require_defined(o: Obs, n: Obs) -> None:
    """A flag API function with no definition anywhere has no known meaning. Called alike
    on both sides (a function whose prototype the conversion changed: vma_modify_flags()
    given `&newflags`, then `&new_vma_flags`) it is compared as any opaque call, by the flags
    it is given; called on one side only, the block is undecided."""
    for name in sorted(o.undefined | n.undefined):
        if not (_calls(o, name) and _calls(n, name)):
            raise interp.Unsupported(
                f"{name}() has no definition in the series, the tree or the API snapshot"
            )
        if _args(o, name) == _args(n, name):
            continue
        if name in o.outside | n.outside:
            raise interp.Unsupported(
                f"{name}() has no definition in the series, the tree or the API snapshot, "
                "and the flags it is given come from outside the block"
            )
        for a, b in zip(_call_args(o, name), _call_args(n, name), strict=False):
            for x, y in zip(a, b, strict=False):
                if interp.comparable(x) != interp.comparable(y) and not (
                    _kind(x) == _kind(y) == "flags"
                ):
                    raise interp.Unsupported(
                        f"{name}() has no definition in the series, the tree or the API "
                        "snapshot, and it is given something other than flags that differs"
                    )


def _call_args(obs: Obs, name: str) -> list:
    return [e[2] for e in obs.events if e[0] == "call" and e[1] == name]


def _args(obs: Obs, name: str) -> list:
    return [interp.comparable(e) for e in obs.events if e[0] == "call" and e[1] == name]


def _calls(obs: Obs, name: str) -> int:
    return sum(1 for e in obs.events if e[0] == "call" and e[1] == name)


def _truth_views(a: Obs, b: Obs) -> list:
    """a's events but returns, where a's call passes a one-flag test (`vm_flags & VM_LOCKED`)
    and b's call of the same function passes a truth value (`vma_test(vma, VMA_LOCKED_BIT)`)
    at the same place: the argument as its truth (the callee's parameter became a bool;
    without its prototype the argument's own value says what it carries)."""
    mine = [(k, e) for k, e in enumerate(a.events) if e[0] != "return"]
    theirs = [e for e in b.events if e[0] != "return"]
    out = [e for _, e in mine]
    for pos, ((k, x), y) in enumerate(zip(mine, theirs, strict=False)):
        if x[0] != "call" or y[0] != "call" or x[1] != y[1] or len(x[2]) != len(y[2]):
            continue
        args = list(x[2])
        for i, (u, v) in enumerate(zip(x[2], y[2], strict=True)):
            if (k, i) in a.bit_tests and _kind(u) == "flags" and v in (0, 1):
                args[i] = int(bool(u[1]))
        out[pos] = (x[0], x[1], tuple(args), *x[3:])
    return out


def _kind(value: Any) -> str:
    if isinstance(value, tuple) and value and value[0] in ("flags", "bit"):
        return value[0]
    if isinstance(value, bool | int):
        return "int"
    return "other"


def _require_same_kinds(oev: list, nev: list) -> None:
    """Calls of one function whose arguments differ in kind (a flags word on one side, a
    bool/int or a pointer on the other) compare values of different parameter types: without
    the callee's prototype the model cannot say whether they mean the same, so the block is
    undecided, not wrong."""
    for a, b in itertools.zip_longest(oev, nev):
        if interp.comparable(a) == interp.comparable(b):
            continue
        if (
            a is not None
            and b is not None
            and a[0] == b[0] == "call"
            and a[1] == b[1]
            and len(a[2]) != len(b[2])
        ):
            raise interp.Unsupported(
                f"{a[1]}() takes {len(a[2])} arguments on the old side and {len(b[2])} on the "
                "new: its prototype changed and the model does not follow the call"
            )
        if (
            a is not None
            and b is not None
            and a[0] == b[0] == "call"
            and a[1] == b[1]
            and len(a[2]) == len(b[2])
        ):
            for i, (x, y) in enumerate(zip(a[2], b[2], strict=True)):
                if (
                    interp.comparable(x) != interp.comparable(y)
                    and _kind(x) != _kind(y)
                    and "flags"
                    in (
                        _kind(x),
                        _kind(y),
                    )
                ):
                    raise interp.Unsupported(
                        f"{a[1]}() is passed a flags word on one side and another kind of value "
                        f"on the other (argument {i + 1}); its prototype is not visible"
                    )
        return


def _require_known(name: str, old: Any, new: Any) -> None:
    """A difference involving a value the model could not resolve is undecided, not a
    counterexample: raise so the block is reported unverified with the reason."""
    for value in (old, new):
        if isinstance(value, interp.Opaque):
            raise interp.Unsupported(
                f"flags of {name} depend on {value.key!r}, which the model cannot resolve"
            )


def is_error_return(res: Any) -> bool:
    if not isinstance(res, tuple):
        return False
    kind, value = res
    if kind == "goto":
        return True
    if isinstance(value, interp.Opaque):
        return value.key.startswith("-E") or value.key.startswith("ERR_PTR")
    return isinstance(value, int) and value < 0


def copy_of(init) -> str:
    """The flags an initialiser copies, when it is nothing but a copy of one name, converted
    or not (``X``, ``*X``, ``READ_ONCE(X)``, ``legacy_to_vma_flags(X)``): else ""."""
    from reviewer.flagmodel.c_parse import text_of

    node = init
    for _ in range(4):
        while node is not None and node.type == "parenthesized_expression":
            node = node.named_children[0] if node.named_children else None
        if node is None:
            return ""
        if node.type == "identifier":
            return text_of(node)
        if node.type == "pointer_expression":
            node = node.child_by_field_name("argument")
            continue
        if node.type != "call_expression":
            return ""
        args = node.child_by_field_name("arguments")
        inner = [a for a in args.named_children if a.type != "comment"] if args else []
        if len(inner) != 1:
            return ""
        node = inner[0]
    return ""


def copy_pairs(info: SideInfo) -> list[tuple[str, str]]:
    """(copy, X) of each local whose visible initialiser is a copy of X, by name."""
    pairs = []
    for copy, value in sorted(info.inits.items()):
        source = copy_of(value)
        if source and copy != source:
            pairs.append((copy, source))
    return pairs


def through_copies(
    o: Obs,
    n: Obs,
    init: dict[str, int],
    domain: int,
    new_info: SideInfo,
    pairs: list[tuple[str, str]] | None = None,
):
    """The old side changes flags X that the new side leaves alone, while the new side changes
    a local it declared as a copy of X (``new_vma_flags = legacy_to_vma_flags(newflags)``: the
    bitmap copy the function converts back later): the new side's X is that copy. Returns the
    new side's observation so read, and X -> copy for each such X. `pairs` is
    ``copy_pairs(new_info)`` when the caller has it."""
    import dataclasses

    subjects, used = dict(n.subjects), {}
    for copy, source in copy_pairs(new_info) if pairs is None else pairs:
        if copy not in n.subjects or source in used:
            continue
        old = o.locals.get(source, o.subjects.get(source))
        if old is None or source in n.locals:
            continue
        start = init.get(source, 0) & domain
        if interp.comparable(n.subjects.get(source, start), domain) != start:
            continue  # the new side changes X itself too: compared as X
        ov = interp.comparable(old, domain)
        if source not in o.locals and ov == start:
            continue  # the old side does not change X
        subjects[source] = n.subjects[copy]
        used[source] = copy
    if not used:
        return n, used
    return dataclasses.replace(n, subjects=subjects), used
