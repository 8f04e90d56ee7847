"""Calls in a flag fragment: VMA flag helpers per the model, derived predicates, the
series' own small functions (interpreted from their bodies) and opaque calls (observed)."""

from __future__ import annotations

from typing import Any

from tree_sitter import Node

from reviewer.flagmodel import interp_expressions as expressions
from reviewer.flagmodel import interp_statements as statements
from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import text_of
from reviewer.flagmodel.interp_values import (
    Alias,
    BitNum,
    Env,
    Flags,
    Frame,
    Issue,
    Opaque,
    Unsupported,
    bits_of,
    canon,
    freeze,
    truth,
)


def eval_call(env: Env, node: Node) -> Any:
    fn_node = node.child_by_field_name("function")
    args = [a for a in node.child_by_field_name("arguments").named_children if a.type != "comment"]
    name = text_of(fn_node)
    if name == "BIT":
        return 1 << bits_of(expressions.eval_expr(env, args[0]))
    if name in ("VM_WARN_ON_ONCE", "VM_WARN_ON", "WARN_ON_ONCE", "WARN_ON", "BUG_ON"):
        val = truth(env, expressions.eval_expr(env, args[0]))
        env.events.append(("warn", name, int(val)))
        return int(val)
    if name in ("unlikely", "likely"):
        return expressions.eval_expr(env, args[0])
    if name == "ACCESS_PRIVATE" and len(args) == 2:
        base = expressions.eval_expr(env, args[0])
        if isinstance(base, Alias):
            return env.subject_value(base.subject)
        subj = canon(args[0])
        if subj is not None:
            return env.subject_value(subj)
    helper = env.model.helper(name)
    if helper is not None:
        return _call_helper(env, helper, args)
    derived = env.model.derived(name)
    if derived is not None:
        return _call_derived(env, name, derived, args)
    user = env.model.user_function(name)
    if user is not None and len(env.frames) < 6:
        return _call_user(env, user, args)
    return _call_opaque(env, name, args)


def _subject_of_arg(env: Env, arg: Node, target: str) -> str:
    val = expressions.eval_expr(env, arg)
    if isinstance(val, Alias):
        return val.subject
    subj = canon(arg)
    if subj is None:
        raise Unsupported(f"cannot tell which flags {text_of(arg)!r} refers to")
    if target == "flags_ptr" and arg.type == "identifier" and not isinstance(val, Alias):
        # a vma_flags_t * parameter used directly
        return env.unify(subj)
    return env.unify(subj)


def _bits_args(env: Env, helper_name: str, args: list[Node]) -> int:
    bits = 0
    for arg in args:
        val = expressions.eval_expr(env, arg)
        if isinstance(val, BitNum):
            bit = val.bit
        elif isinstance(val, Flags) and val.const:
            env.issues.append(
                Issue(
                    "mask-as-bit",
                    f"{helper_name}() is given the mask "
                    f"{val.const} where a VMA_xxx_BIT number is expected",
                )
            )
            bit = val.bits
        elif isinstance(val, int) and not isinstance(val, bool):
            bit = val
        else:
            raise Unsupported(f"bit argument {text_of(arg)!r}")
        if bit >= env.model.num_bits:
            env.issues.append(
                Issue(
                    "out-of-range",
                    f"bit {bit} passed to {helper_name}() is "
                    f">= NUM_VMA_FLAG_BITS ({env.model.num_bits})",
                )
            )
        bit = min(bit, 4095)  # out of range anyway; keep the Python int small
        bits |= 1 << bit
        env.note_bits(1 << bit)
    return bits


def _mask_arg(env: Env, helper_name: str, arg: Node) -> int:
    val = expressions.eval_expr(env, arg)
    if isinstance(val, Flags):
        if val.kind == "word":
            env.issues.append(
                Issue(
                    "word-as-mask",
                    f"{helper_name}() is given a legacy "
                    f"vm_flags_t word {text_of(arg)!r} where vma_flags_t is "
                    "expected",
                )
            )
        return val.bits
    if isinstance(val, BitNum):
        env.issues.append(
            Issue(
                "bit-as-mask",
                f"{helper_name}() is given the bit number "
                f"{val.name} where a vma_flags_t mask is expected",
            )
        )
        return val.bit
    if isinstance(val, int):
        return val
    raise Unsupported(f"mask argument {text_of(arg)!r}")


