"""The helper harness' outcome kept by a content hash of its inputs (harness_outcome): a
check of the same series replays it without collecting, vetting, building or running
anything; any change of an input runs the harness again (the allowlist included); only
outcomes whose runs the build cache would keep are stored."""

from __future__ import annotations

import dataclasses

import pytest

from reviewer.flagmodel import harness_outcome, helper_harness, sandbox
from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.findings import CheckReport, Finding, Severity
from tests.flagmodel.hostile_helpers import with_body

pytestmark = pytest.mark.skipif(
    sandbox.gcc() is None,
    reason="system package missing: gcc (install: .ci/install-system-deps.sh)",
)


def _outcomes(tmp_path):
    return sorted(tmp_path.glob("flagmodel/outcome-*.json"))


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
        assert harness_outcome.load(path.parent, path.stem[len("outcome-") :]) is not None


def test_an_outcome_made_with_another_m32_answer_is_not_used(v2_patches, monkeypatch, tmp_path):
    monkeypatch.setenv("REVIEWER_CACHE", str(tmp_path))
    monkeypatch.setattr(sandbox, "can_compile", lambda flag: False)
    check_revision(v2_patches[:5])
    (path,) = _outcomes(tmp_path)
    assert harness_outcome.load(path.parent, path.stem[len("outcome-") :]).m32 is False
    monkeypatch.setattr(sandbox, "can_compile", lambda flag: True)
    ran: list[int] = []
    real = helper_harness._run
    monkeypatch.setattr(helper_harness, "_run", lambda *a: ran.append(1) or real(*a))
    report = check_revision(v2_patches[:5])
    assert ran and not any("-m32 unavailable" in n for n in report.notes)


def _view_key(patches, **kw):
    from reviewer.flagmodel import defs
    from reviewer.flagmodel.patch_view import view_of

    args = {"state": "S2", "snapshot": defs.snapshot(), "tree": None, "compiler": sandbox.gcc()}
    return harness_outcome.key([view_of(p) for p in patches], **{**args, **kw})


def test_the_key_covers_every_input(v2_patches, monkeypatch):
    from reviewer.flagmodel import defs

    base = _view_key(v2_patches[:2])
    assert _view_key(v2_patches[:2]) == base
    p = v2_patches[1]
    line = next(ln for ln in p.diff.splitlines() if ln.startswith(" ") and ln.strip())
    context = dataclasses.replace(p, diff=p.diff.replace(line, line + " ", 1))
    renumbered = dataclasses.replace(p, index=p.index + 1)
    snap = dict(defs.snapshot())
    name = next(iter(snap))
    changed_snap = {**snap, name: snap[name][:-1]}
    others = [
        _view_key([v2_patches[0], context]),  # a context line's text
        _view_key([v2_patches[0], renumbered]),  # the patch index
        _view_key(v2_patches[:2], state="S1"),
        _view_key(v2_patches[:2], snapshot=changed_snap),
        _view_key(v2_patches[:2], tree={}),  # --repo given
        _view_key(v2_patches[:1]),
    ]
    harness_outcome.engine_fingerprint.cache_clear()
    monkeypatch.setattr(harness_outcome, "engine_fingerprint", lambda: "other engine")
    others.append(_view_key(v2_patches[:2]))
    assert len({base, *others}) == len(others) + 1


def test_replay_deduplicates_through_the_report():
    f = Finding(Severity.INFO, "unverified", 1, "a.h", 3, "helper x() not compiled: y")
    out = harness_outcome.Outcome()
    out.note("n")
    out.add_unverified(f)
    out.count("verified", 4)
    kept = harness_outcome.Outcome.from_json(out.to_json())
    fresh, holding = CheckReport(), CheckReport(findings=[dataclasses.replace(f)])
    kept.replay(fresh)
    kept.replay(holding)
    assert (fresh.unverified, fresh.verified, fresh.notes) == (1, 4, ["n"])
    assert (holding.unverified, len(holding.findings)) == (0, 1)
    assert fresh.findings == [f] and fresh.findings[0] is not kept.ops[1][1]
