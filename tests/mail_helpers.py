"""Build test mailboxes from the real threads: subsets, edits, hostile variants."""

from __future__ import annotations

import mailbox
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

from reviewer.sources.mail import parse_bytes


def messages(path: Path) -> list[bytes]:
    box = mailbox.mbox(str(path), factory=None, create=False)
    return [box.get_bytes(key) for key in box.iterkeys()]


def write_mbox(dest: Path, raws: list[bytes]) -> Path:
    with dest.open("wb") as fh:
        for raw in raws:
            fh.write(b"From mboxrd@z Thu Jan  1 00:00:00 1970\n")
            fh.write(raw.rstrip(b"\n") + b"\n\n")
    return dest


def header(raw: bytes, name: str) -> str:
    return " ".join(str(parse_bytes(raw).get(name, "")).split())


def select(path: Path, keep: Callable[[bytes], bool]) -> list[bytes]:
    return [raw for raw in messages(path) if keep(raw)]


def make_message(headers: dict[str, str], body: str) -> bytes:
    msg = EmailMessage()
    for key, value in headers.items():
        msg[key] = value
    msg.set_content(body)
    return msg.as_bytes()
