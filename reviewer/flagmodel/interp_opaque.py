"""Calls the model does not interpret (no definition, or not about flags): observed as an
event with the values of their arguments. Arguments that test one flag (`flags & VM_X`) are
marked so a callee whose parameter became a bool compares by their truth; flags computed
outside the block and given to a flag API function defined nowhere are marked undecided."""

from __future__ import annotations

from typing import Any

from tree_sitter import Node

from reviewer.flagmodel import interp_expressions as expressions
from reviewer.flagmodel.c_parse import node_memo, text_of, walk
from reviewer.flagmodel.interp_values import Alias, Env, Flags, Opaque, freeze


def call_opaque(env: Env, name: str, args: list[Node]) -> Any:
    count = env.call_counts.get(name, 0) + 1
    env.call_counts[name] = count
    values = []
    for idx, arg in enumerate(args):
        val = expressions.eval_expr(env, arg)
        if _tests_one_flag(env, arg):
            env.bit_tests.add((len(env.events), idx))
        proj = env.model.projection(name, idx)
        if proj is not None:
            val = proj(env, arg, val)
        if isinstance(val, Alias):
            val = env.subject_value(val.subject)
        if name in env.undefined_calls and isinstance(val, Flags) and _from_outside(env, arg):
            env.outside_args.add(name)
        values.append(freeze(val))
    if not env.in_constant():
        # a call inside a flags constant's #define (powerpc's VM_DATA_DEFAULT_FLAGS asks
        # is_32bit_task()) only decides the constant's value, which is compared itself; where
        # the patch moves the constant is not an observable call. A function-like macro the
        # block calls is code of the block: its calls are (ASSERT_TRUE() in a test macro)
        env.emit(("call", name, tuple(values)))
    return Opaque(f"{name}()#{count}")


@node_memo
def _constant_operands(arg: Node) -> tuple[Node, ...]:
    """The operands of an argument `x & y` that name only constants (capitalised names), in
    order; () when the argument is not an `&` (the same on every run: asked once per node)."""
    while arg.type == "parenthesized_expression" and arg.named_child_count == 1:
        arg = arg.named_children[0]
    if arg.type != "binary_expression" or text_of(arg.child_by_field_name("operator")) != "&":
        return ()
    return tuple(
        side
        for side in (arg.child_by_field_name("left"), arg.child_by_field_name("right"))
        if side is not None
        and not any(n.type == "identifier" and not text_of(n).isupper() for n in walk(side))
    )


def _tests_one_flag(env: Env, arg: Node) -> bool:
    """`flags & VM_X` with VM_X a single flag: the value is 0 or that flag, one bit of
    information (a callee whose parameter became a bool gets the same from a flag test)."""
    for side in _constant_operands(arg):
        val = expressions.eval_expr(env, side)
        bits = val.bits if isinstance(val, Flags) else val if isinstance(val, int) else 0
        if bits > 0 and bits & (bits - 1) == 0:
            return True
    return False


def _from_outside(env: Env, arg: Node) -> bool:
    """`&flags` / `flags` whose value the block did not compute: read before any write (an
    input) or a local of the function whose value is its initialiser elsewhere."""
    while arg.type in ("pointer_expression", "parenthesized_expression") and arg.named_children:
        arg = arg.named_children[-1]
    if arg.type != "identifier":
        return False
    name = env.unify(text_of(arg))
    if name in env.frames[0].locals or name in env.written:
        return False
    return name in env.free_reads or name in env.derived_done
