"""trailers: review trailers across revisions (carried or stale), am-ready export with the
collected trailers, the trailer reply drafts, and where such output files go by default.

May import: compare, store, series, sources, diff and the root leaves. Independent of apply
and the flag model.
"""
