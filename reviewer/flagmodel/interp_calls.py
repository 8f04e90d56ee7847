"""Calls in a flag fragment: VMA flag helpers per the model, derived predicates, the
series' own small functions (interpreted from their bodies) and opaque calls (observed)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from tree_sitter import Node

from reviewer.flagmodel import interp_expressions as expressions
from reviewer.flagmodel import interp_macros as macros
from reviewer.flagmodel import interp_opaque as opaque
from reviewer.flagmodel import interp_primitives as primitives
from reviewer.flagmodel import interp_statements as statements
from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import node_memo, text_of
from reviewer.flagmodel.defs import is_flag_api
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
    subject,
    truth,
)


@node_memo
def _arguments(node: Node) -> tuple[Node, ...]:
    """A call's arguments (comments left out)."""
    return tuple(
        a for a in node.child_by_field_name("arguments").named_children if a.type != "comment"
    )


_WARNINGS = frozenset(
    (
        "VM_WARN_ON_ONCE",
        "VM_WARN_ON",
        "WARN_ON_ONCE",
        "WARN_ON",
        "BUG_ON",
        "VM_BUG_ON",
        "BUILD_BUG_ON",
    )
)
# names eval_call treats itself before looking for a definition
_SPECIAL = _WARNINGS | {
    "BIT",
    "COUNT_ARGS",
    "IS_ENABLED",
    "unlikely",
    "likely",
    "READ_ONCE",
    "data_race",
    "WRITE_ONCE",
    "ACCESS_PRIVATE",
    "vma_start_write",
}


def eval_call(env: Env, node: Node) -> Any:
    args = list(_arguments(node))
    name = expressions._callee_text(node)
    if name in _SPECIAL:
        special = _special_call(env, node, name, args)
        if special is not _NOT_SPECIAL:
            return special
    helper = env.model.helper(name)
    if helper is not None:
        return _call_helper(env, helper, args)
    derived = env.model.derived(name)
    if derived is not None:
        return _call_derived(env, name, derived, args)
    user = env.model.user_function(name)
    if user is not None and len(env.frames) < 6:
        return _call_memoised(env, user, args)
    primitive = primitives.PRIMITIVES.get(name)
    if primitive is not None:
        return primitive(env, name, args)
    sourced = env.model.definition(name)
    if sourced is not None and sourced.defn.kind != "const" and len(env.frames) < 10:
        if sourced.defn.kind == "macro":
            return macros.expand_macro(env, sourced, node, args)
        return _call_memoised(env, sourced.defn, args)
    if is_flag_api(name):
        # its meaning is unknown: only a call of it on both sides, compared by the flags it
        # is given, can be decided (equivalence_diff.require_defined)
        env.undefined_calls.add(name)
    return opaque.call_opaque(env, name, args)


_NOT_SPECIAL = object()


def _special_call(env: Env, node: Node, name: str, args: list[Node]) -> Any:
    """The calls the interpreter knows by name; _NOT_SPECIAL when this one is not one of
    them after all (wrong number of arguments, not a subject)."""
    if name == "BIT":
        return 1 << bits_of(expressions.eval_expr(env, args[0]))
    if name == "COUNT_ARGS":  # include/linux/args.h: the number of its arguments
        return len(args)
    if name in _WARNINGS:
        val = truth(env, expressions.eval_expr(env, args[0]))
        if len(env.frames) == 1 or val:
            # inside a helper's body a warning that does not fire does nothing observable
            env.emit(("warn", name, int(val)), node)
        return int(val)
    if name == "IS_ENABLED" and len(args) == 1:
        return env.model.is_enabled(text_of(args[0]))
    if name in ("unlikely", "likely", "READ_ONCE", "data_race") and len(args) == 1:
        return expressions.eval_expr(env, args[0])
    if name == "WRITE_ONCE" and len(args) == 2:
        return expressions.assign_to(env, args[0], expressions.eval_expr(env, args[1]))
    if name == "ACCESS_PRIVATE" and len(args) == 2:
        # ((p)->member): the bitmap of the flags p points at, which decays to a pointer to
        # them; bitmap ops (_ref) and reads (_read) both take the alias
        base = expressions.eval_expr(env, args[0])
        if isinstance(base, Alias):
            return base
        subj = subject(env, args[0])
        if subj is not None:
            return env.subject_value(subj)
    if name == "vma_start_write" and len(args) == 1:
        env.locks.append(name)  # an explicit write lock, as vm_flags_set() took inside
        return None
    return _NOT_SPECIAL


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


