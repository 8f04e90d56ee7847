"""Build the API snapshot the package ships (``api_snapshot.h``): the C definitions of the VMA
flag API (helpers, function-like macros, ``#define`` masks) extracted from real sources at known
states, each with its provenance.

Sources are read in the order given, oldest first: when the snapshot is read, a later
definition of a name wins (``defs.pick``), and an earlier one stays for names a later source
no longer has. Each source is ``KIND:PATH``:

* ``tools:DIR`` - the tools/testing/vma userland copies (``dup.h``, ``custom.h``) of a tree
  checked out at DIR, whole files (origin: the directory's ``ORIGIN`` file, else its name);
* ``tree:DIR`` - real kernel sources saved under DIR at their repository paths (whole files
  or verbatim excerpts of them), with the repository and commit in ``DIR/ORIGIN``
  (``owner/repo@<40-hex commit>``): every ``.h`` file under DIR in the API's directories;
* ``series:MBOX`` - the pre-image, then the post-image, of each patch of the latest revision
  in MBOX (only definitions a hunk shows whole).

What ships (docs/flag-model.md, "The API snapshot" says how to fetch the trees)::

    python -m reviewer.flagmodel.snapshot_build \\
        tools:../shared/corpus/tools-testing-vma-after-2026-01-v2 \\
        tree:SCRATCH/linux-mm@39045b9e \\
        series:../shared/corpus/vma-flags-2026-03-vma-code/v4-thread.mbox \\
        tree:SCRATCH/linux-mm@c65b1d2

The old two-argument form ``TOOLS_DIR MBOX`` still means ``tools:TOOLS_DIR series:MBOX``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reviewer.flagmodel.c_parse import Definition, all_definitions, parse
from reviewer.flagmodel.hunk_pairs import parse_diff

OUT = Path(__file__).with_name("api_snapshot.h")
_HEADERS = ("include/linux/", "mm/", "tools/testing/vma/include/", "tools/include/", "arch/")
_TOOLS_FILES = ("tools/testing/vma/include/dup.h", "tools/testing/vma/include/custom.h")
_FLAG_WORDS = ("VM_", "VMA_", "vma_flag", "vm_flags", "bitmap", "mk_vma", "legacy_to", "__bit")


def _relevant(defn: Definition) -> bool:
    return any(w in defn.text for w in _FLAG_WORDS) and not defn.node.has_error


def _whole(defn: Definition, numbers: list[int]) -> bool:
    rows = numbers[defn.start_line : defn.node.end_point[0] + 1]
    return bool(rows) and all(b == a + 1 for a, b in zip(rows, rows[1:], strict=False))


def _one_line(cond: str) -> str:
    """An #if condition on one line: its line splices joined, white space collapsed (the
    provenance comment is one line; a `\\` continuation would cut it, and the definition would
    be read without its provenance)."""
    return " ".join(cond.replace("\\\r\n", " ").replace("\\\n", " ").split())


def _entry(defn: Definition, origin: str, path: str) -> str:
    conds = "|".join(_one_line(c) for c in defn.conditions)
    head = f"/* @def name={defn.name} from={origin} file={path} if={conds} */"
    return f"{head}\n{defn.text.strip()}\n"


def from_tools_tree(root: Path, origin: str) -> list[str]:
    out = []
    for rel in _TOOLS_FILES:
        path = root / rel
        if not path.is_file():
            continue
        for defn in all_definitions(parse(path.read_text())):
            if _relevant(defn):
                out.append(_entry(defn, origin, rel))
    return out


def origin_of(root: Path) -> str:
    """A tree's provenance label: the first line of ``root/ORIGIN`` (``owner/repo@commit``),
    else the directory's name."""
    marker = root / "ORIGIN"
    if marker.is_file():
        line = marker.read_text().strip().splitlines()
        if line and line[0].strip():
            return line[0].strip()
    return root.name


