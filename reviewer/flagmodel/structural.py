"""Structural checks (placeholder filled in below)."""


def check_patch(view, pre, post, report, repo):
    return None


def check_series(views, report, repo):
    return None
