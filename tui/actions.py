"""Actions shared by several screens: state, update, check, apply, export, reply drafts.

Anything that may take long (network, git, the flag model) runs as a job (tui.jobs); quick
database writes run inline, and results computed in a job are saved in its done callback (the UI
thread owns the store). Check, apply and verify results are also kept in the app's session results.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path

from rich.text import Text

from reviewer.errors import ReviewerError
from reviewer.models import Patch, Revision, Series
from reviewer.store.core import Store
from tui.screens.dialogs import ChoiceScreen, PromptScreen


def _fail(screen, exc: Exception) -> None:
    screen.notify(str(exc), severity="error", markup=False)


# -- state ----------------------------------------------------------------------------------


def choose_state(screen, series_id: int, current: str, then: Callable[[], None]) -> None:
    from reviewer.constants import SeriesState
    from reviewer.tracking.states import set_by_hand

    def chosen(state: str | None) -> None:
        if not state:
            return
        store = screen.rapp.store
        try:
            series = store.load_series(series_id)
            series.state = current  # as shown: a change someone made since is refused
            new = set_by_hand(store, series, state)
        except ReviewerError as exc:
            _fail(screen, exc)
            return
        screen.notify(f"series {series_id}: {new}", markup=False)
        then()
        screen.ready(f"state {series_id} {new}")

    choices = [(str(s), str(s)) for s in SeriesState]
    screen.app.push_screen(ChoiceScreen("Set series state:", choices, current), chosen)


# -- update ---------------------------------------------------------------------------------


def update_series(screen, series_ids: list[int], then: Callable[[], None]) -> None:
    """Poll lore (unless --offline) for new replies and revisions, one series per step. A series
    the poll could not reach is said so (an error toast), never "nothing new"."""
    from reviewer.tracking.update import poll_problem_line, update

    owner, offline, server = screen.rapp.store, screen.rapp.offline, screen.rapp.server

    def work(progress, cancelled) -> tuple[list[str], list[str]]:
        store = owner.reopen()  # writes as the app's store does (--as included)
        changes: list[str] = []
        problems: list[str] = []
        try:
            for step, series_id in enumerate(series_ids):
                if cancelled():
                    break
                progress(step, len(series_ids), f"series {series_id}")
                report = update(store, [str(series_id)], server=server, offline=offline)
                changes += [c for s in report.series for c in s.changes]
                problems += report.problems + [poll_problem_line(s) for s in report.unpolled]
        finally:
            store.close()
        return changes, problems

    def done(result: tuple[list[str], list[str]]) -> None:
        changes, problems = result
        if problems:
            shown = problems[:3] + ([f"(+{len(problems) - 3} more)"] if len(problems) > 3 else [])
            screen.notify("\n".join(shown), title="update failed", severity="error",
                          markup=False, timeout=10)  # fmt: skip
        if changes or not problems:
            what = "; ".join(changes[:5]) or ("offline: states only" if offline else "nothing new")
            screen.notify(what, markup=False)
        then()
        screen.ready(f"updated {len(changes)} problems={len(problems)}")

    screen.start_job("update", work, done)


# -- check ----------------------------------------------------------------------------------


def run_check(screen, series: Series, revision: Revision, then: Callable[[], None]) -> None:
    from reviewer.flagmodel.fixup_check import check_with_fixups
    from reviewer.results.check import content_hash, save_report

    patches, repo = revision.patches, screen.rapp.repo
    tree = Path(repo) if repo else None

    def work(progress, cancelled):
        progress(0, 1, f"{revision.label}: {len(patches)} patches")
        key = content_hash(revision, tree)
        report = check_with_fixups(patches, tree)  # fix-ups in replies checked with their patch
        return None if cancelled() else (key, report)

    def done(result) -> None:
        if result is None:
            return
        key, report = result
        save_report(screen.rapp.store, revision, key, report)  # the UI thread owns the store
        screen.rapp.results.checks[(series.id, revision.message_id)] = report
        from reviewer.flagmodel.report_text import not_run_text, shown_counts

        counts = shown_counts(report)
        screen.notify(
            f"check {revision.label}: {counts.words()}, {counts.unverified} unverified"
            f"{not_run_text(report)}",
            markup=False,
            severity="warning" if not_run_text(report) else "information",
        )
        then()
        screen.ready(f"checked {revision.label} {len(report.findings)}")

    screen.start_job("check", work, done)


# -- apply ----------------------------------------------------------------------------------


def ask_repo(screen, then: Callable[[str], None]) -> None:
    def given(path: str | None) -> None:
        if path:
            screen.rapp.repo = path
            then(path)

    from reviewer.trailers.output_paths import default_repo

    default = default_repo(screen.rapp.repo)
    question = (
        "Git repository (kernel tree):"
        if default
        else "Git repository (kernel tree; none known yet):"
    )
    screen.app.push_screen(PromptScreen(question, default), given)


def stored_lookup(owner: Store, revision: Revision):
    """A lookup of stored apply/verify results for a worker thread, on its own connection."""
    from reviewer.results.apply import stored_result

    def lookup(kind: str, key: str) -> dict | None:
        store = owner.reopen()
        try:
            return stored_result(store, revision.message_id, kind, key)
        finally:
            store.close()

    return lookup


def apply(screen, series: Series, revision: Revision, then: Callable[[], None]) -> None:
    from reviewer.apply.am import FAILED
    from reviewer.results.apply import apply_outcome, save_outcome

    lookup = stored_lookup(screen.rapp.store, revision)

    def start(repo: str) -> None:
        from reviewer.results.apply import am_mails_of

        try:  # b4's am-ready mails, read on the UI thread (it owns the store)
            mails = am_mails_of(screen.rapp.store, revision)
        except ReviewerError as exc:
            _fail(screen, exc)
            return

        def work(progress, cancelled):
            progress(0, 1, f"{revision.label} onto {repo}")
            return apply_outcome(revision, repo, lookup=lookup, mails=mails)

        def done(outcome) -> None:
            save_outcome(screen.rapp.store, revision, outcome)  # the UI thread owns the store
            result = outcome.result
            screen.rapp.results.applies[(series.id, revision.message_id)] = result
            failed = sum(1 for p in result.patches if p.status == FAILED)
            what = f"{failed} failed" if failed else f"applied as {result.ref}"
            screen.notify(f"apply {revision.label}: {what}", markup=False,
                          severity="error" if failed else "information")  # fmt: skip
            then()
            if failed:  # why, in the CLI's words: base, failing hunks, what the tree has there
                from reviewer.report.apply_compare_text import render_apply
                from tui.screens.text_report import TextReportScreen

                title = f"apply {revision.label} onto {repo}: {failed} failed"
                screen.app.push_screen(TextReportScreen(title, render_apply(result)))
            screen.ready(f"applied {revision.label}")

        screen.start_job("apply", work, done)

    ask_repo(screen, start)


# -- export ---------------------------------------------------------------------------------


def export(screen, series: Series, revision: Revision) -> None:
    from reviewer.trailers.export import am_ready_mbox

    def given(path: str | None) -> None:
        if not path:
            return
        try:
            data = am_ready_mbox(screen.rapp.store, series, revision)
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            Path(path).expanduser().write_bytes(data)
        except (ReviewerError, OSError) as exc:
            _fail(screen, exc)
            return
        screen.notify(f"wrote {revision.label} ({len(revision.patches)} patches) to {path}",
                      markup=False)  # fmt: skip
        screen.ready(f"exported {path}")

    from reviewer.trailers.output_paths import output_dir

    default = str(output_dir() / f"series-{series.id}-{revision.label}.mbx")
    screen.app.push_screen(PromptScreen("Write am-ready mbox to:", default), given)


# -- reply drafts ---------------------------------------------------------------------------


def reviewer_identity() -> str:
    from reviewer.tracking.update import git_config

    name, email = git_config("user.name"), git_config("user.email")
    if not email:
        return ""
    return f"{name} <{email}>" if name else email


def reply(screen, series: Series, revision: Revision, patches: list[Patch]) -> None:
    from reviewer.trailers.output_paths import output_dir
    from reviewer.trailers.reply_draft import REPLY_TRAILERS, reply_drafts

    which = ", ".join(str(p.index) for p in patches)
    if not reviewer_identity():  # before any question, not after both
        screen.notify("no reviewer identity: set git config user.name and user.email first",
                      severity="error", markup=False)  # fmt: skip
        return

    def chosen_trailer(trailer: str | None) -> None:
        if trailer:
            default = str(output_dir() / f"reply-{series.id}-{revision.label}.mbox")
            question = f"{trailer} for patches {which} of {revision.label}: write draft to"
            screen.app.push_screen(PromptScreen(question, default), partial_write(trailer))

    def partial_write(trailer: str):
        def write(path: str | None) -> None:
            if not path:
                return
            try:
                data = reply_drafts(
                    screen.rapp.store, revision, patches, trailer, reviewer_identity()
                )
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
                Path(path).expanduser().write_bytes(data)
            except (ReviewerError, OSError) as exc:
                _fail(screen, exc)
                return
            screen.notify(f"draft written to {path}", markup=False)
            screen.ready(f"draft {path}")
            open_in_editor(screen, path)

        return write

    choices = [(t, Text(t)) for t in REPLY_TRAILERS]
    screen.app.push_screen(ChoiceScreen(f"Reply on patches {which}:", choices), chosen_trailer)


def open_in_editor(screen, path: str) -> None:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        return
    from textual.app import SuspendNotSupported

    try:
        with screen.app.suspend():
            subprocess.run([*shlex.split(editor), path], check=False)
    except SuspendNotSupported:
        screen.notify(f"cannot suspend here; edit {path} yourself", markup=False)
    screen.refresh()
