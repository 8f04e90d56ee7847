"""Write a revision as an am-ready mbox with the collected trailers (b4 does the formatting)."""

from __future__ import annotations

import io

import b4

from reviewer.constants import LIVE_TRAILERS
from reviewer.errors import ReviewerError
from reviewer.models import Revision, Series
from reviewer.series.parse import load_posting, posting_of
from reviewer.sources.mail import parse_bytes
from reviewer.store.core import Store

EXPORTED_STATUSES = LIVE_TRAILERS  # stale and mismatched trailers are left out


def am_ready_mbox(store: Store, series: Series, revision: Revision) -> bytes:
    if revision.partial:
        raise ReviewerError(f"{revision.label} is partial ({'; '.join(revision.partial)})")
    out = io.BytesIO()
    save_git_am_mbox([msg for _index, msg in am_ready_messages(store, series, revision)], out)
    return out.getvalue()


def am_ready_messages(store: Store, series: Series, revision: Revision) -> list[tuple[int, object]]:
    """[(patch index, am-ready EmailMessage)] of the patches the revision has, made by b4's
    am-ready path (LoreSeries.get_am_ready) with the collected trailers (stale and mismatched
    ones left out); trailer comments such as ``Cc: stable@vger.kernel.org # 6.1+`` are kept.
    A partial revision gives the patches it has."""
    msgs = [parse_bytes(raw) for raw in store.raw_messages(series.id)]
    _mailbox, lser = load_posting(posting_of(msgs, revision.message_id))
    if lser is None:
        raise ReviewerError(f"{revision.label}: no patches to export")
    if lser.patches[0] is not None:
        lser.patches[0].followup_trailers = []  # already spread over the patches
    by_index = {p.index: p for p in revision.patches}
    present = [lmsg for lmsg in lser.patches[1:] if lmsg is not None]
    for lmsg in present:
        patch = by_index.get(lmsg.counter)
        lmsg.followup_trailers = [
            b4.LoreTrailer(name=t.name, value=t.value)
            for t in (patch.trailers if patch else [])
            if t.status in EXPORTED_STATUSES
        ]
    b4.get_main_config()["attestation-policy"] = "off"
    am_msgs = lser.get_am_ready(allowbadchars=True)
    if len(am_msgs) != len(present):
        raise ReviewerError(f"{revision.label}: b4 made {len(am_msgs)} of {len(present)} mails")
    return [(lmsg.counter, msg) for lmsg, msg in zip(present, am_msgs, strict=True)]


def am_mails(store: Store, series: Series, revision: Revision) -> dict[int, bytes]:
    """{patch index: one-message mbox for ``git am``} from b4's am-ready path (what ``apply``
    applies, the same bytes ``export`` writes for that patch)."""
    out = {}
    for index, msg in am_ready_messages(store, series, revision):
        buf = io.BytesIO()
        save_git_am_mbox([msg], buf)
        out[index] = buf.getvalue()
    return out


def save_git_am_mbox(msgs: list, dest: io.BufferedIOBase) -> None:
    """Byte for byte what b4.save_git_am_mbox writes, in linear time.

    b4 (0.16) builds each message with ``bytes +=`` per body line (LoreMessage.get_msg_as_bytes),
    which is quadratic: a 10 MB patch took minutes to export. Same headers (b4's own
    wrap_header, decoded), same payload, same line handling;
    tests/trailers/test_export_bytes.py checks the output equals b4's.
    """
    for msg in msgs:
        dest.write(b"From git@z Thu Jan  1 00:00:00 1970\n")
        dest.write(_msg_as_bytes(msg))


def _msg_as_bytes(msg) -> bytes:
    parts = [
        b4.LoreMessage.wrap_header((name, str(value)), nl="\n", transform="decode") + b"\n"
        for name, value in msg.items()
    ]
    parts.append(b"\n")
    payload = msg.get_payload(decode=True)
    if not isinstance(payload, bytes):
        body_text, _charset = b4.LoreMessage.get_payload(msg, use_patch=True)
        payload = body_text.encode("utf-8", errors="replace")
    parts.extend(line.rstrip(b"\r\n") + b"\n" for line in payload.split(b"\n"))
    return b"".join(parts)
