"""The model used to evaluate one side of a patch: registry facts for a tree state, updated by
the series' own definitions, renames and signature changes."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from tree_sitter import Node

from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import (
    Definition,
    definitions,
    nodes_of,
    normalized,
    parse,
    text_of,
    walk,
)

Projection = Callable[[Any, Node, Any], Any]


@dataclass
class Signature:
    name: str
    params: list[tuple[str, str]]


# the two configurations a block is compared in (config_compare): each one's other
OTHER_FEATURES = {"all": "min", "min": "all"}


def _same_definition(a: Any, b: Any) -> bool:
    """Two answers of Model._definition the interpreter runs alike (the same text)."""
    if a is None or b is None:
        return a is b
    return a is b or (a.origin, a.file, a.defn.kind, a.defn.text, a.defn.conditions) == (
        b.origin,
        b.file,
        b.defn.kind,
        b.defn.text,
        b.defn.conditions,
    )


@dataclass
class Model:
    state: str
    num_bits: int = 64
    features: str = "all"  # configuration: "all" optional features enabled, or "min"
    tools: bool = False  # checking tools/testing/vma code (reads the tools copies first)
    overrides: dict[str, registry.Helper] = field(default_factory=dict)
    user_functions: dict[str, Definition] = field(default_factory=dict)
    macros: dict[str, Any] = field(default_factory=dict)
    projections: dict[tuple[str, int], Projection] = field(default_factory=dict)
    renamed_from: dict[str, str] = field(default_factory=dict)
    param_meaning: dict[str, Node] = field(default_factory=dict)
    # definitions the series shows (this side, accumulated over the patches so far) and the
    # base tree's (``--repo``): name -> defs.Sourced; the shipped snapshot is the last resort
    defs: dict[str, Any] = field(default_factory=dict)
    tree_defs: dict[str, Any] = field(default_factory=dict)
    # definitions other patches of the series show on their old side (context/removed lines:
    # the tree before them), not flag-API ones: what an earlier patch uses without showing
    context_defs: dict[str, Any] = field(default_factory=dict)
    # per view: function -> {new parameter: old flags parameter it carries} (call_binds)
    param_binds: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._helpers = registry.helpers_for(self.state)
        self._derived = registry.derived_for(self.state)
        self.const_memo: dict[tuple, Any] = {}
        self._def_memo: dict[tuple, Any] = {}
        self.call_memo: dict[tuple, Any] = {}
        # lookups whose answer depends on the configuration (``features``): a run that made
        # none gives the same run in the other configuration (config_compare)
        self.config_reads = 0
        self._config_dep: set[tuple] = set()  # memo keys whose computation made such a lookup

    def read_config(self, answer: Any, other: Any) -> Any:
        """``answer`` (this configuration's) of a lookup whose answer in the other
        configuration is ``other``: counted in ``config_reads`` when the two differ."""
        if answer != other:
            self.config_reads += 1
        return answer

    def symbol_defined(self, name: str) -> bool | None:
        """registry.symbol_defined in this model's configuration (counted when the other
        configuration answers otherwise)."""
        return self.read_config(
            registry.symbol_defined(name, self.features),
            registry.symbol_defined(name, OTHER_FEATURES[self.features]),
        )

    def is_enabled(self, symbol: str) -> int:
        """IS_ENABLED(symbol) in this model's configuration (counted like symbol_defined)."""
        return self.read_config(
            registry.is_enabled(symbol, self.features),
            registry.is_enabled(symbol, OTHER_FEATURES[self.features]),
        )

    def memo_computed(self, memo: str, key: tuple, mark: int) -> None:
        """A memo entry computed since ``config_reads`` was ``mark``: a hit on it later
        counts as the configuration-dependent lookups its computation made."""
        if self.config_reads != mark:
            self._config_dep.add((memo, key))

    def memo_hit(self, memo: str, key: tuple) -> None:
        if (memo, key) in self._config_dep:
            self.config_reads += 1

    def helper(self, name: str) -> registry.Helper | None:
        return self._helpers.get(name) or self.overrides.get(name)

    def derived(self, name: str) -> tuple[str, str, int, int] | None:
        if name in self.user_functions:
            return None  # the series' own definition wins
        return self._derived.get(name)

    def user_function(self, name: str) -> Definition | None:
        return self.user_functions.get(name)

    def definition(self, name: str) -> Any:
        """Where `name` is defined: the series (this side), the base tree, the API snapshot."""
        key = (self.features, self.tools, name)
        if key not in self._def_memo:
            value = self._def_memo[key] = self._definition(name, self.features)
            if not _same_definition(value, self._definition(name, OTHER_FEATURES[self.features])):
                self._config_dep.add(("def", key))
        self.memo_hit("def", key)
        return self._def_memo[key]

    def _definition(self, name: str, features: str) -> Any:
        from reviewer.flagmodel.defs import (
            complete,
            is_flag_api,
            one_prototype,
            pick,
            snapshot,
            takes_flags,
        )

        found = self.defs.get(name) or self.tree_defs.get(name)
        if found:
            fuller = self.tree_defs.get(name) or snapshot().get(name)
            return pick(complete(found, fuller), features, self.tools)
        shipped = snapshot().get(name)
        if not shipped:
            context = self.context_defs.get(name)
            if context and not is_flag_api(name):
                chosen = pick(context, features, self.tools)
                return chosen if chosen.defn.kind != "function" else None
            return None
        chosen = pick(shipped, features, self.tools)
        trusted = is_flag_api(name) or (takes_flags(chosen.defn) and one_prototype(shipped))
        if chosen.defn.kind == "function" and not trusted:
            return None  # other functions of the snapshot's state may differ from this tree's
        return chosen

    def macro_value(self, name: str) -> Any:
        return self.macros.get(name)

    def projection(self, func: str, idx: int) -> Projection | None:
        return self.projections.get((func, idx))

    def copy(self, state: str | None = None) -> Model:
        return Model(
            state or self.state,
            self.num_bits,
            self.features,
            self.tools,
            dict(self.overrides),
            dict(self.user_functions),
            dict(self.macros),
            {},
            dict(self.renamed_from),
            {},
            dict(self.defs),
            self.tree_defs,
            self.context_defs,
        )


