"""Values and run state of the flag-fragment interpreter.

Values: ``Flags`` (a legacy word or a vma_flags_t bitmap, as a set of bits), ``BitNum`` (a
VMA_xxx_BIT), Python ints, ``Opaque`` (anything the model does not know, compared by its source
text; in a boolean context it becomes a free variable, an "atom") and ``Alias`` (a pointer
standing for a subject). ``Env`` holds one run: subjects' flags, locals, atoms and events.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from tree_sitter import Node

from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import node_memo, text_of

if TYPE_CHECKING:
    from reviewer.flagmodel.tree_state import Model

WORD_MASK = (1 << registry.BITS_PER_LONG) - 1
FLAG_FIELDS = ("vm_flags", "vma_flags", "__vm_flags", "__vma_flags")


class Unsupported(Exception):
    """The fragment uses a construct the model cannot evaluate (reported as unverified)."""


class NotBuilt(Exception):
    """The fragment names something that does not exist in the configuration being checked
    (a VMA_SAO_BIT outside CONFIG_PPC64): that configuration does not build it."""


# The values below are never changed after they are made (memos share them); they are not
# ``frozen`` only because a frozen dataclass's __init__ costs ~3x a plain one, and a check makes
# ~140 k of them (docs/speed.md). Hashable and compared by value, as frozen ones.
@dataclass(slots=True, unsafe_hash=True)
class Flags:
    bits: int
    kind: str = "word"  # "word" (vm_flags_t / VM_xxx) or "bitmap" (vma_flags_t)
    const: str = ""  # VM_xxx name when it is a bare constant


@dataclass(slots=True, unsafe_hash=True)
class BitNum:
    bit: int
    name: str = ""


@dataclass(slots=True, unsafe_hash=True)
class Array:
    """An array value: a compound literal ``(const vma_flag_t []){A, B}`` a helper indexes, or
    an array initialised from a list (interp_arrays): the values of its items."""

    items: tuple


@dataclass(slots=True, unsafe_hash=True)
class Opaque:
    key: str


@dataclass(slots=True, unsafe_hash=True)
class Alias:
    """A pointer-like name standing for a subject (desc, vma, &flags)."""

    subject: str


UNINIT = Opaque("<uninitialised>")


@dataclass
class Issue:
    kind: str  # "mask-as-bit" | "bit-as-mask" | "arity" | "out-of-range" | ...
    message: str


class Frame:
    """One function's names: parameters bound to the caller's subjects, and its locals."""

    __slots__ = ("aliases", "locals")

    def __init__(self, aliases: dict[str, str] | None = None, locals: dict[str, Any] | None = None):
        self.aliases: dict[str, str] = {} if aliases is None else aliases
        self.locals: dict[str, Any] = {} if locals is None else locals


class Return(Exception):
    def __init__(self, value: Any):
        self.value = value


_READ_ONLY = MappingProxyType({})


class Env:
    """State of one run: subjects' flags, locals, free atoms and the observable events."""

    # blame (only when tracing, ``start_tracing``: the run that shows a difference is replayed
    # with it on): value of each expression node evaluated in the changed block's own frame,
    # the block's node being evaluated when an event fired, and the last node that wrote each
    # subject / local. A run that does not trace shares these empty, read-only defaults (a
    # search makes ~20 k runs: seven containers fewer each)
    tracing = False
    trace: dict[int, Any] = _READ_ONLY  # type: ignore[assignment]
    top_stack: list[Node] = ()  # type: ignore[assignment]
    event_nodes: dict[int, Node] = _READ_ONLY  # type: ignore[assignment]
    writers: dict[str, Node] = _READ_ONLY  # type: ignore[assignment]
    writes: dict[str, list[tuple[Node, Any]]] = _READ_ONLY  # type: ignore[assignment]
    node_bits: dict[int, int] = _READ_ONLY  # type: ignore[assignment]
    branches: list[tuple[Node, bool]] = ()  # type: ignore[assignment]  # if conditions, in order

    def __init__(
        self,
        model: Model,
        init: dict[str, int],
        atoms: dict[str, bool],
        flag_names: set[str],
        renames: dict[str, str],
        *,
        consts: dict[str, Node] | None = None,
        vma_names: set[str] | None = None,
        pointer_names: set[str] | None = None,
        derived: dict[str, Node] | None = None,
        bit_params: set[str] | None = None,
        bit_vars: dict[str, int] | None = None,
        index_vars: dict[str, int] | None = None,
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
        self.consts: dict[str, Node] = {} if consts is None else consts
        # names declared as struct vm_area_struct/desc *
        self.vma_names: set[str] = set() if vma_names is None else vma_names
        # names declared vm_flags_t * / vma_flags_t *
        self.pointer_names: set[str] = set() if pointer_names is None else pointer_names
        # flags locals -> visible initialiser
        self.derived: dict[str, Node] = {} if derived is None else derived
        self.deriving: set[str] = set()
        self.derived_done: set[str] = set()  # derived this run: not free variables
        self.atom_reads = 0
        self.free_reads: set[str] = set()
        # subjects whose initial flags only a memoised call's key has read so far, and those
        # of them overwritten before anything else read them: the run does not depend on
        # the latter's initial flags (run_memo)
        self.key_only: set[str] = set()
        self.key_dead: set[str] = set()
        self.subject_reads = 0
        # names that stand for a bit the caller chooses, and the bit each stands for
        self.bit_params: set[str] = set() if bit_params is None else bit_params
        self.bit_vars: dict[str, int] = {} if bit_vars is None else bit_vars
        self.seen_bit_vars: set[str] = set()
        # array index the block does not compute -> item
        self.index_vars: dict[str, int] = {} if index_vars is None else index_vars
        self.seen_index_vars: dict[str, int] = {}  # such an index -> length of its array
        self.cur_stmt: Node | None = None
        self.bits_log = 0  # bits named while evaluating the current node (tracing only)
        self.macro_site: Node | None = None  # the block's macro call being expanded
        # (event index, argument index) of opaque-call arguments that test one flag
        # (`vm_flags & VM_LOCKED`): they carry a truth value, whatever their type
        self.bit_tests: set[tuple[int, int]] = set()
        self.undefined_calls: set[str] = set()  # flag API called without any definition
        self.written: set[str] = set()  # subjects the block wrote
        # an undefined flag API call given flags the block did not compute (an input, or a
        # local whose value comes from outside the block): its arguments cannot be compared
        self.outside_args: set[str] = set()

    def start_tracing(self) -> None:
        """Keep what blame reads (before the run starts)."""
        self.tracing = True
        self.trace = {}
        self.top_stack = []
        self.event_nodes = {}
        self.writers = {}
        self.writes = {}
        self.node_bits = {}
        self.branches = []

    def resolve(self, name: str) -> str:
        """A subject name as the current frame sees it: a parameter bound to the caller's
        object resolves to the caller's subject (``vma_test(next, X)`` reads ``next``)."""
        frame = self.frames[-1]
        if name in frame.aliases:
            return frame.aliases[name]
        return self.unify(name)

    # -- names ---------------------------------------------------------------------------
    def unify(self, name: str) -> str:
        return self.renames.get(name, name)

    def subject_value(self, name: str) -> Any:
        self.subject_reads += 1
        raw, name = name, self.renames.get(name, name)
        if self.key_only:
            self.key_only.discard(name)  # read for its value (a key read re-adds it)
        top = self.frames[0].locals
        if name in top and isinstance(top[name], Flags):
            return top[name]  # a flags local of the block reached through its address
        if name in self.derived_done:
            return self.subjects[name]
        subjects = self.subjects
        if name in subjects:  # already known: neither derived nor a free read
            if not name.startswith("<"):
                self.seen_subjects.add(name)
            return subjects[name]
        if name not in self.init:
            source = raw
            if source not in self.derived and self.renames:  # reached through its unified name
                source = next((k for k, v in self.renames.items() if v == name), name)
            if source in self.derived:
                value = self._derive(source)
                if value is not None:
                    self.subjects[name] = value
                    self.derived_done.add(name)
                    return value
        if not name.startswith("<"):
            self.seen_subjects.add(name)
        if name not in self.subjects:
            self.free_reads.add(name)  # read before anything wrote it: an input of the block
            self.subjects[name] = Flags(self.init.get(name, 0), "word")
        return self.subjects[name]

    def unused_read(self, name: str) -> Any:
        """``subject_value`` for a read whose value decides nothing the run observes (a
        memoised call's key, flags about to be overwritten): the subject is read as before
        (it is still an input of the block), but a run that overwrites it without another
        read does not depend on its initial flags (run_memo)."""
        uname = self.unify(name)
        unused = uname in self.key_only or uname not in self.free_reads
        value = self.subject_value(name)
        if unused and uname in self.free_reads:
            self.key_only.add(uname)
        return value

    def _derive(self, name: str) -> Any:
        """A flags local declared in the changed function with a visible initialiser computed
        from other flags (``old_vma_flags = legacy_to_vma_flags(oldflags)``): its value is
        that initialiser's, so a legacy word and its bitmap copy stay the same flags."""
        from reviewer.flagmodel import interp_expressions as expressions

        if name in self.deriving:
            return None
        self.deriving.add(name)
        saved_events, saved_issues = len(self.events), len(self.issues)
        saved_frames = self.frames
        self.frames = saved_frames[:1]  # the initialiser is evaluated in the changed function
        try:
            node = self.derived[name]
            value = expressions.eval_expr(self, node)
            if isinstance(value, Alias):
                value = self.subject_value(value.subject)
            elif isinstance(value, Opaque) and node.type in ("identifier", "field_expression"):
                # a copy of flags the block names but does not type: those flags
                value = self.subject_value(" ".join(text_of(node).split()))
        except Unsupported:
            return None
        finally:
            self.frames = saved_frames
            self.deriving.discard(name)
            del self.events[saved_events:]  # evaluating an initialiser is not an observation
            del self.issues[saved_issues:]
        if isinstance(value, int) and not isinstance(value, bool):
            return Flags(value, "word")
        return value if isinstance(value, Flags | Array) else None

    def blame_node(self, node: Node | None = None) -> Node | None:
        """The changed block's node a write or an event belongs to: `node` itself in the
        block's frame, else (inside a helper's body) the block's call being evaluated."""
        if self.macro_site is not None:
            return self.macro_site
        # (a macro's expansion is parsed apart: its nodes are not the block's lines)
        if node is not None and len(self.frames) == 1 and self._in_block(node):
            return node
        for outer in reversed(self.top_stack):
            if self._in_block(outer):
                return outer
        return self.cur_stmt

    def _in_block(self, node: Node) -> bool:
        if self.cur_stmt is None:
            return True
        return _root(node) == _root(self.cur_stmt)

    def in_constant(self) -> bool:
        """Evaluating a constant's #define or a local's initialiser (their keys in `expanding`
        are bare names; a function-like macro's expansion is keyed "name:expansion")."""
        return any(":" not in key for key in self.expanding)

    def emit(self, event: tuple, node: Node | None = None) -> None:
        """Record an observable event (and, when tracing, the node it comes from)."""
        self.events.append(event)
        if self.tracing:
            where = self.blame_node(node)
            if where is not None:
                self.event_nodes[id(event)] = where

    def note_write(self, name: str, value: Any = None) -> None:
        if self.tracing:
            where = self.blame_node()
            if where is not None:
                self.writers[name] = where
                self.writes.setdefault(name, []).append((where, value))

    def set_subject(self, name: str, value: Any) -> None:
        name = self.unify(name)
        self.note_write(name, value)
        self.written.add(name)
        if name in self.key_only:
            self.key_only.discard(name)
            self.key_dead.add(name)
        top = self.frames[0].locals
        if name in top:
            top[name] = value
            return
        if name in self.derived_done:
            self.subjects[name] = value  # a derived local written by the block
            return
        if not name.startswith("<"):
            self.seen_subjects.add(name)
        self.subjects[name] = value

    def atom(self, key: str) -> bool:
        self.seen_atoms.add(key)
        self.atom_reads += 1  # memoised values must not depend on an unknown condition
        return self.atoms.get(key, False)

    def note_bits(self, bits: int) -> None:
        self.bits_log |= bits
        if bits > 0:
            positions = _POSITIONS.get(bits)
            if positions is None:
                positions = _positions(bits)
            self.seen_bits.update(positions)  # lowest first, as one at a time did
            return
        while bits:
            low = bits & -bits
            self.seen_bits.add(low.bit_length() - 1)
            bits ^= low

    @property
    def frame(self) -> Frame:
        return self.frames[-1]


_POSITIONS: dict[int, tuple[int, ...]] = {}  # a bit set -> its bit numbers, lowest first


def _positions(bits: int) -> tuple[int, ...]:
    out = []
    rest = bits
    while rest:
        low = rest & -rest
        out.append(low.bit_length() - 1)
        rest ^= low
    found = tuple(out)
    if len(_POSITIONS) < 1 << 14:
        _POSITIONS[bits] = found
    return found


def _root(node: Node) -> Node:
    while node.parent is not None:
        node = node.parent
    return node


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


@node_memo
def _subject_shape(node: Node) -> tuple | None:
    """What ``subject`` reads of a node (the same on every run): ("id", name), ("field",
    field name, base node, base type, base text) or None."""
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
        if base is None:
            return None
        return ("field", fname, base, base.type, " ".join(text_of(base).split()))
    if node.type == "identifier":
        return ("id", text_of(node))
    return None


def subject(env: Env, node: Node) -> str | None:
    """The subject a flags access refers to, resolved through the current frame's bindings
    (``desc->vma_flags``, ``&vma->flags``, ``flags->__vma_flags`` of a bound parameter)."""
    shape = _subject_shape(node)
    if shape is None:
        return None
    if shape[0] == "id":
        return env.resolve(shape[1])
    _field, fname, base, base_type, base_text = shape
    bound = base_type == "identifier" and base_text in env.frames[-1].aliases
    if fname in FLAG_FIELDS or (
        fname == "flags" and ("vma" in base_text or bound or base_text in env.vma_names)
    ):
        if base_type in ("identifier", "pointer_expression", "parenthesized_expression"):
            inner = subject(env, base) if base_type != "identifier" else None
            return inner or env.resolve(base_text)
        return env.unify(base_text)
    return None


def store_local(env: Env, name: str, value: Any, declared: bool = False) -> None:
    name = env.unify(name)
    env.frame.locals[name] = value
    if len(env.frames) == 1:
        env.note_write(name, value)
    if len(env.frames) == 1 and name not in env.assigned_locals:
        env.assigned_locals.append(name)


def freeze(value: Any) -> Any:
    if isinstance(value, Array):
        # a list of flags as the flags it lists: VMA_IO_BIT and VM_IO are the same item
        return ("array", tuple(_item_bits(freeze(v)) for v in value.items))
    if isinstance(value, Flags):
        return ("flags", value.bits)
    if isinstance(value, BitNum):
        return ("bit", value.bit)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Array):
        return ("array", tuple(freeze(v) for v in value.items))
    return value


def _item_bits(frozen: Any) -> Any:
    if isinstance(frozen, tuple) and len(frozen) == 2 and frozen[0] in ("flags", "bit"):
        return ("flags", frozen[1] if frozen[0] == "flags" else 1 << frozen[1])
    return frozen


def key_of(value: Any) -> str:
    if isinstance(value, Opaque):
        return value.key
    return str(freeze(value))


def comparable(value: Any, domain: int | None = None) -> Any:
    """A value as the engine compares it: flags as their bits (within `domain`), bools as ints."""
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "flags":
        return value[1] if domain is None else value[1] & domain
    if isinstance(value, Flags):
        return value.bits if domain is None else value.bits & domain
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Array):
        return comparable(freeze(value))
    if isinstance(value, tuple):
        return tuple(comparable(v) for v in value)
    return value
