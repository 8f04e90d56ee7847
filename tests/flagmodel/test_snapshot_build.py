"""The API snapshot's sources (issue 10 item 1): every shipped definition has its provenance,
real kernel trees are read as a source with `owner/repo@commit`, the order of the sources
decides which definition wins, and a helper the series never shows whole is compiled from the
real tree's definition."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reviewer.flagmodel import defs, sandbox, snapshot_build
from reviewer.flagmodel.c_parse import parse

_ENTRY = re.compile(r"/\* @def name=(\S+) from=(\S+) file=(\S+) if=(.*?) \*/\n")
_TREE = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")


def entries(text: str) -> list[tuple[str, str, str, str, str]]:
    """(name, from, file, if, definition text) of every `@def` entry of a snapshot text."""
    marks = list(_ENTRY.finditer(text))
    out = []
    for m, nxt in zip(marks, [*marks[1:], None], strict=True):
        body = text[m.end() : nxt.start() if nxt else len(text)].strip()
        out.append((m.group(1), m.group(2), m.group(3), m.group(4), body))
    return out


def is_tree_origin(origin: str) -> bool:
    """A real tree at a known commit: `owner/repo@<40 hex>`."""
    return bool(_TREE.match(origin))


def _shipped() -> str:
    return snapshot_build.OUT.read_text()


def test_every_shipped_definition_has_its_provenance():
    text = _shipped()
    got = entries(text)
    assert got
    # every definition the snapshot holds is preceded by its own @def comment
    assert len(got) == text.count("/* @def ")
    for name, origin, file, _conds, body in got:
        assert name and origin and file.endswith(".h"), (name, origin, file)
        assert name in body, name
        assert not parse(body + "\n").has_error, name
    # and defs.snapshot() keeps that provenance on what it serves
    snap = defs.snapshot()
    served = [s for cands in snap.values() for s in cands]
    assert len(served) == len(got)
    assert all(s.origin.startswith("snapshot ") and s.file != "?" for s in served)


def test_shipped_snapshot_comes_from_the_provided_material_oldest_first():
    """What ships is built from the project's own material only (the tools/testing/vma copy
    after the January v2 series, then the March v4 series' pre- and post-images); trees are a
    source for a rebuild from a checkout the user has, never copied into the package."""
    origins = [origin for _n, origin, *_ in entries(_shipped())]
    kinds = list(dict.fromkeys(o.split(":")[0] for o in origins))
    assert kinds == ["tools-testing-vma-after-2026-01-v2", "mar2026-v4"]
    assert not [o for o in origins if is_tree_origin(o)]


def _tree(root: Path, origin: str, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "ORIGIN").write_text(origin + "\n")
    return root


OLD = "static inline int vma_flags_frob(const vma_flags_t *flags)\n{\n\treturn 1;\n}\n"
NEW = "static inline int vma_flags_frob(const vma_flags_t *flags)\n{\n\treturn 2;\n}\n"


def test_a_tree_directory_is_read_with_its_origin_and_paths(tmp_path: Path):
    commit = "0123456789abcdef0123456789abcdef01234567"
    root = _tree(
        tmp_path / "t",
        f"example/linux@{commit}",
        {
            "include/linux/mm.h": OLD + "#define VM_FROB\t0x1\n#define NOT_A_FLAG 3\n",
            "drivers/x/y.h": "#define VM_ELSEWHERE 1\n",  # outside the API's directories
            "include/linux/broken.h": "static inline int vma_flags_bad(void) {\n",
        },
    )
    got = snapshot_build.from_source_tree(root)
    text = "\n".join(got)
    names = [e[0] for e in entries(text)]
    assert names == ["vma_flags_frob", "VM_FROB"]
    assert all(e[1] == f"example/linux@{commit}" for e in entries(text))
    assert all(e[2] == "include/linux/mm.h" for e in entries(text))
    # without an ORIGIN file the directory's name is the label
    (root / "ORIGIN").unlink()
    assert snapshot_build.origin_of(root) == "t"


def test_later_source_wins_and_older_ones_stay_for_vanished_names(tmp_path: Path):
    older = _tree(
        tmp_path / "a",
        "example/linux@" + "a" * 40,
        {"include/linux/mm.h": OLD + "#define VM_GONE\t0x2\n"},
    )
    newer = _tree(tmp_path / "b", "example/linux@" + "b" * 40, {"include/linux/mm.h": NEW})
    text = snapshot_build.build([("tree", older), ("tree", newer)])
    got = entries(text)
    assert [(e[0], e[1][-1]) for e in got] == [
        ("vma_flags_frob", "a"),
        ("VM_GONE", "a"),
        ("vma_flags_frob", "b"),
    ]
    snap_path = tmp_path / "api_snapshot.h"
    snap_path.write_text(text)
    old_path = defs.SNAPSHOT
    try:
        defs.SNAPSHOT = snap_path
        defs.snapshot.cache_clear()
        snap = defs.snapshot()
        picked = defs.pick(snap["vma_flags_frob"], "all")
        assert "return 2;" in picked.defn.text and picked.origin.endswith("b" * 40)
        assert snap["VM_GONE"][0].origin.endswith("a" * 40)
    finally:
        defs.SNAPSHOT = old_path
        defs.snapshot.cache_clear()


def test_sources_on_the_command_line(tmp_path: Path, capsys):
    assert snapshot_build.parse_sources(["tools:x", "tree:y", "series:z.mbox"]) == [
        ("tools", Path("x")),
        ("tree", Path("y")),
        ("series", Path("z.mbox")),
    ]
    # the old two-argument form
    assert snapshot_build.parse_sources(["dir", "v4.mbox"]) == [
        ("tools", Path("dir")),
        ("series", Path("v4.mbox")),
    ]
    with pytest.raises(ValueError):
        snapshot_build.parse_sources(["git:x"])
    assert snapshot_build.main(["tree:" + str(tmp_path / "missing")]) == 2
    assert "no such source" in capsys.readouterr().err


needs_gcc = pytest.mark.skipif(sandbox.gcc() is None, reason="system package missing: gcc")


@needs_gcc
def test_helper_calling_bitmap_weight_is_compiled():
    # v4 patch 15 adds vma_flags_count(), which calls bitmap_weight(): no definition the
    # harness knew, so it was refused ("calls a name defined nowhere"); with the
    # bitmap_weight() primitive it is compiled and tested.
    from tests.flagmodel.test_def_rebuild import _v4_report

    report = _v4_report()
    refused = [f.message for f in report.findings if "not compiled" in f.message]
    assert not [m for m in refused if "vma_flags_count()" in m]


def test_a_condition_split_over_lines_keeps_the_provenance_on_one_line(tmp_path: Path):
    # include/linux/mm.h: `#if defined(CONFIG_X86_USER_SHADOW_STACK) || defined(CONFIG_ARM64_GCS)
    # || \` + `defined(CONFIG_RISCV_USER_CFI)` around VM_SHADOW_STACK: the provenance comment
    # used to be cut by the splice, and the definition was read without its provenance
    root = _tree(
        tmp_path / "t",
        "example/linux@" + "c" * 40,
        {
            "include/linux/mm.h": "#if defined(CONFIG_A) || \\\n\tdefined(CONFIG_B)\n"
            "#define VM_SHADOW_STACK\t0x4\n#endif\n"
        },
    )
    text = "\n".join(snapshot_build.from_source_tree(root))
    [entry] = entries(text)
    assert entry[3] == "defined(CONFIG_A) || defined(CONFIG_B)"
    snap_path = tmp_path / "api_snapshot.h"
    snap_path.write_text(text)
    old_path = defs.SNAPSHOT
    try:
        defs.SNAPSHOT = snap_path
        defs.snapshot.cache_clear()
        [got] = defs.snapshot()["VM_SHADOW_STACK"]
        assert got.file == "include/linux/mm.h" and got.origin.endswith("c" * 40)
        assert got.defn.conditions == ("defined(CONFIG_A) || defined(CONFIG_B)",)
    finally:
        defs.SNAPSHOT = old_path
        defs.snapshot.cache_clear()


def _snapshot_one(name: str, origin_part: str):
    [got] = [s.defn for s in defs.snapshot()[name] if origin_part in s.origin]
    return got


def test_a_macros_references_are_closed_over():
    from reviewer.flagmodel import harness_allowlist

    mk = defs.snapshot()["mk_vma_flags"][-1].defn
    # vetting against "every name is known" must see the macro's callee (it used to come out
    # empty for every macro, so mk_vma_flags() was never closed over __mk_vma_flags())
    assert "__mk_vma_flags" in harness_allowlist.referenced_names(mk)
    assert "COUNT_ARGS" in harness_allowlist.referenced_names(mk)


def test_a_function_from_the_snapshot_is_taken_with_its_users_arity():
    from reviewer.flagmodel.helper_harness import _fallback, call_arities

    old_mk = _snapshot_one("mk_vma_flags", "mar2026-v4:1/25:pre")  # before v4 patch 7
    new_mk = defs.snapshot()["mk_vma_flags"][-1].defn
    assert call_arities(old_mk, "__mk_vma_flags") == {2}
    assert call_arities(new_mk, "__mk_vma_flags") == {3}
    find = _fallback(None, tools=False)
    assert len(find("__mk_vma_flags", frozenset({2})).params) == 2
    assert len(find("__mk_vma_flags", frozenset({3})).params) == 3
    # no users' arity: the pick is the newest definition, as before
    assert len(find("__mk_vma_flags").params) == 3


def test_bitmap_weight_shim_counts_the_bits_below_nbits(tmp_path: Path):
    import subprocess

    from reviewer.flagmodel.harness_program import KERNEL_SHIMS

    gcc = sandbox.gcc()
    if gcc is None:
        pytest.skip("system package missing: gcc")
    src = tmp_path / "w.c"
    src.write_text(
        "#include <stdbool.h>\n#include <stddef.h>\n#define NUM_VMA_FLAG_BITS 128\n"
        + KERNEL_SHIMS
        + "\nint main(void) {\n"
        "  unsigned long a[BITS_TO_LONGS(128)] = {0};\n"
        "  __set_bit(0, a); __set_bit(42, a); __set_bit(64, a); __set_bit(127, a);\n"
        "  if (bitmap_weight(a, 128) != 4) return 1;\n"
        "  if (bitmap_weight(a, 65) != 3) return 2;  /* bit 127 is past nbits */\n"
        "  if (bitmap_weight(a, 64) != 2) return 3;\n"
        "  return 0;\n}\n"
    )
    exe = tmp_path / "w"
    subprocess.run([gcc, "-O1", "-o", str(exe), str(src)], check=True, capture_output=True)
    assert subprocess.run([str(exe)]).returncode == 0