def _call_helper(env: Env, helper: registry.Helper, args: list[Node]) -> Any:
    kind, name = helper.kind, helper.name
    if helper.locks:
        env.locks.append(name)
    if kind == "mk":
        return Flags(_bits_args(env, name, args), "bitmap")
    if not args:
        raise Unsupported(f"{name}() without arguments")
    first = expressions.eval_expr(env, args[0])
    if isinstance(first, Flags) and args[0].type != "field_expression":
        # by-value vma_flags_t (the v1 API): work on a copy bound to this call
        subject = f"<value of {' '.join(text_of(args[0]).split())}>"
        env.subjects[subject] = first
    else:
        subject = _subject_of_arg(env, args[0], helper.target)
    rest = args[1:]
    if helper.args == "bits":
        operand = _bits_args(env, name, rest)
    elif helper.args == "bit":
        if len(rest) != 1:
            env.issues.append(
                Issue(
                    "arity",
                    f"{name}() takes a single bit in tree state "
                    f"{env.model.state} but is given {len(rest)}",
                )
            )
        operand = _bits_args(env, name, rest)
    elif helper.args == "mask":
        operand = _mask_arg(env, name, rest[0])
    elif helper.args == "word":
        val = expressions.eval_expr(env, rest[0])
        if isinstance(val, BitNum):
            env.issues.append(
                Issue(
                    "bit-as-mask",
                    f"{name}() is given the bit number {val.name} where a VM_xxx mask is expected",
                )
            )
        operand = bits_of(val) if not isinstance(val, Opaque) else None
        if operand is None:
            raise Unsupported(f"{name}() with unknown word")
    else:
        operand = 0
    cur = bits_of(env.subject_value(subject))
    if kind == "any":
        return int(cur & operand != 0)
    if kind == "all":
        return int(cur & operand == operand)
    if kind == "single":
        return int(cur & operand != 0)
    if kind in ("set", "word_set"):
        env.set_subject(subject, Flags(cur | operand, "bitmap"))
        return None
    if kind in ("clear", "word_clear"):
        env.set_subject(subject, Flags(cur & ~operand, "bitmap"))
        return None
    if kind == "word_assign":
        env.set_subject(subject, Flags(operand, "bitmap"))
        return None
    if kind == "clear_all":
        env.set_subject(subject, Flags(0, "bitmap"))
        return None
    if kind in ("atomic_set", "atomic_test"):
        allowed = 1 << registry.BITS["MAYBE_GUARD"]
        if operand & ~allowed:
            env.events.append(("warn", f"{name} on a bit other than VMA_MAYBE_GUARD_BIT", 1))
            return 0 if kind == "atomic_test" else None
        if kind == "atomic_set":
            env.set_subject(subject, Flags(cur | operand, "bitmap"))
            return None
        return int(cur & operand != 0)
    raise Unsupported(f"helper kind {kind}")


def _call_derived(env: Env, name: str, derived: tuple[str, str, int, int], args: list[Node]) -> Any:
    target, kind, need, forbid = derived
    env.note_bits(need | forbid)
    if not args:
        raise Unsupported(f"{name}() without arguments")
    if target == "word":
        val = expressions.eval_expr(env, args[0])
        if isinstance(val, Alias):
            raise Unsupported(f"{name}() given a pointer where a vm_flags_t word is expected")
        cur = bits_of(val)
    else:
        cur = bits_of(env.subject_value(_subject_of_arg(env, args[0], target)))
    if kind == "anyof":
        return int(cur & need != 0)
    return int(cur & need == need and cur & forbid == 0)


def _call_user(env: Env, defn, args: list[Node]) -> Any:
    from reviewer.flagmodel.c_parse import function_body

    body = function_body(defn)
    if body is None or len(defn.params) != len(args):
        return _call_opaque(env, defn.name, args)
    frame = Frame()
    for (ptype, pname), arg in zip(defn.params, args, strict=True):
        val = expressions.eval_expr(env, arg)
        if isinstance(val, Alias):
            frame.aliases[pname] = val.subject
        elif (
            "*" in ptype
            and canon(arg) is not None
            and ("vm_area" in ptype or "vma_flags_t" in ptype)
        ):
            frame.aliases[pname] = env.unify(canon(arg))
        else:
            frame.locals[pname] = val
    env.frames.append(frame)
    saved_renames = env.renames
    env.renames = {}
    try:
        result = statements.run_statements(
            env, [c for c in body.named_children if c.type != "comment"]
        )
    finally:
        env.frames.pop()
        env.renames = saved_renames
    if isinstance(result, tuple) and result[0] == "return":
        head = defn.text.split(defn.name, 1)[0]
        if "bool" in head.split():
            return int(truth(env, result[1]))
        return result[1]
    return None


def _call_opaque(env: Env, name: str, args: list[Node]) -> Any:
    count = env.call_counts.get(name, 0) + 1
    env.call_counts[name] = count
    values = []
    for idx, arg in enumerate(args):
        val = expressions.eval_expr(env, arg)
        proj = env.model.projection(name, idx)
        if proj is not None:
            val = proj(env, arg, val)
        if isinstance(val, Alias):
            val = env.subject_value(val.subject)
        values.append(freeze(val))
    env.events.append(("call", name, tuple(values)))
    return Opaque(f"{name}()#{count}")
