"""Tracking into the database: one series across versions, idempotence, new replies."""

from __future__ import annotations

import itertools

import pytest

from reviewer.sources.mail import load_source
from reviewer.store.core import Store
from reviewer.tracking.ingest import ingest
from tests.conftest import RESEND, V1, V2
from tests.mail_helpers import header, select, write_mbox


def track(store: Store, *paths):
    return [ingest(store, load_source(str(p), offline=True)) for p in paths]


def shape(store: Store):
    return [[(r.label, r.resend, len(r.patches)) for r in s.revisions] for s in store.list_series()]


EXPECTED = [[("v1", False, 12), ("v1-RESEND", True, 12), ("v2", False, 13)]]


@pytest.mark.parametrize("order", list(itertools.permutations([V1, RESEND, V2])))
def test_three_threads_in_any_order_are_one_series(db_path, order):
    store = Store.open(db_path)
    track(store, *order)
    assert shape(store) == EXPECTED


def test_three_threads_in_one_call(cli, db_path):
    result = cli("track", "--offline", V2, V1, RESEND)
    assert result.code == 0, result.err
    assert shape(Store.open(db_path)) == EXPECTED
    assert "v1-RESEND tracked (12 patches)" in result.out


def test_retracking_is_idempotent(db_path):
    store = Store.open(db_path)
    track(store, V1, RESEND, V2)
    before = store.load_series(1)
    (again,) = track(store, V2)
    assert again.new_messages == 0 and again.changes == []
    assert store.load_series(1) == before


def test_new_replies_add_trailers_and_lose_nothing(db_path, tmp_path):
    early = write_mbox(
        tmp_path / "early.mbox",
        select(V2, lambda raw: "Pedro Falcato" not in header(raw, "From")),
    )
    store = Store.open(db_path)
    track(store, V1, early)
    first = store.load_series(1)
    assert [r.label for r in first.revisions] == ["v1", "v2"]
    assert not any("Pedro" in t.value for p in first.latest.patches for t in p.trailers)

    (report,) = track(store, V2)
    assert "1 new Reviewed-by on v2 1/13" in report.changes
    assert "1 new Acked-by on v2 9/13" in report.changes
    latest = store.load_series(1).latest
    assert {t.value.split(" <")[0] for t in latest.patches[0].trailers} == {
        "Liam R. Howlett",
        "Pedro Falcato",
    }
    assert [r.label for r in store.load_series(1).revisions] == ["v1", "v2"]


def test_a_lone_reply_joins_the_tracked_series(db_path, tmp_path):
    reply = select(V2, lambda raw: "Jarkko" in header(raw, "From"))
    rest = select(V2, lambda raw: "Jarkko" not in header(raw, "From"))
    store = Store.open(db_path)
    track(store, write_mbox(tmp_path / "rest.mbox", rest))
    (report,) = track(store, write_mbox(tmp_path / "reply.mbox", reply))
    assert report.changes == ["1 new Reviewed-by on v2 8/13"]


def test_crash_mid_ingest_leaves_the_database_as_it_was(db_path, monkeypatch):
    store = Store.open(db_path)
    track(store, V1)
    before = (store.load_series(1), store.conn.execute("SELECT count(*) FROM messages").fetchone())

    def explode(*_args):
        raise RuntimeError("power cut")

    monkeypatch.setattr(Store, "replace_revisions", explode)
    with pytest.raises(RuntimeError):
        track(store, V2)
    after = (store.load_series(1), store.conn.execute("SELECT count(*) FROM messages").fetchone())
    assert after == before


def test_resend_and_v2_posted_in_reply_to_the_v1_cover(db_path, tmp_path):
    """b4 send style: newer revisions thread under the old cover; replies stay with their own."""
    v1_cover = "cover.1768834061.git.lorenzo.stoakes@oracle.com"

    def under_v1(raws, tag):
        out = []
        for raw in raws:
            subject = header(raw, "Subject")
            if tag in subject and not subject.lower().startswith("re:"):
                head, body = raw.split(b"\n\n", 1)
                kept = [
                    line
                    for line in head.split(b"\n")
                    if not line.lower().startswith((b"in-reply-to", b"references"))
                ]
                refs = f"In-Reply-To: <{v1_cover}>\nReferences: <{v1_cover}>".encode()
                raw = b"\n".join([*kept, refs]) + b"\n\n" + body
            out.append(raw)
        return out

    one_thread = (
        select(V1, lambda raw: True)
        + under_v1(select(RESEND, lambda raw: True), "RESEND 00/12")
        + under_v1(select(V2, lambda raw: True), "v2 00/13")
    )
    store = Store.open(db_path)
    track(store, write_mbox(tmp_path / "one-thread.mbox", one_thread))
    assert shape(store) == EXPECTED
    series = store.load_series(1)
    fixups = {r.label: [p.index for p in r.patches if p.fixups] for r in series.revisions}
    assert fixups == {"v1": [], "v1-RESEND": [8], "v2": [7, 8, 12]}
    own = {
        r.label: sum(t.status == "ok" for p in r.patches for t in p.trailers)
        for r in series.revisions
    }
    assert own == {"v1": 0, "v1-RESEND": 0, "v2": 20}
