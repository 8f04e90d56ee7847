"""Review reply drafts: the trailer mails a reviewer sends after reading a series.

b4 spreads a trailer given on the cover letter over every patch, so the whole series gets one
reply to the cover letter; a subset gets one reply per patch. Each draft is b4's own reply to the
stored original (its full subject, Reply-To/To/Cc folded as b4 does, In-Reply-To and References),
with the start of the message quoted above the trailer. The drafts are an mbox the reviewer edits
and sends with their mail client or ``git send-email``; nothing is sent from here.
"""

from __future__ import annotations

import email.utils
import mailbox
from email.message import EmailMessage
from email.policy import default

import b4

from reviewer.errors import ReviewerError
from reviewer.models import Patch, Revision
from reviewer.sources.fetch import b4_config
from reviewer.sources.mail import parse_bytes
from reviewer.store.core import Store

REPLY_TRAILERS = ("Reviewed-by", "Acked-by", "Tested-by")
_POLICY = default.clone(max_line_length=998)  # LF for mbox; long message-ids stay unencoded
QUOTED_LINES = 5


def reply_drafts(
    store: Store, revision: Revision, patches: list[Patch], trailer: str, reviewer: str
) -> bytes:
    """An mbox of drafts giving ``trailer`` on ``patches`` as ``reviewer`` ("Name <email>")."""
    if trailer not in REPLY_TRAILERS:
        raise ReviewerError(f"unknown trailer {trailer!r} (one of: {', '.join(REPLY_TRAILERS)})")
    if not patches:
        raise ReviewerError("no patches selected for the reply")
    name, address = email.utils.parseaddr(reviewer)
    if "@" not in address:
        raise ReviewerError("no reviewer identity: set git config user.name and user.email")
    whole_series = len(patches) == len(revision.patches) and revision.cover
    targets = [revision.message_id] if whole_series else [p.message_id for p in patches]
    line = f"{trailer}: {reviewer}\n"
    mails = [_reply(store, target, line, (name, address)) for target in targets]
    return b"".join(_as_mbox_entry(m) for m in mails)


def _reply(store: Store, message_id: str, trailer_line: str, me: tuple[str, str]) -> EmailMessage:
    raw = store.raw_message(message_id)
    if raw is None:
        raise ReviewerError(f"<{message_id}> is not in the database")
    original = b4.LoreMessage(parse_bytes(raw))
    when = original.date.strftime("%a, %b %d, %Y at %H:%M")
    body = (
        f"On {when}, {original.fromname} wrote:\n"
        f"{b4.make_quote(original.body, maxlines=QUOTED_LINES)}\n\n{trailer_line}"
    )
    b4_config()  # make_reply's Message-Id honours b4's config
    return _with_policy(original.make_reply(body, mailfrom=me))


def _with_policy(msg: EmailMessage) -> EmailMessage:
    """Re-home b4's message on an SMTP policy that keeps long message-ids on one line."""
    out = EmailMessage(policy=_POLICY)
    for key, value in msg.items():
        out[key] = str(value)
    out.set_content(msg.get_payload(decode=True).decode("utf-8"))
    return out


def _as_mbox_entry(msg: EmailMessage) -> bytes:
    return mailbox.mboxMessage(msg).as_bytes(unixfrom=True) + b"\n"
