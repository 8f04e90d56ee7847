"""Which line of the new side a difference comes from.

When a change block is not equivalent, the run that shows the difference is replayed with
tracing on (every expression of the block's own frame keeps its value, every event and write
keeps the block's node it came from). The first differing observable (an event, the result, the
final flags of a subject or a local) gives a node of each side; while both nodes have the same
shape (the same operator, the same callee) the first pair of operands whose values differ is
followed, down to where the two sides stop having the same shape: that node of the new side
is where its behaviour departs from the old side's. A value read from a local or a subject the
block wrote is followed to that write. The report names the node's first line, so a
multi-line statement is blamed on the line that holds the slip, not on the block's first line.
"""

from __future__ import annotations

from typing import Any

from tree_sitter import Node

from reviewer.flagmodel import interp_values as interp
from reviewer.flagmodel.c_parse import operator_text, text_of, unparen, walk

_MISSING = object()
_WRAP_ROWS = 1  # parse_statements wraps the fragment in a function whose header is one line


def blame_row(
    old, new, init: dict[str, int], atoms: dict[str, bool], diff, localiser=None
) -> tuple[int, str] | None:
    """(row in the new side's text, text of the blamed node's first line), or None when the
    difference cannot be narrowed (the block's first line is reported then). `localiser`
    (a callable giving an equivalence_localise.Localiser) picks the operand of a logical chain
    the sides disagree on when their shapes differ."""
    try:
        o, n = old.run(init, atoms, trace=True), new.run(init, atoms, trace=True)
    except Exception:  # noqa: BLE001 - blame is a refinement, never a new failure
        return None
    if o.env is None or n.env is None:
        return None
    kind, _, where = diff
    n.env.localiser = _Lazy(localiser)
    try:
        node = _blamed(o, n, kind, where)
    except Exception:  # noqa: BLE001 - blame is a refinement, never a new failure
        return None
    if node is None:
        return None
    row = node.start_point.row - _WRAP_ROWS
    if row < 0:
        return None
    return row, text_of(node).split("\n")[0].strip()


class _Lazy:
    """The localiser, built on first use (it runs the block over every assignment)."""

    def __init__(self, factory):
        self.factory, self.value, self.built = factory, None, False

    def get(self):
        if not self.built:
            self.built = True
            self.value = self.factory() if self.factory is not None else None
        return self.value


def _operand(nenv, cond: Node) -> Node | None:
    lazy = getattr(nenv, "localiser", None)
    loc = lazy.get() if lazy is not None else None
    return loc.operand(cond, nenv) if loc is not None else None


def _path(nenv, conds: list[Node]) -> Node | None:
    lazy = getattr(nenv, "localiser", None)
    loc = lazy.get() if lazy is not None else None
    return loc.path(conds, nenv) if loc is not None else None


