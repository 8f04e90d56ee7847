"""The review reply from the patch screen: r previews it, t adds a trailer, w writes a draft,
y sends after the confirmation dialog to a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import email
import subprocess
from email.policy import default

from reviewer.store.core import Store
from reviewer.store.review import series_replies
from tests.tui.conftest import drive, wait_mark
from tui.widgets.diff_view import DiffView


def _git_config(*pairs: tuple[str, str]) -> None:
    for key, value in pairs:
        subprocess.run(["git", "config", "--global", key, value], check=True)


async def _reply_on_v2_3(pilot, comment: str) -> DiffView:
    await pilot.press("enter")
    await wait_mark(pilot, "series 1 v2")
    await pilot.press("j", "j", "enter")
    await wait_mark(pilot, "patch v2 3")
    await pilot.press("slash", *"__set_bit((__force", "enter")
    await pilot.pause()
    await pilot.press("c", *comment, "enter")
    await wait_mark(pilot, "comment v2 3")
    await pilot.press("r")
    await wait_mark(pilot, "reply v2 3 comments=1")
    return pilot.app.screen.query_one(DiffView)


def test_preview_trailer_and_send_after_confirmation(make_app, tracked_db, smtp_sink):
    _git_config(("user.name", "Jane Reviewer"), ("user.email", "jane@example.org"),
                ("sendemail.smtpServer", smtp_sink.host),
                ("sendemail.smtpServerPort", str(smtp_sink.port)))  # fmt: skip

    async def scenario(pilot):
        view = await _reply_on_v2_3(pilot, "Why not atomic?")
        texts = [ln.text for ln in view.model.lines]
        assert texts[0].startswith("From: Jane Reviewer <jane@example.org>")
        assert "Why not atomic?" in texts
        quoted = texts.index("Why not atomic?") - 2
        assert view.model.lines[quoted].kind == "add" and "__set_bit" in texts[quoted]
        await pilot.press("t")  # Reviewed-by
        await wait_mark(pilot, "reply v2 3 comments=1")
        assert "Reviewed-by: Jane Reviewer <jane@example.org>" in [
            ln.text for ln in view.model.lines
        ]
        await pilot.press("y", "escape")  # the dialog: cancelled, nothing is sent
        await pilot.pause(0.2)
        assert smtp_sink.messages == []
        await pilot.press("y", "j", "enter")  # "yes, send"
        await wait_mark(pilot, "reply sent")

    drive(make_app(), scenario, size=(80, 24))
    (got,) = smtp_sink.messages
    msg = email.message_from_bytes(got.data, policy=default)
    body = msg.get_content()
    assert "Why not atomic?" in body and "Reviewed-by: Jane Reviewer" in body
    assert msg["Subject"].startswith("Re: [PATCH v2 03/13]")
    (kept,) = series_replies(Store.open(tracked_db), 1)
    assert kept.status == "sent" and kept.message_id in msg["Message-Id"]


def test_draft_from_the_preview(make_app, tracked_db, tmp_path):
    _git_config(("user.name", "Jane Reviewer"), ("user.email", "jane@example.org"))
    path = tmp_path / "draft.mbox"

    async def scenario(pilot):
        await _reply_on_v2_3(pilot, "[bold]inert")
        await pilot.press("w", "ctrl+u", *str(path), "enter")
        await wait_mark(pilot, "reply draft")

    drive(make_app(), scenario)
    assert b"[bold]inert" in path.read_bytes()
    (kept,) = series_replies(Store.open(tracked_db), 1)
    assert (kept.status, kept.path) == ("draft", str(path))
