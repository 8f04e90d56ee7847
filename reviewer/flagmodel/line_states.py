"""What the series shows of each file at each of its states, by line number.

A patch shows only its hunks, but the hunks of a series line up: the lines outside a patch's
hunks keep their text and move by the hunks' size, so a line one patch shows (context, removed
or added) is known in every earlier and later state of the file until a hunk touches it. A
definition the hunks of one patch cut short (its head in one hunk, its closing brace left out,
or its middle in no hunk) is often whole in these combined lines: shown across the hunks of one
patch, of earlier and of later patches of the series.

The states of a file are the patches touching it in series order (state 0: before the first
one; state i+1: after the i-th). Knowledge moves between neighbouring states only across lines
no hunk of that patch covers; a line a hunk covers is what the hunk shows. When two patches
disagree about a line at the same place of the same state (the patches do not apply in order,
or the series is not against one base), nothing of the file is used: pieces are combined only
when they line up, nothing is guessed.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from reviewer.flagmodel.c_parse import Definition, definitions, function_body, nodes_of, parse
from reviewer.flagmodel.hunk_pairs import FileDiff

MAX_SPAN = 400  # lines of a rebuilt definition (a helper, not a file)


@dataclass
class _Step:
    """One patch's change of a file: its hunks as (old start, old length, new start, new
    length) and the lines it shows of each side."""

    patch: int
    ranges: list[tuple[int, int, int, int]]
    old: dict[int, str]
    new: dict[int, str]
    fresh: bool = False  # the file is created or renamed here: nothing carries across


def _step(patch: int, f: FileDiff) -> _Step:
    ranges = []
    old: dict[int, str] = {}
    new: dict[int, str] = {}
    for h in f.hunks:
        olen = sum(1 for ln in h.lines if ln.tag in " -")
        nlen = sum(1 for ln in h.lines if ln.tag in " +")
        ranges.append((h.old_start, olen, h.new_start, nlen))
        for ln in h.lines:
            if ln.tag in " -" and ln.old_no:
                old[ln.old_no] = ln.text
            if ln.tag in " +" and ln.new_no:
                new[ln.new_no] = ln.text
    return _Step(patch, ranges, old, new)


def _moved(n: int, ranges: list[tuple[int, int, int, int]], forward: bool) -> int | None:
    """Where line `n` of one side lands on the other, None when a hunk covers it."""
    shift = 0
    for ostart, olen, nstart, nlen in ranges:
        start, length = (ostart, olen) if forward else (nstart, nlen)
        if length == 0:  # a pure insertion after line start (or removal of a whole file)
            if n <= start:
                break
        elif n < start:
            break
        elif n < start + length:
            return None
        shift += (nlen - olen) if forward else (olen - nlen)
    return n + shift


def _mover(ranges: list[tuple[int, int, int, int]], forward: bool) -> Callable[[int], int | None]:
    """``_moved`` with the ranges fixed, by bisection (a file's states move every known line
    across every patch). A range is passed by line n when n >= its threshold (after its start
    for an insertion, after its end otherwise); when the thresholds do not rise in hunk order
    (hunks out of order) the linear ``_moved`` is used."""
    starts, lengths, thresholds, shifts = [], [], [], [0]
    for ostart, olen, nstart, nlen in ranges:
        start, length = (ostart, olen) if forward else (nstart, nlen)
        starts.append(start)
        lengths.append(length)
        thresholds.append(start + 1 if length == 0 else start + length)
        shifts.append(shifts[-1] + ((nlen - olen) if forward else (olen - nlen)))
    if any(b < a for a, b in zip(thresholds, thresholds[1:], strict=False)):
        return lambda n: _moved(n, ranges, forward)

    def move(n: int) -> int | None:
        k = bisect_right(thresholds, n)
        if k < len(starts) and lengths[k] and n >= starts[k]:
            return None
        return n + shifts[k]

    return move


@dataclass
class FileStates:
    """The known lines of one file at each of its states; `patches[i]` is the patch leading
    from state i to state i+1."""

    path: str
    patches: list[int] = field(default_factory=list)
    known: list[dict[int, str]] = field(default_factory=list)
    consistent: bool = True

    def state_after(self, patch: int) -> int:
        """The state as of patch `patch` (after it, or after the last earlier patch touching
        the file)."""
        state = 0
        for i, p in enumerate(self.patches):
            if p <= patch:
                state = i + 1
        return state

    def lines_after(self, patch: int) -> dict[int, str]:
        return self.known[self.state_after(patch)] if self.consistent else {}


def _put(known: dict[int, str], n: int, text: str) -> bool:
    """Record a line; False when the state already holds another text there."""
    have = known.setdefault(n, text)
    return have == text


def build(steps: Iterable[tuple[int, FileDiff]]) -> dict[str, FileStates]:
    """FileStates of every file the patches touch; `steps` are (patch index, file diff) in
    series order."""
    by_path: dict[str, list[_Step]] = {}
    for patch, f in steps:
        step = _step(patch, f)
        if f.old_path == "/dev/null" or f.new_path == "/dev/null" or f.old_path != f.new_path:
            step = _Step(patch, [], {}, step.new, fresh=True)  # a new start
        by_path.setdefault(f.path, []).append(step)
    return {path: _states(path, chain) for path, chain in by_path.items()}


def _states(path: str, chain: list[_Step]) -> FileStates:
    known: list[dict[int, str]] = [{} for _ in range(len(chain) + 1)]
    ok = True
    for i, st in enumerate(chain):
        for n, text in st.old.items():
            ok &= _put(known[i], n, text)
        for n, text in st.new.items():
            ok &= _put(known[i + 1], n, text)
    out = FileStates(path, [st.patch for st in chain], known, ok)
    if not ok:
        return out
    for forward in (False, True, False):
        order = range(len(chain)) if forward else range(len(chain) - 1, -1, -1)
        for i in order:
            st = chain[i]
            if st.fresh:
                continue  # created or renamed here: no earlier state to carry from or to
            src, dst = (known[i], known[i + 1]) if forward else (known[i + 1], known[i])
            move = _mover(st.ranges, forward)
            for n, text in list(src.items()):
                m = move(n)
                if m is not None and not _put(dst, m, text):
                    out.consistent = False
                    return out
    return out


@dataclass(frozen=True)
class Whole:
    defn: Definition
    first: int  # line number of its first line in the file state
    text: str


def whole_definition(known: dict[int, str], name: str, first: int) -> Whole | None:
    """Definition `name` starting at line `first` of a state, when the state's known lines from
    there hold it whole (parsed without error, ending before the first unknown line), or hold
    a function up to a top-level `return` after which they stop (see `closed_after_return`)."""
    lines = []
    n = first
    while n in known and len(lines) < MAX_SPAN:
        lines.append(known[n])
        n += 1
    if not lines:
        return None
    text = "\n".join(lines) + "\n"
    for d in definitions(parse(text)):
        if d.name == name and d.start_line == 0 and not d.node.has_error:
            body = "\n".join(lines[: d.node.end_point[0] + 1]) + "\n"
            got = [e for e in definitions(parse(body)) if e.name == name and e.start_line == 0]
            if len(got) == 1 and not got[0].node.has_error:
                return Whole(got[0], first, body)
    closed = closed_after_return(text, name)
    return Whole(closed, first, closed.text) if closed is not None else None


def closed_after_return(text: str, name: str) -> Definition | None:
    """Function `name` whose text stops after a `return` statement of its outermost block
    (the hunk ends there, its closing brace is not shown): whatever follows up to the closing
    brace cannot run, so the function closed right there means the same. Refused when the
    shown body has a label or `goto` (a label after the return could be jumped to) or the
    text is anything but that one function head and body so far."""
    root = parse(text.rstrip() + "\n}\n")
    got = [d for d in definitions(root) if d.name == name]
    if len(got) != 1 or root.has_error or got[0].start_line != 0 or got[0].kind != "function":
        return None
    d = got[0]
    if d.node.end_point[0] != len(text.rstrip().split("\n")):
        return None  # the added brace must be the one closing this function
    body = function_body(d)
    if body is None:
        return None
    stmts = [c for c in body.named_children if c.type != "comment"]
    if not stmts or stmts[-1].type != "return_statement":
        return None
    if nodes_of(body, "goto_statement", "labeled_statement"):
        return None
    return d


def definitions_in(known: dict[int, str]) -> list[Whole]:
    """Every definition whole in a state's known lines (each contiguous run parsed once)."""
    out: list[Whole] = []
    run: list[int] = []
    for n in sorted(known):
        if run and n != run[-1] + 1:
            out += _run_definitions(known, run)
            run = []
        run.append(n)
    if run:
        out += _run_definitions(known, run)
    return out


def _run_definitions(known: dict[int, str], run: list[int]) -> list[Whole]:
    text = "\n".join(known[n] for n in run) + "\n"
    if "{" not in text and "define" not in text:
        return []  # no function body, no #define: nothing whole to find (not parsed)
    out = []
    for d in definitions(parse(text)):
        if d.node.has_error or d.text.rstrip().endswith("\\"):
            continue
        out.append(Whole(d, run[d.start_line], d.text))
    return out
