"""store: the tracking database — the connection (SQLite or PostgreSQL), schema and
migrations, the queries (``core.Store`` composes them: series rows and models, states and team,
results caches, the series list; the reviewer's own work, list summaries) and moving a store
between backends.

May import: series, sources, diff and the root leaves. Never an engine (compare, apply, the
flag model) or anything above it.
"""
