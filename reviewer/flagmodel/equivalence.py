"""Decide whether the old and new side of a change block behave the same, exhaustively over
every assignment of the flag bits (and unknown conditions) involved, or find a counterexample."""

from __future__ import annotations

import difflib
import itertools
import random
import re
from dataclasses import dataclass, field, replace
from typing import Any

from tree_sitter import Node

from reviewer.flagmodel import equivalence_blame as blame
from reviewer.flagmodel import interp_expressions as expressions
from reviewer.flagmodel import interp_statements as statements
from reviewer.flagmodel import interp_values as interp
from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import Fragment, parse_statements, text_of
from reviewer.flagmodel.equivalence_macros import macro_pair
from reviewer.flagmodel.tree_state import Model

MAX_EXHAUSTIVE_VARS = 9
SAMPLES = 1 << 8


@dataclass
class SideInfo:
    """What the visible text of one side of a file says about names used in a block."""

    flag_names: set[str] = field(default_factory=set)
    consts: dict[str, Node] = field(default_factory=dict)
    inits: dict[str, Node] = field(default_factory=dict)
    vma_names: set[str] = field(default_factory=set)
    pointer_names: set[str] = field(default_factory=set)
    params: set[str] = field(default_factory=set)  # parameters of the enclosing function
    bit_params: set[str] = field(default_factory=set)  # vma_flag_t parameters: any bit
    elsewhere: set[str] = field(default_factory=set)  # changed by other blocks of the function
    # flags-typed name -> [(row, initialiser)] of its declarations in the side's text
    decl_rows: dict[str, list] = field(default_factory=dict)


@dataclass
class Outcome:
    status: str  # equivalent | different | unverified | skip
    message: str = ""
    counterexample: str = ""
    issues: list[interp.Issue] = field(default_factory=list)
    lock_change: str = ""
    error_path_only: bool = False
    notes: list[str] = field(default_factory=list)
    assignments: int = 0
    overwrite: bool = False  # the difference is an OR-in that became an assignment
    row: tuple[int, str] | None = None  # (row of the new side's text, its text): blame
    added_event: bool = False  # the difference is an event only the new side has


@dataclass
class _Obs:
    result: Any
    events: tuple
    subjects: dict[str, Any]
    locals: dict[str, Any]
    issues: list[interp.Issue]
    locks: list[str]
    env: interp.Env | None = None  # kept when the run was traced (blame)


class _Side:
    def __init__(self, frag: Fragment, model: Model, info: SideInfo):
        self.frag, self.model, self.info = frag, model, info
        self.renames: dict[str, str] = {}
        self.seen_bits: set[int] = set()
        self.seen_atoms: set[str] = set()
        self.seen_subjects: set[str] = set()
        self.locals_seen: list[str] = []
        self.derived_seen: list[str] = []  # locals whose value came from their initialiser
        self.inputs: set[str] = set()  # subjects read before written: the block's inputs
        self.bit_vars: dict[str, int] = {}  # value of each bit parameter in this run
        self.seen_bit_vars: set[str] = set()

    def run(self, init: dict[str, int], atoms: dict[str, bool], trace: bool = False) -> _Obs:
        env = interp.Env(self.model, init, atoms, self.info.flag_names, self.renames)
        env.tracing = trace
        env.bit_params = self.info.bit_params
        env.bit_vars = self.bit_vars
        env.consts = self.info.consts  # type: ignore[attr-defined]
        env.vma_names = self.info.vma_names
        env.pointer_names = self.info.pointer_names
        env.derived = self.info.inits
        result = statements.run_statements(env, self.frag.statements)
        self.seen_bits |= env.seen_bits
        self.seen_atoms |= env.seen_atoms
        self.seen_subjects |= env.seen_subjects
        self.seen_bit_vars |= env.seen_bit_vars
        for name in env.assigned_locals:
            if name not in self.locals_seen:
                self.locals_seen.append(name)
        self.inputs |= env.free_reads
        for name in sorted(env.derived_done):
            if name not in self.derived_seen:
                self.derived_seen.append(name)
        subjects = {n: v for n, v in env.subjects.items() if not n.startswith("<")}
        local_vals = {name: env.frames[0].locals.get(name) for name in env.assigned_locals}
        events = tuple(e for e in env.events)
        return _Obs(
            result, events, subjects, local_vals, env.issues, env.locks, env if trace else None
        )


