from types import SimpleNamespace

from tui.widgets.diff_model import build_model

DIFF = """diff --git a/f.c b/f.c
index 1..2 100644
--- a/f.c
+++ b/f.c
@@ -10,4 +10,4 @@ int f(void)
 \tctx10;
-\told11;
+\tnew11;

 ctx13;
@@ -40,2 +40,3 @@
 a40;
+b41;
 c42;
"""


def _finding(line: int, file: str = "f.c", severity: str = "error"):
    return SimpleNamespace(
        severity=severity, check="equivalence", file=file, line=line, message="m", counterexample=""
    )


def test_kinds_hunks_and_tabs():
    model = build_model("subject line\n\nbody", DIFF)
    kinds = [ln.kind for ln in model.lines]
    assert kinds[:4] == ["msg", "msg", "msg", "msg"]
    assert kinds[4:8] == ["file", "meta", "meta", "meta"]
    assert [model.lines[r].text[:6] for r in model.hunks] == ["@@ -10", "@@ -40"]
    assert model.files == [4]
    tab_line = model.lines[model.hunks[0] + 1]
    assert tab_line.text == " " + " " * 7 + "ctx10;"  # the tab reaches column 8
    assert kinds.count("add") == 2 and kinds.count("del") == 1


def test_findings_go_below_their_post_image_line():
    model = build_model("", DIFF, [_finding(11), _finding(13, severity="info"), _finding(41)])
    texts = [ln.text for ln in model.lines]
    for row, expected in zip(model.findings, ["\tnew11;", " ctx13;", "+b41;"], strict=True):
        assert texts[row - 1].replace(" " * 7, "\t", 1).lstrip("+ ") in expected
    assert model.lines[model.findings[0] - 1].text.startswith("+")
    assert model.lines[model.findings[1] - 1].text == " ctx13;"
    assert model.lines[model.findings[2] - 1].text == "+b41;"
    # hunk rows are shifted past inserted finding lines
    assert model.lines[model.hunks[1]].kind == "hunk"


def test_blank_context_line_from_mail_counts():
    model = build_model("", DIFF, [_finding(12)])
    assert model.lines[model.findings[0] - 1].text == ""


def test_unplaced_findings_go_first_and_file_level_below_header():
    model = build_model("", DIFF, [_finding(0, file="g.c"), _finding(999)])
    assert model.findings[0] == 0  # unknown file: top
    assert model.lines[model.findings[1] - 1].kind == "file"  # unknown line: below its header


def test_control_characters_are_made_visible():
    model = build_model("evil \x1b[2J\x9b31m subject", "")
    assert "\x1b" not in model.lines[0].text and "\x9b" not in model.lines[0].text
    assert "^[[2J" in model.lines[0].text


def test_fixup_sections_follow_with_their_own_hunks():
    fixup = "diff --git a/g.c b/g.c\n--- a/g.c\n+++ b/g.c\n@@ -1 +1 @@\n-x\n+y\n"
    model = build_model("", DIFF, [_finding(41)], [("=== fix-up from A: fix", fixup)])
    assert len(model.hunks) == 3 and len(model.files) == 2
    assert model.lines[model.hunks[2]].text == "@@ -1 +1 @@"
    title = next(ln for ln in model.lines if ln.text.startswith("=== fix-up"))
    assert title.kind == "note"
    assert model.findings[0] < model.hunks[2]  # findings stay with the posted diff


def test_interdiff_lines_keep_outer_sign_and_inner_dashes():
    from tui.widgets.diff_model import build_interdiff_model

    interdiff = "--- old/a.c\n+++ new/a.c\n@@@\n x\n--- removed line\n+-- added line\n++y"
    model = build_interdiff_model("note: n", ["", interdiff])
    kinds = [(ln.kind, ln.text) for ln in model.lines]
    assert kinds == [
        ("msg", "note: n"),
        ("msg", ""),
        ("file", "--- old/a.c"),
        ("file", "+++ new/a.c"),
        ("hunk", "@@@"),
        ("ctx", " x"),
        ("del", "--- removed line"),  # not a file header: no '+++ ' line follows
        ("add", "+-- added line"),
        ("add", "++y"),
    ]
    assert model.files == [2] and model.hunks == [4]


def test_a_finding_a_fixup_resolves_says_so_and_is_not_counted():
    """v2 7/13: the missed mlock_future_ok() caller is an error of the patch as posted that the
    fix-up in the reply resolves (issue 15 item 8)."""
    from tui.formatting import findings_cell

    resolved = SimpleNamespace(
        severity="error",
        check="bool-param",
        file="f.c",
        line=11,
        message="mlock_future_ok() now takes bool is_vma_locked but this caller still passes "
        "the whole flags word 'current->mm->def_flags'",
        counterexample="",
        fixup_effect="resolved",
    )
    model = build_model("", DIFF, [resolved, _finding(41, severity="warning")])
    text = model.lines[model.findings[0]].text
    assert text.endswith("[as posted; resolved by a fix-up in a reply]")
    assert findings_cell([resolved, _finding(41, severity="warning")]).plain == "W1"
