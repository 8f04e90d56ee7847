"""Where the CPU of a flag-model check goes: compare_configs (the equivalence search and the
interpreter) against everything around it, step by step.

Usage: python bench/check_split.py [--march REV | --mbox PATH] [--runs N]

Runs check_with_fixups() as `reviewer check` does (fix-up compare mode), in this process: the
first check of the process (lazy imports, the API snapshot and every per-content memo cold,
as in a new `reviewer check` process) and then N checks after clear_memos(). Each step's CPU
is measured by wrapping its function (steps nest: "conversions (outside compare)" is the block
loop of check.py without compare_configs; a check module's `run` is one line each). The
harness cache is the environment's (warm it with one run first). The machine is shared:
compare two checkouts side by side (bench/ab_speed.py) rather than figures of different days.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import time

from series_input import add_series_args, latest_patches, series_mbox  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_series_args(parser)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    args.mbox = series_mbox(args)

    patches = latest_patches(args.mbox)

    t = time.process_time()
    from reviewer.flagmodel import check, checks, conversion_reuse, helper_harness
    from reviewer.flagmodel.fixup_check import check_with_fixups

    imports = time.process_time() - t
    cpu: dict[str, float] = {}

    def wrap(module, name: str, label: str) -> None:
        real = getattr(module, name)

        def timed(*a, **k):
            start = time.process_time()
            try:
                return real(*a, **k)
            finally:
                cpu[label] = cpu.get(label, 0.0) + time.process_time() - start

        setattr(module, name, timed)

    wrap(check, "compare_configs", "compare_configs")
    wrap(check, "check_conversions", "conversions (with compare)")
    wrap(check, "models_for", "models_for")
    wrap(check, "view_of", "patch views")
    wrap(conversion_reuse, "view_of", "patch views")
    wrap(check, "shown_definitions", "context definitions")
    wrap(check, "pre_series_names", "pre-series names")
    wrap(helper_harness, "check_helpers", "helper harness")
    for module in checks.REGISTRY.values():
        wrap(importlib.import_module(f"reviewer.flagmodel.checks.{module}"), "run", f"  {module}")
    wrap(checks, "run_all", "checks (all)")

    rows: list[dict[str, float]] = []
    for i in range(args.runs + 1):
        if i:
            check.clear_memos()
        cpu.clear()
        start = time.process_time()
        check_with_fixups(patches)
        cpu["TOTAL"] = time.process_time() - start
        cpu["conversions (outside compare)"] = (
            cpu["conversions (with compare)"] - cpu["compare_configs"]
        )
        cpu["outside compare_configs"] = cpu["TOTAL"] - cpu["compare_configs"]
        rows.append(dict(cpu))

    print(f"series: {args.mbox} ({len(patches)} patches); flag-model imports {imports:.2f} s")
    print(f"CPU seconds: first check of the process, then median of {args.runs} after clear_memos")
    order = ["TOTAL", "compare_configs", "outside compare_configs"]
    order += ["conversions (outside compare)", "patch views", "models_for"]
    order += ["context definitions", "pre-series names", "helper harness", "checks (all)"]
    order += sorted(k for k in rows[0] if k.startswith("  "))
    for label in order:
        warm = statistics.median(r.get(label, 0.0) for r in rows[1:]) if args.runs else 0.0
        print(f"  {label:32s} {rows[0].get(label, 0.0):7.3f} {warm:7.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
