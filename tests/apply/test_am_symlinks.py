"""A series that plants a symbolic link and then fails a hunk on it: the failure explanation
reads the file through git objects, so the link is shown as a link and never followed
(issue: /etc/passwd lines in the report, /dev/zero read without bound)."""

from __future__ import annotations

import dataclasses

import pytest

from reviewer.apply.am import APPLIED, FAILED, apply_revision
from tests.helpers_minitree import make_minitree_repo, synthetic_revisions

LINK = """\
diff --git a/drivers/char/evil.c b/drivers/char/evil.c
new file mode 120000
index 0000000..e7c4c41
--- /dev/null
+++ b/drivers/char/evil.c
@@ -0,0 +1 @@
+{target}
\\ No newline at end of file
"""

EDIT = """\
diff --git a/drivers/char/evil.c b/drivers/char/evil.c
index e7c4c41..1111111 120000
--- a/drivers/char/evil.c
+++ b/drivers/char/evil.c
@@ -1 +1 @@
-/etc/shadow
+/etc/hosts
\\ No newline at end of file
"""


def _revision(target: str):
    v1 = synthetic_revisions()["v1"]
    first, second = v1.patches[0], v1.patches[1]
    planted = dataclasses.replace(first, diff=LINK.format(target=target))
    edited = dataclasses.replace(second, diff=EDIT)
    return dataclasses.replace(v1, patches=[planted, edited])


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../../../etc/passwd", "/dev/zero"])
def test_failure_explanation_does_not_follow_a_link_from_mail(tmp_path, target):
    repo = make_minitree_repo(tmp_path)
    result = apply_revision(repo.working_dir, _revision(target))
    assert [p.status for p in result.patches] == [APPLIED, FAILED]
    shown = "\n".join(
        f.expected_vs_tree + f.reason + f.last_commit for f in result.patches[1].failures
    )
    assert "root:x:0:0" not in shown.replace("-root:x:0:0", "").replace(" root:x:0:0", "")
    assert "symbolic link to" in shown and "not followed" in shown
    assert len(shown) < 10_000  # /dev/zero is not read
    assert len(repo.git.worktree("list").splitlines()) == 1  # nothing left registered
