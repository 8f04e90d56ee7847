"""Write a revision as an am-ready mbox with the collected trailers (b4 does the formatting)."""

from __future__ import annotations

import io

import b4

from reviewer.errors import ReviewerError
from reviewer.models import Revision, Series
from reviewer.sources import parse_bytes
from reviewer.store import Store
from reviewer.thread_parse import load_posting, posting_of

EXPORTED_STATUSES = ("ok", "carried")  # stale and mismatched trailers are left out


def am_ready_mbox(store: Store, series: Series, revision: Revision) -> bytes:
    if revision.partial:
        raise ReviewerError(f"{revision.label} is partial ({'; '.join(revision.partial)})")
    msgs = [parse_bytes(raw) for raw in store.raw_messages(series.id)]
    _mailbox, lser = load_posting(posting_of(msgs, revision.message_id))
    if lser is None:
        raise ReviewerError(f"{revision.label}: no patches to export")
    if lser.patches[0] is not None:
        lser.patches[0].followup_trailers = []  # already spread over the patches
    by_index = {p.index: p for p in revision.patches}
    for lmsg in lser.patches[1:]:
        patch = by_index[lmsg.counter]
        lmsg.followup_trailers = [
            b4.LoreTrailer(name=t.name, value=t.value)
            for t in patch.trailers
            if t.status in EXPORTED_STATUSES
        ]
    b4.get_main_config()["attestation-policy"] = "off"
    am_msgs = lser.get_am_ready(allowbadchars=True)
    out = io.BytesIO()
    b4.save_git_am_mbox(am_msgs, out)
    return out.getvalue()
