"""Turn mail into Revision objects with b4: patches, cover letter, fix-ups and reply trailers."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from email.message import EmailMessage

import b4

from reviewer.constants import TrailerStatus
from reviewer.diff.integrity import truncation_problem
from reviewer.models import Cover, Fixup, Patch, Revision, Trailer, revision_label
from reviewer.sources.fetch import b4_config
from reviewer.sources.threads import Posting, split_postings

log = logging.getLogger(__name__)
b4.can_network = False  # network use is decided by reviewer.sources.mail, never implicitly by b4


@dataclass
class ParseResult:
    revisions: list[Revision]
    ignored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    unplaced: list[EmailMessage] = field(default_factory=list)  # replies to unknown messages


def parse_messages(msgs: list[EmailMessage]) -> ParseResult:
    b4_config()
    split = split_postings(msgs)
    revisions = []
    for posting in split.postings:
        revision = parse_posting(posting)
        if revision is None:
            split.ignored.append(f"posting <{posting.root_id}> has no patches")
        else:
            revisions.append(revision)
    revisions.sort(key=lambda r: (r.revision, r.resend, r.date))
    return ParseResult(revisions, split.ignored, split.duplicates, split.unplaced)


def load_posting(posting: Posting) -> tuple[b4.LoreMailbox, b4.LoreSeries | None]:
    """b4's view of one posting: its mailbox and the series with reply trailers attached."""
    mailbox = b4.LoreMailbox()
    for msg in posting.messages:
        try:
            mailbox.add_message(msg)
        except (ValueError, LookupError, UnicodeError) as exc:
            log.info("skipping unparsable message: %s", exc)
    lser = mailbox.get_series(
        posting.key[0], sloppytrailers=True, reroll=False, codereview_trailers=False
    )
    return mailbox, lser


def posting_of(msgs: list[EmailMessage], revision_message_id: str) -> Posting:
    for posting in split_postings(msgs).postings:
        if any(b4.LoreMessage.get_clean_msgid(m) == revision_message_id for m in posting.messages):
            return posting
    raise LookupError(revision_message_id)


def parse_posting(posting: Posting) -> Revision | None:
    mailbox, lser = load_posting(posting)
    if lser is None:
        return None
    revision_no, resend, _expected = posting.key
    label = revision_label(revision_no, resend)
    fixups = _fixups_by_parent(mailbox)
    patches, doubled = _unique_patches(
        [_patch(lmsg, label, fixups) for lmsg in lser.patches[1:] if lmsg is not None]
    )
    # b4 counts a doubled number as an extra patch; the subject's count is what was sent
    expected = posting.key[2] if doubled else lser.expected
    present = {p.index for p in patches}
    missing = [i for i in range(1, expected + 1) if i not in present]
    broken = [
        f"patch {p.index}: {problem}" for p in patches if (problem := truncation_problem(p.diff))
    ]
    cover_lmsg = lser.patches[0] if lser.has_cover else None
    _spread_cover_trailers(cover_lmsg, patches, label)
    first = cover_lmsg or next(lmsg for lmsg in lser.patches[1:] if lmsg is not None)
    return Revision(
        revision=revision_no,
        resend=resend,
        label=label,
        message_id=first.msgid,
        subject=first.lsubject.subject,
        author=_addr(first),
        date=first.date.isoformat(),
        expected=expected,
        patches=patches,
        cover=Cover(cover_lmsg.msgid, cover_lmsg.full_subject, cover_lmsg.body)
        if cover_lmsg
        else None,
        change_id=lser.change_id,
        base_commit=lser.base_commit,
        partial=([_missing_note(missing, expected)] if missing else []) + doubled + broken,
        message_ids=sorted(mailbox.msgid_map),
        references=_references(first.msg),
    )


def _unique_patches(patches: list[Patch]) -> tuple[list[Patch], list[str]]:
    """One patch per number: b4 shifts a second "[PATCH 3/5]" of a posting to a slot of its own
    but it keeps its subject's number; the first one (by b4's order) is kept, the other noted."""
    kept: dict[int, Patch] = {}
    notes = []
    for patch in patches:
        if patch.index in kept:
            notes.append(f"patch {patch.index} posted twice: ignored <{patch.message_id}>")
        else:
            kept[patch.index] = patch
    return sorted(kept.values(), key=lambda p: p.index), notes


def _references(msg: EmailMessage) -> list[str]:
    refs = [r.strip("<>") for r in str(msg.get("References", "") or "").split()]
    parent = b4.LoreMessage.get_clean_msgid(msg, header="In-Reply-To")
    return [r for r in [*refs, parent] if r]


