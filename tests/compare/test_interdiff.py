"""A file only one version changes is named in the interdiff like every other file."""

from reviewer.compare.interdiff import file_changes
from reviewer.diff.patch import parse_diff

DIFF = """diff --git a/{path} b/{path}
--- a/{path}
+++ b/{path}
@@ -1,2 +1,2 @@
 keep
-old line
+new line
"""


def test_file_only_in_the_new_version_is_named():
    old = parse_diff(DIFF.format(path="mm/a.c"))
    new = parse_diff(DIFF.format(path="mm/a.c") + DIFF.format(path="mm/b.c"))
    (change,) = file_changes(old, new)
    assert change.path == "mm/b.c" and change.kind == "only-in-new"
    assert change.diff.splitlines()[:2] == [
        "--- old/mm/b.c (not changed by the old one)",
        "+++ new/mm/b.c",
    ]
    assert "+-old line" in change.diff and "++new line" in change.diff
