"""A helper the series calls but never shows whole, known under the name it had before.

Helpers get renamed between series (`vma_flag_set()` became `vma_flags_set_flag()`); a series
then shows the new name only in pieces (a head at the end of a hunk) while its callers, shown
whole, read exactly as the older copies the tree or the API snapshot hold, but for that one
name. Such a definition is the older one under its new name when:

* evidence: a definition the series shows whole (any file, any state) has a counterpart in the
  same file of an older source (tree, snapshot) whose tokens differ only where names stand for
  others, every occurrence of each (comments and white space aside; at most three names, the
  definition's own possibly among them: `vma_desc_test_any_mask()` calling
  `vma_flags_test_any_mask()` reads as an older `vma_desc_test_flags_mask()` calling
  `vma_flags_test_mask()`);
* no new name has a definition in that older source (the same source at any of its states;
  else it is a different helper, not a rename), the old name is used nowhere in the series
  (it was renamed away) and has exactly one definition there (per file: the copy of the same
  file first);
* every piece of the new definition the series does show (its head, cut by a hunk) is, token
  for token, the start of the older definition with the name replaced;
* of all the renames evidenced for the name, exactly one older body passes these.

Anything else leaves the name undefined (unverified with its reason); nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reviewer.flagmodel.c_parse import (
    Definition,
    all_definitions,
    node_memo,
    parse,
    text_of,
    walk,
)
from reviewer.flagmodel.defs import Sourced


def tokens(text: str) -> list[tuple[str, str]]:
    """(node type, text) of every token of C text, comments and missing tokens left out."""
    return list(_tokens(text))


@node_memo  # by text (a definition's tokens are asked for once per older source and head)
def _tokens(text: str) -> tuple[tuple[str, str], ...]:
    out = []
    for n in walk(parse(text)):
        if n.child_count == 0 and n.type != "comment" and not n.is_missing:
            t = text_of(n)
            if t:
                out.append((n.type, t))
    return tuple(out)


MAX_NAMES = 3  # names renamed together in one evidence (a helper, its macro, its _mask twin)


def _shape(toks: list[tuple[str, str]]) -> tuple[str, ...]:
    return tuple("\0" if kind == "identifier" else text for kind, text in toks)


def _renaming(
    a: list[tuple[str, str]], b: list[tuple[str, str]], defined: frozenset[str]
) -> dict[str, str] | None:
    """The names renamed between two token lists of one shape (old -> new), when every
    occurrence of each is renamed, no two names map to one and no new name is one the older
    source defines; None otherwise (or when nothing differs)."""
    pairs: dict[str, str] = {}
    back: dict[str, str] = {}
    for (_, x), (_, y) in zip(a, b, strict=True):
        if pairs.setdefault(x, y) != y or back.setdefault(y, x) != x:
            return None
    pairs = {o: n for o, n in pairs.items() if o != n}
    if not pairs or len(pairs) > MAX_NAMES:
        return None
    old_names = {t for _, t in a}
    new_names = {t for _, t in b}
    for o, n in pairs.items():
        if n in old_names or o in new_names or n in defined:
            return None  # not every occurrence renamed, both in use, or a name the older has
    return pairs


@dataclass(frozen=True)
class Rename:
    old: str
    new: str
    evidence: str  # "<definition> in <file> (<older origin>)"
    origin: str  # the older source the old name's definition is read from


def source_of(origin: str) -> str:
    """The source an origin belongs to, whatever its state: the snapshot's entries read from
    one series at several patches (`snapshot mar2026-v4:7/25:pre`) are one source, another
    than the tree they were read from before (`snapshot tools-testing-vma-after-...`)."""
    return origin.split(":", 1)[0]


def renames(
    shown: Iterable[tuple[Definition, str]], older: dict[str, list[Sourced]]
) -> dict[str, list[Rename]]:
    """New name -> the renames evidenced between the series' whole definitions (definition,
    file) and the older source's definitions of the same file and shape (the same tokens but
    for the names renamed, the definition's own name possibly among them)."""
    defined: dict[str, set[str]] = {}
    for name, cands in older.items():
        for cand in cands:
            defined.setdefault(source_of(cand.origin), set()).add(name)
    # only a definition of a file and kind both sides have can match: the others are not
    # tokenised (the snapshot's definitions are mostly of files a series does not show)
    shown = list(shown)
    both = {(path, d.kind) for d, path in shown} & {
        (cand.file, cand.defn.kind) for cands in older.values() for cand in cands
    }
    buckets: dict[tuple[str, str, tuple[str, ...]], list[tuple[Sourced, list]]] = {}
    for cands in older.values():
        for cand in cands:
            if (cand.file, cand.defn.kind) not in both:
                continue
            toks = tokens(cand.defn.text)
            key = (cand.file, cand.defn.kind, _shape(toks))
            buckets.setdefault(key, []).append((cand, toks))
    out: dict[str, list[Rename]] = {}
    seen: set[tuple[str, str, str]] = set()
    for d, path in shown:
        if (path, d.kind) not in both:
            continue
        toks = tokens(d.text)
        for cand, old_toks in buckets.get((path, d.kind, _shape(toks)), []):
            pairs = _renaming(old_toks, toks, frozenset(defined[source_of(cand.origin)]))
            if pairs is None:
                continue
            for o, n in pairs.items():
                if (o, n, cand.origin) in seen:
                    continue
                seen.add((o, n, cand.origin))
                ev = f"{d.name}() in {path} ({cand.origin} {cand.defn.name}())"
                out.setdefault(n, []).append(Rename(o, n, ev, cand.origin))
    return out


