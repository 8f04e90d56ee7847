"""The search for a counterexample: discovery runs of both sides, pairing renamed names, then every
assignment of the bits, subjects, conditions and bit parameters involved (sampled above a
bound)."""

from __future__ import annotations

import difflib
import itertools
import random

from tree_sitter import Node

from reviewer.flagmodel import equivalence_blame as blame
from reviewer.flagmodel import interp_expressions as expressions
from reviewer.flagmodel import interp_values as interp
from reviewer.flagmodel.equivalence_diff import (
    copy_pairs,
    difference,
    is_error_return,
    one_sided,
    through_copies,
)
from reviewer.flagmodel.equivalence_extension import EXTENSION, extension_verdict
from reviewer.flagmodel.equivalence_show import describe, lock_text, overwrite_summary, show_value
from reviewer.flagmodel.equivalence_side import Outcome, Side, Verdict
from reviewer.flagmodel.run_memo import DifferMemo, RunMemo
from reviewer.flagmodel.tree_state import Model

MAX_EXHAUSTIVE_VARS = 9
SAMPLES = 1 << 8


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


def enumerate_sides(old: Side, new: Side) -> Outcome:
    # Discovery runs: learn which bits, subjects, atoms and locals are involved (unknown
    # conditions once false, then true, so code behind `cond && ...` is seen too).
    for side in (old, new):
        replay = None  # the new side's discovery, when it settled: (first run, last run)
        side.run({}, {})
        first = side.last_seen
        for _ in range(3):
            atoms = set(side.seen_atoms)
            side.run({}, dict.fromkeys(atoms, True))
            if side.seen_atoms == atoms:
                replay = (first, side.last_seen)
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
    for new_param, old_param in new.info.binds.items():
        # the prototype changed and the calls show what the parameter now carries
        if new_param in new.seen_subjects and old_param in old.seen_subjects:
            new.renames[new_param] = old_param
    new.seen_subjects.clear()
    new.locals_seen.clear()
    new.derived_seen.clear()
    if new.renames or replay is None:
        new.run({}, {})
        new.run({}, dict.fromkeys(new.seen_atoms, True))
    else:
        # nothing renamed: the two runs again would be the discovery's first and last ones
        # (the same inputs, the same renames), so what they saw is seen again
        for seen in replay:
            new.see(seen)
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
        if after == before or outcome.status == Verdict.DIFFERENT:
            outcome.notes = notes + outcome.notes
            return outcome
    raise interp.Unsupported("the set of flags involved does not settle")


def _may_rename(old: str, new: str) -> bool:
    """Macro names (all capitals) are renamed only legacy -> bitmap style (VM_X -> VMA_X);
    two different #defines side by side are not a rename of each other."""
    if old.isupper() and new.isupper():
        return old.replace("VMA_", "VM_") == new.replace("VMA_", "VM_")
    return True


def _identifiers(side: Side) -> frozenset[str]:
    from reviewer.flagmodel.tree_state import names_under

    return frozenset().union(*(names_under(stmt) for stmt in side.frag.statements))


def _require_related_params(old: Side, new: Side) -> None:
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


def _inputs(old: Side, new: Side) -> set[str]:
    return {n for n in old.inputs if not n.startswith("<")} | {
        n for n in new.inputs if not n.startswith("<")
    }


def _witness_bit(bits: list[int]) -> int:
    """One bit no mask of the block names, so whole-value copies and ORs can differ."""
    for candidate in range(64):
        if candidate not in bits:
            return candidate
    return 64


def _fixed_inits(old: Side, new: Side) -> dict[str, int]:
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


MAX_INDEX_CHOICES = 64


def _search(
    old: Side,
    new: Side,
    bits: list[int],
    subjects: list[str],
    atoms: list[str],
    fixed: dict[str, int],
) -> Outcome:
    """Search every assignment; an array index the block does not compute (interp_arrays) is
    one more dimension: each position of the arrays it reads, the same on both sides."""
    sizes = {**old.seen_index_vars}
    for name, size in new.seen_index_vars.items():
        sizes[name] = max(size, sizes.get(name, 0))
    names = sorted(sizes)
    choices = list(
        itertools.islice(itertools.product(*(range(sizes[n]) for n in names)), MAX_INDEX_CHOICES)
    )
    dims = frozenset(
        [("s", s) for s in subjects]
        + [("a", a) for a in atoms]
        + [("i", n) for n in names]
        + [("b", b) for b in old.seen_bit_vars | new.seen_bit_vars]
    )
    old.memo, new.memo = RunMemo(dims), RunMemo(dims)
    try:
        return _each_choice(
            old,
            new,
            "index_vars",
            names,
            choices or [()],
            str,
            lambda: _search_bit_params(old, new, bits, subjects, atoms, fixed),
        )
    finally:
        old.memo = new.memo = None


