"""report: what is shown — the plain-text series report, the --json views, the review
report, apply/compare/verify text, what a diff touches, and the flag model as a b4 review
check command and agent.

May import: tracking and everything below it. Never commands, cli, Textual or Rich.
"""