def flag_related(text: str, names: set[str], info: SideInfo, model: Model) -> bool:
    for name in names:
        if name.startswith(("VM_", "VMA_")) or name in (
            "vm_flags",
            "vma_flags",
            "vm_flags_t",
            "vma_flags_t",
            "EMPTY_VMA_FLAGS",
        ):
            return True
        if model.helper(name) or model.derived(name) or name in info.flag_names:
            return True
    return False


def compare(
    old_text: str, new_text: str, pre: Model, post: Model, old_info: SideInfo, new_info: SideInfo
) -> Outcome:
    pair = macro_pair(old_text, new_text)
    if pair is not None:
        return _compare_macro(pair, new_text, pre, post, old_info, new_info)
    old_text, new_text = _else_branch(old_text, new_text)
    old_frag, new_frag = parse_statements(old_text), parse_statements(new_text)
    if not old_frag.ok or not new_frag.ok:
        if _top_level_only(old_text) and _top_level_only(new_text):
            return Outcome("skip", "definitions or declarations")
        old_frag, new_frag = _as_initializers(old_text), _as_initializers(new_text)
    if old_frag is None or new_frag is None or not old_frag.ok or not new_frag.ok:
        lines = max(old_text.count("\n"), new_text.count("\n")) + 1
        what = "restructured code" if lines > 15 else "fragment"
        return Outcome(
            "unverified",
            f"{what} ({lines} lines) does not parse as complete statements on both sides",
        )
    if any(s.type == "function_definition" for s in old_frag.statements + new_frag.statements):
        return Outcome("skip", "function definitions")
    if _declarations_only(old_frag) and _declarations_only(new_frag):
        return Outcome("skip", "declarations only")
    old, new = _Side(old_frag, pre, old_info), _Side(new_frag, post, new_info)
    try:
        return _enumerate(old, new)
    except interp.NotBuilt as exc:
        return Outcome("skip", f"{exc} does not exist in this configuration")
    except interp.Unsupported as exc:
        return Outcome("unverified", str(exc))
    except RecursionError:
        return Outcome("unverified", "expression too deep")


def _compare_macro(pair, new_text, pre, post, old_info, new_info) -> Outcome:
    """A function-like macro rewritten: its two bodies instantiated alike and compared
    (equivalence_macros). Anything the instance cannot decide keeps the macro a definition
    (skip); type findings of an instance are not the macro's (its parameters have no types)."""
    from reviewer.flagmodel.tree_state import is_helper_name

    old_m, new_m = pair
    if is_helper_name(new_m.name) or post.helper(new_m.name) is not None:
        return Outcome("skip", "helper macro (the harness checks helper definitions)")
    if old_m.text.strip() == new_m.text.strip():
        return Outcome("skip", "macro definition reformatted")
    old_i = replace(old_info, bit_params=old_info.bit_params | old_m.bit_params | new_m.bit_params)
    new_i = replace(new_info, bit_params=new_info.bit_params | old_m.bit_params | new_m.bit_params)
    outcome = compare(old_m.text, new_m.text, pre, post, old_i, new_i)
    if outcome.status not in ("different", "equivalent"):
        return Outcome("skip", f"macro definition {new_m.name}()")
    if outcome.added_event:
        # a macro that gained statements (a test macro that asserts more) is an extension
        return Outcome("skip", f"macro definition {new_m.name}() extended")
    outcome.issues = []
    if outcome.row is not None:
        rows = new_text.split("\n")
        row = outcome.row[0]
        outcome.row = (row, rows[row].strip()) if row < len(rows) else None
    outcome.message = f"in macro {new_m.name}(): {outcome.message}" if outcome.message else ""
    return outcome


_ELSE_HEAD = re.compile(r"^(\s*\}\s*else)(\s+if\b|\s*\{)")


