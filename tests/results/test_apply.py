"""Apply and posted-vs-applied results stored by content hash: reused while the patches, the base
(or branch tip) and the tool are unchanged, run again when one of them changed."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from reviewer.apply.am import FAILED, ApplyResult, apply_revision
from reviewer.apply.verify import VerifyResult, verify_applied
from reviewer.results import apply as apply_results
from reviewer.results.apply import APPLY, content_hash, latest_apply, latest_verify
from reviewer.store.core import Store
from tests.helpers_minitree import (
    BASE_SHA,
    make_applied_branch,
    make_minitree_repo,
    synthetic_mbox,
    synthetic_revisions,
)


@pytest.fixture
def db_path(any_db):
    """Every test here runs on SQLite and on PostgreSQL (tests/fixtures_postgres.py)."""
    return any_db


@pytest.fixture(scope="module")
def synth():
    return synthetic_revisions()


def _must_not_run(*_args, **_kwargs):
    raise AssertionError("the work ran again although nothing changed")


def _counting(monkeypatch, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(apply_results, name)

    def wrapper(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(apply_results, name, wrapper)
    return calls


def _commit_on_master(repo) -> str:
    path = Path(repo.working_dir) / "NOTES"
    path.write_text("unrelated\n")
    repo.git.add("NOTES")
    repo.git.commit("-qm", "notes: an unrelated commit")
    return repo.head.commit.hexsha


def test_apply_result_round_trips_with_failures(tmp_path, synth):
    repo = make_minitree_repo(tmp_path)
    mem = Path(repo.working_dir) / "drivers/char/mem.c"
    mem.write_text(mem.read_text().replace("\tif (desc->vm_flags & VM_SHARED)\n", "\tif (1)\n"))
    repo.git.commit("-qam", "mem: always shared")
    result = apply_revision(repo.working_dir, synth["v1"], base="HEAD")
    assert result.patches[3].status == FAILED and result.patches[3].failures
    again = ApplyResult.from_json(json.loads(json.dumps(result.to_json())))
    assert again == result and again.ok is False


def test_verify_result_round_trips_with_diffs(tmp_path, synth):
    repo = make_minitree_repo(tmp_path)
    make_applied_branch(repo, tmp_path)
    result = verify_applied(repo.working_dir, synth["v2"], "mm-stable")
    assert any(p.diffs for p in result.patches) and any(p.message_diff for p in result.patches)
    assert VerifyResult.from_json(json.loads(json.dumps(result.to_json()))) == result


def test_second_apply_reuses_the_stored_result(cli, db_path, tmp_path, monkeypatch):
    assert cli("track", "--offline", synthetic_mbox("v1-thread")).code == 0
    repo = make_minitree_repo(tmp_path)
    first = cli("apply", "1", "--repo", repo.working_dir, "--json")
    assert first.code == 0, first.err
    ref = json.loads(first.out)["ref"]
    repo.git.update_ref("-d", ref)  # a reused result puts its ref back

    monkeypatch.setattr(apply_results, "apply_on", _must_not_run)
    second = cli("apply", "1", "--repo", repo.working_dir, "--json")
    assert second.code == 0, second.err
    assert json.loads(second.out) == json.loads(first.out)
    assert repo.commit(ref).hexsha == json.loads(first.out)["tip"]
    assert repo.head.ref.name == "master" and repo.head.commit.hexsha == BASE_SHA
    store = Store.open(db_path)
    stored = latest_apply(store, store.load_series(1).latest.message_id)
    assert stored.to_json() == json.loads(first.out)


def test_a_new_commit_on_the_base_ref_changes_the_key(cli, tmp_path, monkeypatch, synth):
    assert cli("track", "--offline", synthetic_mbox("v1-thread")).code == 0
    repo = make_minitree_repo(tmp_path)
    calls = _counting(monkeypatch, "apply_on")
    args = ("apply", "1", "--repo", repo.working_dir, "--base", "master", "--json")
    assert json.loads(cli(*args).out)["base"] == BASE_SHA
    cli(*args)
    assert len(calls) == 1
    new_base = _commit_on_master(repo)
    assert content_hash(APPLY, synth["v1"], new_base) != content_hash(APPLY, synth["v1"], BASE_SHA)
    result = cli(*args)
    assert json.loads(result.out)["base"] == new_base and len(calls) == 2


def test_a_stored_apply_is_not_reused_in_a_repo_without_its_commits(cli, tmp_path, monkeypatch):
    assert cli("track", "--offline", synthetic_mbox("v1-thread")).code == 0
    calls = _counting(monkeypatch, "apply_on")
    first = make_minitree_repo(tmp_path / "a")
    other = make_minitree_repo(tmp_path / "b")  # same base sha, none of first's applied commits
    assert cli("apply", "1", "--repo", first.working_dir).code == 0
    result = cli("apply", "1", "--repo", other.working_dir, "--json")
    assert result.code == 0 and len(calls) == 2
    assert other.commit(json.loads(result.out)["ref"]).hexsha == json.loads(result.out)["tip"]


def test_changed_patches_change_the_key(synth):
    v1 = synth["v1"]
    edited = dataclasses.replace(v1, patches=list(v1.patches))
    edited.patches[0] = dataclasses.replace(v1.patches[0], commit_message="other words\n")
    assert content_hash(APPLY, edited, BASE_SHA) != content_hash(APPLY, v1, BASE_SHA)


def test_verify_reused_until_the_branch_moves(cli, db_path, tmp_path, monkeypatch):
    assert cli("track", "--offline", synthetic_mbox("v2-thread")).code == 0
    repo = make_minitree_repo(tmp_path)
    make_applied_branch(repo, tmp_path)
    args = ("verify-applied", "1", "--repo", repo.working_dir, "--branch", "mm-stable", "--json")
    first = cli(*args)
    assert first.code == 1, first.err  # not all identical
    calls = _counting(monkeypatch, "verify_at")
    assert json.loads(cli(*args).out) == json.loads(first.out) and calls == []

    repo.git.branch("landed", "mm-stable")  # the same tip under another name: reused, renamed
    renamed = json.loads(cli(*args[:-2], "landed", "--json").out)
    assert renamed["branch"] == "landed" and calls == []

    repo.git.checkout("-q", "mm-stable")
    _commit_on_master(repo)  # (on mm-stable: moves its tip)
    repo.git.checkout("-q", "master")
    cli(*args)
    assert len(calls) == 1
    store = Store.open(db_path)
    newest = latest_verify(store, store.load_series(1).latest.message_id)
    assert newest.branch == "mm-stable"


def test_review_reuses_stored_apply_and_verify(cli, tmp_path, monkeypatch):
    repo = make_minitree_repo(tmp_path)
    make_applied_branch(repo, tmp_path)
    args = ("review", "--offline", synthetic_mbox("v2-thread"), "--repo", repo.working_dir,
            "--branch", "mm-stable", "--json")  # fmt: skip
    first = cli(*args)
    assert first.code == 0, first.err
    monkeypatch.setattr(apply_results, "apply_on", _must_not_run)
    monkeypatch.setattr(apply_results, "verify_at", _must_not_run)
    second = cli(*args)
    assert second.code == 0, second.err
    (a,), (b,) = json.loads(first.out)["series"], json.loads(second.out)["series"]
    assert a["apply"] == b["apply"] and a["applied"] == b["applied"]
    assert [p["status"] for p in b["apply"]["patches"]] == ["applied"] * 4


def test_only_the_newest_results_of_a_revision_are_kept(db_path, synth):
    from reviewer.results.apply import KEEP, Outcome, save_outcome

    store = Store.open(db_path)
    revision = synth["v1"]
    for n in range(KEEP + 2):
        result = ApplyResult(revision.label, f"base{n}", "--base", "refs/x", f"tip{n}", [])
        save_outcome(
            store, revision, Outcome(APPLY, f"key-{n}", f"base{n}", "/repo", result, False)
        )
    kept = store.conn.execute(
        "SELECT content_hash FROM repo_results WHERE revision_message_id = ? AND kind = ?",
        (revision.message_id, APPLY),
    ).fetchall()
    assert sorted(k for (k,) in kept) == sorted(f"key-{n}" for n in range(2, KEEP + 2))
    assert latest_apply(store, revision.message_id).base == f"base{KEEP + 1}"
