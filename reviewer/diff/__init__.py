"""diff: unified diffs as mail carries them — the parser (files, hunks, mail-damage repair),
truncation detection, and where each diff line is (file, kind, old/new numbers).

May import: the root leaves (errors, models, sanitize, tree_read) only.
"""
