"""One mail piped from a mail client (`reviewer track -`) stands for its whole thread; Patchwork
patch URLs are understood (b4's parser) and fetched from the archive, not from Patchwork."""

from __future__ import annotations

import io
import json
import mailbox
import sys

import pytest

from reviewer.sources.fetch import parse_msgid, server_from_spec
from tests.fixtures_public_inbox import thread_path


def _one_mail(counter: str = "05/13") -> bytes:
    for msg in mailbox.mbox(thread_path("v2-thread.mbox")):
        if f"[PATCH v2 {counter}]" in " ".join(str(msg["Subject"]).split()):
            return msg.as_bytes()
    raise AssertionError(counter)


def _pipe(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def _patches(cli) -> int:
    return json.loads(cli("show", "--json", "1").out)["revision"]["patches"]


def test_one_piped_mail_tracks_its_whole_thread(cli, public_inbox, monkeypatch) -> None:
    _pipe(monkeypatch, _one_mail())
    result = cli("track", "-", "--server", public_inbox.url, "--json")
    assert result.code == 0, result.err
    assert _patches(cli) == 13


def test_offline_keeps_the_one_mail(cli, monkeypatch, b4_isolated) -> None:
    _pipe(monkeypatch, _one_mail())
    result = cli("track", "-", "--offline", "--json")
    assert result.code == 0, result.err
    assert _patches(cli) == 1


def test_unreachable_archive_tracks_the_mail_and_says_why(cli, monkeypatch, b4_isolated) -> None:
    _pipe(monkeypatch, _one_mail())
    result = cli("track", "-", "--server", "http://127.0.0.1:1/all")
    assert result.code == 0, result.err
    assert "cannot reach" in result.err and "tracked only the one mail" in result.err
    assert _patches(cli) == 1


PW = "https://patchwork.kernel.org/project/linux-mm/patch/20260122.a.b@example.com/"


@pytest.mark.parametrize(
    ("spec", "msgid"),
    [
        (PW, "20260122.a.b@example.com"),
        (
            "https://patchwork.kernel.org/project/linux-mm/patch/a.b%40example.com/",
            "a.b@example.com",
        ),
        ("https://patchwork.kernel.org/project/linux-mm/patch/12345/", None),  # numeric id
    ],
)
def test_patchwork_urls(b4_isolated, spec: str, msgid: str | None) -> None:
    assert parse_msgid(spec) == msgid
    assert server_from_spec(spec) is None  # never asked as a public-inbox archive


def test_patchwork_url_fetches_from_the_archive(cli, public_inbox) -> None:
    from tests.fixtures_public_inbox import V2_COVER

    url = f"https://patchwork.kernel.org/project/linux-mm/patch/{V2_COVER}/"
    result = cli("track", url, "--server", public_inbox.url)
    assert result.code == 0, result.err
    assert _patches(cli) == 13
