import json

from tests.helpers_minitree import BASE_SHA, make_minitree_repo, synthetic_mbox


def test_apply_json_and_exit_code(cli, tmp_path):
    assert cli("track", "--offline", synthetic_mbox("v3-rebased-thread")).code == 0
    repo = make_minitree_repo(tmp_path)
    result = cli("apply", "1", "--repo", repo.working_dir, "--base", "master", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["base"] == BASE_SHA
    assert [p["status"] for p in data["patches"]][-1] == "applied with 3-way"
    text = cli("apply", "1", "--repo", repo.working_dir).out
    assert "4/4 patches applied" in text


def test_apply_bad_input(cli, tmp_path):
    assert cli("track", "--offline", synthetic_mbox("v1-thread")).code == 0
    result = cli("apply", "1", "--repo", tmp_path)
    assert result.code == 2 and "not a git repository" in result.err
    repo = make_minitree_repo(tmp_path)
    result = cli("apply", "1", "--repo", repo.working_dir, "--base", "nope")
    assert result.code == 2 and result.err.count("\n") == 1