def _else_branch(old_text: str, new_text: str) -> tuple[str, str]:
    """Both sides open with `} else if (...)` / `} else {` (the `if` it continues is outside
    the block, judged by its own block): the branch is compared as a statement of its own,
    reached on both sides when that earlier condition is false. Rows are kept."""
    om, nm = _ELSE_HEAD.match(old_text), _ELSE_HEAD.match(new_text)
    if om is None or nm is None:
        return old_text, new_text

    def cut(text: str, m: re.Match) -> str:
        return " " * len(m.group(1)) + text[len(m.group(1)) :]

    return cut(old_text, om), cut(new_text, nm)


def _top_level_only(text: str) -> bool:
    """Text that parses as top-level C made of definitions and declarations only."""
    from reviewer.flagmodel.c_parse import parse

    code = text.strip()
    while code.startswith("}"):
        code = code[1:].lstrip()
    if code.endswith(")"):
        code += ";"
    if code.endswith("{"):
        code += "}"
    root = parse(code)
    if root.has_error or not root.named_children:
        return False
    allowed = (
        "declaration",
        "function_definition",
        "type_definition",
        "struct_specifier",
        "union_specifier",
        "preproc_def",
        "preproc_function_def",
        "comment",
        "preproc_include",
        "preproc_call",
        "expression_statement",
    )
    return all(c.type in allowed for c in root.named_children) and not all(
        c.type == "expression_statement" for c in root.named_children
    )


def _as_initializers(text: str) -> Fragment | None:
    """Designated initialiser lines (.field = value,) as assignments to one object."""
    from reviewer.flagmodel.c_parse import parse

    code = text.strip().rstrip(",")
    root = parse(f"struct __flagmodel_s __flagmodel_obj = {{ {code} }};")
    if root.has_error:
        return None
    stmts = []
    for node in walk_nodes(root):
        if node.type == "initializer_pair":
            designators = node.children_by_field_name("designator")
            value = node.child_by_field_name("value")
            if not designators or value is None:
                return None
            field_name = "".join(text_of(d) for d in designators).lstrip(".")
            stmts.append(f"__flagmodel_obj->{field_name} = {text_of(value)};")
    if not stmts:
        return None
    return parse_statements("\n".join(stmts))


def walk_nodes(node: Node):
    from reviewer.flagmodel.c_parse import walk

    return walk(node)


def _declarations_only(frag: Fragment) -> bool:
    for stmt in frag.statements:
        if stmt.type in ("declaration", "field_declaration"):
            for decl in stmt.children_by_field_name("declarator"):
                if decl.type == "init_declarator":
                    return False
            continue
        if stmt.type in ("struct_specifier", "union_specifier", "type_definition", "comment"):
            continue
        return False
    return True


def _pair_names(
    old: set[str] | list[str],
    new: set[str] | list[str],
    old_text: frozenset[str] = frozenset(),
    new_text: frozenset[str] = frozenset(),
    old_objects: set[str] | frozenset[str] = frozenset(),
    new_objects: set[str] | frozenset[str] = frozenset(),
    lone: bool = True,
) -> dict[str, str]:
    """new name -> old name for what a conversion renamed: the one name each side has alone,
    or, among several, flags names paired by similarity (vm_flags/vma_flags,
    newflags/new_vma_flags, vm_flags_ptr/vma_flags_ptr). A name the other side's text still
    uses was not renamed (it was only not reached in the discovery runs)."""
    only_old = [n for n in old if n not in new and n.split()[0] not in new_text]
    only_new = [n for n in new if n not in old and n.split()[0] not in old_text]

    def same_kind(o: str, n: str) -> bool:
        # a VMA/descriptor object is never "renamed" to a flags value: setting a flag on a
        # local copy instead of on the VMA is the dead-local mistake, not a rename. The other
        # way is a prototype change: a flags parameter replaced by the object it came from
        # (daxdev_mapping_supported(vm_flags) -> (desc)).
        o_obj, n_obj = o.split()[0] in old_objects, n.split()[0] in new_objects
        return o_obj == n_obj or (n_obj and not o_obj)

    if (
        lone
        and len(only_old) == 1
        and len(only_new) == 1
        and _may_rename(only_old[0], only_new[0])
        and same_kind(only_old[0], only_new[0])
    ):
        return {only_new[0]: only_old[0]}
    scored = sorted(
        (
            (difflib.SequenceMatcher(None, o, n).ratio(), o, n)
            for o in only_old
            for n in only_new
            if "flag" in o and "flag" in n
        ),
        reverse=True,
    )
    pairs: dict[str, str] = {}
    for ratio, o, n in scored:
        if ratio >= 0.6 and n not in pairs and o not in pairs.values() and same_kind(o, n):
            pairs[n] = o
    return pairs