def from_source_tree(root: Path, origin: str | None = None) -> list[str]:
    """Every relevant definition of the ``.h`` files under ``root`` that sit in the API's
    directories, files in path order, each with ``origin`` (default: ``origin_of(root)``) and
    its repository path. A definition that does not parse whole is left out."""
    origin = origin or origin_of(root)
    out = []
    for path in sorted(root.rglob("*.h")):
        rel = path.relative_to(root).as_posix()
        if not rel.startswith(_HEADERS):
            continue
        for defn in all_definitions(parse(path.read_text(errors="replace"))):
            if _relevant(defn):
                out.append(_entry(defn, origin, rel))
    return out


def from_patches(patches, label: str) -> list[str]:
    pre, post = [], []
    total = len(patches)
    for patch in patches:
        for f in parse_diff(patch.diff):
            if not f.path.startswith(_HEADERS) or not f.path.endswith(".h"):
                continue
            for side, bucket in (("old", pre), ("new", post)):
                text, numbers = f.side_text(side)
                origin = f"{label}:{patch.index}/{total}:{'pre' if side == 'old' else 'post'}"
                for defn in all_definitions(parse(text)):
                    if _relevant(defn) and _whole(defn, numbers):
                        bucket.append(_entry(defn, origin, f.path))
    return pre + post


_KINDS = ("tools", "tree", "series")


def parse_sources(argv: list[str]) -> list[tuple[str, Path]]:
    """``KIND:PATH`` arguments, in order (the old ``TOOLS_DIR MBOX`` pair is accepted too)."""
    if len(argv) == 2 and not any(a.split(":", 1)[0] in _KINDS for a in argv):
        return [("tools", Path(argv[0])), ("series", Path(argv[1]))]
    out = []
    for arg in argv:
        kind, _, path = arg.partition(":")
        if kind not in _KINDS or not path:
            raise ValueError(f"not a source: {arg!r} (expected tools:DIR, tree:DIR or series:MBOX)")
        out.append((kind, Path(path)))
    return out


def _series_label(mbox: Path) -> str:
    name = mbox.name.removesuffix(".mbox").removesuffix("-thread")
    return f"{mbox.parent.name}-{name}" if name else mbox.parent.name


def build(sources: list[tuple[str, Path]], labels: dict[Path, str] | None = None) -> str:
    """The snapshot text for ``sources`` (see the module docstring), in their order."""
    from reviewer.series.parse import parse_messages
    from reviewer.sources.mail import load_source

    labels = labels or {}
    parts = [
        "/* API snapshot of the VMA flag API for reviewer's flag model (generated by",
        " * reviewer/flagmodel/snapshot_build.py; do not edit by hand). Each definition is",
        " * preceded by its provenance: from=<source>[:<patch>/<total>:<pre|post>] file=<path>",
        " * if=<enclosing #if conditions>; a source owner/repo@commit is a real tree at that",
        " * commit. Later definitions of a name win. */",
        "",
    ]
    for kind, path in sources:
        if kind == "tools":
            parts += from_tools_tree(path, labels.get(path) or origin_of(path))
        elif kind == "tree":
            parts += from_source_tree(path, labels.get(path))
        else:
            loaded = load_source(str(path), offline=True)
            patches = parse_messages([m.msg for m in loaded.messages]).revisions[-1].patches
            parts += from_patches(patches, labels.get(path) or _series_label(path))
    return "\n".join(parts)


# The labels the shipped snapshot has always used for its first sources.
SHIPPED_LABELS = {
    "tools-testing-vma-after-2026-01-v2": "tools-testing-vma-after-2026-01-v2",
    "v4-thread.mbox": "mar2026-v4",
}


def main(argv: list[str]) -> int:
    try:
        sources = parse_sources(argv)
    except ValueError as exc:
        print(f"snapshot_build: error: {exc}", file=sys.stderr)
        return 2
    if not sources:
        print(__doc__)
        return 2
    missing = [str(p) for _, p in sources if not p.exists()]
    if missing:
        print(f"snapshot_build: error: no such source: {', '.join(missing)}", file=sys.stderr)
        return 2
    labels = {p: SHIPPED_LABELS[p.name] for _, p in sources if p.name in SHIPPED_LABELS}
    OUT.write_text(build(sources, labels))
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
