"""Split a pile of mail into postings: one posting per sent revision, with all replies under it.

b4's LoreMailbox keys a thread's series by revision number, so a v1 and its RESEND (both
revision 1) would collide in one mailbox. We therefore find the posting each message belongs to
first, and hand b4 one posting at a time.
"""

from __future__ import annotations

import email.errors
from dataclasses import dataclass, field
from email.message import EmailMessage

import b4

PostingKey = tuple[int, bool, int]  # (revision, resend, expected)

# Larger numbers in a subject are not a real series (b4 would allocate a slot per patch, and the
# store keeps 64-bit integers): such mail is ignored with one line.
MAX_REVISION = 10_000
MAX_PATCHES = 2_000
# What Python's header parser raises on a Message-ID such as "<>" (stdlib bug: IndexError).
_HEADER_ERRORS = (email.errors.HeaderParseError, IndexError, ValueError, TypeError)


@dataclass
class Posting:
    key: PostingKey
    root_id: str
    messages: list[EmailMessage] = field(default_factory=list)


@dataclass
class SplitResult:
    postings: list[Posting]
    ignored: list[str]  # one human line per message we could not place
    duplicates: list[str]  # message-ids seen more than once
    unplaced: list[EmailMessage] = field(default_factory=list)  # replies to unknown messages
    loops: list[str] = field(default_factory=list)  # one line per reply loop that was broken


def message_id(msg: EmailMessage) -> str | None:
    """The message's id without <>, or None when it has none (or an unusable one like <>)."""
    try:
        return b4.LoreMessage.get_clean_msgid(msg) or None
    except _HEADER_ERRORS:
        return None


def parent_id(msg: EmailMessage) -> str | None:
    parent = b4.LoreMessage.get_clean_msgid(msg, header="In-Reply-To")
    if parent:
        return parent
    refs = str(msg.get("References", "") or "").split()
    return refs[-1].strip("<>") if refs else None


def _head_key(msg: EmailMessage) -> PostingKey | None:
    """The posting key of a message sent as part of a series, None for replies and chatter."""
    subject = b4.LoreSubject(str(msg.get("Subject", "") or ""))
    if subject.reply or not subject.patch:
        return None
    return (subject.revision, bool(subject.resend), subject.expected)


def implausible(key: PostingKey) -> str | None:
    """Why a posting key cannot be a real series, or None."""
    if key[0] > MAX_REVISION:
        return f"revision number v{key[0]} is not plausible (over {MAX_REVISION})"
    if key[2] > MAX_PATCHES:
        return f"patch count {key[2]} is not plausible (over {MAX_PATCHES})"
    return None


def dedupe(msgs: list[EmailMessage]) -> tuple[dict[str, EmailMessage], list[str], list[str]]:
    by_id: dict[str, EmailMessage] = {}
    duplicates: list[str] = []
    ignored: list[str] = []
    for msg in msgs:
        msgid = message_id(msg)
        if not msgid:
            ignored.append(f"message without a Message-ID: {msg.get('Subject', '')!s}")
            continue
        if msgid in by_id:
            duplicates.append(msgid)
            by_id[msgid] = b4.LoreMessage.get_preferred_duplicate(by_id[msgid], msg)
            continue
        by_id[msgid] = msg
    return by_id, ignored, duplicates


EPOCH_DATE = "Thu, 01 Jan 1970 00:00:00 +0000"


def _date_problem(msg: EmailMessage) -> str | None:
    """Why b4 could not give this message a fixed date (it drops the message when the values
    are out of range, and uses the current time when the text is no date at all)."""
    import datetime
    import email.utils

    try:
        text = str(msg.get("Date", "") or "").strip()
    except _HEADER_ERRORS:
        return "an unparsable Date"
    if not text:
        return None  # no Date at all: b4 copes, and there is nothing to report but absence
    try:
        dtuple = email.utils.parsedate_tz(text)
        if dtuple is None:
            return f"an unparsable Date ({text[:40]!r})"
        if dtuple[-1] is not None and abs(dtuple[-1]) > 86400:
            datetime.datetime(*dtuple[:6], tzinfo=datetime.UTC)  # b4's own fallback
        else:
            email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, OverflowError, IndexError):
        return f"an unparsable Date ({text[:40]!r})"
    return None


