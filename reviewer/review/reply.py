"""The review reply to one patch, as kernel reviewers write it, and sending it.

The body quotes the patch trimmed to the commented hunks: each hunk from its header down to the
last line commented on (the whole hunk for a hunk comment), at most QUOTE_ABOVE lines above a
comment (earlier ones become "> [...]"), each comment under the lines it is about, comments on
the patch as a whole under the quoted start of the commit message, then the trailer when one is
given. Only the comments written on this patch are included (those carried from an earlier
revision were for that revision's reply). Headers are b4's own reply (LoreMessage.make_reply:
Reply-To/To/Cc folding, In-Reply-To, References, Message-Id).

Sending goes through b4's get_smtp()/send_mail() with the user's git ``sendemail.*`` settings
(smtpServer, smtpServerPort, smtpEncryption, smtpUser, sendmailCmd, identity); drafts are written
as an mbox. Both are kept in the database (review_replies). Quoted text from mail is quoted with
its control characters made visible: it stays inert in the reply and in any terminal.
"""

from __future__ import annotations

import argparse
import email.utils
import mailbox
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

import b4

from reviewer import __version__
from reviewer.diff.anchor import DiffPos, Kind, positions
from reviewer.errors import ReviewerError
from reviewer.models import Patch, Revision, Series
from reviewer.review.comments import Side, patch_comments
from reviewer.sanitize import clean_text
from reviewer.sources.fetch import b4_config
from reviewer.sources.mail import parse_bytes
from reviewer.store import review as rs
from reviewer.store.core import Store
from reviewer.trailers.reply_draft import REPLY_TRAILERS, _with_policy

QUOTE_ABOVE = 8  # quoted lines kept above a comment inside a hunk
MESSAGE_LINES = 8  # commit message lines quoted above comments on the patch as a whole
SNIP = "> [...]"


@dataclass
class Composed:
    message: EmailMessage
    patch: Patch
    comments: int  # how many comments it carries

    @property
    def message_id(self) -> str:
        return str(self.message["Message-Id"]).strip().strip("<>")

    @property
    def body(self) -> str:
        return self.message.get_content()

    def as_bytes(self) -> bytes:
        return b4.LoreMessage.get_msg_as_bytes(self.message, nl="\n", headers="encode")

    def recipients(self) -> list[str]:
        fields = [str(v) for k in ("To", "Cc") for v in self.message.get_all(k, [])]
        return [addr for _name, addr in email.utils.getaddresses(fields) if addr]


def _quote(line: str) -> str:
    return ("> " + clean_text(line)).rstrip() if line else ">"


def quoted_body(patch: Patch, placed: list) -> str:
    """The reply's text below the attribution line (see module docstring)."""
    lines = positions(patch.diff)
    under: dict[int, list[str]] = {}  # diff line -> comment bodies shown under it
    whole: list[str] = []
    for item in placed:
        if not item.own or item.outdated:
            continue
        if item.comment.side == Side.PATCH:
            whole.append(item.comment.body)
        else:
            under.setdefault(item.row, []).append(item.comment.body)
    out: list[str] = []
    if whole:
        message = [ln.rstrip() for ln in patch.commit_message.strip("\n").splitlines()]
        out += [_quote(ln) for ln in message[:MESSAGE_LINES]]
        if len(message) > MESSAGE_LINES:
            out.append(SNIP)
        for body in whole:
            out += ["", body.rstrip("\n"), ""]
    for hunk in sorted({lines[row].hunk for row in under}):
        out += _quoted_hunk(lines, hunk, under)
    return "\n".join(out).strip("\n") + "\n"


def _quoted_hunk(lines: list[DiffPos], hunk: int, under: dict[int, list[str]]) -> list[str]:
    header = next(p for p in reversed(lines[:hunk]) if p.kind == Kind.FILE and p.file)
    out = [_quote(header.text), _quote(lines[hunk].text)]
    start = hunk + 1
    for row in sorted(r for r in under if lines[r].hunk == hunk):
        first = max(start, row - QUOTE_ABOVE + 1)
        if first > start:
            out.append(SNIP)
        out += [_quote(p.text) for p in lines[first : row + 1]]
        for body in under[row]:
            out += ["", body.rstrip("\n"), ""]
        start = row + 1
    return out  # the rest of the hunk, below the last comment, is trimmed


