"""review: the reviewer's own work on a series — per-patch progress, comments on diff lines
(found again in later revisions), other reviewers' replies anchored to the diff, and the
review reply to a patch.

May import: trailers, apply, flagmodel and everything below them. Independent of results.
"""
