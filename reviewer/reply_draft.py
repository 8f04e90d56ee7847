"""Review reply drafts: the trailer mails a reviewer sends after reading a series.

b4 spreads a trailer given on the cover letter over every patch, so the whole series gets one
reply to the cover letter; a subset gets one reply per patch. The drafts are an mbox the reviewer
edits and sends with their mail client or ``git send-email``; nothing is sent from here.
"""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from email.policy import SMTP

from reviewer.errors import ReviewerError
from reviewer.models import Patch, Revision

REPLY_TRAILERS = ("Reviewed-by", "Acked-by", "Tested-by")
_POLICY = SMTP.clone(max_line_length=998)  # long message-ids must stay unencoded


def reply_drafts(revision: Revision, patches: list[Patch], trailer: str, reviewer: str) -> bytes:
    """An mbox of drafts giving ``trailer`` on ``patches`` as ``reviewer`` ("Name <email>")."""
    if trailer not in REPLY_TRAILERS:
        raise ReviewerError(f"unknown trailer {trailer!r} (one of: {', '.join(REPLY_TRAILERS)})")
    if not patches:
        raise ReviewerError("no patches selected for the reply")
    if "@" not in reviewer:
        raise ReviewerError("no reviewer identity: set git config user.name and user.email")
    line = f"{trailer}: {reviewer}\n"
    if len(patches) == len(revision.patches) and revision.cover:
        mails = [_mail(reviewer, revision.author, revision.subject, revision.message_id, line)]
    else:
        mails = [_mail(reviewer, p.author, p.subject, p.message_id, line) for p in patches]
    return b"".join(_as_mbox_entry(m) for m in mails)


def _mail(sender: str, to: str, subject: str, parent_id: str, body: str) -> EmailMessage:
    msg = EmailMessage(policy=_POLICY)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = f"Re: {subject}"
    msg["In-Reply-To"] = f"<{parent_id}>"
    msg["References"] = f"<{parent_id}>"
    msg.set_content(body)
    return msg


def _as_mbox_entry(msg: EmailMessage) -> bytes:
    return mailbox.mboxMessage(msg).as_bytes(unixfrom=True) + b"\n"
