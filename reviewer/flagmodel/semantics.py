"""A small interpreter for flag-related C fragments, over one concrete assignment of flag bits.

``equivalence`` runs it for every assignment of the bits involved; this module only knows how to
evaluate one. Values: ``Flags`` (a legacy word or a vma_flags_t bitmap, as a set of bits),
``BitNum`` (a VMA_xxx_BIT), Python ints, and ``Opaque`` (anything the model does not know,
compared by its source text; in a boolean context it becomes a free variable, an "atom").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tree_sitter import Node

from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import text_of

if TYPE_CHECKING:
    from reviewer.flagmodel.tree_state import Model

WORD_MASK = (1 << registry.BITS_PER_LONG) - 1
FLAG_FIELDS = ("vm_flags", "vma_flags", "__vm_flags", "__vma_flags")


class Unsupported(Exception):
    """The fragment uses a construct the model cannot evaluate (reported as unverified)."""


@dataclass(frozen=True)
class Flags:
    bits: int
    kind: str = "word"  # "word" (vm_flags_t / VM_xxx) or "bitmap" (vma_flags_t)
    const: str = ""  # VM_xxx name when it is a bare constant


@dataclass(frozen=True)
class BitNum:
    bit: int
    name: str = ""


@dataclass(frozen=True)
class Opaque:
    key: str


@dataclass(frozen=True)
class Alias:
    """A pointer-like name standing for a subject (desc, vma, &flags)."""

    subject: str


UNINIT = Opaque("<uninitialised>")


@dataclass
class Issue:
    kind: str  # "mask-as-bit" | "bit-as-mask" | "arity" | "out-of-range" | ...
    message: str


@dataclass
class Frame:
    aliases: dict[str, str] = field(default_factory=dict)
    locals: dict[str, Any] = field(default_factory=dict)


class Return(Exception):
    def __init__(self, value: Any):
        self.value = value


class Env:
    """State of one run: subjects' flags, locals, free atoms and the observable events."""

    def __init__(
        self,
        model: Model,
        init: dict[str, int],
        atoms: dict[str, bool],
        flag_names: set[str],
        renames: dict[str, str],
    ):
        self.model = model
        self.init = init
        self.subjects: dict[str, Any] = {}
        self.atoms = atoms
        self.flag_names = flag_names
        self.renames = renames  # side-local name -> unified name
        self.frames = [Frame()]
        self.events: list[tuple] = []
        self.locks: list[str] = []
        self.seen_atoms: set[str] = set()
        self.seen_subjects: set[str] = set()
        self.seen_bits: set[int] = set()
        self.assigned_locals: list[str] = []
        self.issues: list[Issue] = []
        self.call_counts: dict[str, int] = {}
        self.expanding: set[str] = set()
        self.consts: dict[str, Node] = {}

    # -- names ---------------------------------------------------------------------------
    def unify(self, name: str) -> str:
        return self.renames.get(name, name)

    def subject_value(self, name: str) -> Any:
        name = self.unify(name)
        if not name.startswith("<"):
            self.seen_subjects.add(name)
        if name not in self.subjects:
            self.subjects[name] = Flags(self.init.get(name, 0), "word")
        return self.subjects[name]

    def set_subject(self, name: str, value: Any) -> None:
        name = self.unify(name)
        if not name.startswith("<"):
            self.seen_subjects.add(name)
        self.subjects[name] = value

    def atom(self, key: str) -> bool:
        self.seen_atoms.add(key)
        return self.atoms.get(key, False)

    def note_bits(self, bits: int) -> None:
        while bits:
            low = bits & -bits
            self.seen_bits.add(low.bit_length() - 1)
            bits ^= low

    @property
    def frame(self) -> Frame:
        return self.frames[-1]


# ---------------------------------------------------------------------------------------------
# helpers on values
# ---------------------------------------------------------------------------------------------


def bits_of(value: Any) -> int:
    if isinstance(value, Flags):
        return value.bits
    if isinstance(value, bool | int):
        return int(value)
    if isinstance(value, BitNum):
        return value.bit
    raise Unsupported(f"not a flag value: {value!r}")


def truth(env: Env, value: Any) -> bool:
    if isinstance(value, Flags):
        return value.bits != 0
    if isinstance(value, bool | int):
        return value != 0
    if isinstance(value, BitNum):
        return True
    if isinstance(value, Opaque):
        if value is UNINIT:
            raise Unsupported("uninitialised value tested")
        return env.atom(value.key)
    if isinstance(value, Alias):
        return True
    raise Unsupported(f"cannot test {value!r}")


def is_flaggy(value: Any) -> bool:
    return isinstance(value, Flags | BitNum | Alias)


