"""series: mail -> models — b4 turns postings into Revisions (patches, cover, fix-ups, reply
trailers), and grouping decides which revisions are versions of one series.

May import: sources, diff and the root leaves.
"""
