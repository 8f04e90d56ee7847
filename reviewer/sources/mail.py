"""Read mail from where the user has it: an mbox, a maildir, stdin, or a lore message-id/URL.

Each message keeps its original bytes next to the parsed object: the database stores the bytes,
so nothing the user gave us is lost or re-encoded.
"""

from __future__ import annotations

import email.parser
import mailbox
import sys
import tempfile
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import b4

from reviewer.errors import ReviewerError
from reviewer.sources.threads import message_id

MAX_MESSAGE_BYTES = 64 * 1024 * 1024


@dataclass
class RawMessage:
    raw: bytes
    msg: EmailMessage


@dataclass
class Loaded:
    messages: list[RawMessage]
    problems: list[str]


def parse_bytes(raw: bytes) -> EmailMessage:
    return email.parser.BytesParser(policy=b4.emlpolicy, _class=EmailMessage).parsebytes(raw)


def load_source(spec: str, offline: bool = False, server: str | None = None) -> Loaded:
    if spec == "-":
        return _load_stdin()
    path = Path(spec)
    if path.is_dir():
        if not b4.is_maildir(str(path)):
            raise ReviewerError(f"{spec}: a directory but not a maildir (no cur/ new/ tmp/)")
        return _load_mailbox(mailbox.Maildir(str(path), factory=None, create=False), spec)
    if path.is_file():
        return _load_mbox_file(path)
    if _looks_like_msgid(spec):
        return _fetch(spec, offline, server)
    raise ReviewerError(f"{spec}: no such file, maildir or message-id")


def _looks_like_msgid(spec: str) -> bool:
    return "@" in spec or spec.startswith(("http://", "https://"))


def _load_mbox_file(path: Path) -> Loaded:
    with path.open("rb") as fh:
        head = fh.read(5)
    if head and head != b"From ":
        # A single message saved from a mail client (no mbox "From " separator).
        return _from_raw_list([path.read_bytes()], str(path))
    return _load_mailbox(mailbox.mbox(str(path), factory=None, create=False), str(path))


def _load_stdin() -> Loaded:
    data = sys.stdin.buffer.read()
    if not data.strip():
        raise ReviewerError("stdin: no mail given")
    if not data.startswith(b"From "):
        return _from_raw_list([data], "stdin")
    with tempfile.NamedTemporaryFile(suffix=".mbox") as tmp:
        tmp.write(data)
        tmp.flush()
        return _load_mailbox(mailbox.mbox(tmp.name, factory=None, create=False), "stdin")


def _load_mailbox(box: mailbox.Mailbox, name: str) -> Loaded:
    try:
        raws = [box.get_bytes(key) for key in box.iterkeys()]
    except (OSError, mailbox.Error) as exc:
        raise ReviewerError(f"{name}: cannot read mailbox: {exc}") from exc
    return _from_raw_list(raws, name)


def _from_raw_list(raws: list[bytes], name: str) -> Loaded:
    messages: list[RawMessage] = []
    problems: list[str] = []
    for number, raw in enumerate(raws, 1):
        if len(raw) > MAX_MESSAGE_BYTES:
            problems.append(
                f"{name}: message {number} is {_size(len(raw))}, over the "
                f"{_size(MAX_MESSAGE_BYTES)} limit: skipped"
            )
            continue
        msg = parse_bytes(raw)
        if message_id(msg) is None:
            problems.append(f"{name}: message {number} has no usable Message-ID; skipped")
            continue
        messages.append(RawMessage(raw, msg))
    if not messages:
        why = "; ".join(p.removeprefix(f"{name}: ") for p in problems[:3])
        raise ReviewerError(f"{name}: no mail messages found" + (f" ({why})" if why else ""))
    if raws and not raws[-1].endswith(b"\n"):
        problems.append(f"{name}: ends mid-line; the last message may be truncated")
    return Loaded(messages, problems)


def _size(count: int) -> str:
    for unit, factor in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= factor:
            return f"{count / factor:.1f} {unit}"
    return f"{count} bytes"


def _fetch(spec: str, offline: bool, server: str | None) -> Loaded:
    from reviewer.sources.fetch import fetch_thread

    msgs = fetch_thread(spec, server=server, offline=offline)
    return Loaded([RawMessage(m.as_bytes(policy=b4.emlpolicy), m) for m in msgs], [])
