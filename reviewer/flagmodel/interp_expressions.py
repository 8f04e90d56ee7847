"""Expressions of a flag fragment: identifiers, flag fields, operators and assignments."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from tree_sitter import Node

from reviewer.flagmodel import interp_arrays as arrays
from reviewer.flagmodel import interp_calls as calls
from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import node_memo, text_of
from reviewer.flagmodel.interp_values import (
    WORD_MASK,
    Alias,
    Array,
    BitNum,
    Env,
    Flags,
    NotBuilt,
    Opaque,
    Unsupported,
    bits_of,
    freeze,
    is_flaggy,
    key_of,
    store_local,
    subject,
    truth,
)


def eval_expr(env: Env, node: Node) -> Any:
    if not env.tracing:
        return _eval_expr(env, node)
    top = len(env.frames) == 1
    saved = env.bits_log
    env.bits_log = 0
    if top:
        env.top_stack.append(node)
    try:
        value = _eval_expr(env, node)
    finally:
        if top:
            env.top_stack.pop()
            env.node_bits[node.id] = env.bits_log
        env.bits_log |= saved
    if top:
        env.trace[node.id] = value
    return value


def _eval_expr(env: Env, node: Node) -> Any:
    t = node.type
    # the commonest kinds first (the kinds are exclusive: the order decides nothing else)
    if t == "identifier":
        return _identifier(env, text_of(node))
    if t == "call_expression":
        if _callee_text(node) == "ARRAY_SIZE":
            size = arrays.array_size(env, node.child_by_field_name("arguments").named_children)
            if size is not None:
                return size
        return calls.eval_call(env, node)
    if t == "field_expression":
        return _field(env, node)
    if t == "binary_expression":
        return _binary(env, node)
    if t == "parenthesized_expression":
        inner = _inner(node)
        if len(inner) != 1:
            raise Unsupported("comma expression")
        return eval_expr(env, inner[0])
    if t == "number_literal":
        return _number(text_of(node))
    if t in ("true", "false"):
        return int(t == "true")
    if t == "null":
        return 0
    if t == "comment":
        return None
    if t == "pointer_expression":
        op, arg = _pointer_parts(node)
        subj = subject(env, arg) if arg is not None else None
        if op == "&" and subj is not None:
            if is_flag_subject(env, arg, subj) or subj.startswith("<"):
                return Alias(subj)
            return Opaque("&" + subj)
        if op == "*" and arg is not None:
            val = eval_expr(env, arg)
            if isinstance(val, Alias):
                return env.subject_value(val.subject)
            if isinstance(val, Flags):
                return val  # a vm_flags_t * / vma_flags_t * parameter stands for its flags
            return Opaque(" ".join(text_of(node).split()))
        return Opaque(" ".join(text_of(node).split()))
    if t == "unary_expression":
        return _unary(env, node)
    if t == "conditional_expression":
        cond_node = node.child_by_field_name("condition")
        taken = truth(env, eval_expr(env, cond_node))
        if env.tracing and len(env.frames) == 1:
            env.branches.append((cond_node, taken))
        branch = "consequence" if taken else "alternative"
        return eval_expr(env, node.child_by_field_name(branch))
    if t == "assignment_expression":
        return _assign(env, node)
    if t == "cast_expression":
        value = eval_expr(env, node.child_by_field_name("value"))
        type_text = text_of(node.child_by_field_name("type"))
        if type_text.strip() == "bool":
            return int(truth(env, value))
        return value
    if t == "compound_literal_expression":
        if "vma_flags_t" in text_of(node.child_by_field_name("type") or node):
            return Flags(0, "bitmap")
        type_node = node.child_by_field_name("type")
        if type_node is not None and "[" in text_of(type_node):
            return _array_literal(env, node)
        return _compound_literal(env, node)
    if t == "subscript_expression":
        return _subscript(env, node)
    if t == "initializer_list":
        return arrays.initializer_list(env, node)
    if t == "update_expression":
        updated = arrays.update(env, node)
        if updated is not None:
            return updated
    if t in (
        "string_literal",
        "char_literal",
        "concatenated_string",
        "sizeof_expression",
        "update_expression",
    ):
        return Opaque(" ".join(text_of(node).split()))
    raise Unsupported(f"expression kind {t}")


@node_memo
def _inner(node: Node) -> tuple[Node, ...]:
    """A parenthesised expression's named children, comments left out."""
    return tuple(c for c in node.named_children if c.type != "comment")


