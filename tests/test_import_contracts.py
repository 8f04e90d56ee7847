"""The import contracts in pyproject.toml ([tool.importlinter]) hold: reviewer/ never imports
the UI, the flag model stays independent of the store, apply and mail sources."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept():
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command;"
         " sys.argv = ['lint-imports']; lint_imports_command()"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


# the one cycle allowed: the interpreter's own recursion (an expression evaluates a call whose
# body is statements of expressions), inside flagmodel/interp_*
ALLOWED_CYCLE = {
    "reviewer.flagmodel.interp_arrays",
    "reviewer.flagmodel.interp_calls",
    "reviewer.flagmodel.interp_expressions",
    "reviewer.flagmodel.interp_macros",
    "reviewer.flagmodel.interp_opaque",
    "reviewer.flagmodel.interp_primitives",
    "reviewer.flagmodel.interp_statements",
    "reviewer.flagmodel.interp_values",
}


def import_cycles(package: str) -> list[set[str]]:
    """Strongly connected groups of modules (imports at any level, lazy ones included)."""
    import grimp  # import-linter's graph builder

    graph = grimp.build_graph(package)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[set[str]] = []

    def visit(v: str) -> None:  # Tarjan
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.find_modules_directly_imported_by(v):
            if not w.startswith(package):
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(group)

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return out


def test_no_import_cycle_but_the_interpreters_recursion():
    cycles = import_cycles("reviewer")
    assert all(group <= ALLOWED_CYCLE for group in cycles), cycles
