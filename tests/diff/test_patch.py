from reviewer.diff.patch import parse_diff, unsafe_paths
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