def _enumerate(old: _Side, new: _Side) -> Outcome:
    # Discovery runs: learn which bits, subjects, atoms and locals are involved (unknown
    # conditions once false, then true, so code behind `cond && ...` is seen too).
    for side in (old, new):
        side.run({}, {})
        for _ in range(3):
            atoms = set(side.seen_atoms)
            side.run({}, dict.fromkeys(atoms, True))
            if side.seen_atoms == atoms:
                break
    # identifiers each side uses other than its own locals
    old_names = _identifiers(old) - set(old.locals_seen)
    new_names = _identifiers(new) - set(new.locals_seen)
    new.renames = {
        **_pair_names(
            old.seen_subjects,
            new.seen_subjects,
            old_names,
            new_names,
            old.info.vma_names,
            new.info.vma_names,
        ),
        # (locals declared in the block: a name the other side uses may be another object)
        **_pair_names(old.locals_seen, new.locals_seen),
        # locals computed from their initialisers pair by name only (discovery may not
        # reach every one of them, so "the one left on each side" proves nothing)
        **_pair_names(old.derived_seen, new.derived_seen, old_names, new_names, lone=False),
    }
    new.seen_subjects.clear()
    new.locals_seen.clear()
    new.derived_seen.clear()
    new.run({}, {})
    new.run({}, dict.fromkeys(new.seen_atoms, True))
    _require_related_params(old, new)
    for _attempt in range(5):
        fixed = _fixed_inits(old, new)
        notes = [f"assumes {name} still holds its visible initialiser" for name in fixed]
        bits = sorted(old.seen_bits | new.seen_bits)
        bits = sorted(set(bits) | {_witness_bit(bits)})
        # only inputs are enumerated: a subject every side writes before reading needs none
        subjects = sorted(
            ((old.seen_subjects | new.seen_subjects) - set(fixed)) & _inputs(old, new)
        )
        atoms = sorted(old.seen_atoms | new.seen_atoms)
        before = (len(bits), len(subjects), len(atoms))
        outcome = _search(old, new, bits, subjects, atoms, fixed)
        after = (
            len(set(bits) | old.seen_bits | new.seen_bits),
            len(((old.seen_subjects | new.seen_subjects) - set(fixed)) & _inputs(old, new)),
            len(old.seen_atoms | new.seen_atoms),
        )
        if after == before or outcome.status == "different":
            outcome.notes = notes + outcome.notes
            return outcome
    raise interp.Unsupported("the set of flags involved does not settle")


def _may_rename(old: str, new: str) -> bool:
    """Macro names (all capitals) are renamed only legacy -> bitmap style (VM_X -> VMA_X);
    two different #defines side by side are not a rename of each other."""
    if old.isupper() and new.isupper():
        return old.replace("VMA_", "VM_") == new.replace("VMA_", "VM_")
    return True


def _identifiers(side: _Side) -> frozenset[str]:
    from reviewer.flagmodel.tree_state import names_under

    return frozenset().union(*(names_under(stmt) for stmt in side.frag.statements))


def _require_related_params(old: _Side, new: _Side) -> None:
    """Flags that are a parameter of the changed function on one side only (its prototype
    changed: ``accountable_mapping(file, vm_flags)`` became ``accountable_mapping(map)``)
    while the other side reads other flags: nothing in the block relates the two."""
    unified_new = {new.renames.get(n, n) for n in new.seen_subjects}
    old_only = old.seen_subjects - unified_new
    new_only = unified_new - old.seen_subjects
    if not old_only or not new_only:
        return
    if any(name.split()[0] in old.info.vma_names for name in old_only):
        return  # the old code changes a VMA the new code leaves alone: compare, it is observable
    reverse = {v: k for k, v in new.renames.items()}
    lone = sorted(old_only & old.info.params) + sorted(
        n for n in new_only if reverse.get(n, n) in new.info.params
    )
    if lone:
        raise interp.Unsupported(
            f"the flags of {', '.join(lone)} (a parameter of the changed function on one side "
            f"only) are not related to {', '.join(sorted((old_only | new_only) - set(lone)))} "
            "by anything the model sees"
        )


