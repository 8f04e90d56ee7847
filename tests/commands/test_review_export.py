"""`review` prints the full report; `export` writes an am-ready mbox with the trailers."""

from __future__ import annotations

import json
import mailbox

from tests.conftest import RESEND, V1, V2


def test_review_reports_revisions_patches_and_trailers(cli):
    result = cli("review", "--offline", V1, RESEND, V2)
    assert result.code == 0, result.err
    out = result.out
    for expected in [
        "v1-RESEND  2026-01-19  12/12",
        "(latest)",
        "Patches of v2:",
        "13/13 tools/testing/vma: add VMA userland tests",
        "Trailers on v2:",
    ]:
        assert expected in out


def test_review_json(cli):
    data = json.loads(cli("review", "--offline", "--json", V2).out)
    (series,) = data["series"]
    assert series["revision"]["label"] == "v2"
    assert len(series["trailers"]["patches"]) == 13


def test_export_writes_trailers_b4_style(tracked, tmp_path):
    out = tmp_path / "v2.mbox"
    result = tracked("export", "1", "-o", out)
    assert result.code == 0, result.err
    msgs = list(mailbox.mbox(str(out)))
    assert len(msgs) == 13
    first = msgs[0].get_payload()
    assert "Reviewed-by: Pedro Falcato <pfalcato@suse.de>" in first
    assert "Reviewed-by: Liam R. Howlett <Liam.Howlett@oracle.com>" in first
    assert "Signed-off-by: Lorenzo Stoakes <lorenzo.stoakes@oracle.com>" in first
    assert "Reviewed-by" not in msgs[12].get_payload()  # nobody reviewed 13/13


def test_export_to_unwritable_path_is_one_error_line(tracked, tmp_path):
    result = tracked("export", "1", "-o", tmp_path / "missing" / "x.mbox")
    assert result.code == 2 and result.err.startswith("reviewer: error: cannot write")


def test_review_has_a_compare_section(cli):
    out = cli("review", "--offline", V1, RESEND, V2).out
    assert "Compare:\nv1-RESEND -> v2: CHANGED in patches 3, 5, 6, 8, 9, 10, 12, 13 of v2;" in out
    assert all(
        len(line) <= 110 for line in out.split("\nCompare:\n")[1].split("Findings:")[0].splitlines()
    )
    assert "    3 -> 4   identical     tools: bitmap: add missing" in out
    # is the RESEND really only a resend? the earlier pair gets its verdict too
    assert (
        "Earlier revisions:\n  v1 -> v1-RESEND: RESEND of v1: CHANGED in patch 11 of v1-RESEND\n"
        in out
    )


def test_review_with_a_repo_applies_and_verifies(cli, tmp_path):
    from tests.helpers_minitree import make_applied_branch, make_minitree_repo, synthetic_mbox

    repo = make_minitree_repo(tmp_path)
    branch = make_applied_branch(repo, tmp_path)
    threads = [synthetic_mbox(n) for n in ("v1-thread", "v2-thread")]
    result = cli("review", "--offline", "--json", "--repo", repo.working_dir,
                 "--branch", branch, *threads)  # fmt: skip
    assert result.code == 0, result.err
    (series,) = json.loads(result.out)["series"]
    assert series["compare"]["verdict"].startswith("CHANGED in patch 2 of ")
    assert {p["status"] for p in series["apply"]["patches"]} == {"applied"}
    assert [p["status"] for p in series["applied"]["patches"]] == [
        "code-differs",
        "message-or-trailers-edited",
        "code-differs",
        "code-differs",
    ]


def test_review_has_the_flag_model_findings(cli):
    out = cli("review", "--offline", V2).out
    findings = out.split("\nFindings:\n", 1)[1]
    assert findings.split(" ", 1)[1].startswith("conversions verified, ")
    assert "- [warning] patch 10 mm/vma.h:" in findings  # set_vma_from_desc(): OR -> overwrite
    # the one error is 7/13's missed mlock_future_ok() caller, which the fix-up in a reply fixes
    errors = [line for line in findings.splitlines() if line.startswith("- [error]")]
    assert len(errors) == 1 and errors[0].startswith("- [error] patch 7 mm/mmap.c:111 (bool-param)")
    assert errors[0].endswith("[as posted; resolved by the fix-up from Lorenzo Stoakes]")
    assert "Fix-up to patch 7 from Lorenzo Stoakes (mm/mmap.c: check_brk_limits())" in findings
    assert "(dup-drift): 4 functions differ the same way" in findings
    assert "vma_flags_set_word()" in findings
    posted = cli("review", "--offline", "--fixups", "posted", V2).out.split("\nFindings:\n")[1]
    assert "- [error]" not in posted and "Fix-up to patch" not in posted