def fix_dates(by_id: dict[str, EmailMessage]) -> list[str]:
    """Give a message whose Date b4 cannot use a fixed one (the epoch), in place, and say so:
    otherwise b4 drops the message (a patch then shows as missing) or dates it "now", which
    changes on every rebuild."""
    lines = []
    for mid, msg in by_id.items():
        why = _date_problem(msg)
        if why:
            del msg["Date"]
            msg["Date"] = EPOCH_DATE
            lines.append(f"message <{mid}> has {why}: dated 1970-01-01")
    return lines


def _date_key(msg: EmailMessage) -> tuple[int, float]:
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(str(msg.get("Date", "")))
        return (0, when.timestamp())
    except (TypeError, ValueError, IndexError, OverflowError):
        return (1, 0.0)  # undated sorts last: never the one we trust less


def break_reply_loops(by_id: dict[str, EmailMessage]) -> list[str]:
    """Cut every In-Reply-To/References cycle, in place, and describe each in one line.

    b4's LoreMailbox.get_series walks a reply's parents until it finds a patch and only stops
    early when a message is its own parent, so a two-message loop never ends. In each loop the
    earliest message (by Date, then Message-ID) cannot really answer a later one: its
    In-Reply-To is removed and its References lose the loop's members, so it hangs under what
    else it names (usually the patch) or becomes a thread root.
    """
    lines: list[str] = []
    while cycles := _cycles(by_id):
        for cycle in cycles:
            cut = min(cycle, key=lambda mid: (_date_key(by_id[mid]), mid))
            msg = by_id[cut]
            refs = [r for r in str(msg.get("References", "") or "").split()]
            keep = [r for r in refs if r.strip("<>") not in cycle]
            del msg["In-Reply-To"]
            del msg["References"]
            if keep:
                msg["References"] = " ".join(keep)
            path = " -> ".join(f"<{m}>" for m in [*cycle, cycle[0]])
            lines.append(f"reply loop {path}: <{cut}> no longer treated as a reply to it")
    return lines


def _cycles(by_id: dict[str, EmailMessage]) -> list[list[str]]:
    """Every cycle of the parent graph (each message has at most one parent): O(messages)."""
    parents = {mid: parent_id(msg) for mid, msg in by_id.items()}
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    cycles: list[list[str]] = []
    for start in by_id:
        path: list[str] = []
        current: str | None = start
        while current in by_id and current not in state:
            state[current] = 1
            path.append(current)
            current = parents[current]
        if current in by_id and state.get(current) == 1:
            cycles.append(path[path.index(current) :])
        for mid in path:
            state[mid] = 2
    return cycles


def _posting_root(msgid: str, parents: dict[str, str | None], keys: dict[str, PostingKey]) -> str:
    """Walk up while the parent is part of the same posting (deep or shallow threading)."""
    seen = {msgid}
    current = msgid
    while True:
        parent = parents.get(current)
        if not parent or parent in seen or keys.get(parent) != keys[msgid]:
            return current
        seen.add(parent)
        current = parent


def _is_fixup_head(
    msgid: str, by_id: dict[str, EmailMessage], parents: dict[str, str | None],
    keys: dict[str, PostingKey],
) -> bool:  # fmt: skip
    """A lone "[PATCH] fix" sent in reply to a patch of another posting is a reply, not a series."""
    parent = parents.get(msgid)
    if not parent or parent not in by_id:
        return False
    subject = b4.LoreSubject(str(by_id[msgid].get("Subject", "")))
    return keys[msgid][2] == 1 and subject.counter <= 1 and keys.get(parent) != keys[msgid]


