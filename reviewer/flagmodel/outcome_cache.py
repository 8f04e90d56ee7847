"""What a step of the check adds to a report, kept on disk by a content hash of its inputs.

Two steps are kept: the helper harness (`helper_harness`) and the per-bug-class checks without a
tree (`checks.run_all`). Each one's outcome (notes, findings and counts) is a function of the
patch views (every hunk line, numbered), of what the step reads besides (the harness: the state
the report ends in, the definitions its closure may read from the API snapshot and, with --repo,
the tree, whether -m32 runs, the compiler; the checks: the checks registered), of the engine's
own code (every source file of reviewer.flagmodel, the API snapshot header and the sandbox runtime
included) and of the parser's version. The key covers all of these. A hit replays the outcome
without computing anything: for the harness, nothing is collected, vetted, compiled or run; on a
miss the whole step runs as before (the allowlist vets every definition). The harness' outcome is
stored only when every run's result is one the build cache keeps itself (ran through, or failed
to compile): a time-out or a killed run is tried again next time, as before.

An outcome is a log of the operations made on the report, replayed in order through the
report's own methods, so a finding already in the report is deduplicated exactly as when the
step ran."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, fields
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer.flagmodel.findings import CheckReport, Finding, Severity

if TYPE_CHECKING:
    from reviewer.flagmodel.defs import Sourced
    from reviewer.flagmodel.patch_view import PatchView

FORMAT = "step-outcome-1"


class Recorder(CheckReport):
    """Stands for the report while a step runs: what the step adds is logged in order (the
    step only writes to the report; `add` answers True, the real answer comes at replay)."""

    def __init__(self) -> None:
        self.outcome = Outcome()
        self._unverified = 0
        super().__init__()

    def add(self, finding: Finding) -> bool:
        self.outcome.add(finding)
        return True

    @property  # type: ignore[override]
    def unverified(self) -> int:
        return self._unverified

    @unverified.setter
    def unverified(self, value: int) -> None:
        self.outcome.count("unverified", value - self._unverified)
        self._unverified = value


class Outcome:
    """The report operations of one harness run, in order. Written to like a report (notes,
    findings, counts); `replay` applies them to the real one."""

    def __init__(self) -> None:
        self.ops: list[tuple[str, Any]] = []
        self.m32: bool | None = None  # whether -m32 could run, when the harness asked

    def note(self, text: str) -> None:
        self.ops.append(("note", text))

    def add(self, finding: Finding) -> None:
        self.ops.append(("add", finding))

    def add_unverified(self, finding: Finding) -> None:
        """Add the finding and, when it was not there already, count one unverified."""
        self.ops.append(("add_unverified", finding))

    def count(self, field: str, n: int) -> None:
        if n:
            self.ops.append((field, n))

    def replay(self, report: CheckReport) -> None:
        for op, arg in self.ops:
            if op == "note":
                report.notes.append(arg)
            elif op == "add":
                report.add(_copy(arg))
            elif op == "add_unverified":
                if report.add(_copy(arg)):
                    report.unverified += 1
            elif op == "unverified":
                report.unverified += arg
            elif op == "verified":
                report.verified += arg

    def to_json(self) -> dict:
        ops = [[op, asdict(arg) if isinstance(arg, Finding) else arg] for op, arg in self.ops]
        return {"format": FORMAT, "m32": self.m32, "ops": ops}

    @classmethod
    def from_json(cls, data: dict) -> Outcome:
        if data.get("format") != FORMAT:
            raise ValueError("another format")
        out = cls()
        m32 = data["m32"]
        if m32 is not None and not isinstance(m32, bool):
            raise ValueError("m32")
        out.m32 = m32
        for op, arg in data["ops"]:
            if op in ("add", "add_unverified"):
                out.ops.append((op, _finding(arg)))
            elif (op, type(arg)) in (("note", str), ("unverified", int), ("verified", int)):
                out.ops.append((op, arg))
            else:
                raise ValueError(f"operation {op!r}")
        return out


_TYPES = {f.name: f.type for f in fields(Finding)}  # annotations (strings)


def _finding(data: dict) -> Finding:
    """A finding read back, every field of the type the report expects (a file edited by
    hand is a miss, not a traceback later)."""
    finding = Finding(**data)
    finding.severity = Severity(finding.severity)
    for name, kind in _TYPES.items():
        value = getattr(finding, name)
        want = {"int": int, "str": str, "Severity": str}.get(kind, list)
        if not isinstance(value, want) or (want is int and isinstance(value, bool)):
            raise ValueError(f"finding {name}")
    if not all(isinstance(c, dict) for c in finding.copies) or not all(
        isinstance(x, str) for x in finding.fixups
    ):
        raise ValueError("finding lists")
    return finding


def _copy(f: Finding) -> Finding:
    """A fresh finding per replay (later steps may mark a report's findings)."""
    return Finding(**{**asdict(f), "severity": f.severity})


def key(step: str, views: list[PatchView], *parts: str) -> str:
    """The key of a step's outcome: the step, the engine and parser, what the step reads
    besides the views (`parts`) and every line of every view."""
    digest = hashlib.sha256(f"{FORMAT}\0{step}\0{engine_fingerprint()}\0{_tools()}\0".encode())
    digest.update(repr(parts).encode())
    for view in views:
        digest.update(_view_digest(view).encode())
    return step.replace(" ", "-") + "-" + digest.hexdigest()


def _view_digest(view: PatchView) -> str:
    """sha256 of a view's index and every hunk line, once per view (views are never edited;
    the harness and the checks, and the fix-up compare mode's two checks, share them)."""
    got = view.memo.get("outcome digest")
    if got is None:
        digest = hashlib.sha256(f"view {view.index}\0".encode())
        for f in view.files:
            digest.update(repr((f.old_path, f.new_path, len(f.hunks))).encode())
            for h in f.hunks:
                lines = [(ln.tag, ln.old_no, ln.new_no, ln.text) for ln in h.lines]
                digest.update(repr((h.old_start, h.new_start, h.section, lines)).encode())
        got = view.memo["outcome digest"] = digest.hexdigest()
    return got


@lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """sha256 over every .py and .h file of the flag model (relative path and bytes)."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(p for pattern in ("*.py", "*.h") for p in root.rglob(pattern)):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _tools() -> str:
    """The parser's identity: its packages' compiled extensions (name, size, modification
    time; cheaper than asking importlib.metadata, ~50 ms)."""
    import tree_sitter
    import tree_sitter_c

    out = []
    for module in (tree_sitter, tree_sitter_c):
        for path in sorted(Path(module.__file__ or "").parent.glob("*.so")):
            stat = path.stat()
            out.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return " ".join(out)


def compiler_id(compiler: str) -> str:
    stat = Path(compiler).resolve().stat()
    return f"{compiler}\0{stat.st_mtime_ns}\0{stat.st_size}"


_LAYERS: dict[int, tuple[object, str]] = {}  # id -> (the layer, kept alive; its hash)


def layer_hash(layer: dict[str, list[Sourced]]) -> str:
    """A definitions layer (snapshot, tree) by content, once per layer object (layers are
    built once and never edited)."""
    hit = _LAYERS.get(id(layer))
    if hit is not None and hit[0] is layer:
        return hit[1]
    digest = hashlib.sha256()
    for name in sorted(layer):
        for s in layer[name]:
            d = s.defn
            digest.update(
                repr(
                    (name, s.origin, s.file, d.name, d.kind, d.text, d.params, d.conditions)
                ).encode()
            )
    if len(_LAYERS) > 16:
        _LAYERS.clear()
    _LAYERS[id(layer)] = (layer, digest.hexdigest())
    return _LAYERS[id(layer)][1]


def cache_dir() -> Path:
    from reviewer.flagmodel.sandbox import cache_dir as flagmodel_cache

    return flagmodel_cache()  # next to the build cache


def _path(cache: Path, k: str) -> Path:
    return cache / f"outcome-{k}.json"


def load(cache: Path, k: str) -> Outcome | None:
    """The stored outcome, None when there is none or it cannot be read."""
    try:
        return Outcome.from_json(json.loads(_path(cache, k).read_text()))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def store(cache: Path, k: str, outcome: Outcome) -> None:
    """Write atomically (a reader never sees half a file); a failure only costs the reuse."""
    path = _path(cache, k)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(outcome.to_json()))
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)