def _by_name(env: Env, arg: Node, val: Any) -> Any:
    """An argument the helper's prototype says is flags but the block does not type: the
    caller's flags of that name (pointers: the flags they point at)."""
    if isinstance(val, Alias):
        return env.subject_value(val.subject)
    if isinstance(val, Opaque) and arg.type in ("identifier", "field_expression"):
        return env.subject_value(" ".join(text_of(arg).split()))
    return val


def _mask_arg(env: Env, helper_name: str, arg: Node) -> int:
    val = _by_name(env, arg, expressions.eval_expr(env, arg))
    if isinstance(val, Flags):
        if val.kind == "word" and val.const:
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
    if (
        isinstance(first, Flags)
        and args[0].type != "field_expression"
        and text_of(args[0]) not in env.pointer_names
    ):
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
        val = _by_name(env, rest[0], expressions.eval_expr(env, rest[0]))
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
    if kind in ("word_assign", "clear_all"):
        cur = bits_of(env.unused_read(subject))  # overwritten whatever it held
    else:
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
            env.emit(("warn", f"{name} on a bit other than VMA_MAYBE_GUARD_BIT", 1))
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


def _call_memoised(env: Env, defn, args: list[Node]) -> Any:
    """Run a definition, memoised on the values it is given (per model and configuration):
    the same helper on the same flags gives the same result and writes the same flags. A call
    that records an event, an issue or an unknown condition is never memoised."""
    try:
        key = (
            defn.node.id,
            env.model.features,
            env.model.tools,
            env.model.num_bits,
            tuple(_arg_key(env, a) for a in args),
        )
    except Unsupported:
        return _call_user(env, defn, args)
    memo = env.model.call_memo
    if key in memo:
        result, writes, bits, unread = memo[key]
        env.model.memo_hit("call", key)
        for pos, arg in enumerate(key[4]):
            if pos not in unread and isinstance(arg, tuple) and arg[:1] == ("alias",):
                env.key_only.discard(env.unify(arg[1]))  # the callee reads its flags
        for name, value in writes.items():
            env.set_subject(name, value)
        env.seen_bits |= bits
        env.bits_log |= sum(1 << min(b, 4095) for b in bits) if env.tracing else 0
        return result
    events, issues = len(env.events), len(env.issues)
    atoms, bits = env.atom_reads, set(env.seen_bits)
    before = dict(env.subjects)
    top = dict(env.frames[0].locals)
    keyed = {
        pos: env.unify(arg[1])
        for pos, arg in enumerate(key[4])
        if isinstance(arg, tuple) and arg[:1] == ("alias",) and env.unify(arg[1]) in env.key_only
    }
    dead = set(env.key_dead)
    mark = env.model.config_reads
    result = _call_user(env, defn, args)
    pure = (
        not [e for e in env.events[events:] if e[0] != "return"]
        and len(env.issues) == issues
        and env.atom_reads == atoms
        and env.frames[0].locals == top
        and not isinstance(result, Alias | Opaque)
    )
    if pure:
        writes = {
            k: v for k, v in env.subjects.items() if not k.startswith("<") and before.get(k) != v
        }
        # argument positions whose flags the callee did not read (run_memo)
        unread = frozenset(
            pos
            for pos, name in keyed.items()
            if name in env.key_only or (name in env.key_dead and name not in dead)
        )
        memo[key] = (result, writes, frozenset(env.seen_bits - bits), unread)
        env.model.memo_computed("call", key, mark)
    return result


def _arg_key(env: Env, arg: Node) -> Any:
    events, issues = len(env.events), len(env.issues)
    val = expressions.eval_expr(env, arg)
    if len(env.events) != events or len(env.issues) != issues:
        del env.events[events:]  # evaluated again by the call itself
        del env.issues[issues:]
        raise Unsupported("argument with effects")
    if isinstance(val, Alias):
        if val.subject.startswith("<"):
            raise Unsupported("private argument")
        # a read for the key only: not a dependence of the run unless the callee reads
        # the flags too (run_memo)
        return ("alias", val.subject, freeze(env.unused_read(val.subject)))
    if isinstance(val, Opaque):
        raise Unsupported("unknown argument")
    return freeze(val)


