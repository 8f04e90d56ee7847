"""Check a revision's patches against the VMA flag model: the engine behind ``reviewer check``.

The orchestrator: it walks the patches (models of each side: patch_models), their changed
blocks (what each side says about a block: block_context) and records each block's outcome
(compared per configuration: config_compare) in the report; then the other checks and the
helper harness."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.flagmodel.block_context import (
    add_function_hunks,
    block_guards,
    block_info,
    changed_names_by_function,
    enclosing_function,
    function_of,
    own_hunk_inits,
    shared_side_info,
    side_info,
    trim_fragment,
)
from reviewer.flagmodel.check_jobs import Job, run_jobs
from reviewer.flagmodel.config_compare import compare_configs
from reviewer.flagmodel.equivalence import Outcome, SideInfo, flag_related
from reviewer.flagmodel.equivalence_macros import body_names
from reviewer.flagmodel.equivalence_side import Verdict
from reviewer.flagmodel.findings import UNVERIFIED, CheckReport, Finding, Severity
from reviewer.flagmodel.hunk_pairs import FileDiff, change_blocks
from reviewer.flagmodel.moved_lines import moved_statements, side_text
from reviewer.flagmodel.patch_models import models_for, pre_series_names, shown_definitions
from reviewer.flagmodel.patch_view import PatchView, view_of
from reviewer.flagmodel.tree_state import (
    Model,
    detect_base_state,
    is_helper_name,
    names_in,
)
from reviewer.models import Patch

if TYPE_CHECKING:
    from reviewer.flagmodel.conversion_reuse import CheckMemo


def clear_memos() -> None:
    """Forget the per-content parse and index memos (benchmarks; long-running processes)."""
    from reviewer.flagmodel import block_context, c_parse, harness_cases, hunk_pairs, tree_state

    for memo in (
        c_parse.parse,
        c_parse.text_of,
        c_parse.all_definitions,
        c_parse.nodes_by_type,
        tree_state.names_in,
        tree_state.names_under,
        tree_state.names_by_row,
        tree_state.signatures,
        hunk_pairs._depths,
        shared_side_info,
        block_context._function_of,
        block_context._function_hunks_info,
        block_context._section_function,
        block_context._written_names,
        harness_cases._cases,
        *c_parse.NODE_MEMOS,
    ):
        memo.cache_clear()


def check_revision(
    patches: list[Patch],
    repo: Path | None = None,
    helpers: bool = True,
    focus: set[int] | None = None,
    reuse: CheckMemo | None = None,
) -> CheckReport:
    """Check a revision. With `focus` (patch indexes), only those patches are checked; the
    others (the series before them) only teach the model their definitions, as when the
    series is checked whole. `reuse` (kept by the caller between checks of variants of one
    revision, as the fix-up compare mode does): a patch whose inputs did not change is not
    parsed, modelled and checked again; its findings are replayed (conversion_reuse)."""
    from reviewer.flagmodel import checks, helper_harness
    from reviewer.flagmodel.conversion_reuse import PatchStep, series_key, view_key

    report = CheckReport()
    all_views = [reuse.view(p) if reuse is not None else view_of(p) for p in patches]
    views = [v for v in all_views if focus is None or v.index in focus]
    checked = {id(v) for v in views}
    base, source = detect_base_state(pre_series_names(all_views), repo)
    report.tree_state, report.state_source = base, source
    model = Model(base)
    for view in all_views:
        for name, cands in shown_definitions(view, "old").items():
            model.context_defs.setdefault(name, cands)
    if repo is not None:
        from reviewer.flagmodel.defs import from_tree

        model.tree_defs = from_tree(str(repo))
    key = series_key(base, source, repo, model.context_defs) if reuse is not None else ""
    # the model chain first (each patch's model comes from the patches before it); then what is
    # left is independent jobs: each changed file's conversions, the checks, the harness
    steps: list[tuple[str, PatchStep | None, Model, list[Job]]] = []  # key, replayed, after
    jobs: list[Job] = []
    for patch, view in zip(patches, all_views, strict=True):
        key = view_key(key, view.index, patch.diff, id(view) in checked) if key else ""
        if reuse is not None and key in reuse.steps:
            replayed = reuse.steps[key]
            model = replayed.model_after.copy() if replayed.model_after else model
            steps.append((key, replayed, model, []))
            continue
        own: list[Job] = []
        try:
            pre, post = models_for(model, view)
        except Exception as exc:  # noqa: BLE001 - keep checking with the model so far
            if id(view) in checked:
                own.append(_failed_job(view.index, exc))
            pre, post = model.copy(), model.copy()
        if id(view) in checked:
            own += _conversion_jobs(view, pre, post)
        model = post.copy()
        steps.append((key, None, model, own))
        jobs += own
    report.final_state = model.state
    # the checks (each guarded on its own; their outcome kept by content: outcome_cache)
    ends = [Job("the flag checks", 0, 1 << 20, partial(checks.run_all, views, repo=repo))]
    if helpers:
        harness = helper_harness.check_helpers
        ends.append(
            Job("the helper harness", 0, 1 << 30,
                lambda r: _guarded(r, 0, "helper harness", harness, views, r, repo))
        )  # fmt: skip
    jobs += ends
    deltas = dict(zip(map(id, jobs), run_jobs(jobs, report), strict=True))
    for key, replayed, model_after, own in steps:
        if replayed is not None:
            replayed.replay(report)
            continue
        step = PatchStep.start(report) if reuse is not None else None
        for job in own:
            deltas[id(job)].merge_into(report)
        if reuse is not None and step is not None:
            reuse.steps[key] = step.finish(report, model_after)
    for job in ends:
        deltas[id(job)].merge_into(report)  # the checks, then the harness
    return report


def _failed_job(index: int, exc: Exception) -> Job:
    return Job("modelling", index, 0, lambda r: _undecided(r, index, "", 0, exc))


def _conversion_jobs(view: PatchView, pre: Model, post: Model) -> list[Job]:
    """One job per changed file; `post` is left as checking the patch leaves it (the next patch's
    model is a copy of it: its word size and tools flag are the last file's)."""
    files = [f for f in view.files if "/dev/null" not in (f.old_path, f.new_path)]
    if files:
        _file_setup(files[-1].path, pre, post)
    return [
        Job(
            f"the conversions of {f.path}",
            view.index,
            sum(1 for h in f.hunks for ln in h.lines if ln.tag in "+-"),
            lambda r, f=f: _guarded(
                r, view.index, "conversions", check_file_conversions, view, f, pre, post, r
            ),
        )
        for f in files
    ]


def _guarded(report: CheckReport, index: int, label: str, step, *args) -> None:
    """Run one step of the check; a failure becomes an unverified finding naming the step."""
    try:
        step(*args)
    except Exception as exc:  # noqa: BLE001 - one step never loses the report
        _undecided(report, index, "", 0, RuntimeError(f"{label}: {exc!r}"))


def check_conversions(view: PatchView, pre: Model, post: Model, report: CheckReport) -> None:
    """The conversions of every changed file of a patch, one after the other."""
    for f in view.files:
        if f.old_path == "/dev/null" or f.new_path == "/dev/null":
            continue
        check_file_conversions(view, f, pre, post, report)


def _file_setup(path: str, pre: Model, post: Model) -> None:
    # tools/testing/vma builds with -DNUM_VMA_FLAG_BITS=128; the kernel with BITS_PER_LONG
    bits = 128 if path.startswith("tools/testing/vma/") else 64
    pre.num_bits = post.num_bits = bits
    pre.tools = post.tools = path.startswith("tools/")


def check_file_conversions(
    view: PatchView, f: FileDiff, pre: Model, post: Model, report: CheckReport
) -> None:
    """Each changed block of one file of a patch, compared old side against new."""
    old_info = side_info(view.old_roots[f.path])
    new_info = side_info(view.new_roots[f.path])
    new_info.consts.update(post.param_meaning)
    _file_setup(f.path, pre, post)
    blocks = change_blocks(f)
    region = changed_names_by_function(view, f, blocks)
    moved = moved_statements(view, f, blocks)
    for block in blocks:
        old_text, new_text = block.side("old"), block.side("new")
        if moved:
            func = function_of(view, f, block)
            old_text = side_text(block, "old", moved, func)
            new_text = side_text(block, "new", moved, func)
            if not old_text.strip() or not new_text.strip():
                continue
            if old_text == new_text:
                continue  # only a moved statement changed here
        if not old_text.strip() or not new_text.strip():
            continue
        func = enclosing_function(view.new_roots[f.path], view.new_numbers[f.path], block.line)
        if func and (is_helper_name(func) or post.helper(func) is not None):
            continue  # helper bodies are checked by the harness
        old_func = enclosing_function(
            view.old_roots[f.path], view.old_numbers[f.path], block.old_line
        )
        if func and old_func and func != old_func and post.renamed_from.get(func) != old_func:
            continue  # git aligned the body of another function: new code, not a conversion
        old_names = set(names_in(old_text)) | body_names(old_text)
        new_names = set(names_in(new_text)) | body_names(new_text)
        old_rel = flag_related(old_text, old_names, old_info, pre)
        new_rel = flag_related(new_text, new_names, new_info, post)
        if not (old_rel or new_rel):
            continue
        block.guards = block_guards(
            view.new_roots[f.path], view.new_texts[f.path], view.new_numbers[f.path], block.line
        )
        old_block_info = _side_block_info(view, f, "old", old_info, block.old_line, block)
        new_block_info = _side_block_info(view, f, "new", new_info, block.line, block)
        # the block's own hunk parsed alone: its declarations above the block win (text of
        # several hunks parsed together can glue a function to the previous one)
        old_block_info.inits.update(own_hunk_inits(block, "old"))
        new_block_info.inits.update(own_hunk_inits(block, "new"))
        # the function's own hunks parsed alone (the joined hunks of a file can fail to
        # parse around the block, or miss a declaration an earlier hunk shows)
        add_function_hunks(old_block_info, block, "old", bool(old_func))
        add_function_hunks(new_block_info, block, "new", bool(func))
        # names the other changed blocks of the same function also touch: their final
        # values are decided by the region, not by this block alone
        new_block_info.elsewhere = set().union(
            *(
                names
                for other, names in region.get(function_of(view, f, block), [])
                if other is not block and other.line > block.line  # completes it later
            )
        )
        new_block_info.binds = post.param_binds.get(func, {}) if func else {}
        old_text, new_text = trim_fragment(old_text, new_text)
        try:
            _check_block(
                view.index,
                f.path,
                block,
                old_text,
                new_text,
                pre,
                post,
                old_block_info,
                new_block_info,
                report,
            )
        except Exception as exc:  # noqa: BLE001 - one block never loses the report
            _undecided(report, view.index, f.path, block.line, exc, old_text, new_text)


def _side_block_info(
    view: PatchView, f: FileDiff, side: str, info: SideInfo, line: int, block
) -> SideInfo:
    roots, numbers = (view.old_roots, view.old_numbers) if side == "old" else (
        view.new_roots, view.new_numbers)  # fmt: skip
    return block_info(info, roots[f.path], numbers[f.path], line, block.hunk.section)


def _check_block(
    index: int,
    path: str,
    block,
    old_text: str,
    new_text: str,
    pre: Model,
    post: Model,
    old_info: SideInfo,
    new_info: SideInfo,
    report: CheckReport,
) -> None:
    line = block.line
    outcome = compare_configs(path, old_text, new_text, pre, post, old_info, new_info, block.guards)
    for issue in outcome.issues:
        report.add(Finding(Severity.ERROR, "type", index, path, line, issue.message))
    if outcome.status == Verdict.SKIP:
        return
    if outcome.status == Verdict.UNVERIFIED:
        report.unverified += 1
        report.add(
            Finding(
                Severity.INFO,
                UNVERIFIED,
                index,
                path,
                line,
                f"conversion not verified: {outcome.message}",
                _snippet(old_text, new_text),
            )
        )
        return
    if outcome.lock_change:
        report.add(Finding(Severity.INFO, "locking", index, path, line, outcome.lock_change))
    if outcome.status == Verdict.DIFFERENT and outcome.overwrite:
        # Same result whenever the target starts as a copy of the source and nothing clears a
        # flag in the source, a caller invariant the patch text cannot show: a behaviour change
        # to review, not a proven mistranslation.
        report.add(
            Finding(
                Severity.WARNING,
                "behaviour-change",
                index,
                path,
                line,
                f"{outcome.message}; equivalent only if it starts as a copy of the target's "
                "flags and nothing clears a flag in it",
                outcome.counterexample,
            )
        )
        report.verified += 1
        return
    if outcome.status == Verdict.DIFFERENT:
        report.add(
            Finding(
                Severity.ERROR,
                "equivalence",
                index,
                path,
                _blamed_line(block, new_text, outcome) or line,
                f"converted code is not equivalent to the code it replaces: {outcome.message}",
                outcome.counterexample,
            )
        )
        report.verified += 1
        return
    report.verified += 1
    report.verified_lines |= {(index, "+" + ln.text) for ln in block.changed("+")}
    if outcome.error_path_only:
        report.add(
            Finding(
                Severity.WARNING,
                "equivalence",
                index,
                path,
                line,
                "equivalent except on an error-return path (fine only if the "
                "modified object is discarded on error)",
                outcome.counterexample,
            )
        )
    for note in outcome.notes:
        report.notes.append(f"patch {index} {path}:{line}: {note}")


def _blamed_line(block, new_text: str, outcome: Outcome) -> int:
    """The post-image line the difference comes from (equivalence_blame), when its row still
    holds the blamed text (a fragment rewritten for the parse is not mapped): else 0."""
    if outcome.row is None:
        return 0
    row, head = outcome.row
    rows, numbers = new_text.split("\n"), block.numbers("new")
    if row >= len(rows) or row >= len(numbers) or not head or head not in rows[row]:
        return 0
    return numbers[row]


def _undecided(
    report: CheckReport,
    index: int,
    path: str,
    line: int,
    exc: BaseException,
    old_text: str = "",
    new_text: str = "",
) -> None:
    """A step of the model failed on this block: report it unverified (info) with the reason,
    never a traceback and never the loss of the rest of the report."""
    report.unverified += 1
    report.add(
        Finding(
            Severity.INFO,
            UNVERIFIED,
            index,
            path,
            line,
            f"not verified: the model failed here ({type(exc).__name__}: {exc})",
            _snippet(old_text, new_text) if old_text or new_text else "",
        )
    )


def _snippet(old_text: str, new_text: str) -> str:
    def squash(t: str) -> str:
        return " ".join(t.split())[:160]

    return f"old: {squash(old_text)} | new: {squash(new_text)}"


__all__ = ["check_revision", "CheckReport", "Finding"]
