"""What the helper harness adds to a report, kept on disk by a content hash of its inputs.

The harness' outcome for a series (its notes, findings and counts) is a function of the
patch views (every hunk line, numbered), the state the report ends in, the definitions the
closure may read from outside the series (the API snapshot and, with --repo, the tree's), the
configurations it can run (-m32 or not) and the engine's own code (every source file of
reviewer.flagmodel, the API snapshot header and the sandbox runtime included), plus the parser's
and compiler's identity. The key covers all of these. A hit replays the outcome without
collecting, vetting or building anything: nothing is compiled or run on a hit, and on a miss the
whole harness runs as before (the allowlist vets every definition). An outcome is stored only
when every run's result is one the build cache keeps itself (ran through, or failed to
compile): a time-out or a killed run is tried again next time, as before.

The outcome is a log of the operations made on the report, replayed in order through the
report's own methods, so a finding already in the report is deduplicated exactly as when the
harness ran."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer.flagmodel.findings import CheckReport, Finding, Severity

if TYPE_CHECKING:
    from reviewer.flagmodel.defs import Sourced
    from reviewer.flagmodel.patch_view import PatchView

FORMAT = "harness-outcome-1"


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
                finding = Finding(**arg)
                finding.severity = Severity(finding.severity)
                out.ops.append((op, finding))
            elif (op, type(arg)) in (("note", str), ("unverified", int), ("verified", int)):
                out.ops.append((op, arg))
            else:
                raise ValueError(f"operation {op!r}")
        return out


def _copy(f: Finding) -> Finding:
    """A fresh finding per replay (later steps may mark a report's findings)."""
    return Finding(**{**asdict(f), "severity": f.severity})


def key(
    views: list[PatchView],
    state: str,
    snapshot: dict[str, list[Sourced]],
    tree: dict[str, list[Sourced]] | None,
    compiler: str,
) -> str:
    digest = hashlib.sha256(f"{FORMAT}\0{engine_fingerprint()}\0{_tools()}\0".encode())
    digest.update(f"{_compiler_id(compiler)}\0state={state}\0".encode())
    digest.update(_layer_hash(snapshot).encode())
    digest.update(("tree:" + _layer_hash(tree) if tree is not None else "no tree").encode())
    for view in views:
        digest.update(f"\0view {view.index}\0".encode())
        for f in view.files:
            digest.update(repr((f.old_path, f.new_path, len(f.hunks))).encode())
            for h in f.hunks:
                lines = [(ln.tag, ln.old_no, ln.new_no, ln.text) for ln in h.lines]
                digest.update(repr((h.old_start, h.new_start, h.section, lines)).encode())
    return digest.hexdigest()


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
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in ("tree-sitter", "tree-sitter-c"):
        try:
            out.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}=?")
    return " ".join(out)


def _compiler_id(compiler: str) -> str:
    stat = Path(compiler).resolve().stat()
    return f"{compiler}\0{stat.st_mtime_ns}\0{stat.st_size}"


_LAYERS: dict[int, tuple[object, str]] = {}  # id -> (the layer, kept alive; its hash)


def _layer_hash(layer: dict[str, list[Sourced]]) -> str:
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
