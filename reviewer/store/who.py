"""Who writes to the store and when: the writer's name (``--as``, else git's identity), the
name and address in it, and the timestamps every write records. No SQL: the leaf the query
modules share."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from functools import lru_cache


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def now_precise() -> str:
    """A timestamp that orders writes made within one second (results caches)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _git_config(key: str) -> str | None:
    from reviewer.git_config import git_config

    return (git_config(key) or "").strip() or None


def default_actor() -> str:
    """Who is writing: $REVIEWER_AS (``--as``), else git's ``user.name <user.email>``."""
    explicit = os.environ.get("REVIEWER_AS", "").strip()
    if explicit:
        return explicit
    name, email = _git_config("user.name"), _git_config("user.email")
    if email:
        return f"{name} <{email}>" if name else email
    import getpass

    try:
        return name or getpass.getuser()
    except (KeyError, OSError):
        return name or "unknown"


@lru_cache(maxsize=4096)
def actor_email(actor: str) -> str:
    from email.utils import parseaddr

    return parseaddr(actor)[1].lower() if "@" in actor else ""


@lru_cache(maxsize=4096)  # a list of 10,000 series names the same few people again and again
def actor_name(actor: str) -> str:
    from email.utils import parseaddr

    name, email = parseaddr(actor)
    return name or (email.split("@")[0] if email else actor)
