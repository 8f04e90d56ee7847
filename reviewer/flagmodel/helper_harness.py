"""Differential tests of the helper definitions a series adds or changes.

The definitions are taken from the patches' post-image, checked against an allowlist of
constructs and callees, compiled with gcc in a generated harness (shims for the kernel macros
and bitmap ops) for NUM_VMA_FLAG_BITS = 64 and 128 (and 32 with -m32 when available), run on
random vectors in a sandbox, and every result compared with the model."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.flagmodel import (
    defs as defs_layer,
)
from reviewer.flagmodel import (
    harness_allowlist,
    harness_cases,
    harness_program,
    harness_setting,
    outcome_cache,
    registry,
    sandbox,
    sandbox_jail,
    series_defs,
)
from reviewer.flagmodel.c_parse import Definition, parse, text_of, walk
from reviewer.flagmodel.findings import UNVERIFIED, CheckReport, Finding, Severity
from reviewer.flagmodel.harness_allowlist import Vetted
from reviewer.flagmodel.harness_cases import Case
from reviewer.flagmodel.harness_collect import Collected, Location, collect, group_of

if TYPE_CHECKING:
    from reviewer.flagmodel.patch_view import PatchView


@dataclass
class Group:
    """One copy of the helpers (kernel or tools) as of one patch, ready for the harness."""

    index: int
    name: str  # "kernel" | "tools"
    usable: dict[str, Vetted]
    tested: list[registry.Helper]
    by_value: set[str]
    definitions: dict[str, Definition]  # where each usable one was read (for findings)


def check_helpers(views: list[PatchView], report: CheckReport, repo: Path | None) -> None:
    if not harness_setting.enabled():
        report.notes.append(harness_setting.OFF_NOTE)
        return
    if sandbox.gcc() is None:
        report.notes.append("helper harness skipped: gcc not found (or unsupported machine)")
        return
    if not sandbox_jail.bwrap_works() and not sandbox_jail.unshare_works():
        report.notes.append(
            "helper harness: no namespaces available (bubblewrap/unshare); it ran without "
            "libc under seccomp strict mode and resource limits only"
        )
    state = report.final_state or "S2"
    cache = sandbox.cache_dir()
    k = outcome_key(views, state, repo)
    kept = outcome_cache.load(cache, k)
    if kept is not None and (kept.m32 is None or kept.m32 == sandbox.can_compile("-m32")):
        kept.replay(report)  # nothing is collected, vetted, built or run
        return
    out = outcome_cache.Outcome()
    storable = _run(views, out, repo, state)
    out.replay(report)
    if storable:
        outcome_cache.store(cache, k, out)


def outcome_key(views: list[PatchView], state: str, repo: Path | None) -> str:
    """What the harness' outcome depends on besides the views and the engine's code: the
    state, the definitions of the snapshot and the tree (--repo) as read, the compiler."""
    tree = defs_layer.from_tree(str(repo)) if repo is not None else None
    snap = outcome_cache.layer_hash(defs_layer.snapshot())
    from_repo = "tree " + outcome_cache.layer_hash(tree) if tree is not None else "no tree"
    compiler = outcome_cache.compiler_id(sandbox.gcc() or "")
    return outcome_cache.key("helper harness", views, state, snap, from_repo, compiler)


def _run(views: list[PatchView], out: outcome_cache.Outcome, repo: Path | None, state: str) -> bool:
    """The harness proper, its report operations written to `out`; True when its outcome may
    be kept (every run's result is one the build cache keeps: ran through or did not build)."""
    expected = registry.helpers_for(state)
    collected = collect(views, repo)
    for note in collected.notes:
        out.note(note)
    where = collected.where
    said: set[tuple[str, str]] = set()  # (copy, helper): one refusal per series is enough
    vets = _VetMemo()
    groups = [
        _prepare(index, name, defs, expected, collected, out, repo, said, vets)
        for index, name, defs in collected.groups
    ]
    if collected.series is not None:
        for note in collected.series.notes:  # the renames read
            out.note(note)
    groups = [g for g in groups if g.tested]
    if not groups:
        return True
    configs = [("64", ["-DNUM_VMA_FLAG_BITS=64"]), ("128", ["-DNUM_VMA_FLAG_BITS=128"])]
    out.m32 = sandbox.can_compile("-m32")
    if out.m32:
        configs.append(("32 (-m32)", ["-m32", "-DNUM_VMA_FLAG_BITS=32"]))
    else:
        out.note("helper harness: -m32 unavailable, 32-bit run skipped")
    plans = []
    for label, cflags in configs:
        nbits = int(cflags[-1].split("=")[1])
        runs = [(g, harness_cases.cases_for(g.tested, nbits, g.by_value)) for g in groups]
        plans.append((label, cflags, nbits, runs))
    storable = True
    for (label, _cflags, nbits, runs), outcome in zip(plans, _run_plans(plans), strict=True):
        for (group, cases), result in zip(runs, outcome, strict=True):
            if not result.ok:
                storable &= result.error.startswith("compile failed:")
                out.count("unverified", 1)
                out.add(_failure(group, cases, result, label, where))
                continue
            _compare(result.stdout, cases, nbits, label, group.definitions, where, out)
    return storable


def _failure(
    group: Group, cases: list[Case], result: sandbox.RunResult, label: str, where: dict
) -> Finding:
    """An unverified finding for a group whose harness did not run through. When the run was
    cut short (time, CPU, a forbidden system call), the output so far names the helper whose
    case was running: every case writes its line unbuffered before the next starts."""
    done = result.stdout.split(harness_program.GROUP_MARK + "\n")[-1].count("\n")
    culprit = cases[done].helper.name if result.stdout and done < len(cases) else ""
    patch, path, line = group.index, group.name, 0
    if culprit and culprit in group.definitions:
        patch, path, line = where.get(id(group.definitions[culprit]), (patch, path, line))
    during = f" while testing {culprit}()" if culprit else ""
    return Finding(
        Severity.INFO,
        UNVERIFIED,
        patch,
        path,
        line,
        f"helper harness ({group.name} copy as of patch {group.index}, "
        f"NUM_VMA_FLAG_BITS={label}): {result.error}{during}",
    )


def _prepare(
    index: int,
    name: str,
    defs: dict[str, Definition],
    expected: dict[str, registry.Helper],
    collected: Collected,
    out: outcome_cache.Outcome,
    repo: Path | None,
    said: set[tuple[str, str]],
    vets: _VetMemo | None = None,
) -> Group:
    """Vet the group's definitions through the allowlist until no more drop out (a helper
    using a refused one is refused too). Every refusal is reported as unverified with its
    reason, support definitions included: nothing refused is compiled. Only helpers the
    series touched are tested."""
    where, support = collected.where, collected.support
    roots = {n for n, d in defs.items() if id(d) not in support}
    gapped = {n for n, d in defs.items() if id(d) in collected.gapped}
    everything = dict(defs)  # the series' own, then what the closure takes from tree/snapshot
    fallback = _fallback(repo, name == "tools", collected.series, index)
    heads = collected.heads or {}
    for n, d in defs.items():
        head = heads[id(d)][1] if id(d) in heads and heads[id(d)][0] is d else None
        cut = id(d) in support and d.node.has_error or head is not None
        if not cut or (whole := fallback(n)) is None:
            continue
        if head is not None and not series_defs.starts_as(whole, head):
            continue
        everything[n] = whole  # context the hunks cut, known whole elsewhere
        gapped.discard(n)
        roots.discard(n)
    usable, rejected = _vet_group(everything, roots, gapped, fallback, vets or _VetMemo())
    for helper, why in rejected.items():
        if helper not in defs or (name, helper) in said:
            continue  # tree/snapshot definitions: their users say; a repeat at a later patch
        said.add((name, helper))
        d = defs[helper]
        patch, path, line = where.get(id(d), (index, name, 0))
        role = "context definition" if id(d) in support else "helper"
        finding = Finding(
            Severity.INFO,
            UNVERIFIED,
            patch,
            path,
            line,
            f"{role} {helper}() not compiled: {why}",
        )
        out.add_unverified(finding)
    tested = [
        expected[n] for n in usable if n in roots and n in expected and _testable(expected[n])
    ]
    sources = {n: everything[n] for n in usable}
    return Group(index, name, usable, tested, _by_value(sources), sources)


def _reason(why: harness_allowlist.Refused, rejected: dict[str, str]) -> str:
    if why.kind == why.UNKNOWN and why.name in rejected:
        return f"uses {why.name}, which is not compiled either"
    if why.kind == why.UNKNOWN:
        return f"{why}: defined neither in the series, the base tree nor the API snapshot"
    if why.kind == why.INCOMPLETE:
        return str(why)
    return f"{why} (not on the harness allowlist)"


_WORD = re.compile(r"[^\W\d]\w*")


class _VetMemo:
    """harness_allowlist.vet() answers within one check: the groups (copy x patch) share most
    definition objects and vet them against the same known names again and again. vet()
    consults `known` only for the identifier tokens of the definition, so the key is the
    definition object itself (kept alive by the memo) and the known names that occur in its
    text (a superset of those tokens): a memoised answer is the answer vet() would give (a name
    missed there could only make vet() refuse, never pass)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[int, frozenset[str] | None], tuple[Definition, object]] = {}
        self._words: dict[int, tuple[Definition, frozenset[str]]] = {}
        self.hits = 0

    def _names(self, defn: Definition) -> frozenset[str]:
        hit = self._words.get(id(defn))
        if hit is None or hit[0] is not defn:
            text = defn.text + "\n" + defn.text.replace("\\\r\n", "").replace("\\\n", "")
            hit = self._words[id(defn)] = (defn, frozenset(_WORD.findall(text)))
        return hit[1]

    def vet(self, defn: Definition, known: frozenset[str]) -> Vetted:
        key = (id(defn), known & self._names(defn))
        hit = self._seen.get(key)
        if hit is None or hit[0] is not defn:
            try:
                result: object = harness_allowlist.vet(defn, known)
            except harness_allowlist.Refused as why:
                result = why
            hit = self._seen[key] = (defn, result)
        else:
            self.hits += 1
        if isinstance(hit[1], harness_allowlist.Refused):
            why = hit[1]
            raise harness_allowlist.Refused(str(why), why.kind, why.name)
        return hit[1]  # type: ignore[return-value]

    def refs(self, defn: Definition) -> frozenset[str]:
        """harness_allowlist.referenced_names(defn), once per definition object."""
        key = (id(defn), None)
        hit = self._seen.get(key)  # type: ignore[arg-type]
        if hit is None or hit[0] is not defn:
            hit = (defn, harness_allowlist.referenced_names(defn))
            self._seen[key] = hit  # type: ignore[index]
        return hit[1]  # type: ignore[return-value]


def _vet_group(
    defs: dict[str, Definition],
    roots: set[str],
    gapped: set[str],
    fallback: Fallback,
    vets: _VetMemo,
) -> tuple[dict[str, Vetted], dict[str, str]]:
    """Vet the roots and, transitively, every definition of the copy they use (so a helper
    builds with the macros and inner helpers it needs): from the series first, else from the
    base tree (--repo) or the shipped API snapshot. A definition using a refused one is refused
    too; the refusals are returned with their reasons."""
    _close_over(defs, roots, fallback, vets.refs)  # adds to defs
    rejected: dict[str, str] = {
        n: "a name reserved for the harness (not on the harness allowlist)"
        for n in defs
        if n.startswith(harness_program.RESERVED_PREFIXES) or n == "main"
    }
    rejected |= {n: "the patch does not show every line of the definition" for n in gapped}
    names = set(roots) - rejected.keys()
    seen = set(roots)
    while True:
        known = harness_program.shim_names() | frozenset(defs.keys() - rejected.keys())
        names -= harness_program.shim_names() - set(roots)
        vetted: dict[str, Vetted] = {}
        for n in sorted(names):
            try:
                vetted[n] = vets.vet(defs[n], known)
            except harness_allowlist.Refused as why:
                rejected[n] = _reason(why, rejected)
        for n, size in harness_allowlist.expansion_sizes(vetted).items():
            if size > harness_allowlist.MAX_EXPANSION_TOKENS:
                rejected[n] = (
                    f"expands to over {harness_allowlist.MAX_EXPANSION_TOKENS} tokens "
                    "(not on the harness allowlist)"
                )
        shims = harness_program.shim_names()  # the harness' own model of the kernel wins
        wanted = {r for v in vetted.values() for r in v.refs if r in defs and r not in shims}
        grown = (names | wanted) - rejected.keys()
        seen |= grown
        if grown == names and not rejected.keys() & vetted.keys():
            return vetted, {n: why for n, why in rejected.items() if n in seen}
        names = grown


Fallback = Callable[..., "Definition | None"]


def _fallback(
    repo: Path | None,
    tools: bool,
    series: series_defs.SeriesDefs | None = None,
    index: int = 0,
) -> Fallback:
    """Definitions the series does not show whole in one hunk: those its hunks show whole
    together as of patch `index` (series_defs), else the base tree's (through git objects),
    else the API snapshot's, else one read through a rename the series evidences; from the
    first three, the one picked for the configuration with every feature on. `arities`: the
    numbers of arguments the users of the name pass it; a function that takes another number
    is not taken while one that fits exists (the snapshot holds several states of the API, e.g.
    `__mk_vma_flags(count, bits)` before March 2026 and `__mk_vma_flags(flags, count, bits)`
    after: a series' own `mk_vma_flags()` must be closed over with the one it calls)."""
    tree = defs_layer.from_tree(str(repo)) if repo is not None else {}
    snap = defs_layer.snapshot()
    group = "tools" if tools else "kernel"
    shown = series.layer(index, lambda path: group_of(path) == group) if series else {}
    home = "tools/testing/vma/include/dup.h" if tools else "include/linux/mm.h"

    def find(name: str, arities: frozenset[int] = frozenset()) -> Definition | None:
        cands = shown.get(name) or tree.get(name) or snap.get(name)
        if cands and arities:
            fits = [c for c in cands if c.defn.kind != "function" or len(c.defn.params) in arities]
            cands = fits or cands
        if cands:
            return defs_layer.pick(cands, "all", tools=tools).defn
        return series.renamed(name, home) if series is not None else None

    return find


def call_arities(defn: Definition, name: str) -> frozenset[int]:
    """How many arguments `defn` passes to `name` at its calls (a macro's body included)."""
    root = defn.node
    if defn.kind != "function":
        value = defn.node.child_by_field_name("value")
        body = text_of(value).replace("\\\r\n", "").replace("\\\n", "") if value else ""
        root = parse("void __reviewer_body(void) {\n" + body + ";\n}\n")
    out = set()
    for node in walk(root):
        if node.type != "call_expression":
            continue
        if text_of(node.child_by_field_name("function")) != name:
            continue
        args = node.child_by_field_name("arguments")
        if args is not None:
            out.add(sum(1 for a in args.named_children if a.type != "comment"))
    return frozenset(out)


def _close_over(
    defs: dict[str, Definition],
    roots: set[str],
    fallback: Fallback,
    refs: Callable[[Definition], frozenset[str]] = harness_allowlist.referenced_names,
) -> None:
    """Add to `defs` the definitions of names the roots use, transitively, that the series
    does not define (the shims' names excepted: the harness' own model wins)."""
    shims = harness_program.shim_names()
    todo = [n for n in roots if n in defs]
    seen = set(todo)

    def users_of(ref: str) -> list[Definition]:
        return [d for d in defs.values() if ref in refs(d)]

    while todo:
        for ref in refs(defs[todo.pop()]):
            if ref in seen or ref in shims:
                continue
            seen.add(ref)
            if ref not in defs:
                arities = frozenset(n for user in users_of(ref) for n in call_arities(user, ref))
                if (found := fallback(ref, arities)) is not None:
                    defs[ref] = found
            if ref in defs:
                todo.append(ref)


Plan = tuple[str, list[str], int, list[tuple[Group, list[Case]]]]  # label, cflags, bits, runs


def _run_plans(plans: list[Plan]) -> list[list[sandbox.RunResult]]:
    """One build and run per configuration holding all groups (the configurations side by
    side). When a run is cut short, the groups it finished keep their output, the one it was
    in is reported from its partial output, and only the groups it never reached run again,
    each alone (so a looping helper costs one time limit, not two)."""
    jobs = [(_source(runs), cflags) for _label, cflags, _bits, runs in plans]
    batches = sandbox.compile_and_run_many(jobs)
    outcomes = [
        _split(batch, len(runs)) for (_l, _c, _b, runs), batch in zip(plans, batches, strict=True)
    ]
    single = [
        (_source([run]), cflags)
        for (_label, cflags, _bits, runs), got in zip(plans, outcomes, strict=True)
        for run, result in zip(runs, got, strict=True)
        if result is None
    ]
    fallback = iter(sandbox.compile_and_run_many(single))
    return [[r if r is not None else _own_output(next(fallback)) for r in got] for got in outcomes]


def _source(runs: list[tuple[Group, list[Case]]]) -> str:
    return harness_program.batch_source([(g.usable, cases) for g, cases in runs])


def _split(result: sandbox.RunResult, groups: int) -> list[sandbox.RunResult | None]:
    """Per-group outputs of a batch run; None for a group to run again on its own."""
    mark = harness_program.GROUP_MARK + "\n"
    outputs = result.stdout.split(mark)[1:]
    if result.ok and len(outputs) == groups:
        return [sandbox.RunResult(True, out, "") for out in outputs]
    if result.ok or not outputs or len(outputs) > groups:
        return [None] * groups
    done = [sandbox.RunResult(True, out, "") for out in outputs[:-1]]
    cut = sandbox.RunResult(False, mark + outputs[-1], result.error)
    return [*done, cut] + [None] * (groups - len(outputs))


def _own_output(result: sandbox.RunResult) -> sandbox.RunResult:
    """A single group's run: its output without the group mark."""
    mark = harness_program.GROUP_MARK + "\n"
    if result.ok and result.stdout.startswith(mark):
        return sandbox.RunResult(True, result.stdout[len(mark) :], "")
    return result if not result.ok else sandbox.RunResult(False, "", "no output")


def _by_value(defs: dict[str, Definition]) -> set[str]:
    """Helpers taking vma_flags_t by value (the v1 API) rather than a pointer."""
    out = {
        d.name
        for d in defs.values()
        if d.kind == "function"
        and d.params
        and "vma_flags_t" in d.params[0][0]
        and "*" not in d.params[0][0]
    }
    out |= {d.name for d in defs.values() if d.kind == "macro" and f"{d.name}_mask" in out}
    return out


def _testable(h: registry.Helper) -> bool:
    return h.kind in (
        "any",
        "all",
        "single",
        "set",
        "clear",
        "mk",
        "word_set",
        "word_clear",
        "word_assign",
        "clear_all",
    )


def _compare(
    stdout: str,
    cases: list[Case],
    nbits: int,
    label: str,
    defs: dict[str, Definition],
    where: dict[int, Location],
    out: outcome_cache.Outcome,
) -> None:
    lines = stdout.splitlines()
    failed: set[str] = set()
    for c, line in zip(cases, lines, strict=False):
        want = harness_cases.expected(c, nbits)
        got: list[int] | int
        if isinstance(want, int):
            got = int(line.strip() or -1)
        else:
            got = [int(x, 16) for x in line.split()]
        if got == want or c.helper.name in failed:
            continue
        failed.add(c.helper.name)
        patch, path, line = where.get(id(defs[c.helper.name]), (0, "", 0))
        out.add(
            Finding(
                Severity.ERROR,
                "helper-def",
                patch,
                path,
                line,
                f"{c.helper.name}() does not match the model ({c.helper.kind}) with "
                f"NUM_VMA_FLAG_BITS={label}",
                f"flags words {[hex(w) for w in c.words]}, operand {_show_operand(c)}: "
                f"got {_show(got)}, model {_show(want)}",
            )
        )
    out.count("verified", len({c.helper.name for c in cases} - failed))


def _show_operand(c: Case) -> str:
    if isinstance(c.operand, list):
        if c.helper.args in ("bits", "bit"):
            return "bits " + ", ".join(str(b) for b in c.operand)
        return "mask " + str([hex(w) for w in c.operand])
    return hex(c.operand)


def _show(value: list[int] | int) -> str:
    return str(value) if isinstance(value, int) else str([hex(w) for w in value])