def _array_literal(env: Env, node: Node) -> Array:
    """``(T []){a, b, ...}``: an array of its elements' values."""
    type_node = node.child_by_field_name("type")
    value = node.child_by_field_name("value")
    if type_node is None or "[" not in text_of(type_node) or value is None:
        raise Unsupported("compound literal")
    if value.type != "initializer_list":
        raise Unsupported("compound literal")
    items = [c for c in value.named_children if c.type != "comment"]
    if any(c.type in ("initializer_pair", "initializer_list") for c in items):
        raise Unsupported("compound literal with designators")
    return Array(tuple(eval_expr(env, c) for c in items))


def _subscript(env: Env, node: Node) -> Any:
    """Word i of a bitmap (``flags.__vma_flags[0]``) as a legacy word, an item of an array
    (interp_arrays); anything else opaque."""
    base = node.child_by_field_name("argument")
    index = node.child_by_field_name("index")
    if base is not None and index is not None and base.type == "identifier":
        held = eval_expr(env, base)
        if isinstance(held, Alias):
            held = env.subject_value(held.subject)
        if isinstance(held, Array):
            return arrays.item(env, held, index, eval_expr(env, index))
    if base is not None and index is not None and base.type == "field_expression":
        fld = base.child_by_field_name("field")
        if fld is not None and text_of(fld) == "__vma_flags":
            value = eval_expr(env, base)
            if isinstance(value, Alias):
                value = env.subject_value(value.subject)
            word = eval_expr(env, index)
            if isinstance(value, Flags) and isinstance(word, int):
                return Flags((value.bits >> (registry.BITS_PER_LONG * word)) & WORD_MASK, "word")
    return Opaque(" ".join(text_of(node).split()))


def _store_word(env: Env, lhs: Node, value: Any) -> bool:
    """``x.__vma_flags[i] = word`` / ``bitmap[i] = word``: word i of the flags x holds."""
    base = lhs.child_by_field_name("argument")
    index = lhs.child_by_field_name("index")
    if base is None or index is None or isinstance(value, Opaque):
        return False
    target = eval_expr(env, base)
    word = eval_expr(env, index)
    subj = target.subject if isinstance(target, Alias) else subject(env, base)
    if subj is None or not isinstance(word, int) or isinstance(word, bool):
        return False
    shift = registry.BITS_PER_LONG * word
    cur = env.subject_value(subj)
    cur_bits = cur.bits if isinstance(cur, Flags) else 0
    bits = (cur_bits & ~(WORD_MASK << shift)) | ((bits_of(value) & WORD_MASK) << shift)
    env.set_subject(subj, Flags(bits, "bitmap"))
    return True


def _defined_constant(env: Env, name: str) -> Any:
    """The value of a ``#define NAME value`` from the series, the tree or the API snapshot
    (memoised per model and configuration when it depends on no flags or conditions)."""
    memo = env.model.const_memo
    key = (env.model.features, env.model.tools, name)
    if key in memo:
        value = memo[key]
        env.model.memo_hit("const", key)
        if isinstance(value, Flags):
            env.note_bits(value.bits)
        return value
    before = (env.subject_reads, env.atom_reads, len(env.events), len(env.issues))
    mark = env.model.config_reads
    value = _evaluate_constant(env, name)
    after = (env.subject_reads, env.atom_reads, len(env.events), len(env.issues))
    if before == after and (value is None or isinstance(value, Flags | int)):
        memo[key] = value
        env.model.memo_computed("const", key, mark)
    return value


def _evaluate_constant(env: Env, name: str) -> Any:
    sourced = env.model.definition(name)
    if sourced is None or sourced.defn.kind != "const" or name in env.expanding:
        return None
    value = sourced.defn.node.child_by_field_name("value")
    if value is None:
        return None
    expr = _expression_of(text_of(value))
    if expr is None:
        raise Unsupported(f"{name} ({sourced.file}) is not an expression the model can read")
    env.expanding.add(name)
    try:
        return eval_expr(env, expr)
    finally:
        env.expanding.discard(name)


