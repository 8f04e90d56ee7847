"""high-bit: bits >= 32 used where a 32-bit build can reach them.

On 32-bit builds NUM_VMA_FLAG_BITS is 32, so a bit >= 32 set or tested through the bitmap ops
indexes past the array (and `INIT_VM_FLAG()`/`BIT()` of it is undefined). Looked at on added
lines: VMA_xxx_BIT names in code and in #define bodies (`mk_vma_flags(VMA_SEALED_BIT)` inside a
macro), literal arguments of mk_vma_flags()/append_vma_flags(), bit enum entries
(DECLARE_VMA_BIT(X, 39)) and legacy #defines (`BIT(40)`, `INIT_VM_FLAG(X)`).

Fine when the build is known to be 64-bit there: an #if around it implying CONFIG_64BIT (or an
arch/feature that only exists on 64-bit), a width guard (`#if NUM_VMA_FLAG_BITS > 64`,
`BITS_PER_LONG == 64`), a file built only on 64-bit (mm/mseal.c, arch/arm64, *_64.h; the tree's
Makefile with --repo), tools/testing/vma (built with NUM_VMA_FLAG_BITS=128), or each branch of a
disjunction guard reaching a configuration where the bit's enum entry is an alias of a low bit
(DROPPABLE is ARCH_1 on PPC32). A literal bit >= 64 is an error everywhere but tools/."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import nodes_of, text_of
from reviewer.flagmodel.checks import common, snapshot, tree
from reviewer.flagmodel.findings import CheckReport, Finding, Severity

if TYPE_CHECKING:
    from reviewer.flagmodel.patch_view import PatchView

CHECK = "high-bit"
TOOLS_128 = "tools/testing/vma/"  # Makefile: -DNUM_VMA_FLAG_BITS=128
_WIDTH = ("NUM_VMA_FLAG_BITS", "BITS_PER_LONG", "__BITS_PER_LONG")
# constructors that set the bit in a bitmap (a write past the array on 32-bit)
_WRITERS = ("mk_vma_flags", "append_vma_flags", "__set_bit", "set_bit")


def run(views: list[PatchView], report: CheckReport, repo: Path | None) -> None:
    low_aliases = _low_aliases(views)
    ctx = common.build_context(views)
    for view in views:
        for f in common.c_files(view):
            _check_file(view, f, report, repo, low_aliases, ctx)


def _low_aliases(views: list[PatchView]) -> dict[str, list[set[str]]]:
    """X -> config facts under which VMA_X_BIT is declared an alias of a bit < 32."""
    out: dict[str, list[set[str]]] = {}
    for view in views:
        for root in view.new_roots.values():
            for node, args in common.declares(root):
                if len(args) == 2 and text_of(node) == "DECLARE_VMA_BIT_ALIAS":
                    bit = registry.bit_of_name(f"VMA_{args[1]}_BIT")
                    if bit is not None and bit < 32:
                        out.setdefault(args[0], []).append(common.config_facts(node))
    return out


def _is_64(facts: set[str]) -> bool:
    return "CONFIG_64BIT" in snapshot.closure(facts)


def _guard_key(node) -> tuple[tuple[str, bool], ...]:
    return tuple(
        (" ".join(cond.replace("\\\n", " ").split()), holds) for cond, holds in common.guards(node)
    )


def _width_guarded(node) -> bool:
    return any(holds and any(w in cond for w in _WIDTH) for cond, holds in common.guards(node))


def _safe(node, name_short: str, file_facts: set[str], low_aliases) -> bool:
    facts = file_facts | common.config_facts(node)
    if _is_64(facts) or _width_guarded(node):
        return True
    # a disjunction guard: each branch must be 64-bit or a low alias of the bit
    for cond, holds in common.guards(node):
        if not holds or "||" not in cond:
            continue
        branches = [common.implied(part, True) for part in common.disjuncts(cond)]
        if branches and all(
            _is_64(b | file_facts)
            or any(alias and alias <= b for alias in low_aliases.get(name_short, []))
            for b in branches
        ):
            return True
    return False


def _check_file(view, f, report: CheckReport, repo: Path | None, low_aliases, ctx) -> None:
    if f.path.startswith(TOOLS_128):
        _literal_bits(view, f, report, limit=128)
        return
    file_facts = tree.build_configs(repo, f.path)
    high = [u for u in common.added_uses(view, f) if (registry.bit_of_name(u.name) or 0) >= 32]
    # (read only when an added line uses a high bit: most files have none)
    removed = common.removed_text(f) if high else ""
    removed_names = common.line_names(removed) if removed else frozenset()
    seen: set[tuple[int, str]] = set()
    # a high bit the unchanged lines already use under the very same #if: the patch adds no
    # build that reaches it (VMA_SHADOW_STACK next to VMA_STARTGAP_FLAGS under the shadow
    # stack configs, June 2026 2/13)
    relied = {
        (use.name, _guard_key(use.anchor))
        for use in (common.context_uses(view, f) if high else ())
        if (registry.bit_of_name(use.name) or 0) >= 32
    }
    for use in high:
        bit = registry.bit_of_name(use.name)
        if bit is None or bit < 32 or (use.line, use.name) in seen:
            continue
        if (use.name, _guard_key(use.anchor)) in relied and common.guards(use.anchor):
            continue
        short = use.name[4:-4]
        legacy = removed_names
        if use.macro and "VMA_" in use.macro:
            body = ctx.body(use.macro.replace("VMA_", "VM_", 1))
            legacy = legacy | (common.line_names(f"#define X {body}") if body else frozenset())
        if "VM_" + short in legacy:
            continue  # a legacy config-dependent flag converted: judged by config-gated
        if _safe(use.anchor, short, file_facts, low_aliases):
            continue
        seen.add((use.line, use.name))
        where = f"in #define {use.macro}" if use.macro else "here"
        writes = use.call in _WRITERS or use.call.startswith(
            ("vma_flags_set", "vma_set_flags", "vma_desc_set_flags")
        )
        report.add(
            Finding(
                Severity.ERROR if writes else Severity.WARNING,
                CHECK,
                view.index,
                f.path,
                use.line,
                f"{use.name} is bit {bit}, which exists only on 64-bit builds; used {where}"
                f"{' as an argument of ' + use.call + '()' if use.call else ''} with no 64-bit "
                "guard (on 32-bit NUM_VMA_FLAG_BITS is 32 and the bitmap op "
                f"{'writes' if writes else 'reads'} past the array): put it under "
                "#ifdef CONFIG_64BIT (or the feature's config) or use a mask that is empty "
                "without it",
            )
        )
    added = common.added_lines(f)
    for node, args in common.declares(view.new_roots[f.path]):
        line = common.line_at(view, f.path, node.start_point[0])
        if line not in added or len(args) != 2 or text_of(node) != "DECLARE_VMA_BIT":
            continue
        try:
            bit = int(args[1], 0)
        except ValueError:
            continue
        if bit >= 32 and not _safe(node, args[0], file_facts, low_aliases):
            report.add(
                Finding(
                    Severity.WARNING,
                    CHECK,
                    view.index,
                    f.path,
                    line,
                    f"bit enum entry VMA_{args[0]}_BIT = {bit} is not under a 64-bit guard: "
                    "anything built from it must be limited to 64-bit builds",
                )
            )
    _literal_bits(
        view,
        f,
        report,
        limit=registry.BITS_PER_LONG,
        file_facts=file_facts,
        low_aliases=low_aliases,
    )


def _literal_bits(view, f, report, limit: int, file_facts=frozenset(), low_aliases=None) -> None:
    """Literal bit numbers given to mk_vma_flags()/append_vma_flags()/BIT() on added lines."""
    added = common.added_lines(f)
    root = view.new_roots[f.path]
    for node in nodes_of(root, "call_expression"):
        func = text_of(node.child_by_field_name("function"))
        if func not in ("mk_vma_flags", "append_vma_flags"):
            continue
        for i, arg in enumerate(node.child_by_field_name("arguments").named_children):
            if arg.type != "number_literal" or (func == "append_vma_flags" and i == 0):
                continue
            try:
                value = int(text_of(arg).rstrip("uUlL"), 0)
            except ValueError:
                continue
            line = common.line_at(view, f.path, arg.start_point[0])
            if line not in added:
                continue
            if value >= limit:
                report.add(
                    Finding(
                        Severity.ERROR,
                        CHECK,
                        view.index,
                        f.path,
                        line,
                        f"bit {value} is >= NUM_VMA_FLAG_BITS ({limit}): {func}() sets a bit "
                        "past the end of the bitmap",
                    )
                )
            elif (
                value >= 32
                and low_aliases is not None
                and not _safe(arg, "", set(file_facts), low_aliases)
            ):
                report.add(
                    Finding(
                        Severity.WARNING,
                        CHECK,
                        view.index,
                        f.path,
                        line,
                        f"bit {value} given to {func}() with no 64-bit guard (on 32-bit "
                        "NUM_VMA_FLAG_BITS is 32)",
                    )
                )
