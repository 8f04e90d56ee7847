import ast
from pathlib import Path

from reviewer.diff.anchor import Kind, positions
from reviewer.diff.integrity import truncation_problem
from reviewer.diff.patch import hunk_range, parse_diff, unsafe_paths
from reviewer.models import Patch
from tests.helpers_minitree import real_revisions

DIFF = "\n".join(
    [
        "diff --git a/mm/x.c b/mm/x.c",
        "index 1111111..2222222 100644",
        "--- a/mm/x.c",
        "+++ b/mm/x.c",
        "@@ -10,7 +10,7 @@ static int f(void)",
        " \tint a;",
        " ",
        " \ta = 1;",
        "-\treturn a;",
        "+\treturn a + 1;",
        " }",
        " ",
        " static int g(void)",
        "-- ",
        "2.52.0",
        "",
    ]
)


def test_hunk_counts_end_the_hunk_and_skip_the_signature():
    (fd,) = parse_diff(DIFF).files
    assert fd.path == "mm/x.c" and fd.old_blob == "1111111"
    (hunk,) = fd.hunks
    assert len(hunk.lines) == 8
    assert hunk.blocks() == [(("\treturn a;",), ("\treturn a + 1;",))]
    assert hunk.section == "static int f(void)"


def test_blank_context_line_that_lost_its_space_is_context():
    damaged = DIFF.replace("\n \n", "\n\n")
    assert damaged != DIFF
    assert parse_diff(damaged).exact_key == parse_diff(DIFF).exact_key


def test_moved_hunk_keeps_change_key_but_not_exact_key():
    moved = DIFF.replace("@@ -10,7 +10,7 @@", "@@ -42,7 +42,7 @@").replace("1111111", "3333333")
    assert parse_diff(moved).change_key == parse_diff(DIFF).change_key
    assert parse_diff(moved).exact_key != parse_diff(DIFF).exact_key


def test_changed_line_changes_change_key():
    other = DIFF.replace("+\treturn a + 1;", "+\treturn a + 2;")
    assert parse_diff(other).change_key != parse_diff(DIFF).change_key


def test_unsafe_paths():
    bad = DIFF.replace("a/mm/x.c b/mm/x.c", "a/../x.c b/../x.c").replace(
        "--- a/mm/x.c", "--- a/../x.c"
    )
    bad = bad.replace("+++ b/mm/x.c", "+++ b/../x.c")
    assert unsafe_paths(parse_diff(bad)) == ["../x.c"]
    assert unsafe_paths(parse_diff(DIFF)) == []


def test_real_resend_whitespace_damage_breaks_patch_id_not_our_key():
    revs = real_revisions()
    v1, resend = revs["v1"].patches[0], revs["v1-RESEND"].patches[0]
    assert v1.patch_id != resend.patch_id  # git patch-id sees the stripped blank lines
    assert parse_diff(v1.diff).change_key == parse_diff(resend.diff).change_key


# --- one parser: no other module reads hunk headers or diff line kinds itself ----------------

ROOT = Path(__file__).resolve().parents[2]
_TEXT_METHODS = {"startswith", "match", "fullmatch", "search", "compile", "split", "partition",
                 "find", "index", "findall", "finditer", "sub"}  # fmt: skip


def _header_reads(source: str) -> list[int]:
    """Lines where code compares, searches or splits text with a "@@" literal (a hunk header
    read), as opposed to writing one (f-strings, concatenation, return values)."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    out = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if "@@" not in node.value:
            continue
        up = parents.get(node)
        while isinstance(up, ast.Tuple):
            up = parents.get(up)
        reads = isinstance(up, ast.Compare) or (
            isinstance(up, ast.Call)
            and isinstance(up.func, ast.Attribute)
            and up.func.attr in _TEXT_METHODS
        )
        if reads or "\\d" in node.value:
            out.append(node.lineno)
    return out


def test_header_reads_are_recognised():
    assert _header_reads('import re\nH = re.compile(r"^@@ -(\\d+)")\n') == [2]
    assert _header_reads('def f(x):\n    return x.startswith("@@")\n') == [2]
    assert _header_reads('def f(x):\n    return x[:2] == "@@"\n') == [2]
    assert _header_reads('def f(x):\n    return x.startswith(("@@", "diff"))\n') == [2]
    assert _header_reads('def f(s):\n    return "@@" + s + f"@@ -{s} @@"\n') == []


def test_no_module_but_patch_diff_parses_hunk_headers():
    one = ROOT / "reviewer" / "diff" / "patch.py"
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for top in ("reviewer", "tui")
        for path in sorted((ROOT / top).rglob("*.py"))
        if path != one
        for line in _header_reads(path.read_text())
    ]
    assert found == [], "parse diffs with reviewer.diff.patch (parse_diff, hunk_range, line_kind)"
    assert _header_reads(one.read_text())  # the one parser is where the reading is


def test_hunk_range_and_renumbering_keep_lengths_as_written():
    rng = hunk_range("@@ -3 +4,2 @@ int f(void)")
    assert (rng.old_start, rng.old_len, rng.new_start, rng.new_len) == (3, 1, 4, 2)
    assert rng.section == "int f(void)" and rng.head == "@@ -3 +4,2 @@"
    assert rng.renumbered(30, 40) == "@@ -30 +40,2 @@"
    assert hunk_range("@@@") is None and hunk_range("@@ section") is None


def test_truncation_reads_the_repaired_parse():
    assert truncation_problem(DIFF) is None
    assert truncation_problem(DIFF.replace("\n \n", "\n\n")) is None  # mail-stripped blank
    cut = "\n".join(DIFF.splitlines()[:9])
    assert truncation_problem(cut) == "hunk @@ -10,7 +10,7 @@ ends early (truncated?)"


def test_positions_follow_the_parse_not_the_signature():
    damaged = DIFF.replace("\n \n", "\n\n").replace("\n-- \n", "\n--\n")  # as the RESEND has it
    pos = positions(damaged)
    assert [p.kind for p in pos[5:7]] == [Kind.CTX, Kind.CTX]
    assert (pos[6].old, pos[6].new, pos[6].text) == (11, 11, "")
    assert [p.kind for p in pos[-2:]] == [Kind.META, Kind.META]  # "--" and "2.52.0"
    assert [p.kind for p in positions(DIFF)] == [p.kind for p in pos]


def test_patch_files_come_from_the_parse():
    patch = Patch(1, "s", "m", "a", "d", "", DIFF, None)
    assert patch.files == ["mm/x.c"]