def _inputs(old: _Side, new: _Side) -> set[str]:
    return {n for n in old.inputs if not n.startswith("<")} | {
        n for n in new.inputs if not n.startswith("<")
    }


def _witness_bit(bits: list[int]) -> int:
    """One bit no mask of the block names, so whole-value copies and ORs can differ."""
    for candidate in range(64):
        if candidate not in bits:
            return candidate
    return 64


def _fixed_inits(old: _Side, new: _Side) -> dict[str, int]:
    """Subjects whose declaration with a constant initialiser is visible (both sides agreeing
    when the subject is used on both)."""
    fixed: dict[str, int] = {}
    reverse = {v: k for k, v in new.renames.items()}
    for name in old.seen_subjects | new.seen_subjects:
        new_name = reverse.get(name, name)
        onode = old.info.inits.get(name) if name in old.seen_subjects else None
        nnode = new.info.inits.get(new_name) if name in new.seen_subjects else None
        if (name in old.seen_subjects and onode is None) or (
            name in new.seen_subjects and nnode is None
        ):
            continue
        try:
            values = {
                _const_value(n, m)
                for n, m in ((onode, old.model), (nnode, new.model))
                if n is not None
            }
        except interp.Unsupported:
            continue
        if len(values) == 1:
            fixed[name] = values.pop()
    return fixed


def _const_value(node: Node, model: Model) -> int:
    env = interp.Env(model, {}, {}, set(), {})
    val = expressions.eval_expr(env, node)
    if env.seen_subjects or env.seen_atoms:
        raise interp.Unsupported("not a constant")
    return interp.bits_of(val)


def _assignments(bits: list[int], subjects: list[str], atoms: list[str]):
    nvars = len(bits) * len(subjects) + len(atoms)
    if nvars <= MAX_EXHAUSTIVE_VARS:
        yield from itertools.product((0, 1), repeat=nvars)
        return
    rng = random.Random(0x5EED)
    for _ in range(SAMPLES):
        yield tuple(rng.getrandbits(1) for _ in range(nvars))


MAX_BIT_CHOICES = 12


def _search(
    old: _Side,
    new: _Side,
    bits: list[int],
    subjects: list[str],
    atoms: list[str],
    fixed: dict[str, int],
) -> Outcome:
    """Search every assignment; a bit parameter (``vma_flag_t bit``, a macro's bit argument)
    is one more dimension: each takes each bit involved (distinct parameters distinct bits)."""
    names = sorted(old.seen_bit_vars | new.seen_bit_vars)
    if not names:
        return _search_fixed_bits(old, new, bits, subjects, atoms, fixed)
    choices = [c for c in itertools.permutations(bits, len(names))]
    if len(choices) > MAX_BIT_CHOICES:
        choices = random.Random(len(choices)).sample(choices, MAX_BIT_CHOICES)
    outcome = Outcome("equivalent")
    for choice in choices:
        old.bit_vars.clear()
        old.bit_vars.update(zip(names, choice, strict=True))
        new.bit_vars.clear()
        new.bit_vars.update(old.bit_vars)
        outcome = _search_fixed_bits(old, new, bits, subjects, atoms, fixed)
        if outcome.status == "different":
            where = ", ".join(f"{n} = {_show_value(('bit', b))}" for n, b in old.bit_vars.items())
            outcome.counterexample = f"{where}; {outcome.counterexample}"
            return outcome
    if len(choices) < len(list(itertools.permutations(bits, len(names)))):
        outcome.notes.append(f"bit parameters {', '.join(names)}: {len(choices)} choices sampled")
    return outcome


