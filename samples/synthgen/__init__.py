"""The generator of samples/synthetic/ (run by samples/make_synthetic.py), by responsibility:

identity   fixed names, addresses, dates and the git identity environment (deterministic output)
tree       the mini-tree repository: init, commit, string edits, base and mm-new branches
series     the four-patch series: its edits, commit messages and commits per revision
mail       git format-patch threads with stable ids and dates, replies, mboxrd output
replies    who replies with which trailers, cover subject and blurbs per revision
"""