@lru_cache(maxsize=8192)
def _expression_of(text: str) -> Node | None:
    from reviewer.flagmodel.c_parse import parse_statements

    body = text.replace("\\\n", " ").strip()
    if not body:
        return None
    frag = parse_statements(f"__flagmodel_m = ({body});")
    if not frag.ok or len(frag.statements) != 1:
        return None
    stmt = frag.statements[0]
    if stmt.type != "expression_statement" or not stmt.named_children:
        return None
    return stmt.named_children[0].child_by_field_name("right")


def _number(text: str) -> int:
    clean = text.rstrip("uUlL")
    if len(clean) > 1 and clean[0] == "0" and clean[1:].isdigit():
        clean = "0o" + clean[1:]
    try:
        return int(clean, 0)
    except ValueError as exc:
        raise Unsupported(f"number {text}") from exc


def _identifier(env: Env, name: str) -> Any:
    uname = env.renames.get(name, name)
    frame = env.frames[-1]  # the block sees its own names, a callee's frame only its own
    if uname in frame.aliases:
        return Alias(frame.aliases[uname])
    if uname in frame.locals:
        return frame.locals[uname]
    known, gated = _registry_answer(name, env.model.features)
    if gated:
        env.model.config_reads += 1  # another answer in the other configuration
    if known is not None:
        if known is _NOT_BUILT:
            raise NotBuilt(name)
        value, bits = known
        env.note_bits(bits)
        return value
    macro = env.model.macro_value(name)
    if macro is not None:
        env.note_bits(macro.bits)
        return macro
    if name in env.bit_params and len(env.frames) == 1:
        env.seen_bit_vars.add(name)
        chosen = env.bit_vars.get(name, 0)
        env.note_bits(1 << chosen)
        return BitNum(chosen, name)
    if uname in env.flag_names or name in env.flag_names:
        return env.subject_value(name)
    consts = getattr(env, "consts", {})
    if name in env.derived and len(env.frames) == 1 and name not in env.expanding:
        # a bit-typed local of the changed function with a visible initialiser (flags-typed
        # ones are subjects, derived by Env.subject_value)
        consts = {name: env.derived[name]}
    if name in consts and len(env.frames) == 1 and name not in env.expanding:
        env.expanding.add(name)
        try:
            return eval_expr(env, consts[name])
        finally:
            env.expanding.discard(name)
    defined = _defined_constant(env, name)
    if defined is not None:
        if isinstance(defined, Flags):
            env.note_bits(defined.bits)
        return defined
    return Opaque(name)


_NOT_BUILT = object()


@lru_cache(maxsize=8192)
def _registry_answer(name: str, features: str) -> tuple[Any, bool]:
    """``_registry_constant`` and ``_config_gated`` of a name, in one lookup."""
    return _registry_constant(name, features), _config_gated(name)


@lru_cache(maxsize=8192)
def _config_gated(name: str) -> bool:
    """The registry answers for ``name`` otherwise with the optional features disabled."""
    return _registry_constant(name, "all") != _registry_constant(name, "min")


@lru_cache(maxsize=8192)
def _registry_constant(name: str, features: str) -> Any:
    """A VMA_xxx_BIT, VM_xxx or composite mask the registry names, as its value and the bits
    it names (the registry's tables never change: one answer per name and configuration);
    _NOT_BUILT for a bit that does not exist in the configuration; None for other names."""
    bit = registry.bit_of_name(name)
    if bit is not None and features == "min" and name[4:-4] in registry.CONFIG_ONLY_BITS:
        return _NOT_BUILT
    if bit is not None:
        return BitNum(bit, name), 1 << bit
    mask = registry.mask_of_name(name, features)
    if mask is not None:
        return Flags(mask, "word", name), mask
    vmask = registry.vma_mask_of_name(name)
    if vmask is not None:
        return Flags(vmask, "bitmap", name), vmask
    return None


@node_memo
def _callee_text(node: Node) -> str:
    """The called function's text of a call node."""
    return text_of(node.child_by_field_name("function"))


def is_flag_subject(env: Env, node: Node, subj: str) -> bool:
    if node.type == "field_expression":
        return True
    if subj in env.flag_names or env.unify(subj) in env.flag_names:
        return True
    for f in env.frames:  # noqa: SIM110 (a loop, not any(): no generator on every run)
        if subj in f.aliases or subj in f.locals:
            return True
    return False