def _renamed_text(defn: Definition, old: str, new: str) -> str:
    text = defn.text
    root = parse(text)
    spans = [
        (n.start_byte, n.end_byte)
        for n in walk(root)
        if n.type == "identifier" and text_of(n) == old
    ]
    raw = text.encode()
    for start, end in sorted(spans, reverse=True):
        raw = raw[:start] + new.encode() + raw[end:]
    return raw.decode()


def definition(
    name: str,
    found: dict[str, list[Rename]],
    older: dict[str, list[Sourced]],
    pieces: Iterable[str],
    file: str,
    used: frozenset[str] = frozenset(),
) -> Sourced | None:
    """Definition `name` as its older name's definition renamed (see the module doc), None
    when the evidence is missing or ambiguous, or a shown piece disagrees. `pieces`: texts of
    the cut definitions of `name` the series shows; `file`: where it is wanted (the copy of
    the same file wins among the older source's definitions); `used`: the names the series'
    lines use (an old name still in use was not renamed away)."""
    shown = [[t for _, t in tokens(p)] for p in pieces if p.strip()]
    if older.get(name) or not shown or not all(shown):
        return None  # nothing shown of the new definition to hold the older body against
    results: dict[str, tuple[Sourced, Definition, list[Rename]]] = {}
    for old, origin in sorted({(r.old, r.origin) for r in found.get(name, [])}):
        if old in used:
            continue
        got = _renamed(name, old, origin, older, file)
        if got is None:
            continue
        src, d = got
        want = [t for _, t in tokens(d.text)]
        if any(want[: len(have)] != have for have in shown):
            continue
        evidence = [r for r in found[name] if (r.old, r.origin) == (old, origin)]
        results.setdefault(" ".join(want), (src, d, evidence))
    if len(results) != 1:
        return None  # no older body fits, or several different ones do
    ((src, d, evidence),) = results.values()
    ev = "; ".join(sorted({r.evidence for r in evidence}))
    old = evidence[0].old
    return Sourced(d, f"{src.origin} {old}() renamed (as {ev} shows)", src.file)


def _renamed(
    name: str, old: str, origin: str, older: dict[str, list[Sourced]], file: str
) -> tuple[Sourced, Definition] | None:
    defs = [s for s in older.get(old, []) if s.origin == origin]
    same = [s for s in defs if s.file == file]
    defs = same or defs
    if len({" ".join(s.defn.text.split()) for s in defs}) != 1:
        return None  # no definition, or #ifdef twins / several copies that differ
    src = defs[0]
    text = _renamed_text(src.defn, old, name)
    got = [d for d in all_definitions(parse(text)) if d.name == name and not d.node.has_error]
    if len(got) != 1:
        return None
    d = got[0]
    return src, Definition(
        d.name, d.kind, d.text, d.params, d.node, d.start_line, src.defn.conditions
    )
