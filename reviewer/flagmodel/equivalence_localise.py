"""Which new-side decision, and which operand of it, a difference comes from, when the two
sides do not have the same shape (equivalence_blame follows same-shaped pairs of nodes).

Two questions, both answered from runs of the block:

* the *decision*: the paths part at an ``if`` of the new side. When the new side does
  something the old one does not (returns, calls), it is the innermost ``if`` taken on the way
  to it; when the new side falls through where the old one returned or called, it is the ``if``
  not taken whose body would have done it and whose condition names a bit the input has set.
* the *operand* of a logical chain (``a && b && !c``, or ``||``): every assignment the search
  enumerates is run again; where the two sides agree the chain's value was right, where they
  differ it should have been the other one (the hypothesis that this decision is the slip).
  With that truth table: an operand that is false where the chain must be true is wrong (an
  ``&&``; dually for ``||``); else, when every operand is implied and the chain is too weak,
  the one operand that is not a plain conjunction of bit tests (an any<->all slip) is wrong;
  else the one operand testing the same flags with the same polarity as the bit test the chain
  lacks (a dropped bit).
Nothing here decides equivalence: it only picks the line a finding is reported at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from tree_sitter import Node

from reviewer.flagmodel import interp_values as interp
from reviewer.flagmodel.c_parse import operator_text, text_of, unparen

MAX_RUNS = 256

# (init, atoms) -> (traced env of the new side, whether the two sides agree), or None
Probe = Callable[[dict[str, int], dict[str, bool]], "tuple[Any, bool] | None"]


def _truthy(value: Any) -> bool | None:
    if isinstance(value, interp.Flags):
        return value.bits != 0
    if isinstance(value, bool | int):
        return value != 0
    return None


def _inside(node: Node, outer: Node | None) -> bool:
    return (
        outer is not None
        and outer.start_byte <= node.start_byte
        and node.end_byte <= outer.end_byte
    )


def path_decision(
    oenv, nenv, o_events, n_events, kind: str, where: Any
) -> tuple[list[Node], bool] | None:
    """(conditions of the new side's deciding ``if``s, outermost first: every ``if`` taken on
    the way to what only the new side does, else the one ``if`` not taken; the value their
    conjunction should have had), or None."""
    if kind == "result":
        nrets = [e for e in n_events if e[0] in ("return", "goto")]
        orets = [e for e in o_events if e[0] in ("return", "goto")]
        target = nenv.event_nodes.get(id(nrets[-1])) if nrets else None
        missing = orets[-1] if orets and not nrets else None
    elif kind == "event" and isinstance(where, int):
        nev = [e for e in n_events if e[0] != "return"]
        oev = [e for e in o_events if e[0] != "return"]
        target = nenv.event_nodes.get(id(nev[where])) if where < len(nev) else None
        missing = oev[where] if target is None and where < len(oev) else None
    else:
        return None
    taken = {c.id for c, t in nenv.branches if t}
    if target is not None:
        conds: list[Node] = []
        node = target.parent
        while node is not None:
            if node.type == "if_statement":
                cond = node.child_by_field_name("condition")
                if (
                    cond is not None
                    and cond.id in taken
                    and _inside(target, node.child_by_field_name("consequence"))
                ):
                    conds.insert(0, cond)
            node = node.parent
        return (conds, False) if conds else None
    if missing is None:
        return None
    set_bits = 0
    for value in nenv.init.values():
        set_bits |= value if isinstance(value, int) else 0
    found = []
    for cond, was in nenv.branches:
        if was or not (nenv.node_bits.get(cond.id, 0) & set_bits):
            continue
        body = cond.parent.child_by_field_name("consequence") if cond.parent else None
        if body is not None and _would_do(body, missing):
            found.append(cond)
    return ([found[0]], True) if len(found) == 1 else None


def _would_do(body: Node, event: tuple) -> bool:
    """The body holds a statement of the missing event's kind (a return; a call of that name)."""
    from reviewer.flagmodel.c_parse import walk

    for node in walk(body):
        if event[0] in ("return", "goto") and node.type in ("return_statement", "goto_statement"):
            return True
        if node.type == "call_expression" and len(event) > 1:
            fn = node.child_by_field_name("function")
            if fn is not None and text_of(fn) == str(event[1]):
                return True
    return False


def _chain(node: Node, op: str) -> list[Node]:
    node = unparen(node) or node
    if node.type == "binary_expression" and operator_text(node) == op:
        return _chain(node.child_by_field_name("left"), op) + _chain(
            node.child_by_field_name("right"), op
        )
    return [node]


