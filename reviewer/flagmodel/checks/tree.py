"""The base tree (``--repo``) as the checks read it: through git objects at HEAD (never the
working tree) when the directory is a git repository, else as plain files (test trees)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from reviewer.flagmodel.checks import snapshot
from reviewer.tree_read import blob_text

_CONFIG_RE = re.compile(r"^\s*(?:menu)?config\s+([A-Za-z0-9_]+)", re.M)
_KCONFIG_CACHE: dict[tuple[str, str], frozenset[str]] = {}
_MAKE_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_-]+)-(?:\$\((CONFIG_[A-Za-z0-9_]+)\)|y)\s*[+:]?=(.*)$")


def _git(repo: Path):
    try:
        import git

        return git.Repo(repo, search_parent_directories=False)
    except Exception:  # noqa: BLE001 - not a git repository (or unreadable): plain files
        return None


def head_key(repo: Path) -> str:
    g = _git(repo)
    if g is None:
        return "files"
    try:
        return g.head.commit.tree.hexsha
    except Exception:  # noqa: BLE001 - empty repository
        return "empty"


MAX_BYTES = 8 << 20  # a larger file is not read whole


def read(repo: Path, path: str) -> str | None:
    """Text of `path` at the base commit (HEAD's tree), or the file for a non-git tree (a
    symbolic link is not followed there; at most MAX_BYTES either way)."""
    g = _git(repo)
    if g is None:
        file = repo / path
        if file.is_symlink() or not file.is_file():
            return None
        with open(file, "rb") as fh:
            return fh.read(MAX_BYTES).decode(errors="replace")
    return blob_text(g, "HEAD", path, MAX_BYTES)


def files_mentioning(repo: Path, word: str, tops: tuple[str, ...]) -> list[str]:
    """Paths (relative) of .c/.h files under `tops` whose text at the base commit contains
    `word` (git grep on HEAD's tree; plain files, links skipped, for a non-git tree)."""
    g = _git(repo)
    if g is not None:
        try:
            out = g.git.grep("-l", "-F", "-e", word, "HEAD", "--", *tops)
        except Exception:  # noqa: BLE001 - no match (git grep exits 1) or no HEAD
            return []
        paths = [line.split(":", 1)[1] for line in out.splitlines() if ":" in line]
        return [p for p in paths if p.endswith((".c", ".h"))]
    found = []
    needle = word.encode()
    for top in tops:
        for dirpath, _dirs, files in os.walk(repo / top):
            for fname in files:
                path = Path(dirpath) / fname
                if not fname.endswith((".c", ".h")) or path.is_symlink():
                    continue
                try:
                    with open(path, "rb") as fh:
                        if needle in fh.read(MAX_BYTES):
                            found.append(str(path.relative_to(repo)))
                except OSError:
                    continue
    return found


def kconfig_symbols(repo: Path) -> frozenset[str]:
    """Every symbol a Kconfig file of the tree defines (tools/ included), without CONFIG_."""
    key = (str(repo.resolve()), head_key(repo))
    if key in _KCONFIG_CACHE:
        return _KCONFIG_CACHE[key]
    found: set[str] = set()
    g = _git(repo)
    if g is not None:
        try:
            for blob in g.head.commit.tree.traverse():
                if blob.type == "blob" and Path(blob.path).name.startswith("Kconfig"):
                    text = blob.data_stream.read().decode(errors="replace")
                    found |= set(_CONFIG_RE.findall(text))
        except Exception:  # noqa: BLE001 - empty repository
            pass
    else:
        for dirpath, dirs, files in os.walk(repo):
            dirs[:] = [d for d in dirs if d != ".git"]
            for fname in files:
                if fname.startswith("Kconfig"):
                    text = (Path(dirpath) / fname).read_text(errors="replace")
                    found |= set(_CONFIG_RE.findall(text))
    _KCONFIG_CACHE[key] = frozenset(found)
    return _KCONFIG_CACHE[key]


def build_configs(repo: Path | None, path: str) -> set[str]:
    """Configurations every build of `path` has: the shipped facts, plus with a tree the
    `obj-$(CONFIG_X)` / `ifdef CONFIG_Y` around the object in the directory's Makefile."""
    out = snapshot.build_configs(path)
    if repo is None or not path.endswith(".c"):
        return out
    directory, name = os.path.split(path)
    text = read(repo, f"{directory}/Makefile" if directory else "Makefile")
    if text is None:
        return out
    obj = name[:-2] + ".o"
    stack: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith(("ifdef ", "ifeq ", "ifneq ", "ifndef ")):
            word = line.split()[1] if len(line.split()) > 1 else ""
            stack.append(word if line.startswith("ifdef ") and word.startswith("CONFIG_") else "")
        elif line == "endif" and stack:
            stack.pop()
        elif obj in line.split():
            m = _MAKE_ASSIGN.match(raw)
            if m and m.group(2):
                out.add(m.group(2))
            out |= {s for s in stack if s}
    return out