def _search_fixed_bits(
    old: _Side,
    new: _Side,
    bits: list[int],
    subjects: list[str],
    atoms: list[str],
    fixed: dict[str, int],
) -> Outcome:
    nvars = len(bits) * len(subjects) + len(atoms)
    count = 0
    issues: list[interp.Issue] = []
    lock_change = ""
    error_only_seen = False
    error_only_example = ""
    domain = sum(1 << b for b in bits)
    for values in _assignments(bits, subjects, atoms):
        count += 1
        init = dict(fixed)
        pos = 0
        for subj in subjects:
            word = 0
            for bit in bits:
                if values[pos]:
                    word |= 1 << bit
                pos += 1
            init[subj] = word
        atom_vals = {a: bool(values[pos + i]) for i, a in enumerate(atoms)}
        o, n = old.run(init, atom_vals), new.run(init, atom_vals)
        if count == 1:
            issues = _unique(n.issues)
            if bool(o.locks) != bool(n.locks):  # who takes the write lock does not matter
                lock_change = _lock_text(o.locks, n.locks)
        diff = _difference(o, n, domain, new.renames, new.info.elsewhere) or _one_sided(
            o, n, init, domain, old.info, new.info
        )
        if diff is None:
            continue
        example = _describe(init, atom_vals, bits, subjects, fixed)
        if diff[0] == "state" and _is_error_return(o.result) and _is_error_return(n.result):
            error_only_seen = True
            error_only_example = error_only_example or f"{example}: {diff[1]}"
            continue
        overwrite = _overwrite_summary(o, n, init, domain)
        old_events = [e for e in o.events if e[0] != "return"]
        return Outcome(
            "different",
            overwrite or diff[1],
            f"{example}: {diff[1]}",
            issues,
            lock_change,
            assignments=count,
            overwrite=bool(overwrite),
            row=blame.blame_row(old, new, init, atom_vals, diff),
            added_event=diff[0] == "event" and (diff[2] or 0) >= len(old_events),
        )
    sampled = nvars > MAX_EXHAUSTIVE_VARS
    notes = [f"sampled {SAMPLES} of 2^{nvars} assignments"] if sampled else []
    if error_only_seen:
        return Outcome(
            "equivalent",
            "differs only on an error-return path",
            error_only_example,
            issues,
            lock_change,
            True,
            notes,
            count,
        )
    return Outcome("equivalent", "", "", issues, lock_change, False, notes, count)


def _unique(issues: list[interp.Issue]) -> list[interp.Issue]:
    seen, out = set(), []
    for issue in issues:
        if issue.message not in seen:
            seen.add(issue.message)
            out.append(issue)
    return out


def _lock_text(old: list[str], new: list[str]) -> str:
    if old and not new:
        return (
            f"old code took the VMA write lock via {', '.join(sorted(set(old)))}(); the new "
            "helpers take no lock"
        )
    if new and not old:
        return f"new code takes the VMA write lock via {', '.join(sorted(set(new)))}()"
    return f"locking helpers changed: {sorted(set(old))} -> {sorted(set(new))}"


def _overwrite_summary(o: _Obs, n: _Obs, init: dict[str, int], domain: int) -> str:
    """Name the common behaviour change "OR-in became assignment" when the counterexample
    shows it: the old side kept the target's own bits on top of the source's, the new side
    holds exactly the source's."""
    for name in sorted(set(o.subjects) & set(n.subjects)):
        before = init.get(name, 0) & domain
        old_val, new_val = (
            interp.comparable(o.subjects[name], domain),
            interp.comparable(n.subjects[name], domain),
        )
        if not isinstance(old_val, int) or not isinstance(new_val, int) or old_val == new_val:
            continue
        sources = [src for src in sorted(init) if src != name and init[src] & domain == new_val]
        if sources and old_val == before | new_val:
            return (
                f"flags of {name} are now overwritten instead of OR-ed in: a flag set in "
                f"{name} but clear in {sources[0]} is now cleared"
            )
    return ""


