"""Mutation suite of the March 2026 series (the real bug classes of issue 10).

Mutants are made from the merged revision (v4) of "mm/vma: convert vm_flags_t to vma_flags_t in
vma code" (reviewer.flagmodel.mutations.march_mutants): one per class and added line where the
class applies -- wrong bit, dropped bit, ANY<->ALL, set<->clear, negation, dead-local subject,
one-sided #ifdef twin, unguarded high bit in a macro, Kconfig typo, inverted guard. A mutant is
caught when the check of its patch (in the series: the other patches teach the model their
definitions, as in a check of the whole series; no helper harness) has an error or warning at
the mutated line that the unmutated patch does not have. Prints the catch rate per class and
overall, and which check caught each (engine = equivalence/type/behaviour-change, else the
checks/ module).

Usage: python bench/march_mutation_suite.py [--corpus DIR] [--revision v4] [--json] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewer.flagmodel.check import check_revision  # noqa: E402
from reviewer.flagmodel.mutations import MARCH_CLASSES, march_mutants  # noqa: E402
from reviewer.series.parse import parse_messages  # noqa: E402
from reviewer.sources.mail import load_source  # noqa: E402

CORPUS = ROOT / "samples" / "threads" / "march"
ENGINE = {"equivalence", "type", "behaviour-change", "locking", "unverified"}


def load(path: Path):
    loaded = load_source(str(path), offline=True)
    return parse_messages([m.msg for m in loaded.messages]).revisions[-1].patches


def at_line(report, path: str, line: int) -> set[tuple[str, str, str]]:
    return {
        (f.check, f.severity, f.message)
        for f in report.findings
        if f.file == path and f.line == line and f.severity in ("error", "warning")
    }


def in_series(patches, index: int, patch):
    """Check `patch` as patch `index` of its series: the other patches only teach the model
    their definitions (what `reviewer check` of the whole series knows there)."""
    series = [*patches[: index - 1], patch, *patches[index:]]
    return check_revision(series, helpers=False, focus={index})


def _judge(revision, patches, mutant, base, total, caught, noisy, by_check, misses) -> None:
    index = mutant.patch_index
    if (revision, index) not in base:
        base[(revision, index)] = in_series(patches, index, patches[index - 1])
    ref = at_line(base[(revision, index)], mutant.file, mutant.line)
    got = at_line(in_series(patches, index, mutant.patch), mutant.file, mutant.line)
    new = got - ref
    total[mutant.kind] += 1
    if new:
        caught[mutant.kind] += 1
        noisy[mutant.kind] += bool(ref)
        checks = {c for c, _, _ in new}
        mine = sorted(checks - ENGINE)
        by_check[mutant.kind][",".join(mine) if mine else "engine"] += 1
    else:
        misses[mutant.kind].append(
            f"{revision} patch {index} {mutant.file}:{mutant.line}: {mutant.mutated.strip()[:90]}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument(
        "--revision",
        default="v4",
        help="revision(s), comma-separated (v2,v3,v4); duplicates skipped",
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--limit", type=int, default=0, help="at most N mutants per class")
    args = parser.parse_args()
    start = time.perf_counter()
    base: dict[int, object] = {}
    total: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    by_check: dict[str, Counter[str]] = defaultdict(Counter)
    misses: dict[str, list[str]] = defaultdict(list)
    noisy: Counter[str] = Counter()  # caught, but the original line already had a finding
    seen: set[tuple[str, str, str]] = set()
    for revision in args.revision.split(","):
        patches = load(Path(args.corpus) / f"{revision}-thread.mbox")
        for mutant in march_mutants(patches):
            key = (mutant.file, str(mutant.line), mutant.mutated)
            if key in seen or (args.limit and total[mutant.kind] >= args.limit):
                continue
            seen.add(key)
            _judge(revision, patches, mutant, base, total, caught, noisy, by_check, misses)
    n, k = sum(total.values()), sum(caught.values())
    result = {
        "revision": args.revision,
        "mutants": n,
        "caught": k,
        "catch_rate": round(100.0 * k / n, 1) if n else 0.0,
        "by_class": {
            c: {
                "mutants": total[c],
                "caught": caught[c],
                "rate": round(100.0 * caught[c] / total[c], 1) if total[c] else None,
                "caught_by": dict(by_check[c]),
                "caught_where_original_had_a_finding": noisy[c],
            }
            for c in MARCH_CLASSES
        },
        "misses": {c: misses[c] for c in MARCH_CLASSES if misses[c]},
        "seconds": round(time.perf_counter() - start, 1),
    }
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
        return 0
    print(
        f"March 2026 {args.revision}: {n} mutants, {k} caught, catch rate {result['catch_rate']}%"
    )
    for c in MARCH_CLASSES:
        row = result["by_class"][c]
        rate = "-" if row["rate"] is None else f"{row['rate']}%"
        by = ", ".join(f"{name} {cnt}" for name, cnt in sorted(row["caught_by"].items()))
        noise = row["caught_where_original_had_a_finding"]
        extra = f" ({noise} on lines the original already flagged)" if noise else ""
        print(f"  {c:16} {row['caught']:4}/{row['mutants']:<4} {rate:>7}   caught by: {by}{extra}")
    for c, lines in result["misses"].items():
        for line in lines[:3]:
            print(f"  miss {c}: {line}")
    print(f"time: {result['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
