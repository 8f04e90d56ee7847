"""The store on both backends: schema versions and migrations, the first-use race, rows by name,
who wrote what, and rows of one reviewer surviving another reviewer's rebuild."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.errors import ReviewerError
from reviewer.store.core import Store
from reviewer.store.db import Database, ddl_for, display_url, statements, to_pyformat
from reviewer.store.schema import MIGRATIONS, migrate, schema_version
from tests import synthetic_archive as synth

REPO = Path(__file__).resolve().parents[2]
LATEST = len(MIGRATIONS)
ALICE = "Alice Reviewer <alice@example.org>"
BOB = "Bob Maintainer <bob@example.org>"


def test_new_database_is_at_the_latest_schema(any_db):
    store = Store.open(any_db)
    assert schema_version(store.conn) == LATEST
    tables = (
        "series",
        "messages",
        "revisions",
        "patches",
        "trailers",
        "revision_states",
        "check_results",
        "repo_results",
        "team",
        "reviewer_states",
        "patch_reviews",
    )
    for table in tables:
        assert store.conn.execute(f"SELECT COUNT(*) AS n FROM {table}").fetchone()["n"] == 0


def _fill(db: Database, version: int) -> None:
    """Rows every schema up to ``version`` has, written with that version's columns only."""
    db.execute(
        "INSERT INTO series (id, subject, author, created, updated)"
        " VALUES (1, 'old subject', 'Dev 1 <dev1@example.org>', 'x', 'x')"
    )
    db.execute(
        "INSERT INTO messages (message_id, series_id, raw, added) VALUES (?, 1, ?, 'x')",
        ("m1@example.org", b"From: a\n\nraw \xff bytes\n"),
    )
    db.execute(
        "INSERT INTO revisions (id, series_id, revision, resend, label, message_id, subject,"
        " author, date, expected, position) VALUES (7, 1, 1, 0, 'v1', 'm1@example.org',"
        " 'old subject', 'Dev 1', '2026-01-05', 1, 0)"
    )
    db.execute(
        "INSERT INTO patches (id, revision_id, idx, subject, message_id, author, date,"
        " commit_message, diff) VALUES (9, 7, 1, 'p', 'm1@example.org', 'Dev 1', 'd', 'c', 'x')"
    )
    db.execute(
        "INSERT INTO trailers (patch_row, name, value, status, sender, message_id, given_on,"
        " via_cover, note) VALUES (9, 'Acked-by', 'A <a@x>', 'ok', 'A', 'r@x', 'v1', 0, '')"
    )
    if version >= 2:
        db.execute(
            "INSERT INTO revision_states (series_id, message_id, state, by_hand, updated)"
            " VALUES (1, 'm1@example.org', 'archived', 1, 'x')"
        )
    if version >= 3:
        db.execute(
            "INSERT INTO check_results (revision_message_id, content_hash, report, errors,"
            " warnings, infos, created) VALUES ('m1@example.org', 'h', '{}', 1, 2, 3, 'x')"
        )
    if version >= 4:
        db.execute(
            "INSERT INTO repo_results (revision_message_id, kind, content_hash, commit_sha, repo,"
            " result, ok, created) VALUES ('m1@example.org', 'apply', 'h', 'c', '/r', '{}', 1, 'x')"
        )
    if version >= 5:
        db.execute(
            "INSERT INTO patch_reviews (series_id, patch_message_id, reviewer, state, updated)"
            " VALUES (1, 'm1@example.org', 'Dev 1 <dev1@example.org>', 'done', 'x')"
        )


@pytest.mark.parametrize("version", range(1, LATEST))
def test_every_earlier_version_is_migrated_keeping_its_data(any_db, version):
    db = Database.connect(any_db)
    assert migrate(db, target=version) == version
    db.begin()
    _fill(db, version)
    db.commit()
    db.close()
    store = Store.open(any_db)
    assert schema_version(store.conn) == LATEST
    series = store.load_series(1)
    assert series.subject == "old subject"
    assert series.latest.patches[0].trailers[0].name == "Acked-by"
    assert store.raw_message("m1@example.org") == b"From: a\n\nraw \xff bytes\n"
    if version >= 2:
        assert store.revision_states(1)["m1@example.org"] == ("archived", True, "")
    if version >= 3:
        assert store.latest_check_counts() == {"m1@example.org": (1, 2, 3)}
    if version >= 4:
        assert store.latest_repo_result("m1@example.org", "apply") == "{}"
    assert store.series_state(1)["owner"] == ""
    # migration 7 filled the list row from the derived rows (one live Acked-by, one patch)
    [row] = store.series_rows()
    assert (row["patches"], row["acked"], row["reviewed"], row["revisions"]) == (1, 1, 0, 1)
    if version >= 5:  # progress given before migration 6 is the reviewer's own, without a note
        [row] = store.patch_reviews(1)
        assert row["state"] == "done" and row["reviewer"] == "Dev 1 <dev1@example.org>"
    # the ids of migrated rows do not collide with new ones
    with store.transaction():
        assert store.create_series("new", "Dev 2") == 2


