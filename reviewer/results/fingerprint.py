"""The code half of a results key: a hash of the source of the modules an engine runs.

Modules are named by their import path and found through the import system, never by file
names next to this one, so a module that moves gets a new fingerprint (its dotted name and
path are hashed with its bytes) and a stored result is never reused for code it did not come
from. A package stands for every ``.py`` and ``.h`` file under it, subpackages included.
"""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path

_PATTERNS = ("*.py", "*.h")


def _files(name: str) -> list[tuple[str, Path]]:
    module = importlib.import_module(name)
    origin = getattr(module, "__file__", None)
    if not origin:
        raise RuntimeError(f"{name} has no source file to fingerprint")
    path = Path(origin)
    if path.name != "__init__.py":
        return [(name, path)]
    root = path.parent
    found = sorted(p for pattern in _PATTERNS for p in root.rglob(pattern))
    return [(f"{name}/{p.relative_to(root).as_posix()}", p) for p in found]


def source_fingerprint(*modules: str) -> str:
    """sha256 over (dotted name or package-relative path, bytes) of each module's source."""
    digest = hashlib.sha256()
    for name in modules:
        for label, path in _files(name):
            digest.update(label.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
