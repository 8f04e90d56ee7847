"""tracking: following series over time — track (store mail under the right series and
rebuild what derives from it), states, polling the archive for updates, and whether a
revision is on a maintainer branch.

May import: review, results and everything below them. Never report, commands or cli.
"""