def canon(node: Node) -> str | None:
    """The subject a flags access refers to: desc->vm_flags, &desc->vma_flags, desc -> 'desc'."""
    while node.type in ("parenthesized_expression", "pointer_expression", "cast_expression"):
        inner = node.child_by_field_name("argument") or node.child_by_field_name("value")
        if inner is None:
            inner = node.named_children[-1] if node.named_children else None
        if inner is None:
            return None
        node = inner
    if node.type == "field_expression":
        fld = node.child_by_field_name("field")
        base = node.child_by_field_name("argument")
        fname = text_of(fld) if fld is not None else ""
        if base is not None and (
            fname in FLAG_FIELDS or (fname == "flags" and "vma" in text_of(base))
        ):
            return " ".join(text_of(base).split())
        return None
    if node.type == "identifier":
        return text_of(node)
    return None


# ---------------------------------------------------------------------------------------------
# statements
# ---------------------------------------------------------------------------------------------


def run_statements(env: Env, stmts: list[Node]) -> Any:
    """Execute statements; returns ("return", value) / ("goto", label) / None."""
    try:
        for stmt in stmts:
            exec_stmt(env, stmt)
    except Return as ret:
        return ret.value
    return None


def exec_stmt(env: Env, node: Node) -> None:
    t = node.type
    if t == "expression_statement":
        if node.named_children:
            eval_expr(env, node.named_children[0])
    elif t == "declaration":
        _exec_declaration(env, node)
    elif t == "if_statement":
        cond = node.child_by_field_name("condition")
        if cond is None:
            raise Unsupported("if without condition")
        taken = truth(env, eval_expr(env, cond))
        consequence = node.child_by_field_name("consequence")
        if len(env.frames) == 1 and _empty(consequence):
            # the body lies outside the diff: the condition itself is what must agree
            env.events.append(("branch", int(taken)))
        if taken:
            exec_stmt(env, consequence)
        else:
            alt = node.child_by_field_name("alternative")
            if alt is not None:
                exec_stmt(env, alt)
    elif t == "else_clause":
        for child in node.named_children:
            exec_stmt(env, child)
    elif t == "compound_statement":
        for child in node.named_children:
            if child.type != "comment":
                exec_stmt(env, child)
    elif t == "return_statement":
        value = eval_expr(env, node.named_children[0]) if node.named_children else None
        env.events.append(("return", _freeze(value)))
        raise Return(("return", value))
    elif t == "goto_statement":
        label = text_of(node.named_children[0]) if node.named_children else ""
        env.events.append(("goto", label))
        raise Return(("goto", label))
    elif t in ("comment", "empty_statement", ";"):
        return
    elif t == "labeled_statement":
        for child in node.named_children[1:]:
            exec_stmt(env, child)
    elif t == "preproc_def":
        value = node.child_by_field_name("value")
        name = text_of(node.child_by_field_name("name"))
        if value is not None:
            from reviewer.flagmodel.c_parse import parse_statements

            body = text_of(value).replace("\\\n", " ").strip().rstrip(";")
            frag = parse_statements(f"__macro = ({body});")
            if not frag.ok or not frag.statements:
                raise Unsupported("macro body does not parse as an expression")
            expr = frag.statements[0].named_children[0].child_by_field_name("right")
            _store_local(env, name, eval_expr(env, expr), declared=True)
    else:
        raise Unsupported(f"statement kind {t}")


def _empty(node: Node | None) -> bool:
    if node is None or node.type == "expression_statement" and not node.named_children:
        return True
    return node.type == "compound_statement" and not [
        c for c in node.named_children if c.type != "comment"
    ]


def _exec_declaration(env: Env, node: Node) -> None:
    type_text = text_of(node.child_by_field_name("type") or node)
    for decl in node.children_by_field_name("declarator"):
        if decl.type == "init_declarator":
            target = decl.child_by_field_name("declarator")
            value_node = decl.child_by_field_name("value")
            name = _decl_name(target)
            value = eval_expr(env, value_node) if value_node is not None else UNINIT
            if target is not None and target.type == "pointer_declarator" and value_node:
                subj = canon(value_node)
                if subj is not None:
                    env.frame.aliases[name] = env.unify(subj)
                    continue
            if isinstance(value, Flags) and "vma_flags_t" in type_text:
                value = Flags(value.bits, "bitmap")
            if type_text.split()[-1:] == ["bool"] and value is not UNINIT:
                value = int(truth(env, value))
            _store_local(env, name, value, declared=True)
        elif decl.type in ("identifier", "pointer_declarator", "array_declarator"):
            name = _decl_name(decl)
            if name:
                _store_local(env, name, UNINIT, declared=True)
        elif decl.type == "function_declarator":
            continue


