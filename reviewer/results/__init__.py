"""results: engine results kept in the database by content hash — apply, verify-applied and
the flag model's check — reused only while the input and the engine's code are unchanged.

May import: apply, flagmodel, trailers and everything below them (compare, store, series,
sources, diff, root leaves). Independent of review.
"""