# ---------------------------------------------------------------------------------------------
# state detection
# ---------------------------------------------------------------------------------------------


_NAME_TYPES = ("identifier", "type_identifier", "field_identifier")


@lru_cache(maxsize=8192)
def names_in(text: str) -> frozenset[str]:
    """Identifiers of a C text (via tree-sitter, so comments and strings do not count)."""
    return names_under(parse(text))


@lru_cache(maxsize=8192)
def names_under(root: Node) -> frozenset[str]:
    return frozenset(text_of(n) for n in nodes_of(root, *_NAME_TYPES))


@lru_cache(maxsize=8192)
def names_by_row(root: Node) -> dict[int, frozenset[str]]:
    """Identifiers of a parsed text, by 0-based row."""
    rows: dict[int, set[str]] = {}
    for node in nodes_of(root, *_NAME_TYPES):
        rows.setdefault(node.start_point[0], set()).add(text_of(node))
    return {row: frozenset(names) for row, names in rows.items()}


def state_of_names(names: set[str]) -> str | None:
    for state in ("S3", "S2", "S1"):
        if names & set(registry.STATE_MARKERS[state]):
            return state
    return None


def max_state(a: str, b: str | None) -> str:
    if b is None:
        return a
    return a if registry.STATES.index(a) >= registry.STATES.index(b) else b


def detect_base_state(pre_image_names: set[str], repo: Path | None) -> tuple[str, str]:
    """Base state of the tree the series applies to, and how it was decided."""
    if repo is not None:
        found = state_from_tree(repo)
        if found is not None:
            return found, f"tree {repo}"
    found = state_of_names(pre_image_names)
    if found is not None:
        return found, "pre-image lines of the series"
    return "S0", "default (no marker found)"


def state_from_tree(repo: Path) -> str | None:
    from reviewer.flagmodel.checks.tree import read  # git objects at HEAD, never the worktree

    texts = [
        t for rel in ("include/linux/mm.h", "include/linux/mm_types.h") if (t := read(repo, rel))
    ]
    if not texts:
        return None
    defined: set[str] = set()
    for text in texts:
        defined |= {d.name for d in definitions(parse(text))}
        defined |= names_in(text) & {"vma_flags_t", "EMPTY_VMA_FLAGS", "vma_flag_t"}
    return state_of_names(defined) or "S0"


# ---------------------------------------------------------------------------------------------
# learning from the series
# ---------------------------------------------------------------------------------------------

