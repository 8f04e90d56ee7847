"""Tracking from a mail client: one mail piped in (mutt's ``|reviewer track -``) stands for its
whole thread, which is fetched from the archive (b4.midmask or --server) unless --offline."""

from __future__ import annotations

import b4

from reviewer.errors import ReviewerError
from reviewer.sources.mail import Loaded, RawMessage
from reviewer.sources.threads import message_id


def whole_thread(loaded: Loaded, offline: bool, server: str | None = None) -> Loaded:
    """``loaded`` as it is unless it is one mail and the network may be used; then the thread
    that mail belongs to (the mail itself kept when the archive does not have it yet). When the
    fetch fails the one mail is tracked and the reason is reported as a problem."""
    if offline or len(loaded.messages) != 1:
        return loaded
    from reviewer.sources.fetch import fetch_thread

    one = loaded.messages[0]
    mid = message_id(one.msg)
    if not mid:
        return loaded
    try:
        msgs = fetch_thread(mid, server=server)
    except ReviewerError as exc:
        problem = f"{exc}; tracked only the one mail given (--offline to skip fetching)"
        return Loaded(loaded.messages, [*loaded.problems, problem])
    fetched = [RawMessage(m.as_bytes(policy=b4.emlpolicy), m) for m in msgs]
    have = {message_id(m.msg) for m in fetched}
    return Loaded(fetched + ([] if mid in have else [one]), loaded.problems)
