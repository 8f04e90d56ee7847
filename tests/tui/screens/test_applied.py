"""Apply and posted-vs-applied against the mini kernel tree with the synthetic series."""

from reviewer.sources.mail import load_source
from reviewer.store.core import Store
from reviewer.tracking.ingest import ingest
from tests.helpers_minitree import make_minitree_repo, make_plain_am_branch, synthetic_mbox
from tests.tui.conftest import drive, wait_mark
from tui.app import ReviewerApp
from tui.screens.applied import AppliedScreen
from tui.widgets.row_table import RowTable


def _synthetic_app(tmp_path) -> ReviewerApp:
    store = Store.open(tmp_path / "syn.sqlite3")
    for name in ("v1-thread", "v1-resend-thread", "v2-thread"):
        ingest(store, load_source(str(synthetic_mbox(name)), offline=True))
    return ReviewerApp(store, offline=True)


def _restarted_app(tmp_path, **kwargs) -> ReviewerApp:
    return ReviewerApp(Store.open(tmp_path / "syn.sqlite3"), offline=True, **kwargs)


def test_apply_then_posted_vs_applied(tmp_path):
    repo = make_minitree_repo(tmp_path)
    make_plain_am_branch(repo, tmp_path, "v2-thread", "plain")
    head = repo.head.commit.hexsha
    app = _synthetic_app(tmp_path)

    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("a")
        pilot.app.screen.query_one("#prompt-input").value = repo.working_dir
        await pilot.press("enter")
        await wait_mark(pilot, "applied v2")
        table = pilot.app.screen.query_one(RowTable)
        assert "Apply" in table.render_line(0).text
        assert all("applied" in table.render_line(i).text for i in range(1, 5))
        await pilot.press("P")
        assert isinstance(pilot.app.screen_stack[-2], AppliedScreen)
        await pilot.press("enter")  # the repository prompt defaults to the one just used
        pilot.app.screen.query_one("#prompt-input").value = "plain"
        await pilot.press("enter")
        await wait_mark(pilot, "verified plain")
        rows = pilot.app.screen.query_one(RowTable).rows
        assert [r[2].plain for r in rows] == ["identical"] * 4

    drive(app, scenario)
    assert repo.head.commit.hexsha == head  # the user's checkout is untouched
    assert any(r.path.startswith("refs/reviewer/apply/") for r in repo.refs)


def test_stored_apply_and_verify_shown_after_restart(tmp_path, monkeypatch):
    from reviewer.results import apply as apply_results

    repo = make_minitree_repo(tmp_path)
    make_plain_am_branch(repo, tmp_path, "v2-thread", "plain")
    app = _synthetic_app(tmp_path)

    async def first_session(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("a")
        pilot.app.screen.query_one("#prompt-input").value = repo.working_dir
        await pilot.press("enter")
        await wait_mark(pilot, "applied v2")
        await pilot.press("P", "enter")
        pilot.app.screen.query_one("#prompt-input").value = "plain"
        await pilot.press("enter")
        await wait_mark(pilot, "verified plain")

    drive(app, first_session)
    app.store.close()

    def must_not_run(*_args, **_kwargs):
        raise AssertionError("applied or verified again although a result is stored")

    monkeypatch.setattr(apply_results, "apply_on", must_not_run)
    monkeypatch.setattr(apply_results, "verify_at", must_not_run)
    again = _restarted_app(tmp_path, repo=repo.working_dir)

    async def second_session(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        table = pilot.app.screen.query_one(RowTable)
        assert "Apply" in table.render_line(0).text  # before any apply in this session
        assert all("applied" in table.render_line(i).text for i in range(1, 5))
        await pilot.press("P")
        await wait_mark(pilot, "verified plain")  # the stored result, no prompt
        assert isinstance(pilot.app.screen, AppliedScreen)
        assert [r[2].plain for r in pilot.app.screen.query_one(RowTable).rows] == ["identical"] * 4
        await pilot.press("q", "a", "enter")  # apply again: the stored result, from the worker
        await wait_mark(pilot, "applied v2")
        assert not any("failed" in str(n.message) for n in pilot.app._notifications)

    drive(again, second_session)


def test_failed_apply_says_why(tmp_path):
    """v2 onto a repository without its base-commit: the TUI shows the CLI's explanation."""
    import git

    from tui.screens.text_report import TextReportScreen

    other = git.Repo.init(tmp_path / "other")
    (tmp_path / "other" / "README").write_text("not a kernel tree\n")
    other.index.add(["README"])
    other.index.commit("unrelated")

    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("a")
        pilot.app.screen.query_one("#prompt-input").value = other.working_dir
        await pilot.press("enter")
        await wait_mark(pilot, "applied v2", timeout=120)
        screen = pilot.app.screen
        assert isinstance(screen, TextReportScreen)
        box = screen.query_one(".dialog")
        assert box.region.x > 0  # centred like the other dialogs, not in the corner
        text = screen.query_one("#report-text").render().plain
        await pilot.press("q")
        return text, type(pilot.app.screen).__name__

    app = _synthetic_app(tmp_path)
    base = app.store.load_series(1).latest.base_commit
    text, after = drive(app, scenario)
    first = text.splitlines()[0]
    assert f"base-commit {base[:12]} not in this repository" in first
    assert "failed" in text and "(no base known)" not in text
    assert after == "SeriesScreen"


def test_b_chooses_another_branch_although_the_table_has_focus(tmp_path):
    """The table pages up on b (tig); on this screen b asks for a repository and branch."""
    from textual.widgets._footer import FooterKey

    from tui.screens.dialogs import PromptScreen

    repo = make_minitree_repo(tmp_path)
    make_plain_am_branch(repo, tmp_path, "v2-thread", "plain")

    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("P")
        pilot.app.screen.query_one("#prompt-input").value = repo.working_dir
        await pilot.press("enter")
        pilot.app.screen.query_one("#prompt-input").value = "plain"
        await pilot.press("enter")
        await wait_mark(pilot, "verified plain")
        applied = pilot.app.screen
        assert isinstance(applied.focused, RowTable)
        footer = [k.key_display for k in applied.query(FooterKey)]
        await pilot.press("b")
        return footer, pilot.app.screen

    footer, top = drive(_synthetic_app(tmp_path), scenario)
    assert "b" in footer
    assert isinstance(top, PromptScreen)
