"""sources: getting mail — mbox/maildir/stdin, lore/public-inbox fetch with b4 and liblore,
message-ids, splitting mail into postings, and the mail-client (mutt) entry.

May import: diff and the root leaves.
"""