@node_memo
def _pointer_parts(node: Node) -> tuple[str, Node | None]:
    """A pointer expression's operator text and argument."""
    op = text_of(node.child_by_field_name("operator") or node.children[0])
    return op, node.child_by_field_name("argument")


@node_memo
def _field_parts(node: Node) -> tuple[Node | None, Node | None, bool]:
    """A field expression's base and field, and whether the base is a plain name."""
    base = node.child_by_field_name("argument")
    fld = node.child_by_field_name("field")
    return base, fld, base is not None and base.type == "identifier"


def _field(env: Env, node: Node) -> Any:
    base, fld, named_base = _field_parts(node)
    # the bitmap of a vma_flags_t value held in a local (to_test.__vma_flags)
    if (
        base is not None
        and fld is not None
        and text_of(fld) in ("__vma_flags", "flags")
        and named_base
    ):
        held = _local(env, text_of(base))
        if isinstance(held, Flags):
            return held
    subj = subject(env, node)
    if subj is not None:
        if named_base:
            resolved = _identifier(env, text_of(base))
            if isinstance(resolved, Alias) and text_of(fld) in ("__vma_flags", "flags"):
                return env.subject_value(resolved.subject)
        return env.subject_value(subj)
    return Opaque(" ".join(text_of(node).split()))


def _local(env: Env, name: str) -> Any:
    uname = env.unify(name)
    frame = env.frames[-1]
    return frame.locals.get(uname)


@node_memo
def _unary_parts(node: Node) -> tuple[str, Node | None]:
    return text_of(node.child_by_field_name("operator")), node.child_by_field_name("argument")


def _unary(env: Env, node: Node) -> Any:
    op, arg = _unary_parts(node)
    val = eval_expr(env, arg)
    if op == "!":
        return int(not truth(env, val))
    if op == "~":
        if isinstance(val, Flags):
            return Flags(~val.bits & WORD_MASK, val.kind)
        if isinstance(val, int):
            return ~val & WORD_MASK
        if isinstance(val, Opaque):
            return Opaque("~" + val.key)
        raise Unsupported("~ on non-flags")
    if op == "-":
        if isinstance(val, int):
            return -val
        return Opaque("-" + (val.key if isinstance(val, Opaque) else repr(val)))
    if op == "+":
        return val
    raise Unsupported(f"unary {op}")


@node_memo
def _operands(node: Node) -> tuple[str, Node | None, Node | None]:
    """A binary or assignment node's operator text and its left and right operands."""
    op = text_of(node.child_by_field_name("operator"))
    return op, node.child_by_field_name("left"), node.child_by_field_name("right")


def _binary(env: Env, node: Node) -> Any:
    op, left_node, right_node = _operands(node)
    if op in ("&&", "||"):
        first = truth(env, eval_expr(env, left_node))
        if env.tracing and len(env.frames) == 1:
            env.branches.append((left_node, first))  # short-circuit: a fork of the path
        if first == (op == "||"):
            return int(first)
        return int(truth(env, eval_expr(env, right_node)))
    left, right = eval_expr(env, left_node), eval_expr(env, right_node)
    if op in ("&", "|", "^"):
        left = _promote(env, left_node, left, right)
        right = _promote(env, right_node, right, left)
    if isinstance(left, Opaque) or isinstance(right, Opaque):
        if is_flaggy(left) or is_flaggy(right):
            raise Unsupported("flags combined with an unknown value")
        # keyed by the operands' keys, so renamed flag arguments inside calls do not matter
        return Opaque(f"{key_of(left)} {op} {key_of(right)}")
    if isinstance(left, Alias) or isinstance(right, Alias):
        raise Unsupported("pointer arithmetic on flags")
    if op in ("&", "|", "^"):
        a, b = bits_of(left), bits_of(right)
        res = a & b if op == "&" else a | b if op == "|" else a ^ b
        kinds = {v.kind for v in (left, right) if isinstance(v, Flags)}
        if isinstance(left, Flags) or isinstance(right, Flags):
            return Flags(res, "bitmap" if kinds == {"bitmap"} else "word")
        return res
    if op in ("==", "!="):
        eq = bits_of(left) == bits_of(right)
        return int(eq if op == "==" else not eq)
    if op in ("<<", ">>", "+", "-", "*", "/", "%", "<", ">", "<=", ">="):
        if is_flaggy(left) or is_flaggy(right):
            if op == "<<" and isinstance(left, int) and isinstance(right, BitNum | int):
                return left << bits_of(right)
            raise Unsupported(f"operator {op} on flags")
        a, b = int(left), int(right)
        return {
            "<<": lambda: a << b,
            ">>": lambda: a >> b,
            "+": lambda: a + b,
            "-": lambda: a - b,
            "*": lambda: a * b,
            "/": lambda: a // b if b else 0,
            "%": lambda: a % b if b else 0,
            "<": lambda: int(a < b),
            ">": lambda: int(a > b),
            "<=": lambda: int(a <= b),
            ">=": lambda: int(a >= b),
        }[op]()
    raise Unsupported(f"binary {op}")