def _blamed(o, n, kind: str, where: Any) -> Node | None:
    from reviewer.flagmodel.equivalence_localise import path_decision

    oenv, nenv = o.env, n.env
    if kind in ("result", "event"):
        ifs = [
            [
                (c, t)
                for c, t in env.branches
                if c.parent is not None and c.parent.type == "if_statement"
            ]
            for env in (oenv, nenv)
        ]
        if len(ifs[0]) != len(ifs[1]):
            # the sides' `if`s do not pair up (a condition split or merged): the new side's
            # decision on the way to what differs, then the operand of it that is wrong
            decision = path_decision(oenv, nenv, o.events, n.events, kind, where)
            if decision is not None:
                conds, want = decision
                named = sum(1 << min(b, 4095) for b in oenv.seen_bits)
                nested = _path(nenv, conds) if len(conds) > 1 else None
                return (
                    nested or _operand(nenv, conds[-1]) or _decisive(nenv, conds[-1], want, named)
                )
        # control flow first: the first `if` of the block taken one way on the old side and
        # the other way on the new one is where the paths part
        for obranches, nbranches in (ifs, (oenv.branches, nenv.branches)):
            for (oc, ot), (nc, nt) in zip(obranches, nbranches, strict=False):
                if bool(ot) != bool(nt):
                    return _descend(oenv, nenv, oc, nc, as_bool=True)
    if kind == "result":
        orets = [e for e in o.events if e[0] in ("return", "goto")]
        nrets = [e for e in n.events if e[0] in ("return", "goto")]
        if not nrets:
            return None
        nn = nenv.event_nodes.get(id(nrets[-1]))
        on = oenv.event_nodes.get(id(orets[-1])) if orets else None
        return _descend(oenv, nenv, on, nn)
    if kind == "event" and isinstance(where, int):
        oev = [e for e in o.events if e[0] != "return"]
        nev = [e for e in n.events if e[0] != "return"]
        if where >= len(nev):
            return None
        nn = nenv.event_nodes.get(id(nev[where]))
        on = oenv.event_nodes.get(id(oev[where])) if where < len(oev) else None
        return _descend(oenv, nenv, on, nn)
    if kind == "state" and isinstance(where, str):
        writes = nenv.writes.get(where, [])
        if not writes:
            return None
        ov = o.subjects.get(where, o.locals.get(where))
        nv = n.subjects.get(where, n.locals.get(where))
        write = _through_copy(oenv, nenv, _pick_write(nenv, where, writes, _bits(ov), _bits(nv)))
        return _guard(oenv, nenv, write) or write
    return None


def _guard(oenv, nenv, write: Node) -> Node | None:
    """The write that differs lies under a condition the two sides decided differently (the
    first such fork of the paths): the write itself may be right, the decision is the slip."""
    if write is None:
        return None
    for (oc, ot), (nc, nt) in zip(oenv.branches, nenv.branches, strict=False):
        if bool(ot) == bool(nt):
            continue
        owner = nc.parent
        if owner is None or owner.type not in ("if_statement", "conditional_expression"):
            return None
        inside = owner.start_byte <= write.start_byte and write.end_byte <= owner.end_byte
        return _descend(oenv, nenv, oc, nc, as_bool=True) if inside else None
    return None


def _through_copy(oenv, nenv, node: Node) -> Node:
    """A write that copies another local or subject the block wrote before it
    (``vma_left->flags = flags;`` after ``vma_flags_clear(&flags, ...)``): the value was made
    by that earlier write."""
    for _ in range(8):
        inner = unparen(node)
        if inner is None or inner.type != "assignment_expression" or operator_text(inner) != "=":
            return node
        source = unparen(inner.child_by_field_name("right"))
        if source is None or source.type not in ("identifier", "field_expression"):
            return node
        name = _target(nenv, source)
        if not any(w.start_byte < source.start_byte for w, _ in nenv.writes.get(name, [])):
            return node
        node = _follow(oenv, nenv, None, source)
    return node


def _pairs(o: Node, n: Node) -> tuple[list[tuple[Node, Node]], bool] | None:
    """Operand pairs of two nodes of the same shape (and whether they are truth values), or
    None when the shapes differ."""
    if o.type != n.type:
        return None
    if o.type == "binary_expression" and operator_text(o) == operator_text(n):
        pairs = [
            (o.child_by_field_name("left"), n.child_by_field_name("left")),
            (o.child_by_field_name("right"), n.child_by_field_name("right")),
        ]
        return pairs, operator_text(n) in ("&&", "||")
    if o.type == "unary_expression" and operator_text(o) == operator_text(n):
        return [
            (o.child_by_field_name("argument"), n.child_by_field_name("argument"))
        ], operator_text(n) == "!"
    if o.type == "call_expression":
        # (a call of another function with as many arguments: a helper and its replacement,
        # ASSERT_EQ(x, VM_SPECIAL) -> ASSERT_FLAGS_SAME_MASK(&x, VMA_SPECIAL_FLAGS), argument
        # for argument)
        oargs = [
            a for a in o.child_by_field_name("arguments").named_children if a.type != "comment"
        ]
        nargs = [
            a for a in n.child_by_field_name("arguments").named_children if a.type != "comment"
        ]
        if len(oargs) != len(nargs):
            return None
        return list(zip(oargs, nargs, strict=True)), False
    if o.type == "conditional_expression":
        fields = ("condition", "consequence", "alternative")
        return [(o.child_by_field_name(f), n.child_by_field_name(f)) for f in fields], False
    if o.type in ("return_statement", "assignment_expression"):
        ov, nv = o.named_children[-1:], n.named_children[-1:]
        return list(zip(ov, nv, strict=True)), False
    return None


