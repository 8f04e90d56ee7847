"""Trailer statuses: cover trailers spread, sender mismatch, carried vs stale across revisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.sources.mail import load_source
from reviewer.store.core import Store
from reviewer.tracking.ingest import ingest
from tests.conftest import THREADS, V1, V2
from tests.mail_helpers import header, make_message, messages, write_mbox


def patch_message_id(path: Path, counter: str) -> tuple[str, str]:
    """Message-ID and subject of the patch whose subject carries COUNTER, e.g. '03/12'."""
    for raw in messages(path):
        subject = header(raw, "Subject")
        if counter in subject and not subject.lower().startswith("re:"):
            return header(raw, "Message-ID").strip("<>"), subject
    raise LookupError(counter)


def reply(to: tuple[str, str], sender: str, body: str, msgid: str) -> bytes:
    parent, subject = to
    return make_message(
        {
            "From": sender,
            "Subject": f"Re: {subject}",
            "Message-ID": f"<{msgid}>",
            "In-Reply-To": f"<{parent}>",
            "References": f"<{parent}>",
            "Date": "Wed, 21 Jan 2026 10:00:00 +0000",
        },
        body,
    )


@pytest.fixture
def store(db_path):
    return Store.open(db_path)


def track(store, path):
    return ingest(store, load_source(str(path), offline=True))


def trailers_of(store, label, index):
    series = store.load_series(1)
    (rev,) = [r for r in series.revisions if r.label == label]
    return {
        (t.name, t.value.split(" <")[0], t.status, t.given_on)
        for t in rev.patches[index - 1].trailers
    }


def test_cover_letter_trailers_apply_to_every_patch(store, tmp_path):
    cover = ("cover.1769097829.git.lorenzo.stoakes@oracle.com", "[PATCH v2 00/13] x")
    ack = reply(
        cover,
        "Vlastimil Babka <vbabka@suse.cz>",
        "For the series:\n\nAcked-by: Vlastimil Babka <vbabka@suse.cz>\n",
        "ack@test",
    )
    track(store, V2)
    track(store, write_mbox(tmp_path / "ack.mbox", [ack]))
    series = store.load_series(1)
    for patch in series.latest.patches:
        acks = [t for t in patch.trailers if t.name == "Acked-by" and "Babka" in t.value]
        assert len(acks) == 1 and acks[0].via_cover and acks[0].status == "ok"


def test_trailer_from_another_address_is_kept_and_marked(store, tmp_path):
    target = patch_message_id(V2, "05/13")
    forged = reply(
        target,
        "Mallory <mallory@example.org>",
        "Tested-by: Linus Torvalds <torvalds@linux-foundation.org>\n",
        "forged@test",
    )
    track(store, V2)
    track(store, write_mbox(tmp_path / "forged.mbox", [forged]))
    assert ("Tested-by", "Linus Torvalds", "mismatch", "v2") in trailers_of(store, "v2", 5)


def test_trailers_carry_when_unchanged_and_go_stale_when_changed(store, tmp_path):
    # v1 03/12 (tools: bitmap) is v2 04/13 with the same patch-id; v1 04/12 changed in v2 05/13.
    same = reply(
        patch_message_id(V1, "03/12"),
        "Yury Norov <ynorov@nvidia.com>",
        "Reviewed-by: Yury Norov <ynorov@nvidia.com>\n",
        "yury-same@test",
    )
    changed = reply(
        patch_message_id(V1, "04/12"),
        "Yury Norov <ynorov@nvidia.com>",
        "Reviewed-by: Yury Norov <ynorov@nvidia.com>\n",
        "yury-changed@test",
    )
    track(store, V1)
    track(store, write_mbox(tmp_path / "yury.mbox", [same, changed]))
    track(store, V2)
    assert ("Reviewed-by", "Yury Norov", "carried", "v1") in trailers_of(store, "v2", 4)
    stale = [t for t in store.load_series(1).latest.patches[4].trailers if "Yury" in t.value]
    assert [(t.status, t.note) for t in stale] == [("stale", "given on v1, patch changed since")]
    assert ("Reviewed-by", "Yury Norov", "ok", "v1") in trailers_of(store, "v1", 4)


def test_seed_000_reviewed_by_after_a_fwiw_remark(store, tmp_path):
    """The real review from seed 000: a quoted patch, a remark, then Reviewed-by and a sign-off.

    The seed is a web-archive rendering with obfuscated addresses; restore them as sent.
    """
    seed = (THREADS / "seed-000-reviewed-by-fwiw.txt").read_text()
    body = seed.split("Date: Tue Nov 25 2025 - 06:35:56 EST\n", 1)[1].lstrip("\n")
    for user, domain in [
        ("pfalcato", "suse.de"),
        ("lorenzo.stoakes", "oracle.com"),
        ("vbabka", "suse.cz"),
    ]:
        body = body.replace(f"{user}@xxxxxxxxxx", f"{user}@{domain}")
        body = body.replace(f"{user}@xxxxxxx", f"{user}@{domain}")
    review = reply(
        patch_message_id(V2, "06/13"), "Pedro Falcato <pfalcato@suse.de>", body, "seed000@test"
    )
    track(store, V2)
    track(store, write_mbox(tmp_path / "seed.mbox", [review]))
    from_seed = [
        (t.name, t.value, t.status)
        for t in store.load_series(1).latest.patches[5].trailers
        if t.message_id == "seed000@test"
    ]
    # only the reviewer's own trailer; the quoted Signed-off-by/Acked-by are not taken
    assert from_seed == [("Reviewed-by", "Pedro Falcato <pfalcato@suse.de>", "ok")]
