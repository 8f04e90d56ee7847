"""Where mail comes from: mbox, maildir, stdin, a single saved message, and what is refused."""

from __future__ import annotations

import io
import mailbox

import pytest

from reviewer.errors import ReviewerError
from reviewer.sources.mail import load_source
from tests.conftest import V2
from tests.mail_helpers import messages


def test_maildir_gives_the_same_messages_as_the_mbox(tmp_path):
    box = mailbox.Maildir(str(tmp_path / "md"), create=True)
    for raw in messages(V2):
        box.add(raw)
    from_maildir = load_source(str(tmp_path / "md"), offline=True)
    from_mbox = load_source(str(V2), offline=True)
    ids = lambda loaded: sorted(str(m.msg["Message-ID"]) for m in loaded.messages)  # noqa: E731
    assert ids(from_maildir) == ids(from_mbox) and len(from_mbox.messages) == 54


def test_stdin_mbox(monkeypatch, cli):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(V2.read_bytes())))
    result = cli("track", "--offline", "-")
    assert result.code == 0, result.err
    assert "v2 tracked (13 patches)" in result.out


def test_a_single_saved_message(tmp_path):
    raw = messages(V2)[0]
    path = tmp_path / "one.eml"
    path.write_bytes(raw)
    (only,) = load_source(str(path), offline=True).messages
    assert only.raw == raw


def test_original_bytes_are_kept(tmp_path):
    loaded = load_source(str(V2), offline=True)
    assert [m.raw for m in loaded.messages] == messages(V2)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("/nonexistent/file.mbox", "no such file, maildir or message-id"),
        ("cover.1769097829.git.lorenzo.stoakes@oracle.com", "offline"),
    ],
)
def test_refused_sources(spec, message):
    with pytest.raises(ReviewerError, match=message):
        load_source(spec, offline=True)


def test_a_directory_that_is_not_a_maildir(tmp_path):
    with pytest.raises(ReviewerError, match="not a maildir"):
        load_source(str(tmp_path), offline=True)


def test_empty_stdin_is_one_error_line(monkeypatch, cli):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"")))
    result = cli("track", "--offline", "-")
    assert result.code == 2 and result.err == "reviewer: error: stdin: no mail given\n"
