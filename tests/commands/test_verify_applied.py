import json

from tests.helpers_minitree import make_applied_branch, make_minitree_repo, synthetic_mbox


def test_verify_applied_json(cli, tmp_path):
    assert cli("track", "--offline", synthetic_mbox("v2-thread")).code == 0
    repo = make_minitree_repo(tmp_path)
    make_applied_branch(repo, tmp_path)
    result = cli(
        "verify-applied", "1", "--repo", repo.working_dir, "--branch", "mm-stable", "--json"
    )
    assert result.code == 1  # not everything is identical
    patches = json.loads(result.out)["patches"]
    assert [(p["index"], p["status"], p["files"]) for p in patches] == [
        (1, "code-differs", ["tools/testing/vma/vma_internal.h"]),
        (2, "message-or-trailers-edited", []),
        (3, "code-differs", ["mm/secretmem.c"]),
        (4, "code-differs", ["fs/aio.c"]),
    ]
    text = cli("verify-applied", "1", "--repo", repo.working_dir, "--branch", "mm-stable").out
    assert "files: mm/secretmem.c" in text


def test_verify_applied_unknown_branch(cli, tmp_path):
    assert cli("track", "--offline", synthetic_mbox("v2-thread")).code == 0
    repo = make_minitree_repo(tmp_path)
    result = cli("verify-applied", "1", "--repo", repo.working_dir, "--branch", "nope")
    assert result.code == 2 and "nope: no such commit" in result.err
