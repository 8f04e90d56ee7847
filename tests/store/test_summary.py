import pytest

from reviewer.store.core import Store
from reviewer.store.summary import series_rows


@pytest.fixture
def db_path(any_db):
    """Every test here runs on SQLite and on PostgreSQL (tests/fixtures_postgres.py)."""
    return any_db


def test_rows_match_the_loaded_models(tracked, db_path):
    store = Store.open(db_path)
    with store.transaction():
        store.create_series("empty: no revisions yet", "Nobody <n@example.org>")
    rows = {r.id: r for r in series_rows(store)}
    series = store.load_series(1)
    latest = series.latest
    live = [t for p in latest.patches for t in p.trailers if t.status in ("ok", "carried")]
    row = rows[1]
    assert (row.subject, row.author, row.state) == (series.subject, series.author, series.state)
    assert (row.latest_label, row.latest_message_id) == (latest.label, latest.message_id)
    assert (row.patches, row.expected, row.revisions) == (len(latest.patches), 13, 3)
    assert row.acked == sum(t.name.lower() == "acked-by" for t in live)
    assert row.reviewed == sum(t.name.lower() == "reviewed-by" for t in live)
    assert row.tested == sum(t.name.lower() == "tested-by" for t in live)
    assert row.last_activity == max(r.date for r in series.revisions)
    empty = rows[2]
    assert (empty.patches, empty.revisions, empty.latest_label, empty.acked) == (0, 0, "", 0)


def test_state_filter(tracked, db_path):
    store = Store.open(db_path)
    assert [r.id for r in series_rows(store, "new")] == [1]
    assert series_rows(store, "applied") == []
