"""The flag model's checks for real bug classes, one module per check id.

Each module has one public entry point ``run(views, report, repo)`` over the whole revision (the
patch views in order, the report to add findings to, the base tree or None). The engine calls
``run_all()``; a check that fails on odd input is reported as one ``unverified`` finding and the
others still run.

A check listed in ``PER_VIEW`` reads each patch view on its own (nothing from the rest of the
series): its findings on a view are kept on the view (``PatchView.memo``) and replayed when the
same view is checked again (the fix-up compare mode checks the unchanged patches twice).
Without a tree, what all the checks add is kept on disk by a content hash of the views and the
engine's code (``outcome_cache``) and replayed by a later check of the same views.
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.flagmodel.findings import UNVERIFIED, CheckReport, Finding, Severity

if TYPE_CHECKING:
    from reviewer.flagmodel.patch_view import PatchView

# check id -> module (reviewer.flagmodel.checks.<module>), in the order they run
REGISTRY: dict[str, str] = {
    "config-gated": "config_gated",
    "ifdef-twin": "ifdef_twin",
    "bool-param": "bool_param",
    "dup-drift": "dup_drift",
    "high-bit": "high_bit",
    "kconfig": "kconfig",
    "dead-local": "dead_local",
    "lock-semantics": "lock_semantics",
    "name-flag": "name_flag",
    "inverted-guard": "inverted_guard",
    "uninit-words": "uninit_words",
    "write-once": "write_once",
}


# checks whose findings on a view depend on that view (and the tree) alone
PER_VIEW = frozenset({"bool-param", "dead-local", "ifdef-twin", "uninit-words", "write-once"})


def run_all(views: list[PatchView], report: CheckReport, repo: Path | None) -> None:
    """Every registered check. Without a tree, what they add is a function of the views and
    the engine's code alone: it is kept on disk by their content hash (outcome_cache) and a
    later check of the same views replays it."""
    if repo is not None:
        for check_id, module in REGISTRY.items():
            run_one(check_id, module, views, report, repo)
        return
    from reviewer.flagmodel import outcome_cache

    cache = outcome_cache.cache_dir()
    key = outcome_cache.key("checks", views, repr(sorted(REGISTRY.items())))
    kept = outcome_cache.load(cache, key)
    if kept is not None:
        kept.replay(report)
        return
    recorder = outcome_cache.Recorder()
    for check_id, module in REGISTRY.items():
        run_one(check_id, module, views, recorder, repo)
    recorder.outcome.replay(report)
    if not recorder.unverified:  # a check that failed is tried again next time
        outcome_cache.store(cache, key, recorder.outcome)


def run_one(
    check_id: str, module: str, views: list[PatchView], report: CheckReport, repo: Path | None
) -> None:
    mod = importlib.import_module(f"reviewer.flagmodel.checks.{module}")
    try:
        if check_id in PER_VIEW:
            _run_per_view(check_id, mod, views, report, repo)
        else:
            mod.run(views, report, repo)
    except Exception as exc:  # noqa: BLE001 - one check failing must not lose the report
        report.unverified += 1
        report.add(
            Finding(
                Severity.INFO,
                UNVERIFIED,
                0,
                "",
                0,
                f"check {check_id} could not run on this series: {type(exc).__name__}: {exc}",
            )
        )


def _copy(f: Finding) -> Finding:
    return replace(f, copies=[dict(c) for c in f.copies], fixups=list(f.fixups))


def _run_per_view(
    check_id: str, mod, views: list[PatchView], report: CheckReport, repo: Path | None
) -> None:
    """mod.run() view by view, each view's findings kept on the view; the same findings are
    added to the report in the same order as one run over all views adds them (a failure on a
    view keeps what that view added before it, as the whole run would)."""
    key = f"check {check_id} {repo or ''}"
    for view in views:
        kept = view.memo.get(key)
        if kept is None:
            scratch = CheckReport()
            try:
                mod.run([view], scratch, repo)
            finally:
                for f in scratch.findings:
                    report.add(_copy(f))
            view.memo[key] = [_copy(f) for f in scratch.findings]
            continue
        for f in kept:
            report.add(_copy(f))
