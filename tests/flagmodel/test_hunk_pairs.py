"""The flag model reads the one repaired diff parse (issue 11 item 2: the RESEND false error)."""

from __future__ import annotations

import json

from reviewer.cli import main
from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.hunk_pairs import parse_diff
from tests.march_series import jan


def _shmem_hunk(patches):
    [f] = [f for f in parse_diff(patches[6].diff) if f.path == "mm/shmem.c"]
    [h] = [h for h in f.hunks if any(ln.text == "/* common code */" for ln in h.lines)]
    return h


def test_blank_context_line_that_lost_its_space_stays_context():
    # The real RESEND mail lost the space of the blank line after "/* common code */".
    hunk = _shmem_hunk(jan("v1-resend-thread.mbox"))
    blank = hunk.lines[1]
    assert (blank.tag, blank.text, blank.old_no, blank.new_no) == (" ", "", 5820, 5824)
    assert not [ln for ln in hunk.lines if ln.tag == "+" and not ln.text.strip()]


def test_resend_parses_like_v1():
    v1 = [(ln.tag, ln.text) for ln in _shmem_hunk(jan("v1-thread.mbox")).lines]
    resend = [(ln.tag, ln.text) for ln in _shmem_hunk(jan("v1-resend-thread.mbox")).lines]
    assert v1 == resend


def test_resend_has_no_shmem_acct_size_false_error():
    report = check_revision(jan("v1-resend-thread.mbox"), helpers=False)
    assert not [f for f in report.findings if f.severity == "error"]
    assert not [f for f in report.findings if "shmem_acct_size" in f.message]


def test_reviewer_check_on_the_tracked_resend_has_no_false_error(threads_dir, tmp_path, capsys):
    # `reviewer check 1 -r v1-RESEND`, as a user runs it on the January threads in samples/.
    db = str(tmp_path / "r.db")
    mboxes = [str(threads_dir / n) for n in ("v1-thread.mbox", "v1-resend-thread.mbox")]
    assert main(["track", "--db", db, "--offline", *mboxes]) == 0
    capsys.readouterr()
    assert main(["check", "--db", db, "--json", "1", "-r", "v1-RESEND"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["revision"] == "v1-RESEND"
    assert data["counts"]["error"] == 0
    assert (data["verified"], data["unverified"]) == (454, 5)  # the same figures as v1
    assert not [f for f in data["findings"] if "shmem_acct_size" in f["message"]]


def _block_at(rev: str, index: int, path: str, line: int):
    from reviewer.flagmodel.hunk_pairs import change_blocks
    from tests.flagmodel import march

    [f] = [f for f in parse_diff(march.patch(rev, index).diff) if f.path == path]
    return next(b for b in change_blocks(f) if line in b.numbers("new"))


def test_a_line_that_opens_with_a_closed_comment_is_code():
    # v2 patch 22 mm/userfaultfd.c: `(struct vm_userfaultfd_ctx){ctx},\n /* give_up_on_oom =
    # */false);` closes the call; dropped as a comment line the block did not parse
    block = _block_at("v2", 22, "mm/userfaultfd.c", 2164)
    assert "/* give_up_on_oom = */false);" in block.side("new")
    assert "/* give_up_on_oom = */false);" in block.side("old")
    assert len(block.side("new").split("\n")) == len(block.numbers("new"))


def test_a_block_whose_body_closes_on_the_next_context_line_takes_the_brace():
    # v2 patch 17 mm/mprotect.c: `if (A && B) {\n populate...;` became `if (B) {\n mask = ..;
    # if (same(mask)) populate...;` and the closing `}` is context: the bodies are complete
    block = _block_at("v2", 17, "mm/mprotect.c", 789)
    for side in ("old", "new"):
        text = block.side(side)
        assert text.count("{") == text.count("}"), text
    assert block.numbers("new")[-1] == 796
    report = check_revision(list(march_rev("v2")), helpers=False, focus={17})
    assert not [
        f
        for f in report.findings
        if f.file == "mm/mprotect.c" and f.line == 789 and f.severity == "error"
    ]


def march_rev(rev: str):
    from tests.flagmodel import march

    return march.revision(rev)
