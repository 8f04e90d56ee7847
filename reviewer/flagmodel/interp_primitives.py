"""Primitives of the interpreter: the kernel's bitmap and bit operations (bitmap_and(),
__set_bit(), test_bit(), ...) on the flags they point at, and the flags constructor the
mk_vma_flags() / append_vma_flags() macros expand to."""

from __future__ import annotations

from typing import Any

from tree_sitter import Node

from reviewer.flagmodel import interp_calls as calls
from reviewer.flagmodel import interp_expressions as expressions
from reviewer.flagmodel.c_parse import text_of
from reviewer.flagmodel.interp_values import (
    Alias,
    Env,
    Flags,
    Opaque,
    Unsupported,
    bits_of,
    subject,
)


def _ref(env: Env, arg: Node) -> str:
    val = expressions.eval_expr(env, arg)
    if isinstance(val, Alias):
        return val.subject
    subj = subject(env, arg)
    if subj is None:
        raise Unsupported(f"cannot tell which flags {text_of(arg)!r} points at")
    return subj


def _read(env: Env, arg: Node) -> int:
    val = expressions.eval_expr(env, arg)
    if isinstance(val, Alias):
        val = env.subject_value(val.subject)
    if isinstance(val, Opaque):
        raise Unsupported(f"bitmap {text_of(arg)!r} is not known")
    return bits_of(val)


def _limit(env: Env) -> int:
    return (1 << env.model.num_bits) - 1


def _bitmap_op(env: Env, name: str, args: list[Node]) -> Any:
    if len(args) < 3:
        raise Unsupported(f"{name}() with {len(args)} arguments")
    dst = _ref(env, args[0])
    if name in ("bitmap_copy",):
        res = _read(env, args[1])
    elif name == "bitmap_zero":
        res = 0
    else:
        a, b = _read(env, args[1]), _read(env, args[2])
        res = {
            "bitmap_and": a & b,
            "bitmap_or": a | b,
            "bitmap_andnot": a & ~b,
            "bitmap_xor": a ^ b,
        }[name]
    res &= _limit(env)
    env.set_subject(dst, Flags(res, "bitmap"))
    return int(res != 0)


def _bitmap_zero(env: Env, name: str, args: list[Node]) -> Any:
    env.set_subject(_ref(env, args[0]), Flags(0, "bitmap"))
    return None


def _bitmap_copy(env: Env, name: str, args: list[Node]) -> Any:
    env.set_subject(_ref(env, args[0]), Flags(_read(env, args[1]) & _limit(env), "bitmap"))
    return None


def _bitmap_pred(env: Env, name: str, args: list[Node]) -> Any:
    a = _read(env, args[0]) & _limit(env)
    if name == "bitmap_empty":
        return int(a == 0)
    if name == "bitmap_weight":
        return bin(a).count("1")
    b = _read(env, args[1]) & _limit(env)
    return int(
        {
            "bitmap_equal": a == b,
            "bitmap_intersects": a & b != 0,
            "bitmap_subset": a & ~b == 0,
        }[name]
    )


def _bit_op(env: Env, name: str, args: list[Node]) -> Any:
    if len(args) != 2:
        raise Unsupported(f"{name}() with {len(args)} arguments")
    bit = expressions.eval_expr(env, args[0])
    if isinstance(bit, Opaque):
        raise Unsupported(f"{name}() of an unknown bit")
    bitnum = bits_of(bit)
    env.note_bits(1 << min(bitnum, 4095))
    target = _ref(env, args[1])
    cur = bits_of(env.subject_value(target))
    if name == "test_bit":
        return int(cur >> bitnum & 1)
    new = cur | (1 << bitnum) if name in ("__set_bit", "set_bit") else cur & ~(1 << bitnum)
    env.set_subject(target, Flags(new, "bitmap"))
    return None


def _mk_flags(env: Env, name: str, args: list[Node]) -> Any:
    """``__mk_vma_flags([base,] count, (const vma_flag_t []){bits...})``: the constructor the
    ``mk_vma_flags()`` / ``append_vma_flags()`` macros expand to (its loop is what the helper
    harness compiles and tests)."""
    base = 0
    if len(args) == 3:
        base = _read(env, args[0])
    literal = args[-1]
    inits = [n for n in literal.named_children if n.type == "initializer_list"]
    if literal.type != "compound_literal_expression" or not inits:
        raise Unsupported(f"{name}() without a literal bit list")
    bits = calls._bits_args(
        env, "mk_vma_flags", [c for c in inits[0].named_children if c.type != "comment"]
    )
    return Flags(base | bits, "bitmap")


PRIMITIVES = {
    "bitmap_and": _bitmap_op,
    "bitmap_or": _bitmap_op,
    "bitmap_andnot": _bitmap_op,
    "bitmap_xor": _bitmap_op,
    "bitmap_zero": _bitmap_zero,
    "bitmap_copy": _bitmap_copy,
    "bitmap_equal": _bitmap_pred,
    "bitmap_intersects": _bitmap_pred,
    "bitmap_subset": _bitmap_pred,
    "bitmap_empty": _bitmap_pred,
    "bitmap_weight": _bitmap_pred,
    "__set_bit": _bit_op,
    "set_bit": _bit_op,
    "__clear_bit": _bit_op,
    "clear_bit": _bit_op,
    "test_bit": _bit_op,
    "__mk_vma_flags": _mk_flags,
}