def _addr(lmsg: b4.LoreMessage) -> str:
    return f"{lmsg.fromname} <{lmsg.fromemail}>" if lmsg.fromname else lmsg.fromemail


def _missing_note(missing: list[int], expected: int) -> str:
    numbers = ", ".join(str(i) for i in missing)
    return f"missing {len(missing)} of {expected} patches: {numbers}"


def _diff_of(body: str) -> str:
    start = body.find("\ndiff --git ")
    if start < 0:
        return ""
    diff = body[start + 1 :]
    sig = diff.rfind("\n-- \n")
    if sig >= 0 and diff[sig + 5 :].count("\n") <= 5:  # git's "-- \n2.52.0" signature
        diff = diff[: sig + 1]
    return diff.rstrip("\n") + "\n"


def _commit_message(body: str) -> str:
    _headers, message, trailers, _basement, _sig = b4.LoreMessage.get_body_parts(body)
    lines = [message.rstrip("\n")] if message.strip() else []
    if trailers:
        lines.append("\n".join(t.as_string() for t in trailers))
    return "\n\n".join(lines) + "\n"


def _patch(lmsg: b4.LoreMessage, label: str, fixups: dict[str, list[Fixup]]) -> Patch:
    return Patch(
        index=lmsg.counter,
        subject=lmsg.lsubject.subject,
        message_id=lmsg.msgid,
        author=_addr(lmsg),
        date=lmsg.date.isoformat(),
        commit_message=_commit_message(lmsg.body),
        diff=_diff_of(lmsg.body),
        patch_id=lmsg.git_patch_id,
        trailers=_review_trailers(lmsg, label),
        fixups=fixups.get(lmsg.msgid, []),
    )


def _review_trailers(lmsg: b4.LoreMessage, label: str) -> list[Trailer]:
    """Trailers from replies; a fix-up's own Signed-off-by belongs to the fix-up, not here."""
    out: list[Trailer] = []
    seen: set[tuple[str, str]] = set()
    for ltr in lmsg.followup_trailers:
        source = ltr.lmsg
        if source is None or source.has_diff:
            continue
        key = (ltr.lname, ltr.value.lower())
        if key in seen or ltr.type == "utility":
            continue
        seen.add(key)
        out.append(
            Trailer(
                name=ltr.name,
                value=ltr.value,
                status=TrailerStatus.MISMATCH if _is_mismatch(ltr, source) else TrailerStatus.OK,
                sender=_addr(source),
                message_id=source.msgid,
                given_on=label,
                note=(ltr.extinfo or "").strip(),
            )
        )
    return out


def _is_mismatch(ltr: b4.LoreTrailer, source: b4.LoreMessage) -> bool:
    """The trailer names a person whose address is not the sender's (b4's fuzzy address match:
    +tags and subdomains are tolerated, a matching display name alone is not)."""
    return ltr.type == "person" and not ltr.email_eq(source.fromemail)


def _spread_cover_trailers(cover: b4.LoreMessage | None, patches: list[Patch], label: str) -> None:
    if cover is None:
        return
    for trailer in _review_trailers(cover, label):
        trailer.via_cover = True
        for patch in patches:
            if not any(_same_trailer(trailer, t) for t in patch.trailers):
                patch.trailers.append(Trailer(**vars(trailer)))


def _same_trailer(a: Trailer, b: Trailer) -> bool:
    return a.name.lower() == b.name.lower() and a.value.lower() == b.value.lower()


def _fixups_by_parent(mailbox: b4.LoreMailbox) -> dict[str, list[Fixup]]:
    """Replies that carry a diff, keyed by the patch they answer (walking up sub-threads)."""
    out: dict[str, list[Fixup]] = {}
    for fmsg in mailbox.followups:
        if not fmsg.has_diff:
            continue
        target = _patch_ancestor(fmsg, mailbox)
        if target is not None:
            fixup = Fixup(fmsg.msgid, _addr(fmsg), fmsg.full_subject, _diff_of(fmsg.body))
            out.setdefault(target, []).append(fixup)
    return out


def _patch_ancestor(lmsg: b4.LoreMessage, mailbox: b4.LoreMailbox) -> str | None:
    seen = {lmsg.msgid}
    current = lmsg
    while current.in_reply_to and current.in_reply_to not in seen:
        parent = mailbox.msgid_map.get(current.in_reply_to)
        if parent is None:
            return None
        if parent.has_diff and not parent.reply:
            return parent.msgid
        seen.add(parent.msgid)
        current = parent
    return None
