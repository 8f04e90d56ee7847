"""reviewer check --b4-agent as b4 review's agent: b4's own tracking commit format is read with
b4.review.load_tracking, and the files written are integrated by b4's own
b4.review._integrate_agent_reviews, which places the flag model's finding on its diff line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import b4.review

from tests.helpers_minitree import BASE_SHA, make_minitree_repo, patches_only_mbox

ROOT = Path(__file__).resolve().parents[2]
CHANGE_ID = "20260119-vma-desc-flags"


def _review_branch_with_a_bug(tmp_path):
    """The synthetic v1 applied on b4/review/<change-id>, patch 3 made to drop VM_DONTDUMP (a
    real non-equivalent conversion), and a tracking commit in b4's format at the tip."""
    repo = make_minitree_repo(tmp_path)
    repo.git.checkout("-b", f"b4/review/{CHANGE_ID}")
    mbox = patches_only_mbox("v1-thread", tmp_path / "series.mbox")
    repo.git.am(str(mbox))
    shas = repo.git.rev_list("--reverse", f"{BASE_SHA}..HEAD").split()
    repo.git.checkout("--detach", shas[1])
    repo.git.cherry_pick(shas[2])
    secretmem = Path(repo.working_dir) / "mm/secretmem.c"
    text = secretmem.read_text()
    secretmem.write_text(text.replace("\tvma_desc_set_flag(desc, VMA_DONTDUMP_BIT);\n", ""))
    repo.git.commit("-a", "--amend", "--no-edit")
    repo.git.cherry_pick(shas[3])
    repo.git.branch("-f", f"b4/review/{CHANGE_ID}", "HEAD")
    repo.git.checkout(f"b4/review/{CHANGE_ID}")
    commit_shas = repo.git.rev_list("--reverse", f"{BASE_SHA}..HEAD").split()
    tracking = {
        "series": {"change-id": CHANGE_ID, "base-commit": BASE_SHA, "revision": 1,
                   "first-patch-commit": commit_shas[0]},
        "patches": [{"title": f"patch {n}", "header-info": {"msgid": f"p{n}@example.org"}}
                    for n in (1, 2, 3, 4)],
    }  # fmt: skip
    message = f"cover\n\n{b4.review._review.REVIEW_MAGIC_MARKER}\n{json.dumps(tracking)}\n"
    repo.git.commit("--allow-empty", "-m", message)
    return repo, commit_shas


def test_agent_files_are_integrated_by_b4(tmp_path):
    repo, commit_shas = _review_branch_with_a_bug(tmp_path)
    topdir = repo.working_dir
    env = {"PYTHONPATH": str(ROOT), "REVIEWER_CACHE": str(tmp_path / "cache"),
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "REVIEWER_DB": str(tmp_path / "db.sqlite3")}  # fmt: skip
    argv = [sys.executable, "-m", "reviewer.cli", "check", "--b4-agent", "Read the prompt"]
    done = subprocess.run(argv, cwd=topdir, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    agent_dir = Path(topdir, ".git", "b4-review", repo.head.commit.hexsha)
    assert sorted(p.name for p in agent_dir.iterdir()) == ["0003.txt", "identity.txt"]
    cover, tracking = b4.review.load_tracking(topdir, f"b4/review/{CHANGE_ID}")
    assert b4.review._integrate_agent_reviews(
        topdir, cover, tracking, commit_shas, tracking["patches"]
    )
    (review,) = tracking["patches"][2]["reviews"].values()
    (comment,) = review["comments"]
    assert comment["path"] == "b/mm/secretmem.c"  # b4 keeps the diff side in the path
    assert comment["content"] == "+\tvma_desc_set_flag(desc, VMA_LOCKED_BIT);"  # its line
    assert comment["line"] == 124
    assert "[flag model] ERROR [equivalence]" in comment["text"]
    assert "VM_DONTDUMP" in comment["text"]
    for other in (0, 1, 3):
        assert "reviews" not in tracking["patches"][other]
