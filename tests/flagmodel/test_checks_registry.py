"""The checks registry: every check id is one module with one entry point; one failing check
becomes an unverified finding and the others still report."""

from __future__ import annotations

import importlib
import sys
import types

from reviewer.flagmodel import checks
from reviewer.flagmodel.findings import CheckReport
from reviewer.flagmodel.patch_view import view_of
from tests.flagmodel import march


def test_each_check_is_a_module_with_run():
    for module in checks.REGISTRY.values():
        mod = importlib.import_module(f"reviewer.flagmodel.checks.{module}")
        public = [
            n
            for n, v in vars(mod).items()
            if callable(v)
            and not n.startswith("_")
            and getattr(v, "__module__", "") == mod.__name__
        ]
        assert public == ["run"], (module, public)


def test_failing_check_does_not_lose_the_others(monkeypatch):
    broken = types.ModuleType("reviewer.flagmodel.checks.broken")

    def run(views, report, repo):
        raise KeyError("boom")

    broken.run = run
    monkeypatch.setitem(sys.modules, "reviewer.flagmodel.checks.broken", broken)
    monkeypatch.setattr(checks, "REGISTRY", {"broken": "broken", **checks.REGISTRY})
    report = CheckReport()
    checks.run_all([view_of(p) for p in march.revision("v2")], report, None)
    unverified = [f for f in report.findings if f.check == "unverified"]
    assert len(unverified) == 1 and "broken" in unverified[0].message
    assert any(f.check == "dead-local" for f in report.findings)
