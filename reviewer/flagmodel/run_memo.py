"""Runs of one side that the search need not repeat.

A run of a side is decided by what it reads of the search's inputs: the initial flags of the
subjects it reads before writing them (``Env.free_reads``), the unknown conditions it asks
(``Env.seen_atoms``), the array positions and bit parameters it reads (``seen_index_vars``,
``seen_bit_vars``); everything else it depends on (the fragment, the model, the renames) is the
same for every run of one search. Two assignments that agree on everything a run read give the
same run: the first read returns the same value, so the run takes the same path to the next
read, and so on. ``RunMemo`` keeps the observation of such a run under the values it read and
gives it back for a later assignment that agrees with them, so a block that never reads a
dimension of the search (a loop body whose VMA's initial flags are overwritten, a side that
reads no array position) is run once per value of what it does read, not once per assignment.

Only a run that left some dimension of the search unread is kept: a run that read all of them
is never met again within the search, and keeping every run alive costs the garbage collector
more than the repeats save (docs/speed.md). The memo lives for one search.
"""

from __future__ import annotations

from typing import Any

# patterns of reads kept per side and search (each is looked up for every later run)
MAX_PATTERNS = 16


class RunMemo:
    """Observations of one side's runs keyed by what each run read (one search)."""

    def __init__(self, dims: frozenset[tuple[str, str]]):
        # dimensions the search varies: ("s", subject), ("a", atom), ("i", index), ("b", bit)
        self.dims = dims
        self.patterns: dict[tuple[tuple[str, str], ...], dict[tuple, Any]] = {}
        self.hits = 0
        self._held: set[int] = set()  # ids of the observations kept (alive while kept)

    def get(self, init: dict, atoms: dict, index_vars: dict, bit_vars: dict) -> Any:
        for pattern, runs in self.patterns.items():
            found = runs.get(_values(pattern, init, atoms, index_vars, bit_vars))
            if found is not None:
                self.hits += 1
                return found
        return None

    def put(self, env, init: dict, atoms: dict, index_vars: dict, bit_vars: dict, obs) -> None:
        subjects = [n for n in env.free_reads - env.key_dead if n in init]
        if self.dims.issubset(
            [
                *(("s", n) for n in subjects),
                *(("a", a) for a in env.seen_atoms),
                *(("i", i) for i in env.seen_index_vars),
                *(("b", b) for b in env.seen_bit_vars),
            ]
        ):
            return  # it read every dimension: no later assignment of this search repeats it
        pattern = (
            *(("s", n) for n in sorted(subjects)),
            *(("a", a) for a in sorted(env.seen_atoms)),
            *(("i", i) for i in sorted(env.seen_index_vars)),
            *(("b", b) for b in sorted(env.seen_bit_vars)),
        )
        runs = self.patterns.get(pattern)
        if runs is None:
            if len(self.patterns) >= MAX_PATTERNS:
                return
            runs = self.patterns[pattern] = {}
        runs[_values(pattern, init, atoms, index_vars, bit_vars)] = obs
        self._held.add(id(obs))

    def holds(self, obs: Any) -> bool:
        """The observation is one this memo keeps (so its id names it alone)."""
        return id(obs) in self._held


_MISSING = object()


class ReadInit(dict):
    """The initial flags of an assignment, recording which of them a reader looks at (the
    comparison of two kept runs, DifferMemo)."""

    def __init__(self, init: dict):
        super().__init__(init)
        self.read: dict[str, Any] = {}

    def get(self, key, default=None):
        value = super().get(key, _MISSING)
        self.read[key] = value
        return default if value is _MISSING else value

    def __getitem__(self, key):
        value = super().get(key, _MISSING)
        self.read[key] = value
        if value is _MISSING:
            raise KeyError(key)
        return value


class DifferMemo:
    """The comparison of two kept runs (equivalence_search._differ) under the initial flags it
    read: the same pair of runs with the same values there compares the same."""

    def __init__(self) -> None:
        self.results: dict[tuple[int, int], list[tuple[tuple, Any]]] = {}

    def compare(self, o: Any, n: Any, init: dict, differ) -> Any:
        """``differ(o, n, init)``, or its result for an earlier init agreeing on what it read."""
        entries = self.results.setdefault((id(o), id(n)), [])
        for reads, result in entries:
            if all(init.get(k, _MISSING) == v for k, v in reads):
                return result
        recording = ReadInit(init)
        result = differ(o, n, recording)
        if len(entries) < MAX_PATTERNS * 4:
            entries.append((tuple(recording.read.items()), result))
        return result


def _values(pattern, init: dict, atoms: dict, index_vars: dict, bit_vars: dict) -> tuple:
    out = []
    for kind, name in pattern:
        if kind == "s":
            out.append(init.get(name, 0))
        elif kind == "a":
            out.append(atoms.get(name, False))
        elif kind == "i":
            out.append(index_vars.get(name, 0))
        else:
            out.append(bit_vars.get(name, 0))
    return tuple(out)