def _promote(env: Env, node: Node, value: Any, other: Any) -> Any:
    """A plain variable masked with VM_xxx constants is a flags word (implicit subject)."""
    if (
        isinstance(value, Opaque)
        and isinstance(other, Flags)
        and node.type in ("identifier", "field_expression")
    ):
        if node.type == "identifier" and len(env.frames) > 1:
            return value
        return env.subject_value(" ".join(text_of(node).split()))
    return value


def _assign(env: Env, node: Node) -> Any:
    op, lhs, rhs_node = _operands(node)
    rhs = eval_expr(env, rhs_node)
    subj = subject(env, lhs)
    is_local = False
    if lhs.type == "identifier":
        name = text_of(lhs)
        is_local = not is_flag_subject(env, lhs, name) or _is_local(env, name)
    if op == "=":
        new = rhs
    else:
        raw = eval_expr(env, lhs)
        cur = _promote(env, lhs, raw, rhs)
        if cur is not raw and subj is not None:
            is_local = False  # a word masked with flags is a flags subject (written as one)
        if op == "|=":
            new = _combine(cur, rhs, lambda a, b: a | b)
        elif op == "&=":
            new = _combine(cur, rhs, lambda a, b: a & b)
        elif op == "^=":
            new = _combine(cur, rhs, lambda a, b: a ^ b)
        else:
            new = Opaque(" ".join(text_of(node).split()))
    if lhs.type == "subscript_expression" and _store_word(env, lhs, new):
        return new
    if is_local:
        store_local(env, text_of(lhs), new)
    elif subj is not None:
        env.set_subject(subj, new)
    else:
        env.emit(("store", " ".join(text_of(lhs).split()), freeze(new)), lhs.parent)
    return new


def _is_local(env: Env, name: str) -> bool:
    """A local of some frame of the run."""
    uname = env.unify(name)
    for f in env.frames:  # noqa: SIM110 (a loop, not any(): no generator on every run)
        if uname in f.locals:
            return True
    return False


def assign_to(env: Env, lhs: Node, value: Any) -> Any:
    """``lhs = value`` (WRITE_ONCE and the like)."""
    subj = subject(env, lhs)
    if lhs.type == "identifier" and _is_local(env, text_of(lhs)):
        store_local(env, text_of(lhs), value)
    elif subj is not None:
        env.set_subject(subj, value)
    else:
        env.emit(("store", " ".join(text_of(lhs).split()), freeze(value)), lhs.parent)
    return value


def _combine(cur: Any, rhs: Any, fn) -> Any:
    if isinstance(cur, Opaque) or isinstance(rhs, Opaque):
        raise Unsupported("compound assignment with an unknown value")
    kind = cur.kind if isinstance(cur, Flags) else "word"
    return Flags(fn(bits_of(cur), bits_of(rhs)), kind)


def _compound_literal(env: Env, node: Node) -> Any:
    """`(struct vm_userfaultfd_ctx){ctx}`: an object of another type, built from values that
    are not flags, is opaque (the same text on both sides is the same object); one built from
    flags is not modelled."""
    from reviewer.flagmodel.c_parse import walk

    for inner in walk(node):
        if inner.type != "identifier":
            continue
        name = text_of(inner)
        if name.startswith(("VM_", "VMA_")) or name in env.flag_names or "flags" in name:
            raise Unsupported("compound literal built from flags")
    return Opaque(" ".join(text_of(node).split()))
