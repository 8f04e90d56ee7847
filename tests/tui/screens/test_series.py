import mailbox

from reviewer.compare.revisions import classify_pairs
from reviewer.store.core import Store
from tests.tui.conftest import drive, wait_mark
from tui.screens.series import SeriesScreen
from tui.widgets.row_table import RowTable

SEVERITIES = ("error", "warning", "info")


def test_revision_picker_and_classes_vs_previous(make_app, tracked_db):
    series = Store.open(tracked_db).load_series(1)
    v1, resend, v2 = series.revisions
    expected = {p.to_index: p.classification for p in classify_pairs(resend, v2)}
    resend_classes = {p.to_index: p.classification for p in classify_pairs(v1, resend)}

    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2 classified")
        screen = pilot.app.screen
        assert screen.pair_classes == expected
        table = screen.query_one(RowTable)
        header = table.render_line(0).text
        assert "vs prev" in header and "Findings" not in header and "Apply" not in header
        assert expected[3] in table.render_line(3).text
        pilot.app.marks.clear()
        await pilot.press("v", "k", "k", "enter")  # the picker lists v1, v1-RESEND, v2
        await wait_mark(pilot, "series 1 v1")
        assert screen.revision.label == "v1"
        assert len(table.rows) == 12
        assert "vs prev" not in table.render_line(0).text  # nothing before v1
        await pilot.press("full_stop")
        assert screen.revision.label == "v1-RESEND"
        await wait_mark(pilot, "series 1 v1-RESEND classified")
        assert screen.pair_classes == resend_classes

    drive(make_app(), scenario)


def test_check_adds_findings_column(make_app):
    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("c")
        mark = await wait_mark(pilot, "checked v2")
        screen = pilot.app.screen
        report = pilot.app.results.checks[(1, screen.revision.message_id)]
        assert mark == f"checked v2 {len(report.findings)}"
        table = screen.query_one(RowTable)
        assert "Findings" in table.render_line(0).text
        with_findings = {f.patch for f in report.findings}
        for index in with_findings:
            assert "-" not in table.render_line(index).text.split()[-1]
        column = [c.label for c in table.columns].index("Findings")
        totals = dict.fromkeys(SEVERITIES, 0)
        for row, patch in zip(table.rows, screen.revision.patches, strict=True):
            # a finding a fix-up in a reply resolves is listed, not counted (as `check`)
            ours = [
                f
                for f in report.findings
                if f.patch == patch.index and f.fixup_effect != "resolved"
            ]
            mine = [f.severity for f in ours if f.check != "unverified"]
            unverified = sum(1 for f in ours if f.check == "unverified")
            counts = [f"{s[0].upper()}{mine.count(s)}" for s in SEVERITIES if s in mine]
            cell = " ".join(counts) or "-"  # 'W6 I1', not '7 W'
            assert row[column].plain == cell + (f" ?{unverified}" if unverified else "")
            for s in SEVERITIES:
                totals[s] += mine.count(s)
        assert [f.patch for f in report.findings if f.fixup_effect == "resolved"] == [7]
        # one source of truth: the toast, the table and the review's summary agree
        from reviewer.flagmodel.report_text import summary_line

        words = f"{totals['error']} errors, {totals['warning']} warnings, {totals['info']} info"
        toasts = [n.message for n in pilot.app._notifications]
        assert any(t.startswith(f"check v2: {words}") for t in toasts), toasts
        assert words in summary_line(report)
        await pilot.press("q")  # the list shows the check summary now
        line = pilot.app.screen.query_one(RowTable).render_line(0).text
        assert "Check" in line
        row = pilot.app.screen.query_one(RowTable).render_line(1).text
        assert f"W{totals['warning']} I{totals['info']}" in row

    drive(make_app(), scenario)


def test_tagged_patches_reply_draft(make_app, tmp_path, monkeypatch):
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    (tmp_path / "gitconfig").write_text("[user]\n\tname = Rev Iewer\n\temail = rev@example.org\n")
    out = tmp_path / "draft.mbox"

    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("t", "j", "t")  # tag 1 and 3
        screen = pilot.app.screen
        assert screen.query_one(RowTable).tagged == {0, 2}
        await pilot.press("R", "enter")  # Reviewed-by (first choice)
        prompt = pilot.app.screen.query_one("#prompt-input")
        prompt.value = str(out)
        await pilot.press("enter")
        await wait_mark(pilot, "draft")

    drive(make_app(), scenario)
    series = Store.open(make_app().store.path).load_series(1)
    drafts = list(mailbox.mbox(str(out)))
    assert [d["In-Reply-To"] for d in drafts] == [
        f"<{series.latest.patches[i].message_id}>" for i in (0, 2)
    ]
    assert all("Reviewed-by: Rev Iewer <rev@example.org>" in d.get_payload() for d in drafts)


def test_export_and_state(make_app, tracked_db, tmp_path):
    out = tmp_path / "v2.mbx"

    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("e")
        pilot.app.screen.query_one("#prompt-input").value = str(out)
        await pilot.press("enter")
        await wait_mark(pilot, "exported")
        await pilot.press("s", "j", "enter")  # new -> reviewing
        await wait_mark(pilot, "state 1 reviewing")
        assert isinstance(pilot.app.screen, SeriesScreen)
        assert pilot.app.screen.series.state == "reviewing"

    drive(make_app(), scenario)
    msgs = list(mailbox.mbox(str(out)))
    assert len(msgs) == 13
    assert "Reviewed-by: Liam R. Howlett" in msgs[0].get_payload()
    assert Store.open(tracked_db).load_series(1).state == "reviewing"


def test_partial_check_is_marked_and_explained(make_app, tracked_db):
    from tests.commands.test_check_not_run import M32, _store_partial_report

    _store_partial_report(tracked_db)

    async def scenario(pilot):
        await wait_mark(pilot, "series-list")
        row = pilot.app.screen.query_one(RowTable).render_line(1).text
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        header = pilot.app.screen.query_one("#revisions").render().plain
        return row, header

    row, header = drive(make_app(), scenario)
    assert "W1!" in row
    assert f"check not run: {M32} (install gcc-multilib)" in header
