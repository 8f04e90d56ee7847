import json

import pytest

from tests.helpers_minitree import make_minitree_repo, synthetic_mbox

THREADS = ("v1-thread", "v1-resend-thread", "v2-thread", "v3-rebased-thread")


@pytest.fixture
def synth(cli):
    result = cli("track", "--offline", *(synthetic_mbox(n) for n in THREADS))
    assert result.code == 0, result.err
    return cli


def test_default_compares_latest_with_previous(synth):
    result = synth("compare", "1", "--json")
    data = json.loads(result.out)
    assert (data["from"], data["to"], data["verdict"]) == ("v2", "v3", "rebase-only")


def test_resend_by_label_and_number(synth):
    data = json.loads(synth("compare", "1", "--from", "v1", "--to", "v1-RESEND", "--json").out)
    assert data["verdict"] == "RESEND of v1: identical"
    text = synth("compare", "1", "--from", "v1-RESEND", "--to", "2").out
    assert text.startswith("v1-RESEND -> v2: CHANGED in patch 2 of v2")
    assert "stale: Reviewed-by: Vlastimil Example <vbabka@example.org>" in text


def test_real_resend_verdict(tracked):
    data = json.loads(tracked("compare", "1", "--from", "v1", "--to", "v1-RESEND", "--json").out)
    assert data["verdict"] == "RESEND of v1: CHANGED in patch 11 of v1-RESEND"
    assert [p["classification"] for p in data["patches"]].count("rebase-only") == 10


def test_range_diff_with_repo(synth, tmp_path):
    repo = make_minitree_repo(tmp_path)
    result = synth("compare", "1", "--from", "v2", "--to", "v3", "--repo", repo.working_dir)
    assert result.code == 0, result.err
    assert "git range-diff:" in result.out
    assert "- \treturn -ENOSYS;" in result.out and "+ \treturn -ENODEV;" in result.out
    assert "1:  " in result.out and " = 1:  " in result.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "v9"], "has no revision 'v9'"),
        (["--from", "v2", "--to", "v2"], "--from and --to are both v2"),
        (["--to", "v1"], "v1 is the first revision"),
    ],
)
def test_bad_revision_one_line(synth, args, message):
    result = synth("compare", "1", *args)
    assert result.code == 2
    assert result.err.count("\n") == 1 and message in result.err
