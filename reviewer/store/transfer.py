"""Moving a whole store between backends: export to a file, import from one, copy store to store.

The dump is JSON lines: a header ``{"reviewer-store": 1, "schema": N}``, then for each table a
``{"table": ..., "columns": [...]}`` line followed by one JSON list per row (bytes as
``{"b64": ...}``). Every table of the database is dumped, whatever migration added it, with its
row ids, so an import into an empty store of either backend gives back the same rows; an older
dump imports into a newer schema (columns added since take their defaults).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from reviewer.errors import ReviewerError
from reviewer.store.core import Store
from reviewer.store.db import POSTGRESQL
from reviewer.store.schema import MIGRATIONS, sync_ids

FORMAT = 1
# parents before children (foreign keys); tables not named here follow, by name
ORDER = ("series", "messages", "revisions", "patches", "trailers", "fixups")
SKIP = ("schema_version", "sqlite_sequence")


@dataclass
class Counts:
    tables: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        rows = sum(self.tables.values())
        shown = ", ".join(f"{t} {n}" for t, n in self.tables.items() if n)
        return f"{rows} rows ({shown})" if shown else "0 rows"


def tables(store: Store) -> list[str]:
    if store.dialect == POSTGRESQL:
        rows = store.conn.execute(
            "SELECT table_name AS name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    else:
        rows = store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    names = {r["name"] for r in rows} - set(SKIP)
    return [t for t in ORDER if t in names] + sorted(names - set(ORDER))


def row_counts(store: Store) -> dict[str, int]:
    """{table: rows} of every table of the store."""
    return {
        t: store.conn.execute(f"SELECT COUNT(*) AS n FROM {t}").fetchone()["n"]
        for t in tables(store)
    }


def _columns(store: Store, table: str) -> list[str]:
    if store.dialect == POSTGRESQL:
        rows = store.conn.execute(
            "SELECT column_name AS name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,),
        )
    else:
        rows = store.conn.execute(f'SELECT name FROM pragma_table_info("{table}")')
    return [r["name"] for r in rows]


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"b64": base64.b64encode(bytes(value)).decode()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "b64" in value:
        return base64.b64decode(value["b64"])
    return value


def dump(store: Store) -> Iterator[dict | list]:
    """The header, then each table's column line and rows, in a stable order."""
    yield {"reviewer-store": FORMAT, "schema": store.schema_version()}
    for table in tables(store):
        columns = _columns(store, table)
        yield {"table": table, "columns": columns}
        order = ", ".join(str(i) for i in range(1, len(columns) + 1))
        for row in store.conn.execute(f"SELECT * FROM {table} ORDER BY {order}"):
            yield [_encode(v) for v in row]


def export(store: Store, out: IO[str]) -> Counts:
    counts = Counts()
    table = ""
    for item in dump(store):
        out.write(json.dumps(item, ensure_ascii=False) + "\n")
        if isinstance(item, dict) and "table" in item:
            table = item["table"]
            counts.tables[table] = 0
        elif isinstance(item, list):
            counts.tables[table] += 1
    return counts


def read_dump(lines: Iterable[str], name: str) -> Iterator[dict | list]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ReviewerError(f"{name}:{number}: not a reviewer store dump ({exc})") from None
        if number == 1 and (not isinstance(item, dict) or "reviewer-store" not in item):
            raise ReviewerError(f"{name}: not a reviewer store dump (no header line)")
        yield item


def load(store: Store, items: Iterable[dict | list], name: str = "dump") -> Counts:
    """Write a dump into an empty store, in one transaction (all of it lands, or none)."""
    items = iter(items)
    header = next(items, None)
    if not isinstance(header, dict) or header.get("reviewer-store") != FORMAT:
        raise ReviewerError(f"{name}: not a reviewer store dump (format {FORMAT})")
    if int(header.get("schema", 0)) > len(MIGRATIONS):
        raise ReviewerError(
            f"{name}: schema v{header['schema']} is newer than this reviewer (v{len(MIGRATIONS)})"
        )
    known = set(tables(store))
    counts = Counts()
    with store.transaction(record_actor=False):
        existing = store.conn.execute("SELECT COUNT(*) AS n FROM series").fetchone()["n"]
        if existing:
            raise ReviewerError(
                f"{store.where} already tracks {existing} series; import into an empty store"
            )
        sql, table, batch = "", "", []
        for item in items:
            if isinstance(item, dict):
                _flush(store, sql, batch)
                batch = []
                table, columns = item["table"], item["columns"]
                if table not in known:
                    raise ReviewerError(f"{name}: table {table!r} is unknown to this store")
                wanted = set(_columns(store, table))
                missing = [c for c in columns if c not in wanted]
                if missing:
                    raise ReviewerError(f"{name}: {table} has unknown columns {missing}")
                marks = ", ".join("?" * len(columns))
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
                counts.tables[table] = 0
            else:
                batch.append([_decode(v) for v in item])
                counts.tables[table] += 1
                if len(batch) >= 500:
                    _flush(store, sql, batch)
                    batch = []
        _flush(store, sql, batch)
        sync_ids(store.conn)
        if store.series_list_missing():  # a dump from before the list rows (schema 7)
            store.rebuild_series_list()
    return counts


def _flush(store: Store, sql: str, batch: list[list]) -> None:
    if sql and batch:
        store.conn.executemany(sql, batch)


def copy(source: Store, target: Store) -> Counts:
    """Everything of ``source`` into the empty ``target`` (another backend, or the same)."""
    return load(target, dump(source), source.where)