def _each_choice(old: Side, new: Side, field: str, names, choices, show, search) -> Outcome:
    """Run `search` once per choice of an extra search dimension (the values of `names`, set in
    both sides' `field`); the first difference names its choice in the counterexample."""
    outcome = Outcome(Verdict.EQUIVALENT)
    for choice in choices:
        for side in (old, new):
            chosen = getattr(side, field)
            chosen.clear()
            chosen.update(zip(names, choice, strict=True))
        outcome = search()
        if outcome.status == Verdict.DIFFERENT:
            if names:
                where = ", ".join(f"{n} = {show(v)}" for n, v in zip(names, choice, strict=True))
                outcome.counterexample = f"{where}; {outcome.counterexample}"
            return outcome
    return outcome


def _search_bit_params(
    old: Side,
    new: Side,
    bits: list[int],
    subjects: list[str],
    atoms: list[str],
    fixed: dict[str, int],
) -> Outcome:
    """A bit parameter (``vma_flag_t bit``, a macro's bit argument) is one more dimension:
    each takes each bit involved (distinct parameters distinct bits)."""
    names = sorted(old.seen_bit_vars | new.seen_bit_vars)
    if not names:
        return _search_fixed_bits(old, new, bits, subjects, atoms, fixed)
    choices = [c for c in itertools.permutations(bits, len(names))]
    if len(choices) > MAX_BIT_CHOICES:
        choices = random.Random(len(choices)).sample(choices, MAX_BIT_CHOICES)
    outcome = _each_choice(
        old,
        new,
        "bit_vars",
        names,
        choices,
        lambda b: show_value(("bit", b)),
        lambda: _search_fixed_bits(old, new, bits, subjects, atoms, fixed),
    )
    if outcome.status == Verdict.DIFFERENT:
        return outcome
    if len(choices) < len(list(itertools.permutations(bits, len(names)))):
        outcome.notes.append(f"bit parameters {', '.join(names)}: {len(choices)} choices sampled")
    return outcome


