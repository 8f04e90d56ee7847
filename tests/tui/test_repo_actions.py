"""Apply and posted-vs-applied against the mini kernel tree with the synthetic series."""

from reviewer.ingest import ingest
from reviewer.sources import load_source
from reviewer.store import Store
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
