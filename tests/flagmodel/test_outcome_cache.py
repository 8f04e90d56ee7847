"""The helper harness' outcome kept by a content hash of its inputs (outcome_cache): a
check of the same series replays it without collecting, vetting, building or running
anything; any change of an input runs the harness again (the allowlist included); only
outcomes whose runs the build cache would keep are stored."""

from __future__ import annotations

import dataclasses
import json

import pytest

from reviewer.flagmodel import helper_harness, outcome_cache, sandbox
from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.findings import CheckReport, Finding, Severity
from tests.flagmodel.hostile_helpers import with_body

pytestmark = pytest.mark.skipif(
    sandbox.gcc() is None,
    reason="system package missing: gcc (install: .ci/install-system-deps.sh)",
)


@pytest.fixture(autouse=True)
def _in_this_process(monkeypatch):
    """The spies below see calls made in this process: no check workers."""
    monkeypatch.setenv("REVIEWER_JOBS", "1")


def _outcomes(tmp_path, step="helper-harness"):
    return sorted(tmp_path.glob(f"flagmodel/outcome-{step}-*.json"))


def _no_harness(monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("the harness ran on a stored outcome")

    monkeypatch.setattr(helper_harness, "collect", refuse)
    monkeypatch.setattr(sandbox, "compile_and_run_many", refuse)


def test_a_second_check_replays_the_outcome(v2_patches, monkeypatch, tmp_path):
    monkeypatch.setenv("REVIEWER_CACHE", str(tmp_path))
    first = check_revision(v2_patches[:5])
    assert len(_outcomes(tmp_path)) == 1
    assert first.verified > 0
    with monkeypatch.context() as m:
        _no_harness(m)
        second = check_revision(v2_patches[:5])
    assert second.to_json() == first.to_json()
    assert all(isinstance(f.severity, Severity) for f in second.findings)


def test_a_changed_line_runs_the_harness_and_the_allowlist_again(v2_patches, monkeypatch, tmp_path):
    """An outcome stored for a clean helper is never used for a hostile body: the key covers
    every hunk line, so the changed definition is vetted (and refused) again."""
    monkeypatch.setenv("REVIEWER_CACHE", str(tmp_path))
    check_revision(v2_patches[:5])
    sources: list[str] = []
    real = sandbox.compile_and_run_many

    def spy(jobs):
        sources.extend(src for src, _flags in jobs)
        return real(jobs)

    monkeypatch.setattr(sandbox, "compile_and_run_many", spy)
    hostile = with_body(v2_patches, 'system("id"); return 0;')
    report = check_revision(hostile)
    refused = [f.message for f in report.findings if " not compiled: " in f.message]
    assert any("vma_flags_test_mask()" in m and "system" in m for m in refused)
    assert sources and not any("system(" in s for s in sources)
    assert len(_outcomes(tmp_path)) == 2
    # and the stored refusal is what a replay reports
    with monkeypatch.context() as m:
        _no_harness(m)
        again = check_revision(hostile)
    assert again.to_json() == report.to_json()


def test_a_run_cut_short_is_not_kept(v2_patches, monkeypatch, tmp_path):
    monkeypatch.setenv("REVIEWER_CACHE", str(tmp_path))

    def timed_out(jobs):
        return [sandbox.RunResult(False, "", "harness timed out (over 5 s wall clock)")] * len(jobs)

    monkeypatch.setattr(sandbox, "compile_and_run_many", timed_out)
    report = check_revision(v2_patches[:5])
    assert any("timed out" in f.message for f in report.findings)
    assert _outcomes(tmp_path) == []


def test_an_unreadable_outcome_is_a_miss(v2_patches, monkeypatch, tmp_path):
    monkeypatch.setenv("REVIEWER_CACHE", str(tmp_path))
    first = check_revision(v2_patches[:5])
    (path,) = _outcomes(tmp_path)
    for junk in ("{not json", '{"format": "harness-outcome-1", "m32": null, "ops": [["x", 1]]}'):
        path.write_text(junk)
        assert check_revision(v2_patches[:5]).to_json() == first.to_json()
        assert outcome_cache.load(path.parent, path.stem[len("outcome-") :]) is not None


def test_an_outcome_made_with_another_m32_answer_is_not_used(v2_patches, monkeypatch, tmp_path):
    monkeypatch.setenv("REVIEWER_CACHE", str(tmp_path))
    monkeypatch.setattr(sandbox, "can_compile", lambda flag: False)
    check_revision(v2_patches[:5])
    (path,) = _outcomes(tmp_path)
    assert outcome_cache.load(path.parent, path.stem[len("outcome-") :]).m32 is False
    monkeypatch.setattr(sandbox, "can_compile", lambda flag: True)
    ran: list[int] = []
    real = helper_harness._run
    monkeypatch.setattr(helper_harness, "_run", lambda *a: ran.append(1) or real(*a))
    report = check_revision(v2_patches[:5])
    assert ran and not any("-m32 unavailable" in n for n in report.notes)


def _key(patches, state="S2", repo=None):
    from reviewer.flagmodel.patch_view import view_of

    return helper_harness.outcome_key([view_of(p) for p in patches], state, repo)


def test_the_key_covers_every_input(v2_patches, monkeypatch, tmp_path):
    from reviewer.flagmodel import checks, defs

    base = _key(v2_patches[:2])
    assert _key(v2_patches[:2]) == base
    p = v2_patches[1]
    line = next(ln for ln in p.diff.splitlines() if ln.startswith(" ") and ln.strip())
    context = dataclasses.replace(p, diff=p.diff.replace(line, line + " ", 1))
    renumbered = dataclasses.replace(p, index=p.index + 1)
    others = [
        _key([v2_patches[0], context]),  # a context line's text
        _key([v2_patches[0], renumbered]),  # the patch index
        _key(v2_patches[:2], state="S1"),
        _key(v2_patches[:1]),
    ]
    with monkeypatch.context() as m:  # --repo given: its definitions as read
        m.setattr(defs, "from_tree", lambda repo: {})
        others.append(_key(v2_patches[:2], repo=tmp_path))
    snap = dict(defs.snapshot())
    name = next(iter(snap))
    with monkeypatch.context() as m:  # the snapshot's definitions as read
        m.setattr(defs, "snapshot", lambda: {**snap, name: snap[name][:-1]})
        others.append(_key(v2_patches[:2]))
    with monkeypatch.context() as m:
        m.setattr(outcome_cache, "engine_fingerprint", lambda: "other engine")
        others.append(_key(v2_patches[:2]))
    from reviewer.flagmodel.patch_view import view_of

    views = [view_of(x) for x in v2_patches[:2]]
    others.append(outcome_cache.key("checks", views, repr(sorted(checks.REGISTRY.items()))))
    assert len({base, *others}) == len(others) + 1


def test_replay_deduplicates_through_the_report():
    f = Finding(Severity.INFO, "unverified", 1, "a.h", 3, "helper x() not compiled: y")
    out = outcome_cache.Outcome()
    out.note("n")
    out.add_unverified(f)
    out.count("verified", 4)
    kept = outcome_cache.Outcome.from_json(out.to_json())
    fresh, holding = CheckReport(), CheckReport(findings=[dataclasses.replace(f)])
    kept.replay(fresh)
    kept.replay(holding)
    assert (fresh.unverified, fresh.verified, fresh.notes) == (1, 4, ["n"])
    assert (holding.unverified, len(holding.findings)) == (0, 1)
    assert fresh.findings == [f] and fresh.findings[0] is not kept.ops[1][1]


def _checks_run(views, repo=None) -> CheckReport:
    from reviewer.flagmodel import checks

    report = CheckReport()
    checks.run_all(views, report, repo)
    return report


def test_the_checks_outcome_is_replayed_without_running_a_check(monkeypatch, tmp_path):
    from reviewer.flagmodel import checks
    from reviewer.flagmodel.patch_view import view_of
    from tests.flagmodel import march

    monkeypatch.setenv("REVIEWER_CACHE", str(tmp_path))
    views = [view_of(p) for p in march.revision("v2")[16:23]]
    first = _checks_run(views)
    assert first.findings and len(_outcomes(tmp_path, "checks")) == 1
    with monkeypatch.context() as m:
        m.setattr(checks, "run_one", lambda *a: (_ for _ in ()).throw(AssertionError("ran")))
        fresh_views = [view_of(p) for p in march.revision("v2")[16:23]]
        again = _checks_run(fresh_views)
        holding = CheckReport(findings=[dataclasses.replace(first.findings[0])])
        checks.run_all(fresh_views, holding, None)
    assert again.to_json() == first.to_json()
    assert len(holding.findings) == len(first.findings)  # deduplicated through report.add


def test_a_failing_check_or_a_tree_is_not_kept(monkeypatch, tmp_path):
    import sys
    import types

    from reviewer.flagmodel import checks
    from reviewer.flagmodel.patch_view import view_of
    from tests.flagmodel import march

    monkeypatch.setenv("REVIEWER_CACHE", str(tmp_path))
    views = [view_of(p) for p in march.revision("v2")[16:18]]
    _checks_run(views, repo=tmp_path)  # the tree is read live: never kept
    assert _outcomes(tmp_path, "checks") == []
    broken = types.ModuleType("reviewer.flagmodel.checks.broken")
    broken.run = lambda views, report, repo: (_ for _ in ()).throw(KeyError("boom"))
    monkeypatch.setitem(sys.modules, "reviewer.flagmodel.checks.broken", broken)
    monkeypatch.setattr(checks, "REGISTRY", {"broken": "broken", **checks.REGISTRY})
    report = _checks_run(views)
    assert report.unverified == 1 and _outcomes(tmp_path, "checks") == []


def test_a_finding_of_the_wrong_shape_is_a_miss(tmp_path):
    good = Finding(Severity.ERROR, "helper-def", 2, "include/linux/mm.h", 7, "f() does not match")
    out = outcome_cache.Outcome()
    out.add(good)
    data = out.to_json()
    (tmp_path / "outcome-k.json").write_text(json.dumps(data))
    assert outcome_cache.load(tmp_path, "k").ops[0][1] == good
    for field, bad in (("line", "7"), ("patch", True), ("copies", "x"), ("fixups", [1])):
        broken = json.loads(json.dumps(data))
        broken["ops"][0][1][field] = bad
        (tmp_path / "outcome-k.json").write_text(json.dumps(broken))
        assert outcome_cache.load(tmp_path, "k") is None, field


def test_a_views_digest_is_computed_once_per_view(v2_patches):
    from reviewer.flagmodel.patch_view import view_of

    views = [view_of(p) for p in v2_patches[:2]]
    first = outcome_cache.key("checks", views)
    assert all("outcome digest" in v.memo for v in views)
    views[0].memo["outcome digest"] = "kept"
    assert outcome_cache.key("checks", views) != first  # the kept digest is what is read
    assert outcome_cache.key("checks", [view_of(p) for p in v2_patches[:2]]) == first