class Localiser:
    """The runs of a block over the assignments the search enumerated, for truth tables of the
    new side's nodes."""

    def __init__(
        self,
        space: Iterable[tuple[dict[str, int], dict[str, bool]]],
        probe: Probe,
        bits: Iterable[int],
    ):
        bits = sorted(bits)
        self.rows: list[tuple[dict[tuple[str, Any], bool], dict[int, Any], bool]] = []
        for count, (init, atoms) in enumerate(space):
            if count >= MAX_RUNS:
                break
            got = probe(init, atoms)
            if got is None:
                continue
            env, agree = got
            inputs = {}
            for name, word in init.items():
                for bit in bits:
                    inputs[(name, bit)] = bool(int(word) >> bit & 1)
            inputs.update({("<atom>", a): v for a, v in atoms.items()})
            self.rows.append((inputs, dict(env.trace), agree))

    def operand(self, cond: Node, nenv) -> Node | None:
        """The operand of a logical chain at `cond` the difference comes from, or None."""
        cond = unparen(cond) or cond
        if cond.type != "binary_expression" or operator_text(cond) not in ("&&", "||"):
            return None
        op = operator_text(cond)
        flip = op == "||"  # a || b is !( !a && !b ): work on the && of the negations
        return self._pick(_chain(cond, op), lambda trace: _truthy(trace.get(cond.id)), flip, nenv)

    def path(self, conds: list[Node], nenv) -> Node | None:
        """The condition (or operand of one) among nested ``if``s taken on the way to what
        differs, read as one ``&&`` chain, outermost first."""

        def value(trace) -> bool | None:
            for cond in conds:
                got = _truthy(trace.get(cond.id))
                if got is None:
                    return None if cond is conds[0] else False
                if not got:
                    return False
            return True

        leaves = [leaf for cond in conds for leaf in _chain(cond, "&&")]
        return self._pick(leaves, value, False, nenv)

    def _pick(self, leaves: list[Node], value, flip: bool, nenv) -> Node | None:
        want, vals = [], []
        for inputs, trace, agree in self.rows:
            got = value(trace)
            if got is None:
                continue
            should = got if agree else not got
            want.append((inputs, should != flip))
            vals.append([_flip(_truthy(trace.get(leaf.id)), flip) for leaf in leaves])
        if not want or all(agree for _i, _t, agree in self.rows):
            return None
        # 1. an operand false where the chain must be true
        bad = [
            leaf
            for k, leaf in enumerate(leaves)
            if any(w and v[k] is False for (_, w), v in zip(want, vals, strict=True))
        ]
        if len(bad) == 1:
            return bad[0]
        if bad:
            return None
        # 2. the chain is too weak: the one operand that is not a conjunction of bit tests
        lits = [self._literals(k, leaf, want, vals, nenv) for k, leaf in enumerate(leaves)]
        odd = [leaf for leaf, got in zip(leaves, lits, strict=True) if got is None]
        if len(odd) == 1:
            return odd[0]
        if odd:
            return None
        # 3. the bit test the chain lacks: the operand testing those flags that way
        need = _fixed(inputs for inputs, w in want if w)
        have = set().union(*(set(x) for x in lits if x))
        for (name, bit), value in need.items():
            if (name, bit) in have or name == "<atom>":
                continue
            same = [
                leaf
                for leaf, got in zip(leaves, lits, strict=True)
                if got
                and any(n == name and (v != flip) == (value != flip) for (n, _b), v in got.items())
            ]
            if len(same) == 1:
                return same[0]
        return None

    def _literals(self, k: int, leaf: Node, want, vals, nenv) -> dict | None:
        """The bit tests operand k is the conjunction of (input -> value it requires), over the
        bits it names; None when it is no such conjunction."""
        named = nenv.node_bits.get(leaf.id, 0)
        rows = [
            (inputs, v[k]) for (inputs, _w), v in zip(want, vals, strict=True) if v[k] is not None
        ]
        true_rows = [inputs for inputs, value in rows if value]
        if not true_rows:
            return None
        fixed = {
            key: value
            for key, value in _fixed(true_rows).items()
            if key[0] != "<atom>" and key[1] < 4096 and named >> key[1] & 1
        }
        for inputs, value in rows:
            if value != all(inputs.get(key, False) == v for key, v in fixed.items()):
                return None
        return fixed


def _flip(value: bool | None, flip: bool) -> bool | None:
    return None if value is None else value != flip


def _fixed(rows: Iterable[dict]) -> dict:
    """Inputs with the same value in every row."""
    out: dict | None = None
    for inputs in rows:
        if out is None:
            out = dict(inputs)
            continue
        for key in list(out):
            if inputs.get(key, False) != out[key]:
                del out[key]
    return out or {}