def test_a_version_1_file_made_by_the_old_code_is_migrated(db_path):
    """Today's SQLite files: the old migrate() used executescript and PRAGMA user_version."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    for version, script in enumerate(MIGRATIONS[:4], 1):
        conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
    conn.execute(
        "INSERT INTO series (subject, author, created, updated) VALUES ('s', 'a', 'x', 'x')"
    )
    conn.close()
    store = Store.open(db_path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert store.conn.execute("SELECT subject FROM series").fetchall() == [("s",)]


def test_a_newer_database_is_refused_with_one_line(any_db):
    store = Store.open(any_db)
    if store.dialect == "sqlite":
        store.conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    else:
        store.conn.execute("UPDATE schema_version SET version = ?", (LATEST + 1,))
    store.close()
    with pytest.raises(ReviewerError, match="newer than this reviewer"):
        Store.open(any_db)


def test_an_unreachable_server_is_one_line():
    with pytest.raises(ReviewerError, match=r"cannot open database postgresql://u:\*\*\*@"):
        Store.open("postgresql://u:secret@127.0.0.1:1/nothing")


def _run_many(argvs: list[list[str]], tmp_path: Path) -> list[subprocess.CompletedProcess]:
    env_home = tmp_path / "home"
    env_home.mkdir(exist_ok=True)
    import os

    env = dict(os.environ, HOME=str(env_home), GIT_CONFIG_NOSYSTEM="1")
    procs = [
        subprocess.Popen(
            [sys.executable, *argv],
            cwd=REPO,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for argv in argvs
    ]
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=300)
        out.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return out


def test_three_tracks_on_a_new_database_race_cleanly(any_db, tmp_path):
    """Issue 12 2c: three `track` runs started together on a new database (no "table series
    already exists", no "database is locked"), one series, every message once."""
    mbox = tmp_path / "s.mbox"
    mbox.write_bytes(synth.mbox(synth.series(1, patches=3, replies=2)))
    argv = ["-m", "reviewer.cli", "track", "--offline", "--db", str(any_db), str(mbox)]
    results = _run_many([argv] * 3, tmp_path)
    for r in results:
        assert r.returncode == 0, r.stderr
        assert "already exists" not in r.stderr and "locked" not in r.stderr
    store = Store.open(any_db)
    assert store.series_ids() == [1]
    assert len(store.message_ids(1)) == 1 + 3 + 2


def test_rows_are_read_by_name_and_compare_as_tuples(any_db):
    store = Store.open(any_db)
    row = store.conn.execute("SELECT 1 AS one, 'two' AS two").fetchone()
    assert (row["one"], row["two"]) == (1, "two") == tuple(row)
    assert row.asdict() == {"one": 1, "two": "two"}


def test_dialect_text():
    assert to_pyformat("SELECT '?%' , ? LIKE '%a' || ?") == "SELECT '?%%' , %s LIKE '%%a' || %s"
    pg = ddl_for("postgresql", "id INTEGER PRIMARY KEY,\n raw BLOB NOT NULL")
    assert "GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" in pg and "BYTEA" in pg
    assert statements("CREATE TABLE a (x TEXT);\n\nCREATE INDEX b ON a(x);\n") == [
        "CREATE TABLE a (x TEXT);",
        "CREATE INDEX b ON a(x);",
    ]
    assert display_url("postgresql://me:pw@h/db") == "postgresql://me:***@h/db"


def _track(cli, any_db, mbox: Path, who: str):
    result = cli("track", "--offline", "--db", str(any_db), "--as", who, mbox)
    assert result.code == 0, result.err
    return result


def test_every_write_records_who_and_when(cli, any_db, tmp_path):
    mbox = tmp_path / "s.mbox"
    mbox.write_bytes(synth.mbox(synth.series(1, patches=2)))
    _track(cli, any_db, mbox, ALICE)
    assert cli("state", "--db", str(any_db), "--as", BOB, "1", "archived").code == 0
    store = Store.open(any_db)
    assert {r["reviewer"] for r in store.team()} == {ALICE, BOB}
    assert {r["email"] for r in store.team()} == {"alice@example.org", "bob@example.org"}
    added = store.conn.execute("SELECT DISTINCT added_by FROM messages").fetchall()
    assert added == [(ALICE,)]
    shared = store.series_state(1)
    assert (shared["state"], shared["state_by"]) == ("archived", BOB)
    assert shared["state_at"].startswith("20")
    row = store.conn.execute("SELECT created_by, updated_by FROM series").fetchone()
    assert row["created_by"] == ALICE and row["updated_by"] == BOB


def test_a_rebuild_by_one_reviewer_keeps_another_reviewers_rows(cli, any_db, tmp_path):
    first = tmp_path / "v1.mbox"
    first.write_bytes(synth.mbox(synth.series(1, patches=3)))
    _track(cli, any_db, first, ALICE)
    assert cli("state", "--db", str(any_db), "--as", ALICE, "1", "--mine", "reviewing",
               "--done", "1,3").code == 0  # fmt: skip
    assert cli("state", "--db", str(any_db), "--as", BOB, "1", "--owner", ALICE).code == 0
    # Bob tracks replies and a v2: the series' derived rows are all rebuilt
    more = tmp_path / "more.mbox"
    more.write_bytes(synth.mbox([synth.reply(1, 1, 2, 5), *synth.series(1, patches=3, rev=2)]))
    _track(cli, any_db, more, BOB)
    store = Store.open(any_db)
    series = store.load_series(1)
    assert [r.label for r in series.revisions] == ["v1", "v2"]
    v1 = series.revisions[0]
    alice = [r for r in store.patch_reviews(1) if r["reviewer"] == ALICE]
    done = {r["patch_message_id"] for r in alice if r["origin"] == "own"}
    assert done == {v1.patches[0].message_id, v1.patches[2].message_id}
    # her marks follow the patches v2 did not change (the progress carry, per reviewer)
    carried = {r["patch_message_id"] for r in alice if r["origin"] == "carried"}
    assert carried <= {p.message_id for p in series.revisions[1].patches}
    assert store.series_state(1)["owner"] == ALICE
    mine = {r["reviewer"]: r["state"] for r in store.reviewer_states(1)}
    assert mine == {ALICE: "reviewing"}
    listed = cli("list", "--db", str(any_db))
    assert "owner: Alice Reviewer; Alice Reviewer: reviewing 0/3 done" in listed.out


def test_list_shows_who_is_on_what(cli, any_db, tmp_path):
    mbox = tmp_path / "s.mbox"
    mbox.write_bytes(synth.mbox(synth.series(1, patches=4)))
    _track(cli, any_db, mbox, ALICE)
    cli("state", "--db", str(any_db), "--as", ALICE, "1", "--mine", "reviewing", "--done", "1,2,4")
    cli("state", "--db", str(any_db), "--as", BOB, "1", "--done", "1")
    out = cli("list", "--db", str(any_db)).out
    assert "Alice Reviewer: reviewing 3/4 done; Bob Maintainer: 1/4 done" in out
    state = cli("state", "--db", str(any_db), "--json", "1")
    import json

    people = json.loads(state.out)["reviewers"]
    assert [(p["reviewer"], p["done"], p["patches"]) for p in people] == [
        (ALICE, 3, 4),
        (BOB, 1, 4),
    ]
    cli("state", "--db", str(any_db), "--as", BOB, "1", "--owner", BOB)
    (listed,) = json.loads(cli("list", "--db", str(any_db), "--json").out)
    assert listed["owner"] == BOB
    assert [(p["reviewer"], p["state"], p["done"], p["patches"]) for p in listed["reviewers"]] == [
        (ALICE, "reviewing", 3, 4),
        (BOB, "", 1, 4),
    ]
    assert listed["who"] == (
        "owner: Bob Maintainer; Alice Reviewer: reviewing 3/4 done; Bob Maintainer: 1/4 done"
    )
    assert [r["patches"] for r in listed["revisions"]] == [4]


def test_a_dump_from_before_the_list_rows_imports_with_its_counts(cli, any_db, tmp_path):
    """A dump made before schema 7 has no series_list rows: the import writes them."""
    from reviewer.store import transfer as store_transfer

    mbox = tmp_path / "s.mbox"
    mbox.write_bytes(synth.mbox(synth.series(1, patches=3)))
    source = tmp_path / "source.sqlite3"
    _track(cli, source, mbox, ALICE)
    old = Store.open(source)
    expected = [tuple(r) for r in old.series_rows()]
    items, table = [], ""
    for item in store_transfer.dump(old):
        if isinstance(item, dict) and "table" in item:
            table = item["table"]
        if table != "series_list":
            items.append(item)
    old.close()
    target = Store.open(any_db)
    store_transfer.load(target, items)
    assert [tuple(r) for r in target.series_rows()] == expected
    assert expected[0][7] == 3  # patches


def test_a_state_set_by_hand_loses_to_a_change_made_since_it_was_read(any_db, tmp_path):
    """Optimistic check: Bob's TUI shows "new"; Alice archives; Bob's "reviewing" is refused."""
    from reviewer.sources.mail import load_source
    from reviewer.store.core import StaleState
    from reviewer.tracking import states
    from reviewer.tracking.ingest import ingest

    mbox = tmp_path / "s.mbox"
    mbox.write_bytes(synth.mbox(synth.series(1, patches=2)))
    alice, bob = Store.open(any_db, actor=ALICE), Store.open(any_db, actor=BOB)
    ingest(alice, load_source(str(mbox), offline=True))
    seen_by_bob = bob.load_series(1)
    states.set_by_hand(alice, alice.load_series(1), "archived")
    with pytest.raises(StaleState, match="archived now .set by Alice"):
        states.set_by_hand(bob, seen_by_bob, "reviewing")
    assert bob.load_series(1).state == "archived"
    # looking again, Bob may change it
    assert states.set_by_hand(bob, bob.load_series(1), "reviewing") == "reviewing"
    # and Alice's own earlier change is not a conflict with herself
    assert states.set_by_hand(alice, alice.load_series(1), "changes-requested")


@pytest.mark.parametrize("round_", range(3))
def test_processes_opening_a_new_database_together_migrate_it_once(any_db, tmp_path, round_):
    opener = (
        "import sys; from reviewer.store.core import Store; s = Store.open(sys.argv[1]);"
        " print(s.conn.execute('SELECT COUNT(*) AS n FROM series').fetchone()['n'])"
    )
    results = _run_many([["-c", opener, str(any_db)]] * 6, tmp_path)
    assert [(r.returncode, r.stdout.strip(), r.stderr) for r in results] == [(0, "0", "")] * 6
    assert schema_version(Store.open(any_db).conn) == LATEST


def test_lastrowid_is_sqlite_only_and_says_so(any_db):
    store = Store.open(any_db)
    with store.transaction():
        cur = store.conn.execute("INSERT INTO team VALUES ('x', 'x', '', 'a', 'a')")
        if store.dialect == "sqlite":
            assert cur.lastrowid
        else:
            with pytest.raises(ReviewerError, match="RETURNING id"):
                _ = cur.lastrowid


def test_the_store_is_chosen_by_db_then_env_then_git_config(tmp_path, monkeypatch, cli):
    from reviewer.store.core import default_db_path

    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text(f"[reviewer]\n\tdb = {tmp_path / 'team.sqlite3'}\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("REVIEWER_DB", "postgresql://u@127.0.0.1:1/x")
    assert default_db_path() == "postgresql://u@127.0.0.1:1/x"
    monkeypatch.delenv("REVIEWER_DB")
    assert default_db_path() == tmp_path / "team.sqlite3"
    from reviewer.cli import main

    assert main(["db", "info"]) == 0
    assert (tmp_path / "team.sqlite3").exists()
    gitconfig.write_text("[reviewer]\n\tdb = postgresql://me:pw@127.0.0.1:1/team\n")
    failed = cli("db", "info", "--db", "postgresql://me:pw@127.0.0.1:1/team")
    assert failed.code == 2 and "me:***@" in failed.err and "pw" not in failed.err
