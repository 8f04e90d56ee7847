"""Where a name's meaning comes from: the C definitions of functions, function-like macros and
``#define`` constants, each with its provenance.

Layers, first match wins: the definitions the series itself shows (added/changed lines with the
context of their hunk, per side of each patch), the base tree when ``--repo`` is given (read
from git objects at HEAD, never the working tree) and the API snapshot the package ships
(``api_snapshot.h``, built by ``snapshot_build.py`` from real sources at known states).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tree_sitter import Node

from reviewer.flagmodel.c_parse import (
    Definition,
    all_definitions,
    function_body,
    node_memo,
    nodes_of,
    parse,
    text_of,
)

SNAPSHOT = Path(__file__).with_name("api_snapshot.h")
_PROVENANCE = re.compile(r"@def name=(\S+) from=(\S+) file=(\S+) if=(.*?) \*/")
# Conditions are joined with "|" in the provenance; a "||" inside one condition is not a joint.
_COND_SEP = re.compile(r"(?<!\|)\|(?!\|)")
# Headers of the base tree whose definitions make the API (read through git objects).
TREE_HEADERS = (
    "include/linux/mm.h",
    "include/linux/mm_types.h",
    "include/linux/mm_inline.h",
    "mm/vma.h",
    "mm/internal.h",
    "tools/testing/vma/include/dup.h",
    "tools/testing/vma/include/custom.h",
)


@dataclass(frozen=True)
class Sourced:
    """A definition and where it was read: origin (series patch/side, tree commit, snapshot
    entry) and file."""

    defn: Definition
    origin: str
    file: str


_BASE_SYMBOLS = ("CONFIG_MMU", "CONFIG_64BIT")
FEATURES = ("all", "min")  # configurations the model reads a tree in


def requirements(defn: Definition) -> list[tuple[str, bool]]:
    """The #if conditions around a definition as (condition, wanted) pairs (``#else`` and
    ``#ifndef``/``!`` flip)."""
    out: list[tuple[str, bool]] = []
    for cond in defn.conditions:
        if cond == "else" and out:
            text, wanted = out[-1]
            out[-1] = (text, not wanted)
        elif cond.lstrip().startswith("!"):
            out.append((cond.lstrip()[1:], False))
        else:
            out.append((cond, True))
    return out


def score(defn: Definition, features: str) -> int:
    """How badly a definition fits a configuration (lower wins among #ifdef twins).

    ``all``: every optional feature enabled (what the registry's VM_xxx masks assume).
    ``min``: a 64-bit MMU kernel with every optional CONFIG_ feature disabled (also how the
    userland tools/testing/vma build sees the kernel headers)."""
    bad = 0
    for cond, wanted in requirements(defn):
        base = any(sym in cond for sym in _BASE_SYMBOLS)
        if features == "all" or base:
            bad += not wanted
        elif "CONFIG_" in cond:
            bad += wanted
    return bad


def pick(cands: list[Sourced], features: str, tools: bool = False) -> Sourced:
    """The definition that applies: best configuration fit, then the copy of the same world
    (tools/testing/vma code reads the tools copies, kernel code the kernel's), then the
    latest. Among function twins whose #if the source does not show (the `#ifdef CONFIG_MMU`
    line above a hunk, only the `#else` inside it), the body that reads its parameters wins
    over a stub that ignores them (`return __pgprot(0);`)."""

    def rank(item: Sourced) -> tuple[int, int, int]:
        return (
            score(item.defn, features),
            int(item.file.startswith("tools/") != tools),
            int(is_stub(item.defn)),
        )

    ranks = [rank(item) for item in cands]  # each ranked once
    best = 0
    for index in range(1, len(cands)):
        if ranks[index] <= ranks[best]:
            best = index  # later entries win a tie
    return cands[best]


def is_stub(defn: Definition) -> bool:
    """A function with parameters whose body reads none of them: a configuration stub."""
    if defn.kind != "function" or not defn.params:
        return False
    names = {n for _, n in defn.params if n}
    if not names:
        return False
    body = function_body(defn)
    if body is None:
        return False
    return not (names & _identifiers_of(body))


@node_memo
def _identifiers_of(body: Node) -> frozenset[str]:
    """The identifiers a function body names (asked once per body node)."""
    return frozenset(text_of(n) for n in nodes_of(body, "identifier"))


def complete(shown: list[Sourced], fuller: list[Sourced] | None) -> list[Sourced]:
    """The series shows some #ifdef twins of a name whole and its hunks cut the others (patch
    7/13 of the June 2026 series shows only the !CONFIG_MMU stub of vma_get_page_prot()
    whole): when every shown definition is, text for text, one of a fuller source's (the tree,
    the snapshot), that entry's twins (same source and file) are the definition; otherwise
    what the series shows."""
    if not fuller:
        return shown
    texts = {_norm(s.defn) for s in shown}
    matched = [f for f in fuller if _norm(f.defn) in texts]
    if len({_norm(f.defn) for f in matched}) < len(texts):
        return shown  # the series shows a body the fuller source does not have
    # the twins of the matched entries (same source and file), not other states of the name
    keys = {(f.origin, f.file) for f in matched}
    family = [f for f in fuller if (f.origin, f.file) in keys]
    return family if len(family) > len(shown) else shown


