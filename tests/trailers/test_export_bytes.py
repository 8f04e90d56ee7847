"""export's linear git-am mbox writer produces exactly what b4.save_git_am_mbox produces."""

from __future__ import annotations

import io

import b4

from reviewer.sources.mail import parse_bytes
from reviewer.trailers.export import save_git_am_mbox
from tests.conftest import SAMPLES, V2
from tests.mail_helpers import messages


def test_same_bytes_as_b4_on_real_and_odd_mail():
    raws = messages(V2) + messages(SAMPLES / "synthetic" / "v1-thread.mbox")
    odd = (
        b"Message-Id: <odd@example.org>\nFrom: =?utf-8?q?J=C3=B6rg?= <j@example.org>\n"
        b"Subject: [PATCH] x\nContent-Type: text/plain; charset=utf-8\n"
        b"Content-Transfer-Encoding: base64\n\n"
        + __import__("base64").encodebytes("a\r\nb\n\nFrom me\r\n\u00e9\n".encode())
    )
    msgs = [parse_bytes(raw) for raw in [*raws, odd]]
    ours, theirs = io.BytesIO(), io.BytesIO()
    save_git_am_mbox(msgs, ours)
    b4.save_git_am_mbox(msgs, theirs)
    assert ours.getvalue() == theirs.getvalue()
    assert len(ours.getvalue()) > 1_000_000
