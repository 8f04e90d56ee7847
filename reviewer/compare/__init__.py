"""compare: two revisions of a series from the patch text — pairing, interdiff, and the
classification of each pair (same, code changed, new, dropped...).

May import: store (to resolve a revision), series, sources, diff and the root leaves.
"""
