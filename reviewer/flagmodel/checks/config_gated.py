"""config-gated: a legacy VM_X that is VM_NONE unless CONFIG_Y replaced by an unconditional
VMA_X_BIT.

Which VM_X are config-dependent comes from their definitions (a `#define VM_X VM_NONE` in a
branch of an #if): the series' own lines, the base tree's include/linux/mm.h with --repo, the
shipped snapshot, then the model's table. A use of VMA_X_BIT on an added line whose change block
removed VM_X is fine when the configuration is known to be set there: an #if around it (or around
the #define holding it), an `if` whose condition is the configuration by its definition
(`pgtable_supports_soft_dirty()` is `IS_ENABLED(CONFIG_MEM_SOFT_DIRTY)`), or a file built only
with it (mm/mseal.c and CONFIG_64BIT). Error when nothing limits it; warning when an `if` the
checker cannot read encloses it, or when, without a tree, the file is an architecture's .c file
and the configuration that architecture's own (its Makefile, not in the patch, may build the
file only with it; with --repo the Makefile is read)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.flagmodel import registry
from reviewer.flagmodel.checks import common, snapshot, tree
from reviewer.flagmodel.findings import CheckReport, Finding, Severity
from reviewer.flagmodel.tree_state import names_in

if TYPE_CHECKING:
    from reviewer.flagmodel.patch_view import PatchView

CHECK = "config-gated"


def run(views: list[PatchView], report: CheckReport, repo: Path | None) -> None:
    ctx = common.build_context(views, _tree_texts(repo))
    gates = common.gated_flags(views, _tree_texts(repo))
    for view in views:
        for f in common.c_files(view):
            _check_file(view, f, gates, ctx, report, repo)


def _tree_texts(repo: Path | None) -> list[str]:
    if repo is None:
        return []
    text = tree.read(repo, "include/linux/mm.h")
    return [text] if text else []


def _satisfied(symbols: frozenset[str], facts: set[str]) -> bool:
    if any(s in facts for s in symbols):
        return True
    return "CONFIG_64BIT" in symbols and any(s in facts for s in snapshot.IMPLIES_64BIT)


def _contradicted(symbols: frozenset[str], facts: set[str]) -> bool:
    return all("!" + s in facts for s in symbols)


def _sharing(name: str, symbols: frozenset[str]) -> list[str]:
    """The other flags of the model's bit table on the same bit as VMA_X_BIT, each in its own
    configuration (ARCH_1 is SAO on ppc64, SPARC_ADI on sparc64, ARM64_BTI on arm64, ...)."""
    short = name[4:-4]
    bit = registry.BITS.get(short)
    if bit is None:
        return []
    return sorted(
        f"VMA_{other}_BIT"
        for other, b in registry.BITS.items()
        if b == bit
        and other != short
        and not other.startswith("ARCH_")
        and registry.CONFIG_BITS.get(other, "") not in symbols
    )


def _reads(use: common.Use) -> bool:
    return use.call.startswith(("vma_test", "vma_flags_test", "vma_desc_test"))


def _check_file(view, f, gates, ctx, report: CheckReport, repo: Path | None) -> None:
    uses = common.added_uses(view, f)
    by_line: dict[int, list[common.Use]] = {}
    for use in uses:
        by_line.setdefault(use.line, []).append(use)
    file_facts = tree.build_configs(repo, f.path)
    # a new VMA_ macro next to the legacy VM_ macro it mirrors: the legacy body is the old side
    for use in uses:
        if not use.macro or "VMA_" not in use.macro:
            continue
        legacy_body = ctx.body(use.macro.replace("VMA_", "VM_", 1))
        if legacy_body is None or not use.name.endswith("_BIT"):
            continue
        vm_name = "VM_" + use.name[4:-4]
        if (
            vm_name in gates
            and vm_name in legacy_body  # (cheap first: an identifier is a substring)
            and vm_name in common.line_names(f"#define X {legacy_body}")
        ):
            _judge(view, f, use, vm_name, gates[vm_name], file_facts, ctx, report, repo)
    for block in common.blocks(f):
        legacy = _gated_removed(block, gates)
        if not legacy:
            continue
        for ln in block.changed("+"):
            for use in by_line.get(ln.new_no or 0, []):
                if not (use.name.startswith("VMA_") and use.name.endswith("_BIT")):
                    continue
                vm_name = "VM_" + use.name[4:-4]
                if vm_name not in legacy:
                    continue
                _judge(view, f, use, vm_name, gates[vm_name], file_facts, ctx, report, repo)


def _gated_removed(block, gates) -> set[str]:
    """The gated flags named on the block's removed lines (#define bodies included). Only the
    lines where a gated name appears are parsed: an identifier of a line is a substring of it
    (a deleted table of a thousand lines has a few)."""
    out: set[str] = set()
    for ln in block.changed("-"):
        if any(name in ln.text for name in gates):
            out |= {n for n in common.line_names(ln.text) if n in gates}
    return out


def _arch_own(path: str, symbols: frozenset[str], file_facts: set[str]) -> bool:
    """A .c file of an architecture's directory and configurations that architecture's own
    Kconfig defines (each implies the arch's symbol, which every build of the directory has):
    its Makefile may well build the file only with them (arch/arm64/kernel/mte.c and
    CONFIG_ARM64_MTE), which only the tree can tell."""
    if not (path.startswith("arch/") and path.endswith(".c")):
        return False
    return all(
        any(src == s and dst in file_facts for src, dst, _ in snapshot.IMPLIES) for s in symbols
    )


def _judge(
    view, f, use, vm_name, symbols, file_facts, ctx, report: CheckReport, repo: Path | None
) -> None:
    facts = snapshot.closure(set(file_facts) | common.config_facts(use.anchor))
    if any(vm_name in names_in(cond) for cond, holds in common.guards(use.anchor) if holds):
        return  # inside #ifdef VM_X: only where VM_X exists
    opaque = False
    if not use.macro:
        runtime, opaque = common.runtime_facts(use.anchor, ctx)
        facts = snapshot.closure(facts | runtime)
    if _satisfied(symbols, facts) and not _contradicted(symbols, facts):
        return
    if common.guard_implies_any(use.anchor, symbols):
        return
    need = " or ".join(sorted(symbols))
    bit = registry.bit_of_name(use.name)
    where = f"#define {use.macro}" if use.macro else "this code"
    if _contradicted(symbols, facts):
        severity, why = Severity.ERROR, f"here {need} is known to be off"
    elif opaque and (others := _sharing(use.name, symbols)):
        # whatever the `if` means, where the feature is off the bit is another flag: a test
        # reads it, a set sets it (June 2026 12/13, `vma_test(vma, VMA_GROWSUP_BIT)`, which a
        # reviewer replied with)
        severity, why = (
            Severity.ERROR,
            f"where {' or '.join(sorted(symbols))} is off, bit {bit} is {', '.join(others)}",
        )
    elif opaque:
        severity, why = Severity.WARNING, "the condition around it does not show the configuration"
    elif repo is None and _arch_own(f.path, symbols, file_facts):
        severity, why = (
            Severity.WARNING,
            f"unless {f.path.split('/')[1]}'s Makefile builds this file only with {need}: "
            "not read without a tree (--repo)",
        )
    else:
        severity, why = Severity.ERROR, "nothing here limits it to that configuration"
    report.add(
        Finding(
            severity,
            CHECK,
            view.index,
            f.path,
            use.line,
            f"{use.name} (bit {bit}) replaces {vm_name}, which is VM_NONE unless {need}; "
            f"{where} now {'tests' if _reads(use) else 'sets'} the bit in every configuration "
            f"({why}): guard it with "
            f"#ifdef {sorted(symbols)[0]} or use a mask that is empty without it"
            + (
                f"; bit {bit} is also past the end of the bitmap on 32-bit builds"
                if bit is not None and bit >= 32 and "CONFIG_64BIT" not in facts
                else ""  # (arm64 code is never built 32-bit)
            ),
        )
    )
