"""A helper the series calls but never shows whole, known under the name it had before.

Helpers get renamed between series (`vma_flag_set()` became `vma_flags_set_flag()`); a series
then shows the new name only in pieces (a head at the end of a hunk) while its callers, shown
whole, read exactly as the older copies the tree or the API snapshot hold, but for that one
name. Such a definition is the older one under its new name when:

* evidence: a definition the series shows whole (any file, any state) has a copy of the same
  name in the same file of an older source (tree, snapshot) whose tokens differ only where one
  name stands for the other, every occurrence of it (comments and white space aside);
* the new name has no definition in that older source (else it is a different helper, not a
  rename) and the old one has exactly one there (per file: the copy of the same file first);
* every piece of the new definition the series does show (its head, cut by a hunk) is, token
  for token, the start of the older definition with the name replaced;
* no two renames of the name are evidenced.

Anything else leaves the name undefined (unverified with its reason); nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reviewer.flagmodel.c_parse import Definition, all_definitions, parse, text_of, walk
from reviewer.flagmodel.defs import Sourced


def tokens(text: str) -> list[tuple[str, str]]:
    """(node type, text) of every token of C text, comments and missing tokens left out."""
    out = []
    for n in walk(parse(text)):
        if n.child_count == 0 and n.type != "comment" and not n.is_missing:
            t = text_of(n)
            if t:
                out.append((n.type, t))
    return out


def _renaming(old: str, new: str) -> tuple[str, str] | None:
    """The one identifier renamed between two texts of a definition, else None."""
    a, b = tokens(old), tokens(new)
    if len(a) != len(b):
        return None
    pairs = {(x[1], y[1]) for x, y in zip(a, b, strict=True) if x != y}
    if len(pairs) != 1:
        return None
    (o, n), = pairs
    kinds = {x[0] for x, y in zip(a, b, strict=True) if x != y}
    if kinds != {"identifier"} or any(t == o for _, t in b) or any(t == n for _, t in a):
        return None  # not every occurrence renamed, or both names in use
    return o, n


@dataclass(frozen=True)
class Rename:
    old: str
    new: str
    evidence: str  # "<definition> in <file> (<older origin>)"
    origin: str  # the older source the old name's definition is read from


def renames(
    shown: Iterable[tuple[Definition, str]], older: dict[str, list[Sourced]]
) -> dict[str, list[Rename]]:
    """New name -> the renames evidenced between the series' whole definitions (definition,
    file) and the older source's copies of them."""
    out: dict[str, list[Rename]] = {}
    seen: set[tuple[str, str, str]] = set()
    for d, path in shown:
        for cand in older.get(d.name, []):
            if cand.file != path or cand.defn.kind != d.kind:
                continue
            pair = _renaming(cand.defn.text, d.text)
            if pair is None or (pair[0], pair[1], cand.origin) in seen:
                continue
            seen.add((pair[0], pair[1], cand.origin))
            rn = Rename(pair[0], pair[1], f"{d.name}() in {path} ({cand.origin})", cand.origin)
            out.setdefault(pair[1], []).append(rn)
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
) -> Sourced | None:
    """Definition `name` as its older name's definition renamed (see the module doc), None
    when the evidence is missing, ambiguous, or a shown piece disagrees. `pieces`: texts of
    the cut definitions of `name` the series shows; `file`: where it is wanted (the copy of
    the same file wins among the older source's definitions)."""
    cands = {(r.old, r.origin) for r in found.get(name, [])}
    if len(cands) != 1 or older.get(name):
        return None
    (old, origin), = cands
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
    want = [t for _, t in tokens(text)]
    shown = [p for p in pieces if p.strip()]
    if not shown:
        return None  # the series shows nothing of it to hold the older body against
    for piece in shown:
        have = [t for _, t in tokens(piece)]
        if not have or want[: len(have)] != have:
            return None
    d = got[0]
    d = Definition(d.name, d.kind, d.text, d.params, d.node, d.start_line, src.defn.conditions)
    ev = "; ".join(sorted({r.evidence for r in found[name]}))
    return Sourced(d, f"{src.origin} {old}() renamed (as {ev} shows)", src.file)
