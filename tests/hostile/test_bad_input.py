"""Hostile and broken mail: a clear message or a partial result, never a traceback or lost data."""

from __future__ import annotations

import base64
import json
import quopri

import pytest

from reviewer.store.core import Store
from tests.conftest import V1, V2
from tests.mail_helpers import header, make_message, messages, select, write_mbox


def is_patch(raw: bytes, counter: str) -> bool:
    subject = header(raw, "Subject")
    return counter in subject and not subject.lower().startswith("re:")


def one_error_line(result) -> str:
    lines = result.err.strip().splitlines()
    assert result.code != 0 and lines and "Traceback" not in result.err
    return lines[-1]


@pytest.fixture
def v1_tracked(cli, db_path):
    assert cli("track", "--offline", V1).code == 0
    return Store.open(db_path).load_series(1)


def still_there(db_path, before) -> None:
    assert Store.open(db_path).load_series(1) == before


def test_truncated_mbox_gives_a_partial_revision(cli, tmp_path, v1_tracked, db_path):
    data = V2.read_bytes()
    cut = data[: data.index(b"Subject: [PATCH v2 05/13]") + 20000]
    path = tmp_path / "truncated.mbox"
    path.write_bytes(cut)
    result = cli("track", "--offline", "--json", path)
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert any("truncated" in p for p in report["problems"])
    v2 = Store.open(db_path).load_series(1).latest
    assert v2.label == "v2" and v2.partial
    assert "missing 8 of 13 patches: 6, 7, 8, 9, 10, 11, 12, 13" in v2.partial
    assert any(p.startswith("patch 5: hunk @@") for p in v2.partial)


def test_thread_with_missing_patches(cli, tmp_path, db_path):
    keep = ("00/12", "01/12", "02/12", "03/12")
    path = write_mbox(
        tmp_path / "three.mbox", select(V1, lambda raw: any(is_patch(raw, c) for c in keep))
    )
    result = cli("track", "--offline", path)
    assert result.code == 0, result.err
    assert "partial: missing 9 of 12 patches: 4, 5, 6, 7, 8, 9, 10, 11, 12" in result.out
    listed = json.loads(cli("list", "--json").out)[0]["revisions"][0]
    assert (listed["patches"], listed["partial"]) == (
        3,
        ["missing 9 of 12 patches: 4, 5, 6, 7, 8, 9, 10, 11, 12"],
    )
    assert "is partial" in one_error_line(cli("export", "1", "-o", tmp_path / "x.mbox"))


def test_non_patch_mail_is_one_clear_error(cli, tmp_path, v1_tracked, db_path):
    chatter = make_message(
        {"From": "A <a@example.org>", "Subject": "lunch?", "Message-ID": "<lunch@example.org>"},
        "pizza?\n",
    )
    path = write_mbox(tmp_path / "chatter.mbox", [chatter])
    assert one_error_line(cli("track", "--offline", path)) == (
        f"reviewer: error: {path}: no patch series found (nothing tracked)"
    )
    still_there(db_path, v1_tracked)


@pytest.mark.parametrize("encoding", ["base64", "quoted-printable"])
def test_transfer_encoded_bodies_parse_to_the_same_patch(cli, tmp_path, db_path, encoding):
    raws = messages(V2)
    target = next(i for i, raw in enumerate(raws) if is_patch(raw, "03/13"))
    head, body = raws[target].split(b"\n\n", 1)
    head = b"\n".join(
        line
        for line in head.split(b"\n")
        if not line.lower().startswith(b"content-transfer-encoding")
    )
    encoded = base64.encodebytes(body) if encoding == "base64" else quopri.encodestring(body)
    raws[target] = head + f"\nContent-Transfer-Encoding: {encoding}\n\n".encode() + encoded
    assert cli("track", "--offline", write_mbox(tmp_path / "enc.mbox", raws)).code == 0
    plain_db = tmp_path / "plain.sqlite3"
    assert cli("track", "--db", plain_db, "--offline", V2).code == 0
    encoded_patch = Store.open(db_path).load_series(1).latest.patches[2]
    plain_patch = Store.open(plain_db).load_series(1).latest.patches[2]
    assert encoded_patch.patch_id == plain_patch.patch_id
    assert encoded_patch.diff == plain_patch.diff


def test_non_utf8_headers(cli, tmp_path, db_path):
    raws = messages(V2)
    target = next(i for i, raw in enumerate(raws) if is_patch(raw, "00/13"))
    raws[target] = raws[target].replace(
        b"From: Lorenzo Stoakes <", b"From: Lor\xe9nzo St\xf6akes <", 1
    )
    assert cli("track", "--offline", write_mbox(tmp_path / "latin1.mbox", raws)).code == 0
    result = cli("list")
    assert result.code == 0 and "Traceback" not in result.err


def test_duplicate_message_ids_keep_one_copy(cli, tmp_path, db_path):
    raws = messages(V2)
    duplicate = next(raw for raw in raws if is_patch(raw, "04/13"))
    raws.append(duplicate)
    result = cli("track", "--offline", "--json", write_mbox(tmp_path / "dup.mbox", raws))
    report = json.loads(result.out)
    msgid = header(duplicate, "Message-ID").strip("<>")
    assert [p for p in report["problems"] if "duplicate" in p] == [
        f"duplicate Message-ID <{msgid}>: kept one copy"
    ]
    assert len(Store.open(db_path).load_series(1).latest.patches) == 13


def test_ten_megabyte_message(cli, tmp_path, db_path):
    raws = messages(V2)
    target = next(i for i, raw in enumerate(raws) if is_patch(raw, "13/13"))
    filler = "".join(f"+/* filler line {n:07d} {'x' * 60} */\n" for n in range(140_000))
    big = raws[target].replace(
        b"\ndiff --git ",
        b"\ndiff --git a/big.c b/big.c\nnew file mode 100644\n--- /dev/null\n"
        b"+++ b/big.c\n@@ -0,0 +1,140000 @@\n" + filler.encode() + b"diff --git ",
        1,
    )
    assert len(big) > 10_000_000
    raws[target] = big
    result = cli("track", "--offline", write_mbox(tmp_path / "big.mbox", raws))
    assert result.code == 0, result.err
    patch = Store.open(db_path).load_series(1).latest.patches[12]
    assert "big.c" in patch.files and not Store.open(db_path).load_series(1).latest.partial


def test_escape_sequences_and_markup_in_subject_are_neutralised(cli, tmp_path):
    hostile = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J[bold red]owned[/bold red] \x9b31m"
    raws = [
        raw.replace(b"mm: add bitmap VMA flag helpers", hostile.encode(), 1)
        if is_patch(raw, "00/13")
        else raw
        for raw in messages(V2)
    ]
    path = write_mbox(tmp_path / "hostile.mbox", raws)
    outputs = [cli("review", "--offline", path).out, cli("list").out, cli("show", "1").out]
    for out in outputs:
        assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
        assert "cm0gLXJmIH4=^G^[[2J" in out and "owned[/bold red]" in out
