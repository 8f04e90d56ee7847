"""apply: git work in throwaway worktrees — git am of a revision, posted-vs-applied
verification, patch-ids, range-diff. The user's repository is never touched.

May import: compare, store, series, sources, diff and the root leaves. Independent of
trailers and the flag model.
"""
