"""reviewer db: a personal SQLite store into the team's PostgreSQL database and back, losing
nothing; info; clear one-line errors."""

from __future__ import annotations

import json

from reviewer.store.core import Store
from reviewer.store.transfer import dump
from tests import synthetic_archive as synth

ALICE = "Alice Reviewer <alice@example.org>"


def _everything(cli, db, tmp_path) -> None:
    """A store with every kind of row: mail (binary), derived rows, states, results, people."""
    mbox = tmp_path / "s.mbox"
    mbox.write_bytes(
        synth.mbox(synth.series(1, patches=3, replies=2) + synth.series(2, patches=2))
        + b"From mboxrd@z Thu Jan  1 00:00:00 1970\nMessage-ID: <bin@x>\nSubject: Re: x\n"
        b"From: Dev 9 <dev9@example.org>\nIn-Reply-To: <cover.s1.v1@example.org>\n"
        b"Content-Type: text/plain; charset=latin-1\n\n\xe9t\xe9\n"
    )
    assert cli("track", "--offline", "--db", db, "--as", ALICE, mbox).code == 0
    assert cli("state", "--db", db, "--as", ALICE, "1", "changes-requested").code == 0
    assert cli("state", "--db", db, "--as", ALICE, "1", "--mine", "done", "--done", "1,2").code == 0
    assert cli("state", "--db", db, "2", "--owner", ALICE).code == 0
    store = Store.open(db)
    with store.transaction():
        store.save_check_report("m@x", "key", '{"r": 1}', (1, 2, 3), 5)
        store.save_repo_result("m@x", "apply", "key", "c0ffee", "/repo", "{}", True, 5)


def _rows(db) -> list:
    items = list(dump(Store.open(db)))
    return [i for i in items if not (isinstance(i, dict) and "reviewer-store" in i)]


def test_sqlite_to_postgresql_and_back_loses_nothing(cli, tmp_path, pg_url):
    personal = str(tmp_path / "personal.sqlite3")
    _everything(cli, personal, tmp_path)
    before = _rows(personal)
    assert sum(isinstance(i, list) for i in before) > 20

    moved = cli("db", "migrate", "--db", personal, "--to", pg_url)
    assert moved.code == 0, moved.err
    assert "copied" in moved.out and "series 2" in moved.out
    assert _rows(pg_url) == before
    assert b"\xe9t\xe9" in Store.open(pg_url).raw_message("bin@x")

    dump_file = tmp_path / "team.jsonl"
    assert cli("db", "export", "--db", pg_url, dump_file).code == 0
    back = str(tmp_path / "back.sqlite3")
    imported = cli("db", "import", "--db", back, dump_file)
    assert imported.code == 0, imported.err
    assert _rows(back) == before
    # the copies work as stores: new rows get fresh ids, models load the same
    for db in (pg_url, back):
        store = Store.open(db)
        assert store.load_series(1) == Store.open(personal).load_series(1)
        with store.transaction():
            assert store.create_series("new", "Dev 3") == 3


def test_import_into_a_store_in_use_is_refused(cli, tmp_path, any_db):
    _everything(cli, str(any_db), tmp_path)
    dump_file = tmp_path / "d.jsonl"
    assert cli("db", "export", "--db", any_db, dump_file).code == 0
    again = cli("db", "import", "--db", any_db, dump_file)
    assert again.code == 2
    assert "already tracks 2 series; import into an empty store" in again.err
    garbage = tmp_path / "garbage"
    garbage.write_text("hello\n")
    bad = cli("db", "import", "--db", tmp_path / "new.sqlite3", garbage)
    assert bad.code == 2 and "not a reviewer store dump" in bad.err


def test_info(cli, any_db, tmp_path):
    _everything(cli, str(any_db), tmp_path)
    info = json.loads(cli("db", "info", "--db", any_db, "--json", "--as", "Me <me@x>").out)
    assert info["backend"] in ("sqlite", "postgresql") and info["schema"] == info["newest_schema"]
    assert info["rows"]["series"] == 2 and info["you"] == "Me <me@x>"
    assert ALICE in info["team"]