_PRIMITIVE_KIND = {
    "bitmap_intersects": "any",
    "bitmap_subset": "all",
    "bitmap_or": "set",
    "bitmap_andnot": "clear",
    "test_bit": "single",
    "__set_bit": "set",
    "bitmap_zero": "clear_all",
}


def is_helper_name(name: str) -> bool:
    return name.startswith(registry.HELPER_PREFIXES)


def classify(defn: Definition, model: Model) -> registry.Helper | None:
    """Kind of a helper the series defines, from the primitive or helper its body calls."""
    calls = [
        text_of(n.child_by_field_name("function"))
        for n in walk(defn.node)
        if n.type == "call_expression"
    ]
    if any(
        n.type == "binary_expression" and text_of(n.child_by_field_name("operator")) in ("&&", "||")
        for n in walk(defn.node)
    ):
        return None  # a composite predicate: interpreted from its body instead
    if defn.kind == "macro":
        calls += [n for n in names_in(defn.text.split(")", 1)[-1])]
    kind = None
    forwarded: registry.Helper | None = None
    for call in calls:
        if call in _PRIMITIVE_KIND:
            kind = _PRIMITIVE_KIND[call]
            break
        other = model.helper(call)
        if other is not None and other.name != defn.name and other.kind != "mk":
            forwarded = other
            kind = other.kind
            break
    if kind is None:
        return None
    target = _target_of(defn, forwarded)
    args = "bits" if defn.kind == "macro" else _args_of(defn)
    locks = "vma_start_write" in calls
    return registry.Helper(defn.name, kind, target, args, locks=locks, states=registry.STATES)


def _target_of(defn: Definition, forwarded: registry.Helper | None) -> str:
    if defn.params and defn.params[0][0]:
        ptype = defn.params[0][0]
        if "vm_area_desc" in ptype:
            return "desc"
        if "vm_area_struct" in ptype:
            return "vma"
        if "vma_flags_t" in ptype:
            return "flags_ptr"
    return forwarded.target if forwarded else "flags_ptr"


def _args_of(defn: Definition) -> str:
    if len(defn.params) < 2:
        return "none"
    ptype = defn.params[1][0]
    if "vma_flag_t" in ptype:
        return "bit"
    if "vma_flags_t" in ptype:
        return "mask"
    return "word"


@lru_cache(maxsize=8192)
def signatures(root: Node) -> dict[str, Signature]:
    """Function declarators visible in a (possibly partial) C text, by name (memoised per
    tree: callers must not modify the result)."""
    out: dict[str, Signature] = {}
    for node in nodes_of(root, "function_declarator"):
        name = node.child_by_field_name("declarator")
        params = node.child_by_field_name("parameters")
        if name is None or name.type != "identifier" or params is None:
            continue
        plist = []
        for p in params.named_children:
            if p.type != "parameter_declaration":
                continue
            decl = p.child_by_field_name("declarator")
            pname = ""
            while decl is not None:
                if decl.type == "identifier":
                    pname = text_of(decl)
                    break
                decl = decl.child_by_field_name("declarator")
            ptext = " ".join(text_of(p).split())
            ptype = ptext[: ptext.rfind(pname)].strip() if pname else ptext
            plist.append((ptype, pname))
        if plist:
            out[text_of(name)] = Signature(text_of(name), plist)
    return out


def is_word_type(ptype: str, pname: str) -> bool:
    return "vm_flags_t" in ptype or ("unsigned long" in ptype and "flags" in pname)


def renames(removed: list[Definition], added: list[Definition]) -> dict[str, str]:
    """old name -> new name for definitions that disappear and reappear under another name."""
    gone = {d.name: d for d in removed}
    new = {d.name: d for d in added}
    only_old = [d for n, d in gone.items() if n not in new]
    only_new = [d for n, d in new.items() if n not in gone]
    out: dict[str, str] = {}
    for old in only_old:
        best, score = None, 0.0
        body_old = normalized(old.node).replace(old.name, "@")
        for cand in only_new:
            if cand.kind != old.kind:
                continue
            ratio = difflib.SequenceMatcher(
                None, body_old, normalized(cand.node).replace(cand.name, "@")
            ).ratio()
            if ratio > score:
                best, score = cand, ratio
        if best is not None and score >= 0.85:
            out[old.name] = best.name
    return out
