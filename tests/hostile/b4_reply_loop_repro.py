"""Upstream reproducer: b4.LoreMailbox.get_series() never returns on an In-Reply-To cycle.

Two replies whose In-Reply-To headers point at each other (and whose subjects start with
"Re:") send the follow-up walk in ``LoreMailbox.get_series`` round the loop forever: it only
stops when a message is its own parent. Standalone, needs only b4:

    python tests/hostile/b4_reply_loop_repro.py          # exit 3: still hangs (alarm fired)
    python tests/hostile/b4_reply_loop_repro.py --break  # the same mail after reviewer breaks
                                                         # the loop: exit 0

reviewer's test (test_reply_loops.py) runs the second form in a subprocess with a timeout.
"""

from __future__ import annotations

import email.parser
import email.policy
import signal
import sys

import b4

PATCH = """\
Message-Id: <patch@example.org>
From: A <a@example.org>
Subject: [PATCH] mm: x
Date: Mon, 19 Jan 2026 10:00:00 +0000

x

Signed-off-by: A <a@example.org>
---
diff --git a/x b/x
--- a/x
+++ b/x
@@ -1 +1 @@
-a
+b
"""

REPLY = """\
Message-Id: <{me}@example.org>
From: R <r@example.org>
Subject: Re: [PATCH] mm: x
Date: Mon, 19 Jan 2026 11:00:00 +0000
In-Reply-To: <{other}@example.org>
References: <patch@example.org> <{other}@example.org>

Reviewed-by: R <r@example.org>
"""


def messages():
    parser = email.parser.Parser(policy=email.policy.default)
    texts = [PATCH, REPLY.format(me="a", other="b"), REPLY.format(me="b", other="a")]
    return [parser.parsestr(t) for t in texts]


def main() -> int:
    msgs = messages()
    if "--break" in sys.argv:
        from reviewer.sources.threads import break_reply_loops

        print("\n".join(break_reply_loops({b4.LoreMessage.get_clean_msgid(m): m for m in msgs})))
    mailbox = b4.LoreMailbox()
    for msg in msgs:
        mailbox.add_message(msg)
    signal.signal(signal.SIGALRM, lambda *_: sys.exit(3))
    signal.alarm(10)
    lser = mailbox.get_series(1, sloppytrailers=True, reroll=False, codereview_trailers=False)
    signal.alarm(0)
    print("get_series returned", [t.as_string() for t in lser.patches[1].followup_trailers])
    return 0


if __name__ == "__main__":
    sys.exit(main())