def _one_sided(
    o: _Obs, n: _Obs, init: dict[str, int], domain: int, old_info: SideInfo, new_info: SideInfo
) -> tuple[str, str, Any] | None:
    """An object (a VMA, a descriptor, flags behind a pointer) that one side changes and the
    other leaves alone: the flags set on a local copy instead of on the VMA."""
    for name in sorted(set(o.subjects) ^ set(n.subjects)):
        obs, info = (o, old_info) if name in o.subjects else (n, new_info)
        base = name.split()[0]
        if base in info.inits or not (
            base in info.vma_names or base in info.pointer_names or "->" in name or "." in name
        ):
            continue  # a local copy (its initialiser is visible) is not observable by itself
        value = interp.comparable(obs.subjects[name], domain)
        start = init.get(name, 0) & domain
        if not isinstance(value, int) or value == start:
            continue
        _require_local_to_block(name, old_info.elsewhere | new_info.elsewhere)
        changed, kept = _show_bits(value), _show_bits(start)
        if obs is o:
            return "state", f"flags of {name}: old {changed}, new {kept} (left unchanged)", None
        return "state", f"flags of {name}: old {kept} (left unchanged), new {changed}", name
    return None


def _require_local_to_block(name: str, elsewhere: set[str]) -> None:
    if name.split(" ")[0] in elsewhere or name in elsewhere:
        raise interp.Unsupported(
            f"{name} is also changed by another changed block of the same function; the final "
            "value is decided by that region, which the model does not run as a whole"
        )


def _difference(
    o: _Obs, n: _Obs, domain: int, renames: dict[str, str], elsewhere: set[str] = frozenset()
) -> tuple[str, str, Any] | None:
    """(kind, message, where): where is the index of the first differing event (kind
    "event"), the subject or local that differs ("state"), or None (the result)."""
    ores = interp.comparable(o.result)
    nres = interp.comparable(n.result)
    if ores != nres:
        return "result", f"old {_show_result(o.result)}, new {_show_result(n.result)}", None
    oev = [interp.comparable(e) for e in o.events if e[0] != "return"]
    nev = [interp.comparable(e) for e in n.events if e[0] != "return"]
    if oev != nev:
        _require_same_kinds(
            [e for e in o.events if e[0] != "return"], [e for e in n.events if e[0] != "return"]
        )
        first = next(
            (i for i, (a, b) in enumerate(itertools.zip_longest(oev, nev)) if a != b), None
        )
        return "event", _event_diff(oev, nev), first
    for name in sorted(set(o.subjects) | set(n.subjects)):
        ov, nv = o.subjects.get(name), n.subjects.get(name)
        if ov is None or nv is None:
            continue
        if interp.comparable(ov, domain) != interp.comparable(nv, domain):
            _require_known(name, ov, nv)
            _require_local_to_block(name, elsewhere)
            return (
                "state",
                f"flags of {name}: old {_show_bits(interp.comparable(ov, domain))}, "
                f"new {_show_bits(interp.comparable(nv, domain))}",
                name,
            )
    for name in o.locals:
        if interp.UNINIT in (o.locals[name], n.locals.get(name)):
            continue  # declared without a value on one side: nothing to compare yet
        if name in n.locals and interp.comparable(o.locals[name]) != interp.comparable(
            n.locals[name]
        ):
            _require_local_to_block(name, elsewhere)
            return (
                "state",
                f"{name}: old {_show_value(o.locals[name])}, new {_show_value(n.locals[name])}",
                name,
            )
    return None


def _kind(value: Any) -> str:
    if isinstance(value, tuple) and value and value[0] in ("flags", "bit"):
        return value[0]
    if isinstance(value, bool | int):
        return "int"
    return "other"


def _require_same_kinds(oev: list, nev: list) -> None:
    """Calls of one function whose arguments differ in kind (a flags word on one side, a
    bool/int or a pointer on the other) compare values of different parameter types: without
    the callee's prototype the model cannot say whether they mean the same, so the block is
    undecided, not wrong."""
    for a, b in itertools.zip_longest(oev, nev):
        if interp.comparable(a) == interp.comparable(b):
            continue
        if (
            a is not None
            and b is not None
            and a[0] == b[0] == "call"
            and a[1] == b[1]
            and len(a[2]) != len(b[2])
        ):
            raise interp.Unsupported(
                f"{a[1]}() takes {len(a[2])} arguments on the old side and {len(b[2])} on the "
                "new: its prototype changed and the model does not follow the call"
            )
        if (
            a is not None
            and b is not None
            and a[0] == b[0] == "call"
            and a[1] == b[1]
            and len(a[2]) == len(b[2])
        ):
            for i, (x, y) in enumerate(zip(a[2], b[2], strict=True)):
                if (
                    interp.comparable(x) != interp.comparable(y)
                    and _kind(x) != _kind(y)
                    and "flags"
                    in (
                        _kind(x),
                        _kind(y),
                    )
                ):
                    raise interp.Unsupported(
                        f"{a[1]}() is passed a flags word on one side and another kind of value "
                        f"on the other (argument {i + 1}); its prototype is not visible"
                    )
        return


