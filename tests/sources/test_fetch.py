"""reviewer.sources.fetch against a real public-inbox-httpd serving the real vma-flags threads."""

from __future__ import annotations

import socket
from pathlib import Path

import b4
import pytest

from reviewer.errors import ReviewerError
from reviewer.sources.fetch import (
    configure_attestation,
    fetch_thread,
    parse_msgid,
    server_from_spec,
)
from tests.fixtures_public_inbox import V2_COVER
from tests.pi_server import PublicInboxServer


def _subjects(msgs) -> list[str]:
    return [str(m["Subject"]) for m in msgs]


def test_fetch_v2_thread_by_cover_msgid(public_inbox: PublicInboxServer) -> None:
    msgs = fetch_thread(f"<{V2_COVER}>", server=public_inbox.url)
    assert len(msgs) == 54
    mailbox = b4.LoreMailbox()
    for msg in msgs:
        mailbox.add_message(msg)
    series = mailbox.get_series(2, codereview_trailers=False)
    assert series is not None and series.expected == 13
    assert series.has_cover
    assert all(patch is not None for patch in series.patches[1:])
    assert series.patches[1].msgid != V2_COVER


def test_fetch_by_lore_url_uses_the_urls_server(public_inbox: PublicInboxServer) -> None:
    msgs = fetch_thread(f"{public_inbox.url}/{V2_COVER}/T/#u")
    assert len(msgs) == 54


def test_fetch_from_a_patch_gives_the_whole_thread(public_inbox: PublicInboxServer) -> None:
    cover = fetch_thread(V2_COVER, server=public_inbox.url)
    patch_id = next(
        b4.LoreMessage.get_clean_msgid(m) for m in cover if "[PATCH v2 03/13]" in m["Subject"]
    )
    msgs = fetch_thread(patch_id, server=public_inbox.url)
    assert set(_subjects(msgs)) == set(_subjects(cover))


def test_new_mail_is_fetched_when_cache_is_bypassed(public_inbox: PublicInboxServer) -> None:
    assert len(fetch_thread(V2_COVER, server=public_inbox.url)) == 54
    public_inbox.import_bytes(
        b"From mboxrd@z Thu Jan  1 00:00:00 1970\n"
        b"From: Some Reviewer <reviewer@example.org>\n"
        b"To: test@example.com\n"
        b"Subject: Re: [PATCH v2 00/13] new reply\n"
        b"Date: Mon, 26 Jan 2026 10:00:00 +0000\n"
        b"Message-ID: <fetch-test-reply@example.org>\n"
        b"In-Reply-To: <" + V2_COVER.encode() + b">\n"
        b"References: <" + V2_COVER.encode() + b">\n\n"
        b"Reviewed-by: Some Reviewer <reviewer@example.org>\n"
    )
    assert len(fetch_thread(V2_COVER, server=public_inbox.url)) == 54  # b4's cache
    assert len(fetch_thread(V2_COVER, server=public_inbox.url, nocache=True)) == 55


def test_unknown_msgid_is_one_line_error(public_inbox: PublicInboxServer) -> None:
    with pytest.raises(ReviewerError, match="not found on") as info:
        fetch_thread("<no-such-message@example.com>", server=public_inbox.url)
    assert "\n" not in str(info.value)


def test_server_down_is_one_line_error(b4_isolated: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ReviewerError, match="cannot reach") as info:
        fetch_thread(V2_COVER, server=f"http://127.0.0.1:{port}/test")
    assert "\n" not in str(info.value)


def test_offline_never_touches_the_network(b4_isolated: Path) -> None:
    with pytest.raises(ReviewerError, match="offline"):
        fetch_thread(V2_COVER, server="http://192.0.2.1/unreachable", offline=True)


def test_bad_spec_is_rejected(b4_isolated: Path) -> None:
    with pytest.raises(ReviewerError, match="not a message-id"):
        fetch_thread("not a message id")


def test_bad_server_url_is_rejected(b4_isolated: Path) -> None:
    with pytest.raises(ReviewerError, match="not an http"):
        fetch_thread(V2_COVER, server="ftp://example.org/list")


@pytest.mark.parametrize(
    ("spec", "msgid", "server"),
    [
        ("<a.b@example.com>", "a.b@example.com", None),
        ("a.b@example.com", "a.b@example.com", None),
        ("id:a.b@example.com", "a.b@example.com", None),
        (
            "https://lore.kernel.org/all/a.b@example.com/",
            "a.b@example.com",
            "https://lore.kernel.org/all",
        ),
        (
            "https://lore.kernel.org/linux-mm/a.b@example.com/T/#u",
            "a.b@example.com",
            "https://lore.kernel.org/linux-mm",
        ),
        (
            "http://127.0.0.1:8080/test/a.b%40example.com/",
            "a.b@example.com",
            "http://127.0.0.1:8080/test",
        ),
        ("https://patch.msgid.link/a.b@example.com", "a.b@example.com", None),
        ("samples/threads/v2-thread.mbox", None, None),
        ("https://lore.kernel.org/all/", None, None),
        ("two words@example.com", None, None),
    ],
)
def test_parse_msgid(b4_isolated: Path, spec: str, msgid: str | None, server: str | None) -> None:
    assert parse_msgid(spec) == msgid
    assert server_from_spec(spec) == server


def test_offline_turns_dkim_off(b4_isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(b4, "can_network", True)
    config = b4.get_main_config() or {}
    monkeypatch.setattr(b4, "MAIN_CONFIG", dict(config))
    configure_attestation(offline=True)
    assert b4.MAIN_CONFIG["attestation-policy"] == "off"
    assert b4.MAIN_CONFIG["attestation-check-dkim"] == "no"
    assert b4.can_network is False


def test_b4_midmask_from_git_config_names_the_server(
    public_inbox: PublicInboxServer, b4_isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No --server: the user's b4.midmask decides where `reviewer track MSGID` fetches from."""
    import os
    import subprocess

    from reviewer.cli import main

    gitconfig = os.environ["GIT_CONFIG_GLOBAL"]
    subprocess.run(
        ["git", "config", "--file", gitconfig, "b4.midmask", f"{public_inbox.url}/%s"],
        check=True,
    )
    monkeypatch.setattr(b4, "MAIN_CONFIG", {})  # b4 reads its config once per process
    db = b4_isolated.parent / "midmask.sqlite3"
    assert main(["track", "--db", str(db), V2_COVER]) == 0
    from reviewer.store.core import Store

    assert [r.label for r in Store.open(db).load_series(1).revisions] == ["v2"]
