"""What a changed prototype's parameters stand for, from the calls the series shows.

``accountable_mapping(struct file *file, vm_flags_t vm_flags)`` became
``accountable_mapping(struct mmap_state *map)`` and its caller went from
``accountable_mapping(map->file, map->vm_flags)`` to ``accountable_mapping(map)``: inside the
function, the old ``vm_flags`` are the flags of the new ``map``. The binding holds when every
call of the function the patch shows passes, on the old side, the flags of one object and, on
the new side, that object itself (as many calls on each side)."""

from __future__ import annotations

from collections import Counter

from tree_sitter import Node

from reviewer.flagmodel.c_parse import nodes_of, text_of
from reviewer.flagmodel.tree_state import Signature, is_word_type

_FLAG_FIELDS = ("vm_flags", "vma_flags", "flags")


def param_binds(
    old_sigs: dict[str, Signature],
    new_sigs: dict[str, Signature],
    old_roots: list[Node],
    new_roots: list[Node],
) -> dict[str, dict[str, str]]:
    """function -> {new parameter: old flags parameter it now carries}."""
    out: dict[str, dict[str, str]] = {}
    for name, old in old_sigs.items():
        new = new_sigs.get(name)
        if new is None or old.params == new.params:
            continue
        old_calls, new_calls = _calls(old_roots, name), _calls(new_roots, name)
        if not old_calls or len(old_calls) != len(new_calls):
            continue
        kept = {p for _t, p in new.params}
        binds: dict[str, str] = {}
        for i, (otype, oname) in enumerate(old.params):
            if oname in kept or not is_word_type(otype, oname):
                continue
            owners = Counter(_owner(call[i]) if i < len(call) else "" for call in old_calls)
            if "" in owners:
                continue
            for j, (_ntype, nname) in enumerate(new.params):
                if nname in binds or any(p == nname for _t, p in old.params):
                    continue
                given = Counter(_plain(call[j]) if j < len(call) else "" for call in new_calls)
                if given == owners:
                    binds[nname] = oname
                    break
        if binds:
            out[name] = binds
    return out


def _calls(roots: list[Node], name: str) -> list[list[Node]]:
    out = []
    for root in roots:
        for call in nodes_of(root, "call_expression"):
            fn = call.child_by_field_name("function")
            args = call.child_by_field_name("arguments")
            if fn is None or args is None or text_of(fn) != name or call.has_error:
                continue
            out.append([a for a in args.named_children if a.type != "comment"])
    return out


def _owner(arg: Node) -> str:
    """`obj->vm_flags` / `obj.vm_flags`: obj (a plain name), else ""."""
    if arg.type != "field_expression":
        return ""
    base, fld = arg.child_by_field_name("argument"), arg.child_by_field_name("field")
    if base is None or fld is None or base.type != "identifier":
        return ""
    return text_of(base) if text_of(fld) in _FLAG_FIELDS else ""


def _plain(arg: Node) -> str:
    return text_of(arg) if arg.type == "identifier" else ""
