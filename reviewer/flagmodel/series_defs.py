"""Definitions the helper harness reads from the series beyond what one hunk shows whole.

Two sources, both from the series' own text (nothing hand-written about any helper):

* the lines all hunks of the series show of a file, lined up by line number across patches
  (line_states): a helper cut by one hunk is whole there, and the copy's other definitions as of
  a patch are the first fallback when a helper's closure needs one the patch does not show;
* renames (def_rename): a helper shown whole nowhere, read as its older definition (tree,
  snapshot) under the new name when the series' whole definitions evidence the rename.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.flagmodel import def_rename, line_states
from reviewer.flagmodel import defs as defs_layer
from reviewer.flagmodel.c_parse import Definition

if TYPE_CHECKING:
    from reviewer.flagmodel.patch_view import PatchView

_WORD = re.compile(r"[^\W\d]\w*")


class SeriesDefs:
    """The series' lines by file and state, the heads of helpers it shows cut, the names it
    uses, and the renames its whole definitions evidence (computed once, on first need)."""

    def __init__(self, views: list[PatchView], repo: Path | None = None) -> None:
        self.states = line_states.build((v.index, f) for v in views for f in v.files)
        self.used = frozenset(
            w
            for v in views
            for texts in (v.old_texts, v.new_texts)
            for text in texts.values()
            for w in _WORD.findall(text)
        )
        self.repo = repo
        self.pieces: dict[str, list[str]] = {}  # name -> heads the series shows of it, cut
        self.notes: list[str] = []  # the renames read (one note each)
        self._defs: dict[tuple[str, int], list[line_states.Whole]] = {}
        self._renames: list[tuple[dict, dict[str, list[def_rename.Rename]]]] | None = None

    def known(self, path: str, patch: int) -> dict[int, str]:
        fs = self.states.get(path)
        return fs.lines_after(patch) if fs is not None else {}

    def whole(self, path: str, patch: int, name: str, line: int) -> line_states.Whole | None:
        """Definition `name` starting at `line` of the file as of `patch`, whole in the lines
        the series shows; else its head is kept as a piece (for def_rename)."""
        known = self.known(path, patch)
        if not line or line not in known:
            return None
        got = line_states.whole_definition(known, name, line)
        if got is None:
            self.pieces.setdefault(name, []).append(self.run_from(path, patch, line))
        return got

    def run_from(self, path: str, patch: int, first: int) -> str:
        """The known lines of the file as of `patch` from `first` up to the first unknown."""
        known = self.known(path, patch)
        lines = []
        while first in known and len(lines) < line_states.MAX_SPAN:
            lines.append(known[first])
            first += 1
        return "\n".join(lines) + "\n"

    def _state_definitions(self, fs: line_states.FileStates, state: int):
        key = (fs.path, state)
        if key not in self._defs:
            self._defs[key] = line_states.definitions_in(fs.known[state])
        return self._defs[key]

    def layer(self, index: int, wanted: Callable[[str], bool]) -> dict[str, list]:
        """Name -> the definitions whole in the series' lines of the files `wanted` accepts,
        as of patch `index`."""
        out: dict[str, list[defs_layer.Sourced]] = {}
        for path in sorted(self.states):
            fs = self.states[path]
            if not wanted(path) or not fs.consistent:
                continue
            for w in self._state_definitions(fs, fs.state_after(index)):
                origin = f"the series' hunks of {path} as of patch {index}"
                out.setdefault(w.defn.name, []).append(defs_layer.Sourced(w.defn, origin, path))
        return out

    def renamed(self, name: str, file: str) -> Definition | None:
        """`name` read through a rename the series evidences (def_rename), the copy of `file`
        first among the older source's; None when no single rename fits."""
        for older, found in self._found():
            if name not in found:
                continue
            got = def_rename.definition(
                name, found, older, self.pieces.get(name, []), file, self.used
            )
            if got is None:
                return None
            note = f"{name}() is shown whole nowhere in the series; read as {got.origin}"
            if note not in self.notes:
                self.notes.append(note)
            return got.defn
        return None

    def _found(self):
        if self._renames is None:
            shown: dict[tuple[str, str], Definition] = {}
            for path, fs in sorted(self.states.items()):
                if not fs.consistent:
                    continue
                for state in range(len(fs.known)):
                    for w in self._state_definitions(fs, state):
                        shown.setdefault((" ".join(w.defn.text.split()), path), w.defn)
            pairs = [(d, path) for (_, path), d in shown.items()]
            layers = [defs_layer.from_tree(str(self.repo))] if self.repo is not None else []
            layers.append(defs_layer.snapshot())
            self._renames = [(older, def_rename.renames(pairs, older)) for older in layers]
        return self._renames


def starts_as(defn: Definition, head: str) -> bool:
    """The definition's tokens begin with those of the head the series shows of it."""
    have = [t for _, t in def_rename.tokens(head)]
    want = [t for _, t in def_rename.tokens(defn.text)]
    return bool(have) and want[: len(have)] == have


def leading_run(rows: list[int]) -> list[int]:
    """The rows of a definition up to the first line the hunks leave out."""
    out = rows[:1]
    for a, b in zip(rows, rows[1:], strict=False):
        if b != a + 1:
            break
        out.append(b)
    return out