def split_postings(msgs: list[EmailMessage]) -> SplitResult:
    by_id, ignored, duplicates = dedupe(msgs)
    ignored += fix_dates(by_id)
    ignored += break_reply_loops(by_id)
    keys: dict[str, PostingKey] = {}
    for mid, msg in list(by_id.items()):
        key = _head_key(msg)
        if key is not None and (why := implausible(key)):
            subject = " ".join(str(msg.get("Subject", "")).split())[:80]
            ignored.append(f"{why}; ignored: {subject} <{mid}>")
            del by_id[mid]
        elif key is not None:
            keys[mid] = key
    # Parsing a header is the expensive part: every parent is looked up once, and every walk
    # below uses this map, so a deep reply chain costs linear time, not quadratic.
    parents = {mid: parent_id(msg) for mid, msg in by_id.items()}
    for mid in [m for m in keys if _is_fixup_head(m, by_id, parents, keys)]:
        del keys[mid]

    postings: dict[tuple[str, PostingKey], Posting] = {}
    owner: dict[str, Posting] = {}
    unplaced: list[EmailMessage] = []
    threaded = {p for m in keys if (p := parents.get(m)) and keys.get(p) == keys[m]}
    numbers: dict[tuple[str, PostingKey], set[int]] = {}  # patch numbers of unthreaded postings
    for mid in keys:
        root = _posting_root(mid, parents, keys)
        group = _unthreaded_group(root, by_id, parents, keys, threaded)
        if group[0].startswith("unthreaded:"):
            group = _free_unthreaded_slot(group, by_id[mid], numbers)
        posting = postings.setdefault(group, Posting(key=keys[mid], root_id=group[0]))
        owner[mid] = posting

    chain = _ChainOwner(by_id, parents, owner)
    for mid, msg in by_id.items():
        posting = owner.get(mid) or chain.owner(mid) or _owner_by_references(msg, owner)
        if posting is None:
            unplaced.append(msg)
            continue
        posting.messages.append(msg)
    return SplitResult(list(postings.values()), ignored, duplicates, unplaced)


def _unthreaded_group(
    root: str, by_id: dict[str, EmailMessage], parents: dict[str, str | None],
    keys: dict[str, PostingKey], threaded: set[str],
) -> tuple[str, PostingKey]:  # fmt: skip
    """Patches sent without threading share a posting when key and author match; a root that
    other patches of its posting answer (a cover letter, a first patch) is its own posting, so a
    revision posted twice gives two postings."""
    parent = parents.get(root)
    if (parent and parent in by_id) or root in threaded or keys[root][2] <= 1:
        return (root, keys[root])  # threaded, or a single patch: a posting of its own
    author = b4.LoreMessage.clean_header(str(by_id[root].get("From", ""))).lower()
    return (f"unthreaded:{author}", keys[root])


def _free_unthreaded_slot(
    group: tuple[str, PostingKey],
    msg: EmailMessage,
    numbers: dict[tuple[str, PostingKey], set[int]],
) -> tuple[str, PostingKey]:
    """Two unthreaded series of one author with the same key ("[PATCH 1/2]" twice) become two
    postings: a patch number already taken starts (or joins) the next posting."""
    counter = b4.LoreSubject(str(msg.get("Subject", "") or "")).counter
    name, key = group
    slot = 0
    while counter in numbers.setdefault((f"{name}#{slot}", key), set()):
        slot += 1
    numbers[(f"{name}#{slot}", key)].add(counter)
    return (f"{name}#{slot}", key)


class _ChainOwner:
    """The posting a reply belongs to by its parent chain, memoised along the walked path."""

    def __init__(self, by_id, parents, owner) -> None:
        self.by_id = by_id
        self.parents = parents
        self.known: dict[str, Posting | None] = dict(owner)

    def owner(self, msgid: str) -> Posting | None:
        path = []
        seen = set()
        current = msgid
        result = None
        while current in self.by_id and current not in seen:
            if current in self.known:
                result = self.known[current]
                break
            seen.add(current)
            path.append(current)
            current = self.parents.get(current)
        for mid in path:
            self.known[mid] = result
        return result


def _owner_by_references(msg: EmailMessage, owner: dict[str, Posting]) -> Posting | None:
    """A reply whose direct parent is missing may still name a known patch in References."""
    for ref in reversed(str(msg.get("References", "") or "").split()):
        posting = owner.get(ref.strip("<>"))
        if posting is not None:
            return posting
    return None