def _decl_name(node: Node | None) -> str:
    while node is not None and node.type != "identifier":
        node = node.child_by_field_name("declarator")
    return text_of(node) if node is not None else ""


def _store_local(env: Env, name: str, value: Any, declared: bool = False) -> None:
    name = env.unify(name)
    env.frame.locals[name] = value
    if len(env.frames) == 1 and name not in env.assigned_locals:
        env.assigned_locals.append(name)


def _freeze(value: Any) -> Any:
    if isinstance(value, Flags):
        return ("flags", value.bits)
    if isinstance(value, BitNum):
        return ("flags", 1 << value.bit) if False else ("bit", value.bit)
    if isinstance(value, bool):
        return int(value)
    return value


# ---------------------------------------------------------------------------------------------
# expressions
# ---------------------------------------------------------------------------------------------


def eval_expr(env: Env, node: Node) -> Any:
    t = node.type
    if t == "parenthesized_expression":
        inner = [c for c in node.named_children if c.type != "comment"]
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
    if t == "identifier":
        return _identifier(env, text_of(node))
    if t == "field_expression":
        return _field(env, node)
    if t == "pointer_expression":
        op = text_of(node.child_by_field_name("operator") or node.children[0])
        arg = node.child_by_field_name("argument")
        subj = canon(arg) if arg is not None else None
        if op == "&" and subj is not None:
            return (
                Alias(env.unify(subj)) if _is_flag_subject(env, arg, subj) else Opaque("&" + subj)
            )
        if op == "*" and arg is not None:
            val = eval_expr(env, arg)
            if isinstance(val, Alias):
                return env.subject_value(val.subject)
            return Opaque(" ".join(text_of(node).split()))
        return Opaque(" ".join(text_of(node).split()))
    if t == "unary_expression":
        return _unary(env, node)
    if t == "binary_expression":
        return _binary(env, node)
    if t == "conditional_expression":
        cond = eval_expr(env, node.child_by_field_name("condition"))
        branch = "consequence" if truth(env, cond) else "alternative"
        return eval_expr(env, node.child_by_field_name(branch))
    if t == "assignment_expression":
        return _assign(env, node)
    if t == "call_expression":
        return _call(env, node)
    if t == "cast_expression":
        value = eval_expr(env, node.child_by_field_name("value"))
        type_text = text_of(node.child_by_field_name("type"))
        if type_text.strip() == "bool":
            return int(truth(env, value))
        return value
    if t == "compound_literal_expression":
        if "vma_flags_t" in text_of(node.child_by_field_name("type") or node):
            return Flags(0, "bitmap")
        raise Unsupported("compound literal")
    if t in (
        "string_literal",
        "char_literal",
        "concatenated_string",
        "sizeof_expression",
        "subscript_expression",
        "update_expression",
    ):
        return Opaque(" ".join(text_of(node).split()))
    raise Unsupported(f"expression kind {t}")


def _key(value: Any) -> str:
    if isinstance(value, Opaque):
        return value.key
    return str(_freeze(value))


def _number(text: str) -> int:
    clean = text.rstrip("uUlL")
    if len(clean) > 1 and clean[0] == "0" and clean[1:].isdigit():
        clean = "0o" + clean[1:]
    try:
        return int(clean, 0)
    except ValueError as exc:
        raise Unsupported(f"number {text}") from exc


def _identifier(env: Env, name: str) -> Any:
    uname = env.unify(name)
    for frame in reversed(env.frames):
        if uname in frame.aliases:
            return Alias(frame.aliases[uname])
        if uname in frame.locals:
            return frame.locals[uname]
        if len(env.frames) > 1:
            break  # callee frames see only their own names
    bit = registry.bit_of_name(name)
    if bit is not None:
        env.note_bits(1 << bit)
        return BitNum(bit, name)
    mask = registry.mask_of_name(name)
    if mask is not None:
        env.note_bits(mask)
        return Flags(mask, "word", name)
    vmask = registry.vma_mask_of_name(name)
    if vmask is not None:
        env.note_bits(vmask)
        return Flags(vmask, "bitmap", name)
    macro = env.model.macro_value(name)
    if macro is not None:
        env.note_bits(macro.bits)
        return macro
    if uname in env.flag_names or name in env.flag_names:
        return env.subject_value(name)
    consts = getattr(env, "consts", {})
    if name in consts and len(env.frames) == 1 and name not in env.expanding:
        env.expanding.add(name)
        try:
            return eval_expr(env, consts[name])
        finally:
            env.expanding.discard(name)
    return Opaque(name)


def _is_flag_subject(env: Env, node: Node, subj: str) -> bool:
    if node.type == "field_expression":
        return True
    return (
        subj in env.flag_names
        or env.unify(subj) in env.flag_names
        or any(subj in f.aliases or subj in f.locals for f in env.frames)
    )


