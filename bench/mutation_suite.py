"""Mutation suite: how many seeded conversion slips does the flag model catch?

Mutants are made from the real v2 series (samples/threads/v2-thread.mbox): every added line of a
conversion the checker verified as equivalent is mutated (swap a bit, drop a bit, ANY<->ALL,
add/drop a negation, set<->clear, VM_ mask where a bit is expected), and the helper definitions
the series adds are mutated (ANY as ALL, ALL as ANY, OR as AND-NOT, word-clear dropped or cut to
the first word). A mutant is killed when the check reports a new error-level finding.

Usage: python bench/mutation_suite.py [--mbox PATH] [--json]
       python bench/mutation_suite.py --march [march_mutation_suite.py options]
         (the March 2026 suite of the real bug classes: bench/march_mutation_suite.py)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewer.flagmodel.check import check_revision  # noqa: E402
from reviewer.flagmodel.mutations import conversion_mutants, helper_mutants  # noqa: E402
from reviewer.series.parse import parse_messages  # noqa: E402
from reviewer.sources.mail import load_source  # noqa: E402


def load(mbox: Path):
    loaded = load_source(str(mbox), offline=True)
    return parse_messages([m.msg for m in loaded.messages]).revisions[-1].patches


def errors(report, patch_index: int) -> set[tuple[str, str, int, str]]:
    return {
        (f.check, f.file, f.line, f.message)
        for f in report.findings
        if f.severity == "error" and f.patch == patch_index
    }


def main() -> int:
    if "--march" in sys.argv[1:]:
        sys.argv.remove("--march")
        sys.path.insert(0, str(ROOT / "bench"))
        import march_mutation_suite

        return march_mutation_suite.main()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mbox", default=str(ROOT / "samples/threads/v2-thread.mbox"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    patches = load(Path(args.mbox))
    start = time.perf_counter()
    base = check_revision(patches, helpers=False)
    base_full = check_revision(patches)
    originals = {(i, ln) for i, ln in base.verified_lines}
    original_errors = [
        f
        for f in base.findings
        if f.severity == "error"
        and any(f.patch == i for i, _ in originals)
        and f.check in ("equivalence", "type")
    ]
    by_kind: Counter[str] = Counter()
    killed_kind: Counter[str] = Counter()
    survivors = []
    refs: dict[int, set] = {}
    for mutant in conversion_mutants(patches, originals):
        # each mutated patch is checked on its own (its state is detected from its own text)
        index = mutant.patch_index
        if index not in refs:
            refs[index] = errors(check_revision([patches[index - 1]], helpers=False), index)
        ref = refs[index]
        got = errors(check_revision([mutant.patch], helpers=False), index)
        by_kind[mutant.kind] += 1
        if got - ref:
            killed_kind[mutant.kind] += 1
        else:
            survivors.append(mutant)
    for mutant in helper_mutants(patches):
        prefix = patches[: mutant.patch_index - 1] + [mutant.patch] + patches[mutant.patch_index :]
        got = {
            (f.check, f.file, f.message)
            for f in check_revision(prefix).findings
            if f.severity == "error" and f.check == "helper-def"
        }
        ref = {
            (f.check, f.file, f.message)
            for f in base_full.findings
            if f.severity == "error" and f.check == "helper-def"
        }
        kind = "helper:" + mutant.kind
        by_kind[kind] += 1
        if got - ref:
            killed_kind[kind] += 1
        else:
            survivors.append(mutant)
    total, killed = sum(by_kind.values()), sum(killed_kind.values())
    elapsed = time.perf_counter() - start
    result = {
        "originals": len(originals),
        "original_error_findings": len(original_errors),
        "mutants": total,
        "killed": killed,
        "kill_rate": round(100.0 * killed / total, 1) if total else 0.0,
        "by_kind": {k: {"mutants": by_kind[k], "killed": killed_kind[k]} for k in sorted(by_kind)},
        "survivors": [f"patch {m.patch_index} {m.kind}: {m.mutated[:100]}" for m in survivors],
        "seconds": round(elapsed, 1),
    }
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
    else:
        print(
            f"originals (verified conversion lines): {result['originals']}, error findings on "
            f"them: {result['original_error_findings']}"
        )
        print(f"mutants: {total}, killed: {killed}, kill rate: {result['kill_rate']}%")
        for kind in sorted(by_kind):
            print(f"  {kind:24} {killed_kind[kind]:4}/{by_kind[kind]:<4}")
        for line in result["survivors"]:
            print(f"  survivor: {line}")
        print(f"time: {result['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
