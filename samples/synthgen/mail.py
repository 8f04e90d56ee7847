"""Mail threads: git format-patch with stable ids, threading and dates; replies; mboxrd output."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

import git

from synthgen.identity import AUTHOR, LIST, MAINTAINER, SERIES_SLUG, SIGNATURE, ident_env


@dataclass
class Thread:
    label: str  # "v1", "v1-resend", "v2", "v3"
    date: str  # RFC 2822 date of the cover letter; patches follow one second apart
    mails: list[str]  # the rendered mails, cover first
    ids: list[str]  # message-id of each mail (without <>), cover first
    subjects: list[str]


def message_id(label: str, index: int) -> str:
    digest = hashlib.sha1(f"{SERIES_SLUG}-{label}-{index}".encode()).hexdigest()[:12]
    return f"20260119-{SERIES_SLUG}-{label}-{index}-{digest}@example.org"


def _split_headers(text: str) -> tuple[list[list[str]], str]:
    head, body = text.split("\n\n", 1)
    headers: list[list[str]] = []
    for line in head.split("\n"):
        if line.startswith("From ") and not headers:
            headers.append(["", line])  # the mbox separator line git format-patch writes
        elif line[:1] in (" ", "\t") and headers:
            headers[-1][1] += "\n" + line
        else:
            name, _, value = line.partition(":")
            headers.append([name, value.lstrip(" ")])
    return headers, body


def _join_headers(headers: list[list[str]], body: str) -> str:
    return "\n".join(f"{n}: {v}" if n else v for n, v in headers) + "\n\n" + body


def _set_header(headers: list[list[str]], name: str, value: str) -> None:
    for h in headers:
        if h[0].lower() == name.lower():
            h[1] = value
            return
    headers.append([name, value])


def _drop_header(headers: list[list[str]], name: str) -> None:
    headers[:] = [h for h in headers if h[0].lower() != name.lower()]


def _date_plus(date: str, seconds: int) -> str:
    from datetime import timedelta
    from email.utils import format_datetime, parsedate_to_datetime

    return format_datetime(parsedate_to_datetime(date) + timedelta(seconds=seconds))


def format_thread(
    repo: git.Repo,
    base: str,
    tip: str,
    label: str,
    date: str,
    reroll: int | None,
    prefix: str,
    cover_subject: str,
    blurb: str,
) -> Thread:
    """git format-patch base..tip, then fix ids, threading and dates so the output is stable."""
    with tempfile.TemporaryDirectory() as tmp:
        args = [
            "--cover-letter",
            "--thread=shallow",
            f"--base={base}",
            f"--subject-prefix={prefix}",
            f"--to={LIST}",
            f"--cc={MAINTAINER[0]} <{MAINTAINER[1]}>",
            f"--signature={SIGNATURE}",
            "-o",
            tmp,
        ]
        if reroll:
            args.append(f"--reroll-count={reroll}")
        with repo.git.custom_environment(**ident_env(*AUTHOR, "2026-01-19T00:00:00+00:00")):
            repo.git.format_patch(*args, f"{base}..{tip}")
        files = sorted(Path(tmp).glob("*.patch"))
        raw = [f.read_text() for f in files]
    ids = [message_id(label, i) for i in range(len(raw))]
    mails, subjects = [], []
    for i, text in enumerate(raw):
        headers, body = _split_headers(text)
        _set_header(headers, "Date", _date_plus(date, i))
        _set_header(headers, "Message-ID", f"<{ids[i]}>")
        _drop_header(headers, "In-Reply-To")
        _drop_header(headers, "References")
        if i:
            headers.append(["In-Reply-To", f"<{ids[0]}>"])
            headers.append(["References", f"<{ids[0]}>"])
        if i == 0:
            for h in headers:
                if h[0] == "Subject":
                    h[1] = h[1].replace("*** SUBJECT HERE ***", cover_subject)
            body = body.replace("*** BLURB HERE ***", blurb.rstrip("\n"))
        subject = next(v for n, v in headers if n == "Subject").replace("\n", "")
        subjects.append(subject)
        mails.append(_join_headers(headers, body))
    return Thread(label, date, mails, ids, subjects)


@dataclass
class Reply:
    to_index: int  # 0 = cover
    sender: tuple[str, str]
    text: str  # body written above the quote
    quote: int = 6  # how many lines of the replied-to body to quote
    after: str = ""  # text after the quote


def render_reply(thread: Thread, reply: Reply, n: int) -> str:
    parent_id = thread.ids[reply.to_index]
    parent_subject = thread.subjects[reply.to_index]
    _, parent_body = _split_headers(thread.mails[reply.to_index])
    quoted = "\n".join(("> " + ln).rstrip() for ln in parent_body.split("\n")[: reply.quote])
    refs = f"<{thread.ids[0]}>" if reply.to_index == 0 else f"<{thread.ids[0]}> <{parent_id}>"
    date = _date_plus(thread.date, 3600 * (n + 1))
    rid = message_id(f"{thread.label}-reply", n)
    header = (
        f"From: {reply.sender[0]} <{reply.sender[1]}>\n"
        f"To: {AUTHOR[0]} <{AUTHOR[1]}>\n"
        f"Cc: {LIST}, {MAINTAINER[0]} <{MAINTAINER[1]}>\n"
        f"Subject: Re: {parent_subject}\n"
        f"Date: {date}\n"
        f"Message-ID: <{rid}>\n"
        f"In-Reply-To: <{parent_id}>\n"
        f"References: {refs}\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n"
    )
    intro = f"On {thread.date}, {AUTHOR[0]} wrote:\n"
    body = intro + quoted + "\n\n" + reply.text.rstrip("\n") + "\n"
    if reply.after:
        body += "\n" + reply.after.rstrip("\n") + "\n"
    return header + "\n" + body


def to_mbox(thread: Thread, replies: list[Reply]) -> str:
    mails = list(thread.mails) + [render_reply(thread, r, n) for n, r in enumerate(replies)]
    out = []
    for mail in mails:
        if not mail.startswith("From "):
            mail = "From mboxrd@z Thu Jan  1 00:00:00 1970\n" + mail
        head, body = mail.split("\n", 1)
        # mboxrd: quote body lines that look like separators.
        lines = [
            (">" + ln) if ln.lstrip(">").startswith("From ") else ln for ln in body.split("\n")
        ]
        out.append(head + "\n" + "\n".join(lines).rstrip("\n") + "\n\n")
    return "".join(out)