def _truthy(value: Any) -> Any:
    if isinstance(value, interp.Flags):
        return value.bits != 0
    if isinstance(value, bool | int):
        return value != 0
    return _MISSING


def _differ(a: Any, b: Any, as_bool: bool) -> bool:
    if isinstance(a, interp.Opaque) or isinstance(b, interp.Opaque):
        return False
    if as_bool:
        ta, tb = _truthy(a), _truthy(b)
        return ta is not _MISSING and tb is not _MISSING and ta != tb
    try:
        return interp.comparable(a) != interp.comparable(b)
    except Exception:  # noqa: BLE001
        return False


def _descend(oenv, nenv, o: Node | None, n: Node | None, as_bool: bool = False) -> Node | None:
    for _ in range(64):
        o, n = unparen(o), unparen(n)
        if n is None:
            return None
        if o is None:
            return _follow(oenv, nenv, o, n)
        shape = _pairs(o, n)
        if shape is None:
            want = _truthy(oenv.trace.get(o.id, _MISSING))
            logical = n.type == "binary_expression" and operator_text(n) in ("&&", "||")
            if want is not _MISSING and logical:
                named = sum(1 << min(b, 4095) for b in oenv.seen_bits)
                return _decisive(nenv, n, want, named)
            return _follow(oenv, nenv, o, n)
        pairs, as_bool = shape
        nxt = None
        for co, cn in pairs:
            if co is None or cn is None:
                continue
            va, vb = oenv.trace.get(co.id, _MISSING), nenv.trace.get(cn.id, _MISSING)
            if va is _MISSING or vb is _MISSING:
                continue
            if _differ(va, vb, as_bool):
                nxt = (co, cn)
                break
        if nxt is None:
            # same operands, different value: the flags behind a pointer operand differ
            for co, cn in pairs:
                if cn is not None and cn.type == "pointer_expression":
                    name = _target(nenv, cn)
                    if any(w.start_byte < cn.start_byte for w, _ in nenv.writes.get(name, [])):
                        return _follow(oenv, nenv, co, cn)
            return n
        o, n = nxt
    return n


def _decisive(nenv, n: Node, want: bool, old_bits: int | None = None) -> Node:
    """The sides differ in shape here; the old side's value was `want`. In a new-side `&&`
    that is false where it should be true, the first false operand decided it (an `||` that
    is true where it should be false: its first true operand); descend while that holds."""
    for _ in range(32):
        n = unparen(n) or n
        if n.type != "binary_expression" or operator_text(n) not in ("&&", "||"):
            return n
        got = _truthy(nenv.trace.get(n.id, _MISSING))
        if got is _MISSING or got == want:
            return n
        deciding = not want  # the operand whose value fixed the wrong result
        if operator_text(n) == "&&" and want is False or operator_text(n) == "||" and want is True:
            # every operand agreed on the wrong value: the one that names a bit the old
            # side never named is the odd one, if there is exactly one
            odd = [
                c
                for c in (n.child_by_field_name("left"), n.child_by_field_name("right"))
                if c is not None
                and old_bits is not None
                and nenv.node_bits.get(c.id, 0) & ~old_bits
            ]
            return odd[0] if len(odd) == 1 else (_operand(nenv, n) or n)
        nxt = None
        for child in (n.child_by_field_name("left"), n.child_by_field_name("right")):
            if child is not None and _truthy(nenv.trace.get(child.id, _MISSING)) == deciding:
                nxt = child
                break
        if nxt is None:
            return n
        n = nxt
        inner = unparen(n) or n
        if inner.type == "binary_expression" and operator_text(inner) in ("&&", "||"):
            continue
        return n
    return n


