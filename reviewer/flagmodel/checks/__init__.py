"""The flag model's checks for real bug classes, one module per check id.

Each module has one public entry point ``run(views, report, repo)`` over the whole revision (the
patch views in order, the report to add findings to, the base tree or None). The engine calls
``run_all()``; a check that fails on odd input is reported as one ``unverified`` finding and the
others still run.
"""

from __future__ import annotations

import importlib
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


def run_all(views: list[PatchView], report: CheckReport, repo: Path | None) -> None:
    for check_id, module in REGISTRY.items():
        run_one(check_id, module, views, report, repo)


def run_one(
    check_id: str, module: str, views: list[PatchView], report: CheckReport, repo: Path | None
) -> None:
    mod = importlib.import_module(f"reviewer.flagmodel.checks.{module}")
    try:
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
