"""The data of one comparison: what the visible text of a side says about its names (SideInfo), one
side run by the interpreter (Side) and what a run observes (Obs), and the outcome (Outcome)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tree_sitter import Node

from reviewer.flagmodel import interp_statements as statements
from reviewer.flagmodel import interp_values as interp
from reviewer.flagmodel.c_parse import Fragment
from reviewer.flagmodel.run_memo import RunMemo
from reviewer.flagmodel.tree_state import Model


class Verdict(StrEnum):
    """What the equivalence engine decided for one change block."""

    EQUIVALENT = "equivalent"
    DIFFERENT = "different"
    UNVERIFIED = "unverified"
    SKIP = "skip"  # nothing to compare (definitions, declarations, not built)


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
    macro: bool = False  # the side is a function-like macro's body (equivalence_macros)
    # new parameter -> old flags parameter it carries (a prototype changed, call_binds)
    binds: dict[str, str] = field(default_factory=dict)


@dataclass
class Outcome:
    status: Verdict
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
class Obs:
    result: Any
    events: tuple
    subjects: dict[str, Any]
    locals: dict[str, Any]
    issues: list[interp.Issue]
    locks: list[str]
    env: interp.Env | None = None  # kept when the run was traced (blame)
    bit_tests: frozenset = frozenset()  # (event, argument) that test one flag
    undefined: frozenset = frozenset()  # flag API names called without a definition
    outside: frozenset = frozenset()  # ... given flags the block did not compute
    # its events but returns as the engine compares them, and their keys (equivalence_diff;
    # worked out once: a run the run memo keeps is compared again and again)
    compared: tuple[tuple, tuple] | None = field(default=None, compare=False, repr=False)


class Side:
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
        self.index_vars: dict[str, int] = {}  # position read by each unknown array index
        self.seen_index_vars: dict[str, int] = {}  # such an index -> length of its array
        self.memo: RunMemo | None = None  # runs kept during one search (run_memo)
        # equivalence_diff.copy_pairs of this side's info, once the search worked it out
        self.copy_pairs: list[tuple[str, str]] | None = None
        # what the last run saw (subjects, locals assigned, locals derived): see()
        self.last_seen: tuple[frozenset[str], tuple[str, ...], tuple[str, ...]] = (
            frozenset(),
            (),
            (),
        )

    def see(self, seen: tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]) -> None:
        """Add what a run saw (its ``last_seen``) to seen_subjects, locals_seen and
        derived_seen, as the run did: run again after those are cleared, a run that reads
        nothing else gives them again (equivalence_search.enumerate_sides)."""
        subjects, assigned, derived = seen
        self.seen_subjects |= subjects
        for name in assigned:
            if name not in self.locals_seen:
                self.locals_seen.append(name)
        for name in derived:
            if name not in self.derived_seen:
                self.derived_seen.append(name)

    def run(self, init: dict[str, int], atoms: dict[str, bool], trace: bool = False) -> Obs:
        memo = None if trace else self.memo
        if memo is not None:
            # the same run again (it read nothing that differs): what it added to the seen_*
            # sets above is in them already
            found = memo.get(init, atoms, self.index_vars, self.bit_vars)
            if found is not None:
                return found
        info = self.info
        env = interp.Env(
            self.model,
            init,
            atoms,
            info.flag_names,
            self.renames,
            consts=info.consts,
            vma_names=info.vma_names,
            pointer_names=info.pointer_names,
            derived=info.inits,
            bit_params=info.bit_params,
            bit_vars=self.bit_vars,
            index_vars=self.index_vars,
        )
        if trace:
            env.start_tracing()
        result = statements.run_statements(env, self.frag.statements)
        self.seen_bits |= env.seen_bits
        self.seen_atoms |= env.seen_atoms
        self.seen_bit_vars |= env.seen_bit_vars
        for name, size in env.seen_index_vars.items():
            self.seen_index_vars[name] = max(size, self.seen_index_vars.get(name, 0))
        self.inputs |= env.free_reads
        self.last_seen = (
            frozenset(env.seen_subjects),
            tuple(env.assigned_locals),
            tuple(sorted(env.derived_done)),
        )
        self.see(self.last_seen)
        subjects = {n: v for n, v in env.subjects.items() if not n.startswith("<")}
        local_vals = {name: env.frames[0].locals.get(name) for name in env.assigned_locals}
        events = tuple(env.events)
        obs = Obs(
            result,
            events,
            subjects,
            local_vals,
            env.issues,
            env.locks,
            env if trace else None,
            frozenset(env.bit_tests),
            frozenset(env.undefined_calls),
            frozenset(env.outside_args),
        )
        if memo is not None:
            memo.put(env, init, atoms, self.index_vars, self.bit_vars, obs)
        return obs