def _field(env: Env, node: Node) -> Any:
    subj = canon(node)
    if subj is not None:
        base = node.child_by_field_name("argument")
        if base is not None and base.type == "identifier":
            resolved = _identifier(env, text_of(base))
            if isinstance(resolved, Alias):
                return env.subject_value(resolved.subject)
        return env.subject_value(subj)
    return Opaque(" ".join(text_of(node).split()))


def _unary(env: Env, node: Node) -> Any:
    op = text_of(node.child_by_field_name("operator"))
    val = eval_expr(env, node.child_by_field_name("argument"))
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


def _binary(env: Env, node: Node) -> Any:
    op = text_of(node.child_by_field_name("operator"))
    left_node, right_node = node.child_by_field_name("left"), node.child_by_field_name("right")
    if op == "&&":
        return int(truth(env, eval_expr(env, left_node)) and truth(env, eval_expr(env, right_node)))
    if op == "||":
        return int(truth(env, eval_expr(env, left_node)) or truth(env, eval_expr(env, right_node)))
    left, right = eval_expr(env, left_node), eval_expr(env, right_node)
    if op in ("&", "|", "^"):
        left = _promote(env, left_node, left, right)
        right = _promote(env, right_node, right, left)
    if isinstance(left, Opaque) or isinstance(right, Opaque):
        if is_flaggy(left) or is_flaggy(right):
            raise Unsupported("flags combined with an unknown value")
        # keyed by the operands' keys, so renamed flag arguments inside calls do not matter
        return Opaque(f"{_key(left)} {op} {_key(right)}")
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
    op = text_of(node.child_by_field_name("operator"))
    lhs, rhs_node = node.child_by_field_name("left"), node.child_by_field_name("right")
    rhs = eval_expr(env, rhs_node)
    subj = canon(lhs)
    is_local = lhs.type == "identifier" and not _is_flag_subject(env, lhs, text_of(lhs))
    if lhs.type == "identifier" and any(env.unify(text_of(lhs)) in f.locals for f in env.frames):
        is_local = True
    if op == "=":
        new = rhs
    else:
        cur = eval_expr(env, lhs)
        if op == "|=":
            new = _combine(cur, rhs, lambda a, b: a | b)
        elif op == "&=":
            new = _combine(cur, rhs, lambda a, b: a & b)
        elif op == "^=":
            new = _combine(cur, rhs, lambda a, b: a ^ b)
        else:
            new = Opaque(" ".join(text_of(node).split()))
    if is_local:
        _store_local(env, text_of(lhs), new)
    elif subj is not None:
        env.set_subject(subj, new)
    else:
        env.events.append(("store", " ".join(text_of(lhs).split()), _freeze(new)))
    return new


def _combine(cur: Any, rhs: Any, fn) -> Any:
    if isinstance(cur, Opaque) or isinstance(rhs, Opaque):
        raise Unsupported("compound assignment with an unknown value")
    kind = cur.kind if isinstance(cur, Flags) else "word"
    return Flags(fn(bits_of(cur), bits_of(rhs)), kind)


# ---------------------------------------------------------------------------------------------
# calls
# ---------------------------------------------------------------------------------------------


def _call(env: Env, node: Node) -> Any:
    fn_node = node.child_by_field_name("function")
    args = [a for a in node.child_by_field_name("arguments").named_children if a.type != "comment"]
    name = text_of(fn_node)
    if name == "BIT":
        return 1 << bits_of(eval_expr(env, args[0]))
    if name in ("VM_WARN_ON_ONCE", "VM_WARN_ON", "WARN_ON_ONCE", "WARN_ON", "BUG_ON"):
        val = truth(env, eval_expr(env, args[0]))
        env.events.append(("warn", name, int(val)))
        return int(val)
    if name in ("unlikely", "likely"):
        return eval_expr(env, args[0])
    if name == "ACCESS_PRIVATE" and len(args) == 2:
        base = eval_expr(env, args[0])
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
    val = eval_expr(env, arg)
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
        val = eval_expr(env, arg)
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
    val = eval_expr(env, arg)
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
    first = eval_expr(env, args[0])
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
        val = eval_expr(env, rest[0])
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
        val = eval_expr(env, args[0])
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
        val = eval_expr(env, arg)
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
        result = run_statements(env, [c for c in body.named_children if c.type != "comment"])
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
        val = eval_expr(env, arg)
        proj = env.model.projection(name, idx)
        if proj is not None:
            val = proj(env, arg, val)
        if isinstance(val, Alias):
            val = env.subject_value(val.subject)
        values.append(_freeze(val))
    env.events.append(("call", name, tuple(values)))
    return Opaque(f"{name}()#{count}")
