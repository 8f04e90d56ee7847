"""reviewer reply: the review reply quoted kernel-style, sent to a real SMTP server on 127.0.0.1
through git's sendemail.* settings (b4's SMTP code), or written as a draft; both kept."""

from __future__ import annotations

import email
import json
import subprocess
from email.policy import default

MM = "include/linux/mm.h"
ME = "Jane Reviewer <jane@example.org>"


def _git_config(*pairs: tuple[str, str]) -> None:
    for key, value in pairs:
        subprocess.run(["git", "config", "--global", key, value], check=True)


def _commented(cli) -> None:
    _git_config(("user.name", "Jane Reviewer"), ("user.email", "jane@example.org"))
    cli("comment", "1", "2", "-r", "v1", "--file", MM, "--line", "1038", "-m", "Why non-atomic?")
    cli("comment", "1", "2", "-r", "v1", "-m", "Nice cleanup.")


EXPECTED_TAIL = """\
> +
> +\t__set_bit((__force int)bit, bitmap);

Why non-atomic?

Reviewed-by: Jane Reviewer <jane@example.org>
"""


def test_send_to_real_smtp_server(tracked, smtp_sink, db_path) -> None:
    _commented(tracked)
    _git_config(("sendemail.smtpServer", smtp_sink.host),
                ("sendemail.smtpServerPort", str(smtp_sink.port)))  # fmt: skip
    result = tracked("reply", "1", "2", "-r", "v1", "-t", "Reviewed-by", "--send", "--yes",
                     "--json")  # fmt: skip
    assert result.code == 0, result.err
    out = json.loads(result.out)
    assert out["status"] == "sent" and out["comments"] == 2
    (got,) = smtp_sink.messages
    assert got.mail_from == "jane@example.org"
    assert "lorenzo.stoakes@oracle.com" in got.rcpt_tos and "linux-mm@kvack.org" in got.rcpt_tos
    msg = email.message_from_bytes(got.data, policy=default)
    patch_mid = "2eb7bd931e63111207d434a50b355dd19dc8a814.1768834061.git.lorenzo.stoakes@oracle.com"
    assert msg["Subject"] == "Re: [PATCH 02/12] mm: add mk_vma_flags() bitmap flag macro helper"
    assert msg["From"] == ME
    assert msg["To"] == "Lorenzo Stoakes <lorenzo.stoakes@oracle.com>"
    assert msg["In-Reply-To"] == f"<{patch_mid}>"
    assert msg["References"].split() == [
        "<cover.1768834061.git.lorenzo.stoakes@oracle.com>",
        f"<{patch_mid}>",
    ]
    assert msg["Message-Id"] == f"<{out['message_id']}>"
    body = msg.get_content().replace("\r\n", "\n")
    assert body.startswith("On Mon, Jan 19, 2026 at 02:48:53PM +0000, Lorenzo Stoakes wrote:\n")
    # the patch-level comment under the quoted start of the commit message
    assert "> This patch introduces the mk_vma_flags() macro helper" in body
    assert (
        "> [...]\n\nNice cleanup.\n\n> diff --git a/include/linux/mm.h b/include/linux/mm.h\n"
        in body
    )
    # the hunk quoted down to the commented line, trimmed above it, comment under it, trailer
    assert "\n> [...]\n" in body.split("> diff --git")[1]
    assert body.rstrip("\n").endswith(EXPECTED_TAIL.rstrip("\n"))
    assert EXPECTED_TAIL.replace("\n", "\r\n").encode() in got.data  # byte for byte, CRLF
    # kept in the database
    kept = json.loads(tracked("reply", "1", "--json").out)
    assert [(r["status"], r["message_id"]) for r in kept] == [("sent", out["message_id"])]


def test_send_needs_confirmation_and_a_server(tracked, tmp_path) -> None:
    _commented(tracked)
    refused = tracked("reply", "1", "2", "-r", "v1", "--send")  # stdin is not a terminal
    assert refused.code == 2 and "--yes" in refused.err and refused.err.count("\n") == 1
    _git_config(("sendemail.smtpServer", "127.0.0.1"), ("sendemail.smtpServerPort", "1"))
    failed = tracked("reply", "1", "2", "-r", "v1", "--send", "--yes")
    assert failed.code == 2 and "sending failed" in failed.err
    assert json.loads(tracked("reply", "1", "--json").out) == []


def test_draft_is_written_and_kept(tracked, tmp_path) -> None:
    _commented(tracked)
    path = tmp_path / "reply.mbox"
    result = tracked("reply", "1", "2", "-r", "v1", "-t", "Acked-by", "--draft", path)
    assert result.code == 0, result.err
    import mailbox

    (msg,) = mailbox.mbox(str(path))
    assert "Acked-by: Jane Reviewer <jane@example.org>" in msg.get_payload(decode=True).decode()
    kept = json.loads(tracked("reply", "1", "--json").out)
    assert [(r["status"], r["path"]) for r in kept] == [("draft", str(path))]


def test_nothing_to_say_and_preview(tracked) -> None:
    _git_config(("user.name", "Jane Reviewer"), ("user.email", "jane@example.org"))
    empty = tracked("reply", "1", "5")
    assert empty.code == 2 and "no comments and no trailer" in empty.err
    preview = tracked("reply", "1", "5", "-t", "Tested-by")
    assert preview.code == 0 and "Tested-by: Jane Reviewer <jane@example.org>" in preview.out
    assert "In-Reply-To: <" in preview.out
    assert json.loads(tracked("reply", "1", "--json").out) == []  # a preview is not kept


def test_edit_in_editor_before_the_draft(tracked, tmp_path, monkeypatch) -> None:
    _commented(tracked)
    monkeypatch.setenv("EDITOR", "sed -i s/Why\\ non-atomic?/Is\\ this\\ racy?/")
    monkeypatch.delenv("VISUAL", raising=False)
    path = tmp_path / "edited.mbox"
    result = tracked("reply", "1", "2", "-r", "v1", "--edit", "--draft", path)
    assert result.code == 0, result.err
    text = path.read_text()
    assert "Is this racy?" in text and "Why non-atomic?" not in text
    assert "In-Reply-To: <2eb7bd931e63111207d434a50b355dd19dc8a814." in text