def compose(
    store: Store, series: Series, revision: Revision, patch: Patch,
    trailer: str | None, reviewer: str, body: str | None = None,
) -> Composed:  # fmt: skip
    """The reply to ``patch`` as ``reviewer`` ("Name <email>"); ``body`` replaces the composed
    text (after editing)."""
    if trailer and trailer not in REPLY_TRAILERS:
        raise ReviewerError(f"unknown trailer {trailer!r} (one of: {', '.join(REPLY_TRAILERS)})")
    name, address = email.utils.parseaddr(reviewer)
    if "@" not in address:
        raise ReviewerError("no reviewer identity: set git config user.name and user.email")
    placed = patch_comments(store, series, revision, patch)
    own = [p for p in placed if p.own and not p.outdated]
    if body is None and not own and not trailer:
        raise ReviewerError(
            f"nothing to reply on {revision.label} {patch.index}: no comments and no trailer"
        )
    raw = store.raw_message(patch.message_id)
    if raw is None:
        raise ReviewerError(f"<{patch.message_id}> is not in the database")
    original = b4.LoreMessage(parse_bytes(raw))
    if body is None:
        when = original.date.strftime("%a, %b %d, %Y at %I:%M:%S%p %z")
        body = f"On {when}, {clean_text(original.fromname)} wrote:\n"
        if own:
            body += quoted_body(patch, own)
        if trailer:
            body += f"\n{trailer}: {name} <{address}>\n" if name else f"\n{trailer}: {address}\n"
    b4_config()  # make_reply's Message-Id honours b4's config
    reply = original.make_reply(body, mailfrom=(name, address))
    message = _with_policy(reply)
    message["X-Mailer"] = f"reviewer {__version__}"
    return Composed(message, patch, len(own))


def save_draft(store: Store, series: Series, composed: Composed, path: str) -> int:
    """Write the reply as an mbox to ``path`` and keep it in the database."""
    data = mailbox.mboxMessage(composed.message).as_bytes(unixfrom=True) + b"\n"
    try:
        with open(path, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise ReviewerError(f"cannot write {path}: {exc.strerror or exc}") from exc
    with store.transaction():
        return rs.add_reply(store, series.id, composed.patch.message_id, composed.message_id,
                            "draft", composed.as_bytes(), path)  # fmt: skip


def send(store: Store, series: Series, composed: Composed) -> int:
    """Send through the user's git sendemail.* configuration and keep it in the database."""
    deliver(composed)
    return keep_sent(store, series, composed)


def deliver(composed: Composed) -> None:
    """Hand the reply to SMTP (or sendmailCmd) with b4's own code; no database (thread-safe)."""
    try:
        settings = argparse.Namespace(config={})
        b4._setup_user_config(settings)  # the envelope sender falls back to user.email
        b4._setup_sendemail_config(settings)
        smtp, fromaddr = b4.get_smtp()
        sent = b4.send_mail(smtp, [composed.message], fromaddr=fromaddr)
    except (smtplib.SMTPException, OSError, RuntimeError) as exc:
        raise ReviewerError(f"sending failed: {exc}") from exc
    if not sent:
        raise ReviewerError("sending failed: nothing was sent")


def keep_sent(store: Store, series: Series, composed: Composed) -> int:
    with store.transaction():
        return rs.add_reply(store, series.id, composed.patch.message_id, composed.message_id,
                            "sent", composed.as_bytes())  # fmt: skip


def sent_and_drafts(store: Store, series: Series) -> list[rs.ReplyRow]:
    return rs.series_replies(store, series.id)


def identity() -> str:
    """ "Name <email>" from git config user.name / user.email ('' when no email is set)."""
    from reviewer.sources.fetch import git_config

    name, address = git_config("user.name"), git_config("user.email")
    if not address:
        return ""
    return f"{name} <{address}>" if name else address