def _require_known(name: str, old: Any, new: Any) -> None:
    """A difference involving a value the model could not resolve is undecided, not a
    counterexample: raise so the block is reported unverified with the reason."""
    for value in (old, new):
        if isinstance(value, interp.Opaque):
            raise interp.Unsupported(
                f"flags of {name} depend on {value.key!r}, which the model cannot resolve"
            )


def _event_diff(oev: list, nev: list) -> str:
    for a, b in itertools.zip_longest(oev, nev):
        if a != b:
            return f"old {_show_event(a)}, new {_show_event(b)}"
    return "events differ"


def _show_event(ev: Any) -> str:
    if ev is None:
        return "does nothing more"
    if ev[0] == "call":
        return f"calls {ev[1]}({', '.join(_show_value(v) for v in ev[2])})"
    if ev[0] == "warn":
        return f"{ev[1]}() condition {'true' if ev[2] else 'false'}"
    if ev[0] == "store":
        return f"stores {_show_value(ev[2])} to {ev[1]}"
    if ev[0] == "goto":
        return f"jumps to {ev[1]}"
    if ev[0] == "branch":
        return f"condition {'true' if ev[1] else 'false'}"
    return str(ev)


def _show_result(res: Any) -> str:
    if res is None:
        return "falls through"
    kind, value = res
    if kind == "goto":
        return f"jumps to {value}"
    return f"returns {_show_value(value)}"


def _show_value(value: Any) -> str:
    value = interp.comparable(value) if not isinstance(value, interp.Opaque) else value
    if isinstance(value, interp.Opaque):
        return value.key
    if isinstance(value, int):
        return str(value) if value in (0, 1) or value < 0 else _show_bits(value)
    if isinstance(value, tuple) and value and value[0] == "bit":
        return registry.bit_label(value[1]).replace("VM_", "VMA_") + "_BIT"
    return str(value)


def _show_bits(bits: Any) -> str:
    """Names of the bits of a flags value; any other value (an unknown value such as
    ``*vma_flags`` read through a pointer the block does not resolve) shown as itself."""
    if not isinstance(bits, int) or isinstance(bits, bool) or bits < 0:
        return _show_value(bits)
    if bits == 0:
        return "none"
    names = []
    while bits:
        low = bits & -bits
        names.append(registry.bit_label(low.bit_length() - 1))
        bits ^= low
    return "|".join(names)


def _is_error_return(res: Any) -> bool:
    if not isinstance(res, tuple):
        return False
    kind, value = res
    if kind == "goto":
        return True
    if isinstance(value, interp.Opaque):
        return value.key.startswith("-E") or value.key.startswith("ERR_PTR")
    return isinstance(value, int) and value < 0


def _describe(
    init: dict[str, int],
    atoms: dict[str, bool],
    bits: list[int],
    subjects: list[str],
    fixed: dict[str, int],
) -> str:
    parts = []
    for subj in subjects:
        on = [registry.bit_label(b) for b in bits if init.get(subj, 0) >> b & 1]
        off = [registry.bit_label(b) for b in bits if not init.get(subj, 0) >> b & 1]
        desc = []
        if on:
            desc.append(" and ".join(on) + " set")
        if off:
            desc.append(" and ".join(off) + " clear")
        parts.append(f"{', '.join(desc)} in {subj}")
    for atom, val in atoms.items():
        parts.append(f"`{atom}` {'true' if val else 'false'}")
    return "with " + "; ".join(parts) if parts else "always"