def _norm(defn: Definition) -> str:
    return " ".join(defn.text.split())


def _put(out: dict[str, list[Sourced]], item: Sourced) -> None:
    out.setdefault(item.defn.name, []).append(item)


def _index(defs, origin: str, file: str, out: dict[str, list[Sourced]]) -> None:
    for d in defs:
        if not d.node.has_error:
            _put(out, Sourced(d, origin, file))


@lru_cache(maxsize=1)
def snapshot() -> dict[str, list[Sourced]]:
    """The shipped snapshot: name -> its definitions in snapshot order (see ``pick``)."""
    if not SNAPSHOT.is_file():
        return {}
    text = SNAPSHOT.read_text()
    root = parse(text)
    provenance: dict[int, tuple[str, str]] = {}
    provenance_conditions: dict[int, tuple[str, ...]] = {}
    for node in root.children:
        if node.type == "comment":
            m = _PROVENANCE.search(text_of(node))
            if m:
                provenance[node.end_point[0] + 1] = (m.group(2), m.group(3))
                conds = tuple(c for c in _COND_SEP.split(m.group(4)) if c)
                provenance_conditions[node.end_point[0] + 1] = conds
    out: dict[str, list[Sourced]] = {}
    for d in all_definitions(root):
        origin, file = provenance.get(d.start_line, ("snapshot", "?"))
        if d.node.has_error:
            continue
        conds = provenance_conditions.get(d.start_line, ())
        d = Definition(d.name, d.kind, d.text, d.params, d.node, d.start_line, conds)
        _put(out, Sourced(d, f"snapshot {origin}", file))
    return out


@lru_cache(maxsize=16)
def from_tree(repo: str) -> dict[str, list[Sourced]]:
    """Definitions of the API headers of a tree at HEAD, read from git objects (never the
    working tree). Empty when it is not a git repository or the headers are absent."""
    try:
        import git

        r = git.Repo(repo)
        commit = r.head.commit
    except Exception:  # noqa: BLE001 - not a repository: no tree layer
        return {}
    out: dict[str, list[Sourced]] = {}
    for rel in TREE_HEADERS:
        try:
            blob = commit.tree / rel
        except KeyError:
            continue
        text = blob.data_stream.read().decode(errors="replace")
        _index(all_definitions(parse(text)), f"tree {commit.hexsha[:12]}", rel, out)
    return out


def side_definitions(defs: list[tuple[Definition, str, str]]) -> dict[str, list[Sourced]]:
    """The series' own definitions of one side: (definition, origin, file) in patch order."""
    out: dict[str, list[Sourced]] = {}
    for d, origin, file in defs:
        if not d.node.has_error:
            _put(out, Sourced(d, origin, file))
    return out


_FLAGS_TYPES = ("vma_flags_t", "vma_flag_t")


def takes_flags(defn: Definition) -> bool:
    """A function whose prototype carries the bitmap flags type (a `vma_flags_t` parameter or
    return value): part of the flag API by its definition, whatever its name
    (vma_get_page_prot(vma_flags_t) -> vm_get_page_prot(vma_flags_to_legacy())). Not legacy
    `vm_flags_t` ones: those are the prototypes conversions change (mlock_future_ok() took a
    word, then a bool), so a snapshot copy of them may not be this tree's."""
    if defn.kind != "function":
        return False
    if any(any(t in ptype for t in _FLAGS_TYPES) for ptype, _ in defn.params):
        return True
    head = defn.text.split("(", 1)[0]
    return any(t in head for t in _FLAGS_TYPES)


def one_prototype(cands: list[Sourced]) -> bool:
    """Every known definition of a name takes the same parameter types: a prototype no state
    the snapshot was read at changed (map_deny_write_exec() went from two words to two
    `const vma_flags_t *`: which one this tree has is not known from the snapshot)."""
    return len({tuple(t for t, _ in c.defn.params) for c in cands}) == 1


def is_flag_api(name: str) -> bool:
    """A name of the VMA flag API (its meaning must come from a definition): it names the
    flags types (vma_flags_*, *_vm_flags, legacy_to_vma_flags) or is one of the helper
    families (vma_test*, vma_set_flags*, vma_desc_test*, vma_flag_*, mk_vma_flags), or is a
    vma_/vm_ function about flags whose prototype the conversion changes (vma_modify_flags(),
    vm_brk_flags()): comparing such calls by raw argument needs its definition."""
    if "vma_flags" in name or "vm_flags" in name:
        return True
    if "flag" in name and name.startswith(("vma_", "vm_")):
        return True  # vma_modify_flags(), vm_brk_flags(): prototypes changed in the series
    return name.startswith(
        (
            "vma_test",
            "vma_set_flags",
            "vma_clear_flags",
            "vma_desc_test",
            "vma_desc_set_flags",
            "vma_desc_clear_flags",
            "vma_flag_",
            "mk_vma",
            "__mk_vma",
            "legacy_to_vma",
            "vma_set_atomic",
            "vma_test_atomic",
            "__vma_atomic",
        )
    )
