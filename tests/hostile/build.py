"""Build the hostile-mail corpus in this directory from the small synthetic series.

Each ``*.mbox`` here is one kind of bad mail from issue 12 that once gave a traceback, a hang
or a wrong answer. ``python -m tests.hostile.build`` regenerates them (they are committed, so
the corpus does not depend on this script staying the same).
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SYNTHETIC = HERE.parent.parent / "samples" / "synthetic"
V1 = SYNTHETIC / "v1-thread.mbox"
V2 = SYNTHETIC / "v2-thread.mbox"
SEP = b"From mboxrd@z Thu Jan  1 00:00:00 1970\n"


def _messages(path: Path) -> list[bytes]:
    data = path.read_bytes()
    parts = re.split(rb"(?m)^From [^\n]*\n", data)
    return [p.rstrip(b"\n") + b"\n" for p in parts if p.strip()]


def _write(name: str, raws: list[bytes]) -> None:
    with (HERE / name).open("wb") as fh:
        for raw in raws:
            fh.write(SEP + raw.rstrip(b"\n") + b"\n\n")


def _set_header(raw: bytes, name: str, value: str) -> bytes:
    pattern = re.compile(rb"(?mi)^" + name.encode() + rb":[^\n]*\n(?:[ \t][^\n]*\n)*")
    line = f"{name}: {value}\n".encode() if value is not None else b""
    head, sep, body = raw.partition(b"\n\n")
    head += b"\n"
    if pattern.search(head):
        head = pattern.sub(lambda _m: line, head, count=1)
    else:
        head += line
    return head.rstrip(b"\n") + b"\n\n" + body


def _subject(raw: bytes) -> str:
    m = re.search(rb"(?mi)^Subject:([^\n]*(?:\n[ \t][^\n]*)*)", raw)
    return " ".join(m.group(1).decode().split()) if m else ""


def _msgid(raw: bytes) -> str:
    m = re.search(rb"(?mi)^Message-Id:\s*<([^>]*)>", raw)
    return m.group(1).decode() if m else ""


def _is_reply(raw: bytes) -> bool:
    return _subject(raw).lower().startswith("re:")


def _replace_all(raws: list[bytes], old: bytes, new: bytes) -> list[bytes]:
    return [r.replace(old, new) for r in raws]


def empty_message_ids() -> None:
    """One reply with an empty Message-ID, one with only <>, one patch-less chatter with ''."""
    raws = _messages(V1)
    replies = [i for i, r in enumerate(raws) if _is_reply(r)]
    raws[replies[0]] = _set_header(raws[replies[0]], "Message-Id", "")
    raws[replies[1]] = _set_header(raws[replies[1]], "Message-Id", "<>")
    _write("empty-message-id.mbox", raws)
    raws = _messages(V1)
    raws[2] = _set_header(raws[2], "Message-Id", "<>")  # a patch, not a reply
    _write("empty-message-id-patch.mbox", raws)


def huge_revisions() -> None:
    for name, number in (
        ("huge-revision", "99999999999999999999"),
        ("huge-revision-int64", "9223372036854775808"),
    ):
        raws = [r.replace(b"[PATCH ", f"[PATCH v{number} ".encode()) for r in _messages(V1)]
        raws = _replace_all(raws, b"-v1-", f"-v{number}-".encode())
        _write(f"{name}.mbox", raws)


def v2_twice() -> None:
    """The same v2 posted twice: same subjects, fresh message-ids."""
    first = [r for r in _messages(V2) if not _is_reply(r)]
    second = [
        re.sub(rb"(?m)^((?:Message-Id|In-Reply-To|References):.*?)-v2-", rb"\1-v2again-", r)
        for r in first
    ]
    assert all(a != b for a, b in zip(first, second, strict=True))
    _write("v2-posted-twice.mbox", first + second)


def reply_loop() -> None:
    """Two replies whose In-Reply-To point at each other (and a self-reply)."""
    raws = _messages(V1)
    patch = next(r for r in raws if "[PATCH 2/4]" in _subject(r) and not _is_reply(r))
    loop = []
    for me, other in (("loop-a", "loop-b"), ("loop-b", "loop-a")):
        loop.append(
            f"Message-Id: <{me}@example.org>\nFrom: Looper <looper@example.org>\n"
            f"Date: Tue, 20 Jan 2026 10:00:00 +0000\n"
            f"Subject: Re: [PATCH 2/4] mm: add vma_desc_test/set/clear_flag() helpers\n"
            f"In-Reply-To: <{other}@example.org>\n"
            f"References: <{_msgid(patch)}> <{other}@example.org>\n"
            f"\nReviewed-by: Looper <looper@example.org>\n".encode()
        )
    loop.append(
        b"Message-Id: <self@example.org>\nFrom: Self <self@example.org>\n"
        b"Date: Tue, 20 Jan 2026 10:00:00 +0000\n"
        b"Subject: Re: [PATCH 3/4] mm: update secretmem to use VMA flags on mmap_prepare\n"
        b"In-Reply-To: <self@example.org>\nReferences: <self@example.org>\n\nok\n"
    )
    _write("reply-loop.mbox", raws + loop)


def duplicate_message_id() -> None:
    """Two copies of patch 2 under one Message-ID, with different diffs."""
    raws = _messages(V1)
    index = next(i for i, r in enumerate(raws) if "[PATCH 2/4]" in _subject(r) and not _is_reply(r))
    other = raws[index].replace(b"vma_desc_test_flag", b"vma_desc_TEST_flag_evil")
    assert other != raws[index]
    _write("duplicate-message-id.mbox", raws + [other])


def reply_without_message_id() -> None:
    raws = _messages(V1)
    reply = next(r for r in raws if _is_reply(r))
    head, _sep, body = reply.partition(b"\n\n")
    head = re.sub(rb"(?mi)^Message-Id:[^\n]*\n", b"", head + b"\n")
    _write("reply-without-message-id.mbox", raws + [head.rstrip(b"\n") + b"\n\n" + body])


def bad_date() -> None:
    raws = _messages(V1)
    raws[3] = _set_header(raws[3], "Date", "yesterday-ish, around teatime")
    _write("bad-date.mbox", raws)
    raws = _messages(V1)
    raws[3] = _set_header(raws[3], "Date", "Mon, 99 Jan 2026 25:61:00 +0000")
    raws[4] = _set_header(raws[4], "Date", "Mon, 19 Jan 99999999 10:00:00 +0000")
    _write("bad-date-values.mbox", raws)


def bidi_subject() -> None:
    raws = _messages(V1)
    spoof = "[PATCH 1/4] mm: fix \u202egnp.tixe\u202c \u2066x\u2069 zero\u200bwidth \u200f"
    raws[1] = _set_header(
        raws[1],
        "Subject",
        "=?utf-8?b?" + __import__("base64").b64encode(spoof.encode()).decode() + "?=",
    )
    _write("bidi-subject.mbox", raws)


def unrelated_chatter() -> None:
    raws = _messages(V1)
    for n in range(200):
        raws.append(
            f"Message-Id: <chatter-{n}@example.org>\nFrom: Chatty <chatty@example.org>\n"
            f"Date: Tue, 20 Jan 2026 10:00:00 +0000\nSubject: lunch {n}?\n"
            f"In-Reply-To: <nowhere-{n}@example.org>\n\npizza?\n".encode()
        )
    _write("unrelated-chatter.mbox", raws)


def trailer_comment() -> None:
    raws = _messages(V1)
    raws = [
        r.replace(
            b"Signed-off-by: Lorenzo Example <lorenzo@example.org>\n---",
            b"Cc: stable@vger.kernel.org # 6.1+\n"
            b"Signed-off-by: Lorenzo Example <lorenzo@example.org>\n---",
        )
        for r in raws
    ]
    _write("trailer-comment.mbox", raws)


def one_author_many_single_patches() -> None:
    """Five unthreaded one-patch series from one author (a bot, or a busy maintainer)."""
    raws = []
    for n in range(5):
        raws.append(
            f"Message-Id: <single-{n}@example.org>\nFrom: Bot <bot@example.org>\n"
            f"Date: Tue, 20 Jan 2026 10:0{n}:00 +0000\nSubject: [PATCH] drv{n}: fix thing {n}\n\n"
            f"fix {n}\n\nSigned-off-by: Bot <bot@example.org>\n---\n"
            f"diff --git a/f{n}.c b/f{n}.c\nnew file mode 100644\nindex 0000000..1111111\n"
            f"--- /dev/null\n+++ b/f{n}.c\n@@ -0,0 +1 @@\n+int fix{n};\n".encode()
        )
    _write("one-author-single-patches.mbox", raws)


def unthreaded_same_numbers() -> None:
    """Two unthreaded 2-patch series by one author: two "[PATCH 1/2]" and two "[PATCH 2/2]"."""
    raws = []
    for series in "ab":
        for n in (1, 2):
            raws.append(
                f"Message-Id: <unthreaded-{series}{n}@example.org>\nFrom: Bot <bot@example.org>\n"
                f"Date: Tue, 20 Jan 2026 10:00:00 +0000\n"
                f"Subject: [PATCH {n}/2] {series}: part {n}\n\n"
                f"part {n}\n\nSigned-off-by: Bot <bot@example.org>\n---\n"
                f"diff --git a/{series}{n}.c b/{series}{n}.c\nnew file mode 100644\n"
                f"index 0000000..1111111\n--- /dev/null\n+++ b/{series}{n}.c\n@@ -0,0 +1 @@\n"
                f"+int {series}{n};\n".encode()
            )
    _write("unthreaded-same-numbers.mbox", raws)


def doubled_patch_number() -> None:
    """One thread with two "[PATCH 2/4]" (patch 3 mis-numbered) and no patch 3."""
    raws = _messages(V1)
    raws = [r.replace(b"[PATCH 3/4]", b"[PATCH 2/4]") if not _is_reply(r) else r for r in raws]
    _write("doubled-patch-number.mbox", raws)


def main() -> None:
    for build in (
        empty_message_ids,
        huge_revisions,
        v2_twice,
        reply_loop,
        duplicate_message_id,
        reply_without_message_id,
        bad_date,
        bidi_subject,
        unrelated_chatter,
        trailer_comment,
        one_author_many_single_patches,
        unthreaded_same_numbers,
        doubled_patch_number,
    ):
        build()


if __name__ == "__main__":
    main()
