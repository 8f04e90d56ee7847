"""Generate mailing-list traffic for update tests and bench/update_scale.py.

Series ``k`` is by author ``dev{k}@example.org``, has ``patches`` patches each adding one small C
file (valid diffs, so b4 computes patch-ids and public-inbox indexes them), a cover letter, and
replies carrying Reviewed-by trailers. Everything is deterministic: message-ids and dates derive
from the series number and revision.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

BASE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LIST = "test@example.com"


def author(k: int) -> str:
    return f"Dev {k} <dev{k}@example.org>"


def cover_id(k: int, rev: int = 1) -> str:
    return f"cover.s{k}.v{rev}@example.org"


def patch_id(k: int, rev: int, i: int) -> str:
    return f"patch.s{k}.v{rev}.{i}@example.org"


def _date(k: int, rev: int, minute: int) -> str:
    return format_datetime(BASE + timedelta(days=rev * 7, hours=k % 24, minutes=minute))


def _message(headers: dict[str, str], body: str) -> bytes:
    msg = EmailMessage()
    for name, value in headers.items():
        msg[name] = value
    msg.set_content(body, cte="7bit")
    return msg.as_bytes()


def _diff(k: int, i: int, rev: int) -> str:
    path = f"drivers/synth/s{k}/part{i}.c"
    lines = [f"/* series {k} part {i} */", f"int synth_{k}_{i}(void)", "{", f"\treturn {rev};", "}"]
    body = "".join(f"+{line}\n" for line in lines)
    return (
        f"diff --git a/{path} b/{path}\nnew file mode 100644\nindex 0000000..1111111\n"
        f"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{len(lines)} @@\n{body}"
    )


def _prefix(rev: int) -> str:
    return "PATCH" if rev == 1 else f"PATCH v{rev}"


def subject(k: int) -> str:
    return f"synth: add helpers for device family {k}"


def series(k: int, patches: int = 4, rev: int = 1, replies: int = 0) -> list[bytes]:
    """One posting: cover + ``patches`` patches (+ ``replies`` Reviewed-by replies)."""
    width = len(str(patches))
    cover = cover_id(k, rev)
    base = {"From": author(k), "To": LIST}
    out = [
        _message(
            {**base, "Subject": f"[{_prefix(rev)} {0:0{width}}/{patches}] {subject(k)}",
             "Date": _date(k, rev, 0), "Message-ID": f"<{cover}>"},
            f"This series adds helpers for device family {k} (revision {rev}).\n",
        )
    ]  # fmt: skip
    for i in range(1, patches + 1):
        out.append(
            _message(
                {**base,
                 "Subject": f"[{_prefix(rev)} {i:0{width}}/{patches}] synth: s{k} part {i}",
                 "Date": _date(k, rev, i), "Message-ID": f"<{patch_id(k, rev, i)}>",
                 "In-Reply-To": f"<{cover}>", "References": f"<{cover}>"},
                f"Add part {i} of series {k}.\n\nSigned-off-by: {author(k)}\n---\n"
                + _diff(k, i, rev),
            )
        )  # fmt: skip
    out += [reply(k, rev, 1 + n % patches, n) for n in range(replies)]
    return out


def reply(k: int, rev: int, i: int, n: int, patches_total: int | None = None) -> bytes:
    """Reviewer ``n``'s Reviewed-by on patch ``i`` of series ``k`` revision ``rev``."""
    reviewer = f"Reviewer {n} <rev{n}@example.net>"
    parent = patch_id(k, rev, i)
    return _message(
        {"From": reviewer, "To": LIST,
         "Subject": f"Re: [{_prefix(rev)}] synth: s{k} part {i}",
         "Date": _date(k, rev, 60 + n), "Message-ID": f"<reply.s{k}.v{rev}.{i}.{n}@example.net>",
         "In-Reply-To": f"<{parent}>", "References": f"<{cover_id(k, rev)}> <{parent}>"},
        f"Looks good.\n\nReviewed-by: {reviewer}\n",
    )  # fmt: skip


def mbox(messages: list[bytes]) -> bytes:
    """mboxrd text of raw messages ("From " lines in bodies quoted)."""
    out = []
    for raw in messages:
        body = b"\n".join(
            b">" + line if line.lstrip(b">").startswith(b"From ") else line
            for line in raw.rstrip(b"\n").split(b"\n")
        )
        out.append(b"From mboxrd@z Thu Jan  1 00:00:00 1970\n" + body + b"\n\n")
    return b"".join(out)
