from reviewer.models import Series
from reviewer.report.apply_compare import apply_section, compare_section, verify_section
from tests.helpers_minitree import make_minitree_repo, make_plain_am_branch, synthetic_revisions


def test_sections(tmp_path):
    revs = synthetic_revisions()
    series = Series(1, "s", "a", revisions=list(revs.values()))
    assert compare_section(series, revs["v1"]) is None
    section = compare_section(series, revs["v2"])
    assert section["data"]["verdict"] == "CHANGED in patch 2 of v2"
    assert section["lines"][0].startswith("v1-RESEND -> v2: CHANGED")
    assert "       files: tools/testing/vma/vma_internal.h" in section["lines"]
    repo = make_minitree_repo(tmp_path)
    assert apply_section(repo.working_dir, revs["v2"])["data"]["patches"][0]["status"] == "applied"
    make_plain_am_branch(repo, tmp_path, "v2-thread", "plain")
    data = verify_section(repo.working_dir, revs["v2"], "plain")["data"]
    assert {p["status"] for p in data["patches"]} == {"identical"}