def _search_fixed_bits(
    old: Side,
    new: Side,
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
    extended = None  # a macro body that only adds consistent calls (equivalence_extension)
    contradiction = False
    domain = sum(1 << b for b in bits)
    # two runs the memos keep, compared again under the same initial flags (run_memo)
    differ_memo = DifferMemo() if old.memo is not None and new.memo is not None else None
    for init, atom_vals in _space(bits, subjects, atoms, fixed):
        count += 1
        o, n = old.run(init, atom_vals), new.run(init, atom_vals)
        if count == 1:
            issues = _unique(n.issues)
            if bool(o.locks) != bool(n.locks):  # who takes the write lock does not matter
                lock_change = lock_text(o.locks, n.locks)
        if differ_memo is not None and old.memo.holds(o) and new.memo.holds(n):
            diff = differ_memo.compare(
                o, n, init, lambda o, n, init: _differ(o, n, init, domain, old, new)
            )
        else:
            diff = _differ(o, n, init, domain, old, new)
        if diff is None:
            continue
        example = describe(init, atom_vals, bits, subjects, fixed)
        if new.info.macro and diff[0] == "event":
            verdict = extension_verdict(o, n)
            if verdict == EXTENSION:  # decided once every run is seen
                extended = extended or (init, atom_vals, diff, count, example)
                continue
            if verdict is not None:  # an added call that contradicts the old ones
                diff = verdict
                contradiction = True
        if diff[0] == "state" and is_error_return(o.result) and is_error_return(n.result):
            error_only_seen = True
            error_only_example = error_only_example or f"{example}: {diff[1]}"
            continue
        overwrite = overwrite_summary(o, n, init, domain)
        old_events = [e for e in o.events if e[0] != "return"]
        return Outcome(
            Verdict.DIFFERENT,
            overwrite or diff[1],
            f"{example}: {diff[1]}",
            issues,
            lock_change,
            assignments=count,
            overwrite=bool(overwrite),
            row=blame.blame_row(
                old,
                new,
                init,
                atom_vals,
                diff,
                lambda: _localiser(old, new, bits, subjects, atoms, fixed, domain),
            ),
            added_event=not contradiction
            and diff[0] == "event"
            and (diff[2] or 0) >= len(old_events),
        )
    if extended is not None:
        init, atom_vals, diff, at, example = extended
        return Outcome(
            Verdict.DIFFERENT,
            diff[1],
            f"{example}: {diff[1]}",
            issues,
            lock_change,
            assignments=at,
            row=blame.blame_row(
                old,
                new,
                init,
                atom_vals,
                diff,
                lambda: _localiser(old, new, bits, subjects, atoms, fixed, domain),
            ),
            added_event=True,
        )
    sampled = nvars > MAX_EXHAUSTIVE_VARS
    notes = [f"sampled {SAMPLES} of 2^{nvars} assignments"] if sampled else []
    if error_only_seen:
        return Outcome(
            Verdict.EQUIVALENT,
            "differs only on an error-return path",
            error_only_example,
            issues,
            lock_change,
            True,
            notes,
            count,
        )
    return Outcome(Verdict.EQUIVALENT, "", "", issues, lock_change, False, notes, count)


def _differ(o, n, init: dict[str, int], domain: int, old: Side, new: Side):
    """The first difference of two runs; flags the new side keeps in a copy are read there."""
    if new.copy_pairs is None:
        new.copy_pairs = copy_pairs(new.info)  # worked out once per side
    n, copies = through_copies(o, n, init, domain, new.info, new.copy_pairs)
    diff = difference(o, n, domain, new.renames, new.info.elsewhere) or one_sided(
        o, n, init, domain, old.info, new.info
    )
    if diff is not None and diff[0] == "state" and diff[2] in copies:
        copy = copies[diff[2]]
        if _stored_elsewhere(n, init, domain, {diff[2], copy}):
            # the block stores its flags in another object, on which the sides agree: only
            # the unchanged code after the block can tell whether the word and its copy must
            # still agree (June 2026 10/13 clears VMA_LOCKED_MASK in the copy where the old
            # code masked only what it stored)
            raise interp.Unsupported(
                f"{diff[2]} and the new side's copy of it ({copy}) differ at the end of the "
                "block; whether that matters depends on the code after it"
            )
        return "state", f"{diff[1]} (in its copy {copy})", copy
    return diff


def _stored_elsewhere(n, init: dict[str, int], domain: int, skip: set[str]) -> bool:
    """The new side changed the flags of a subject other than those in ``skip``."""
    for name, value in n.subjects.items():
        if name in skip or value is None or name not in init:
            continue
        if interp.comparable(value, domain) != init[name] & domain:
            return True
    return False


def _space(bits: list[int], subjects: list[str], atoms: list[str], fixed: dict[str, int]):
    """(initial flags of each subject, value of each unknown condition) of every assignment."""
    for values in _assignments(bits, subjects, atoms):
        init = dict(fixed)
        pos = 0
        for subj in subjects:
            word = 0
            for bit in bits:
                if values[pos]:
                    word |= 1 << bit
                pos += 1
            init[subj] = word
        yield init, {a: bool(values[pos + i]) for i, a in enumerate(atoms)}


def _localiser(old: Side, new: Side, bits, subjects, atoms, fixed, domain: int):
    """Runs of both sides over the search's assignments (traced), for blame when the sides'
    shapes differ (equivalence_localise)."""
    from reviewer.flagmodel.equivalence_localise import Localiser

    # what the search's runs reached after its space was fixed (an operand behind `&&` that
    # the discovery runs never evaluated) is enumerated too
    bits = sorted(set(bits) | old.seen_bits | new.seen_bits)
    subjects = sorted(
        set(subjects) | (((old.seen_subjects | new.seen_subjects) - set(fixed)) & _inputs(old, new))
    )
    atoms = sorted(set(atoms) | old.seen_atoms | new.seen_atoms)
    domain = sum(1 << b for b in bits)

    def probe(init, atom_vals):
        try:
            o, n = old.run(init, atom_vals, trace=True), new.run(init, atom_vals, trace=True)
        except interp.Unsupported:
            return None
        diff = _differ(o, n, init, domain, old, new)
        return n.env, diff is None

    return Localiser(_space(bits, subjects, atoms, fixed), probe, bits)


def _unique(issues: list[interp.Issue]) -> list[interp.Issue]:
    seen, out = set(), []
    for issue in issues:
        if issue.message not in seen:
            seen.add(issue.message)
            out.append(issue)
    return out
