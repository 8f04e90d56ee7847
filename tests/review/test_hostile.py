"""Mail text stays inert in review work: another reviewer's hostile comment shown on the diff,
and hostile commit-message text quoted in the reply, have their escapes made visible."""

from __future__ import annotations

from reviewer.review import comments
from reviewer.review.reply import compose
from reviewer.review.reply_anchor import series_replies, thread_notes
from reviewer.sources.mail import load_source
from reviewer.store.core import Store
from reviewer.tracking.ingest import ingest
from tests.helpers_minitree import synthetic_mbox
from tui.widgets.diff_model import CommentNote, build_model

PATCH2 = "20260119-vma-desc-flags-v1-2-415c2238bdac@example.org"
CLEAR = "\x1b[2J\x1b]0;pwned\x07"
HOSTILE_REPLY = f"""\
From reviewer@example.org Mon Jan 19 16:00:00 2026
From: "Evil [bold]Reviewer[/bold]" <evil@example.org>
Subject: Re: [PATCH 2/4] mm: add vma_desc_test/set/clear_flag() helpers
Date: Mon, 19 Jan 2026 16:00:00 +0000
Message-ID: <evil-1@example.org>
In-Reply-To: <{PATCH2}>
References: <20260119-vma-desc-flags-v1-0-ee15173e4a67@example.org> <{PATCH2}>

> diff --git a/include/linux/mm.h b/include/linux/mm.h
> @@ -354,6 +354,28 @@ static inline bool vma_test_atomic_flag(struct vm_area_struct *vma, vma_fl
> +/* Set the VMA flag bit in the VMA descriptor, non-atomically. */
> +static inline void vma_desc_set_flag(struct vm_area_desc *desc,

{CLEAR}[red]this line[/red] is wrong

"""


def _store(tmp_path) -> Store:
    raw = synthetic_mbox("v1-thread").read_bytes()
    raw = raw.replace(b"legacy desc->vm_flags field.", CLEAR.encode() + b" field.", 1)
    path = tmp_path / "hostile.mbox"
    path.write_bytes(raw + b"\n" + HOSTILE_REPLY.encode())
    store = Store.open(tmp_path / "db.sqlite3")
    ingest(store, load_source(str(path), offline=True))
    return store


def test_hostile_thread_comment_is_shown_inert(tmp_path):
    store = _store(tmp_path)
    patch = store.load_series(1).latest.patches[1]
    (note,) = [n for n in thread_notes(series_replies(store, 1), patch) if n.row is not None]
    assert "\x1b" in note.text  # the database keeps what was sent
    assert patch.diff.splitlines()[note.row].startswith("+static inline void vma_desc_set_flag")
    model = build_model("", patch.diff, comments=[CommentNote(0, note.row, note.author, note.text,
                                                              "reply")])  # fmt: skip
    shown = [ln.text for ln in model.lines if ln.kind == "reply"]
    assert shown and all("\x1b" not in t and "\x07" not in t for t in shown)
    assert "^[[2J^[]0;pwned^G[red]this line[/red] is wrong" in shown[0]


def test_hostile_commit_message_is_quoted_inert(tmp_path):
    store = _store(tmp_path)
    series = store.load_series(1)
    revision = series.latest
    patch = revision.patches[1]
    comments.add(store, series, patch, "Please split this patch.")
    reply = compose(store, series, revision, patch, None, "Jane <jane@example.org>")
    body = reply.body
    assert "\x1b" not in body and "\x07" not in body
    assert "> ^[[2J^[]0;pwned^G" in body
    assert "Please split this patch." in body