def _bits(value: Any) -> int | None:
    if isinstance(value, interp.Flags):
        return value.bits
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def _target(env, node: Node | None) -> str:
    if node is None:
        return ""
    if node.type == "pointer_expression":
        node = node.child_by_field_name("argument") or node
    if node.type not in ("identifier", "field_expression"):
        return ""
    return env.unify(" ".join(text_of(node).split()))


def _follow(oenv, nenv, o: Node | None, n: Node) -> Node:
    """A value read from a local or subject the block wrote: blame the write that put the
    differing bits there (else the one that last named them, else the last write)."""
    name = _target(nenv, n)
    writes = [(w, v) for w, v in nenv.writes.get(name, []) if w.start_byte < n.start_byte]
    if not writes:
        return _follow_read(oenv, nenv, n)
    ov = oenv.trace.get(o.id) if o is not None else None
    nv = nenv.trace.get(n.id)
    if isinstance(ov, interp.Alias):
        ov = oenv.subjects.get(ov.subject)
    if isinstance(nv, interp.Alias):
        nv = nenv.subjects.get(nv.subject)
    return _pick_write(nenv, name, writes, _bits(ov), _bits(nv))


def _pick_write(nenv, name: str, writes: list, a: int | None, b: int | None) -> Node:
    if a is None or b is None or not (a ^ b):
        return writes[-1][0]
    differ = a ^ b
    before = _bits(interp.Flags(nenv.init.get(name, 0), "word"))
    changed = []
    for node, value in writes:
        after = _bits(value)
        if after is not None and before is not None and (after ^ before) & differ:
            changed.append(node)
        before = after
    if changed:
        # a later helper call given a mask that holds the differing bits (clearing what it
        # should set, when they were already clear) operated on them last
        last = changed[-1]
        given = [w for w, _ in writes if w.start_byte > last.start_byte and _given(nenv, w, differ)]
        return given[-1] if given else last
    named = [
        w for w, _ in writes if nenv.node_bits.get(w.id, 0) & differ or _given(nenv, w, differ)
    ]
    return named[-1] if named else writes[-1][0]


def _given(nenv, write: Node, bits: int) -> bool:
    """A call whose mask argument (not the flags it writes) held `bits` when it ran."""
    if write.type != "call_expression":
        return False
    args = write.child_by_field_name("arguments")
    for arg in args.named_children[1:] if args is not None else []:
        value = _bits(nenv.trace.get(arg.id))
        if value is not None and value & bits:
            return True
    return False


def _follow_read(oenv, nenv, n: Node) -> Node:
    """A test of a local only the new side has (`!vma_flags_empty(&diff)`, where the old side
    tested an expression): the decision follows from that local's value, so blame the write
    that put its bits there (its set bits when it is not empty, else the last write that
    changed it). Flags both sides write are compared where they are written instead; a test
    that names a bit itself (`vma_flags_same(&mask, VMA_X_BIT)`) is its own suspect."""
    if nenv.node_bits.get(n.id, 0):
        return n
    names = {
        _target(nenv, node)
        for node in walk(n)
        if node.type in ("identifier", "field_expression")
        and (node.parent is None or node.parent.type != "field_expression")
    }
    read = []
    for name in sorted(names - {""}):
        if name in oenv.writes:
            continue
        writes = [(w, v) for w, v in nenv.writes.get(name, []) if w.start_byte < n.start_byte]
        if writes:
            read.append((name, writes))
    if len(read) != 1:
        return n
    name, writes = read[0]
    value = _bits(writes[-1][1])
    if value:
        # the write that last named a bit the local holds (a mask set where it should be
        # cleared names the bit without changing it when it was already there)
        named = [w for w, _ in writes if nenv.node_bits.get(w.id, 0) & value]
        if named:
            return named[-1]
    if value is None:
        return writes[-1][0]
    return _pick_write(nenv, name, writes, 0, value if value else -1)
