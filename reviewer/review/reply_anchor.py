"""Other reviewers' replies to a patch, their comments anchored to the diff lines they quote.

A reply quotes the patch ("> +code") and writes under the quoted lines; b4's own parser of such
replies (the one b4 review uses for agent and sashiko reviews,
b4.review._review._extract_comments_from_quoted_reply) splits it into comments, each with the
last quoted line above it. The comment is then placed on the diff line with that text in that
file (reviewer.review.comments.locate: nearest line number), else shown above the diff.
Reply text is mail: it is only ever displayed inert.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr

from b4.review import _review as b4_review

from reviewer.diff.anchor import positions
from reviewer.models import Patch
from reviewer.review.comments import Side, locate
from reviewer.sources.mail import parse_bytes
from reviewer.store import review as rs
from reviewer.store.core import Store


@dataclass
class Reply:
    message_id: str
    author: str  # display name, else address
    refs: set[str]  # In-Reply-To and References
    body: str


@dataclass
class ThreadNote:
    author: str
    row: int | None  # diff line it is under; None: above the diff (not on a quoted diff line)
    text: str
    message_id: str


def series_replies(store: Store, series_id: int) -> list[Reply]:
    """Every stored mail of the series that answers something, parsed once."""
    out = []
    for raw in store.raw_messages(series_id):
        msg = parse_bytes(raw)
        refs = {r.strip("<>") for r in str(msg.get("References", "") or "").split()}
        refs |= {r.strip("<>") for r in str(msg.get("In-Reply-To", "") or "").split()}
        if not refs:
            continue
        part = msg.get_body(preferencelist=("plain",))
        try:
            body = part.get_content() if part is not None else ""
        except (LookupError, ValueError, AttributeError):
            body = ""
        name, address = parseaddr(str(msg.get("From", "") or ""))
        mid = str(msg.get("Message-ID", "") or "").strip().strip("<>")
        out.append(Reply(mid, name or address, refs, body))
    return out


def thread_notes(replies: list[Reply], patch: Patch) -> list[ThreadNote]:
    """The comments of the replies to ``patch``, placed on its diff."""
    lines = positions(patch.diff)
    files = {p.file for p in lines}
    notes = []
    for reply in replies:
        if patch.message_id not in reply.refs or reply.message_id == patch.message_id:
            continue
        for found in b4_review._extract_comments_from_quoted_reply(reply.body):
            text, content = found.get("text", ""), found.get("content", "")
            path = str(found.get("path", ""))
            row = None
            if path.startswith(("b/", "a/")) and path not in files:
                path = path[2:]  # b4 keeps the +++ line's b/ prefix, not diff --git's
            if content and path in files:
                side = Side.OLD if content.startswith("-") else Side.NEW
                probe = rs.CommentRow(0, 0, "", path, str(side), int(found.get("line", 0)),
                                      content, "", "", "", "", "")  # fmt: skip
                row = locate(probe, lines)
            notes.append(ThreadNote(reply.author, row, text, reply.message_id))
    return notes