def _call_user(env: Env, defn, args: list[Node]) -> Any:
    """Run a function's definition with the caller's arguments: pointer parameters are bound
    to the caller's objects, vma_flags_t values copied into the callee's own frame."""
    body = _function_body(defn.node) if defn.kind == "function" else None
    params = [p for p in defn.params if p != ("void", "") and p[1]]
    if body is None or len(params) != len(args):
        return opaque.call_opaque(env, defn.name, args)
    frame = Frame()
    depth = len(env.frames) + 1
    for (ptype, pname), arg in zip(params, args, strict=True):
        val = expressions.eval_expr(env, arg)
        if (
            isinstance(val, Opaque)
            and ("vm_flags_t" in ptype or "vma_flags_t" in ptype)
            and arg.type in ("identifier", "field_expression")
        ):
            # the definition says this argument is a flags value: the caller's flags by name
            val = env.subject_value(" ".join(text_of(arg).split()))
        _check_param(env, defn.name, ptype, arg, val)
        if isinstance(val, Alias):
            frame.aliases[pname] = val.subject
        elif (
            "*" in ptype
            and subject(env, arg) is not None
            and ("vm_area" in ptype or "vma_flags_t" in ptype or "vma_merge" in ptype)
        ):
            frame.aliases[pname] = subject(env, arg)
        elif "*" in ptype and "vm_area" in ptype and arg.type == "field_expression":
            # a VMA reached through a member (`vma_test(vrm->vma, X)`): the callee's `vma` is
            # that object, named as the caller names it (`vrm->vma->vm_flags` on the old side)
            frame.aliases[pname] = env.unify(" ".join(text_of(arg).split()))
        elif "*" in ptype and "vma_flags_t" in ptype and (owner := _flags_field_owner(arg)):
            # `&x->flags` passed where the definition takes a `vma_flags_t *`: x's flags
            frame.aliases[pname] = env.resolve(owner)
        elif "vma_flags_t" in ptype and "*" not in ptype and isinstance(val, Flags):
            key = f"<f{depth}:{pname}>"
            env.subjects[key] = Flags(val.bits, "bitmap")
            frame.aliases[pname] = key
        else:
            frame.locals[pname] = val
    env.frames.append(frame)
    saved_renames = env.renames
    env.renames = {}
    try:
        result = statements.run_statements(env, _body_statements(body))
    finally:
        env.frames.pop()
        env.renames = saved_renames
    if isinstance(result, tuple) and result[0] == "return":
        pointer, boolean, bitmap, word = _return_type(defn.text, defn.name)
        value = result[1]
        if isinstance(value, Alias) and not pointer:
            value = env.subject_value(value.subject)  # a vma_flags_t returned by value
        if boolean:
            return int(truth(env, value))
        if isinstance(value, Flags) and bitmap:
            return Flags(value.bits, "bitmap")
        if isinstance(value, Flags) and word:
            return Flags(value.bits, "word")
        return value
    return None


@lru_cache(maxsize=4096)
def _return_type(text: str, name: str) -> tuple[bool, bool, bool, bool]:
    """What the text before a definition's name says of its return type: a pointer, bool,
    vma_flags_t, vm_flags_t (asked once per definition, not per call)."""
    head = text.split(name, 1)[0]
    return "*" in head, "bool" in head.split(), "vma_flags_t" in head, "vm_flags_t" in head


@node_memo
def _function_body(node: Node) -> Node | None:
    """c_parse.function_body of a function definition's node (asked once per node)."""
    return node.child_by_field_name("body")


@node_memo
def _body_statements(body: Node) -> tuple[Node, ...]:
    return tuple(c for c in body.named_children if c.type != "comment")


def _flags_field_owner(arg: Node) -> str:
    """``x`` of an argument ``&x->flags`` / ``&x.flags`` (x a plain name), else ""."""
    if arg.type != "pointer_expression" or text_of(arg).lstrip()[:1] != "&":
        return ""
    inner = arg.child_by_field_name("argument")
    if inner is None or inner.type != "field_expression":
        return ""
    base, fld = inner.child_by_field_name("argument"), inner.child_by_field_name("field")
    if base is None or fld is None or base.type != "identifier" or text_of(fld) != "flags":
        return ""
    return text_of(base)


def _check_param(env: Env, func: str, ptype: str, arg: Node, val: Any) -> None:
    """Type checks from the definition's parameter types (sparse would warn on these)."""
    if "vma_flag_t" in ptype and isinstance(val, Flags) and val.const:
        env.issues.append(
            Issue(
                "mask-as-bit",
                f"{func}() is given the mask {val.const} where a VMA_xxx_BIT number is expected",
            )
        )
    elif "vma_flags_t" in ptype and isinstance(val, Flags) and val.kind == "word" and val.const:
        env.issues.append(
            Issue(
                "word-as-mask",
                f"{func}() is given a legacy vm_flags_t word {text_of(arg)!r} where "
                "vma_flags_t is expected",
            )
        )
    elif "vma_flags_t" in ptype and isinstance(val, BitNum):
        env.issues.append(
            Issue(
                "bit-as-mask",
                f"{func}() is given the bit number {val.name} where a vma_flags_t mask is expected",
            )
        )
