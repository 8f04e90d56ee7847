"""SVG snapshots of every screen, each at 120x36 and at 80x24 (pytest-textual-snapshot; update
with --snapshot-update). The floor run (.ci/run-floor.sh) leaves this file out: Textual renders
differently from one version to the next."""

from __future__ import annotations

import os
import subprocess

import pytest

from reviewer.flagmodel.findings import CheckReport, Finding
from reviewer.review import comments
from reviewer.sources.mail import load_source
from reviewer.store.core import Store
from reviewer.tracking.ingest import ingest
from tests.helpers_minitree import make_applied_branch, make_minitree_repo, synthetic_mbox
from tests.tui.conftest import wait_mark
from tui.app import ReviewerApp

SIZES = {"120x36": (120, 36), "80x24": (80, 24)}
sizes = pytest.mark.parametrize("size", list(SIZES))
MM = "include/linux/mm.h"


async def _open_series(pilot):
    await pilot.press("enter")
    await wait_mark(pilot, "series 1 v2 classified")


@sizes
def test_series_list(snap_compare, make_app, size):
    async def ready(pilot):
        await wait_mark(pilot, "series-list")

    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=ready)


@sizes
def test_series_screen(snap_compare, make_app, size):
    async def run_before(pilot):
        await _open_series(pilot)
        await pilot.press("j", "j", "t")

    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=run_before)


@sizes
def test_patch_screen_with_finding(snap_compare, make_app, size):
    app = make_app()
    latest = app.store.load_series(1).latest
    finding = Finding("error", "equivalence", 7, "mm/secretmem.c", 128, "not equivalent", "VM_X")
    app.results.checks[(1, latest.message_id)] = CheckReport(findings=[finding])

    async def run_before(pilot):
        await _open_series(pilot)
        await pilot.press(*["j"] * 6, "enter")
        await wait_mark(pilot, "patch v2 7")
        await wait_mark(pilot, "replies")  # other reviewers' comments are placed in a worker
        await pilot.press("f")

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


def _comment(db, revision: int, index: int, line: int | None, body: str) -> None:
    store = Store.open(db)
    series = store.load_series(1)
    patch = series.revisions[revision].patches[index - 1]
    at = comments.find_line(patch.diff, MM, line) if line else None
    comments.add(store, series, patch, body, at)
    store.close()


def _prepare_comments(db) -> None:
    _comment(db, 0, 2, 1036, "ACCESS_PRIVATE() is on its way out.")  # gone in v2: outdated
    _comment(db, 0, 2, 1038, "Non-atomic on purpose?")  # same line in v2
    _comment(db, 2, 3, 1035, "A second thought on v2:\nthis needs the lock held.")


async def _open_v2_3(pilot):
    await pilot.press("enter")
    await wait_mark(pilot, "series 1 v2")
    await pilot.press("j", "j", "enter")
    await wait_mark(pilot, "patch v2 3")
    await wait_mark(pilot, "replies")


@sizes
def test_patch_screen_with_comments(snap_compare, make_app, tracked_db, size):
    """The review part of the patch screen (patch_review): one comment carried from v1, one
    outdated, the cursor on the second."""
    _prepare_comments(tracked_db)

    async def run_before(pilot):
        await _open_v2_3(pilot)
        await pilot.press("full_stop", "full_stop")  # the second comment, in the diff

    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=run_before)


@sizes
def test_reply_preview(snap_compare, make_app, tracked_db, size):
    for key, value in (("user.name", "Jane Reviewer"), ("user.email", "jane@example.org")):
        subprocess.run(["git", "config", "--global", key, value], check=True)
    _prepare_comments(tracked_db)

    async def run_before(pilot):
        await _open_v2_3(pilot)
        await pilot.press("r")
        await wait_mark(pilot, "reply v2 3")
        await pilot.press("t")
        await wait_mark(pilot, "reply v2 3 comments=1")
        await pilot.press("G")

    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=run_before)


@sizes
def test_compare_screen(snap_compare, make_app, size):
    async def run_before(pilot):
        await _open_series(pilot)
        await pilot.press("C")
        await wait_mark(pilot, "compare")
        await pilot.press("j", "j")

    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=run_before)


@sizes
def test_trailers_screen(snap_compare, make_app, size):
    async def run_before(pilot):
        await _open_series(pilot)
        await pilot.press("T", "a")
        await wait_mark(pilot, "trailers all")

    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=run_before)


@sizes
def test_help_screen(snap_compare, make_app, size):
    """? on the series screen: every key of the screen underneath."""

    async def run_before(pilot):
        await _open_series(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=run_before)


@sizes
def test_choice_dialog(snap_compare, make_app, size):
    """v on the series screen: the revision picker (dialogs.ChoiceScreen)."""

    async def run_before(pilot):
        await _open_series(pilot)
        await pilot.press("v")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=run_before)


@sizes
def test_prompt_dialog(snap_compare, make_app, size):
    """/ on the series screen: the search prompt (dialogs.PromptScreen)."""

    async def run_before(pilot):
        await _open_series(pilot)
        await pilot.press("slash", *"bitmap")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=run_before)


def _synthetic_app(tmp_path, repo) -> ReviewerApp:
    store = Store.open(tmp_path / "syn.sqlite3")
    for name in ("v1-thread", "v1-resend-thread", "v2-thread"):
        ingest(store, load_source(str(synthetic_mbox(name)), offline=True))
    return ReviewerApp(store, offline=True, repo=repo)


@sizes
def test_applied_screen(snap_compare, tmp_path, size):
    """P on the synthetic v2, against the maintainer branch of the mini tree (fixed dates, so
    fixed commit ids): identical, trailers edited and code-differs rows."""
    repo = make_minitree_repo(tmp_path)
    make_applied_branch(repo, tmp_path, "mm-stable")

    async def run_before(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("P", "enter")  # the repository prompt defaults to --repo
        pilot.app.screen.query_one("#prompt-input").value = "mm-stable"
        await pilot.press("enter")
        await wait_mark(pilot, "verified mm-stable", timeout=120)
        await pilot.press("j")

    app = _synthetic_app(tmp_path, repo.working_dir)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@sizes
def test_text_report_screen(snap_compare, tmp_path, monkeypatch, size):
    """a (apply) of the synthetic v2 onto a tree without its base: the CLI's explanation. The
    tree is named relative to the working directory and committed at a fixed date, so the
    report is the same on every run."""
    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q", "other"], check=True)
    (tmp_path / "other" / "README").write_text("not a kernel tree\n")
    fixed = {"GIT_AUTHOR_DATE": "2026-01-28T10:00:00+00:00",
             "GIT_COMMITTER_DATE": "2026-01-28T10:00:00+00:00"}  # fmt: skip
    ident = ["-c", "user.name=Other", "-c", "user.email=other@example.org"]
    subprocess.run(["git", "-C", "other", "add", "README"], check=True)
    subprocess.run(["git", "-C", "other", *ident, "commit", "-qm", "unrelated"],
                   check=True, env={**os.environ, **fixed})  # fmt: skip

    async def run_before(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("a", "enter")  # the repository prompt defaults to --repo
        await wait_mark(pilot, "applied v2", timeout=120)
        pilot.app.clear_notifications()  # the toast goes after a timeout: not in the picture
        await pilot.pause()

    app = _synthetic_app(tmp_path, "other")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
