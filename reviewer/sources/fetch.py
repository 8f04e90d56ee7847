"""Fetch mail threads from a public-inbox server (lore.kernel.org by default) with b4 and liblore.

The server is, in order: the ``server`` argument (CLI ``--server URL``), the archive named in a
lore URL given as the spec, b4's own ``b4.midmask`` git-config key, lore.kernel.org/all.
``b4.linkmask`` URLs (e.g. https://patch.msgid.link/<id>) are understood as message-ids.

One liblore node per server URL and cache directory is kept for the process; nodes are
thread-safe, so many threads can be fetched at once (see reviewer.tracking.update). b4's thread
cache (``$XDG_CACHE_HOME/b4/lore``, ``b4.cache-expire`` minutes) is used unless ``nocache`` is set.
"""

from __future__ import annotations

import re
import threading
import urllib.parse
from email.message import EmailMessage
from pathlib import Path

import b4
import liblore

from reviewer import __version__
from reviewer.errors import ReviewerError

DEFAULT_SERVER = "https://lore.kernel.org/all"
_MSGID = re.compile(r"^[^\s<>@/]+@[^\s<>@/]+$")
_NODES: dict[tuple[str, str], liblore.LoreNode] = {}
_LOCK = threading.RLock()


# -- b4 configuration ----------------------------------------------------------------------


def b4_config() -> dict:
    """b4's configuration (git config b4.* over b4's defaults), read once per process through
    b4's public API (b4.setup_config, b4.get_main_config)."""
    with _LOCK:
        if not b4.get_main_config():
            import argparse

            b4.setup_config(argparse.Namespace(config={}))
        return b4.get_main_config()


def git_config(key: str, gitdir: str | None = None) -> str | None:
    """One git config value for the repository at ``gitdir`` (default: the one around the
    current directory), then global; None when unset. Read with b4's get_config_from_git."""
    import re

    values = b4.get_config_from_git(rf"^{re.escape(key)}$", gitdir=gitdir)
    value = values.get(key.rsplit(".", 1)[-1].lower())
    return str(value).strip() or None if value is not None else None


def configure_attestation(offline: bool, check_dkim: bool | None = None) -> None:
    """DKIM checks need DNS: off when offline; otherwise b4's own settings unless overridden.

    b4 keys: ``b4.attestation-policy`` (off/check/softfail/hardfail) and
    ``b4.attestation-check-dkim`` (yes/no).
    """
    config = b4_config()
    if offline:
        config["attestation-policy"] = "off"
        config["attestation-check-dkim"] = "no"
        b4.can_network = False
    elif check_dkim is not None:
        config["attestation-check-dkim"] = "yes" if check_dkim else "no"


# -- message-id and server parsing ---------------------------------------------------------


_PATCHWORK = re.compile(r"^https?://[^/]+/(?:[^?#]*/)?project/[^/]+/patch/[^/]*@", re.I)


def parse_msgid(spec: str) -> str | None:
    """The message-id in ``spec`` (bare, <angled>, id:..., or a lore/linkmask URL), else None."""
    return _parse(spec)[0]


def server_from_spec(spec: str) -> str | None:
    """The archive URL a lore-style message URL points into (https://host/list), else None."""
    return _parse(spec)[1]


def _parse(spec: str) -> tuple[str | None, str | None]:
    text = spec.strip()
    if text.startswith(("http://", "https://")):
        patchwork = _patchwork_msgid(text)
        if patchwork is not None:
            return (patchwork if _MSGID.match(patchwork) else None), None
        return _parse_url(text)
    text = re.sub(r"^(?:rfc822msg)?id:", "", text).strip().strip("<>")
    return (text, None) if _MSGID.match(text) else (None, None)


def _parse_url(url: str) -> tuple[str | None, str | None]:
    parts = urllib.parse.urlsplit(url)
    segments = [urllib.parse.unquote(s) for s in parts.path.split("/") if s]
    for position, segment in enumerate(segments):
        if _MSGID.match(segment):
            origin = f"{parts.scheme}://{parts.netloc}"
            if _is_linkmask_host(parts.netloc):
                return segment, None  # e.g. patch.msgid.link/<id>: a redirector, not an archive
            return segment, origin + "".join("/" + s for s in segments[:position])
    return None, None


def _patchwork_msgid(url: str) -> str | None:
    """The message-id of a Patchwork patch URL (.../project/NAME/patch/<msgid>/), by b4's own
    parser. Patchwork is not a public-inbox archive: the thread comes from the default server."""
    url = urllib.parse.unquote(url)
    if not _PATCHWORK.match(url):
        return None
    return b4.parse_msgid(url).strip().strip("/")


def _is_linkmask_host(netloc: str) -> bool:
    linkmask = str(b4_config().get("linkmask") or "")
    return bool(linkmask) and urllib.parse.urlsplit(linkmask).netloc == netloc


def resolve_server(server: str | None = None, spec: str | None = None) -> str:
    """The archive URL to ask, without a trailing slash (see the module docstring)."""
    chosen = server or (server_from_spec(spec) if spec else None)
    if not chosen:
        midmask = str(b4_config().get("midmask") or DEFAULT_SERVER + "/%s")
        chosen = midmask.replace("%s", "")
    chosen = chosen.rstrip("/")
    parts = urllib.parse.urlsplit(chosen)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ReviewerError(f"{server or chosen}: not an http(s) public-inbox URL")
    if not parts.path.strip("/"):
        chosen += "/all"  # as b4 does: a bare origin means the all-lists archive
    return chosen


# -- liblore nodes -------------------------------------------------------------------------


def lore_node(server: str) -> liblore.LoreNode:
    """A shared liblore node for ``server`` using b4's cache dir, TTL and user agent."""
    config = b4_config()
    cache_dir = str(Path(b4.get_cache_dir()) / "lore")
    key = (server, cache_dir)
    with _LOCK:
        node = _NODES.get(key)
        if node is None:
            try:
                ttl = int(str(config.get("cache-expire", "10"))) * 60
            except ValueError:
                ttl = 600
            node = liblore.LoreNode.from_git_config(server, cache_dir=cache_dir, cache_ttl=ttl)
            node.set_user_agent("reviewer", __version__)  # who is asking, for the server's admin
            _NODES[key] = node
        return node


def use_server_for_b4(server: str) -> liblore.LoreNode:
    """Point b4's own searches (b4.get_pi_search_results, b4.mbox.get_extra_series) at ``server``.

    b4 keeps one global node built from b4.midmask; we replace it with ours, so b4's query logic
    runs against the chosen archive with the same cache and session as our fetches.
    """
    node = lore_node(server)
    with _LOCK:
        b4_config()["midmask"] = server + "/%s"
        b4.LORENODE = node
    return node


# -- fetching ------------------------------------------------------------------------------


def fetch_thread(
    msgid_or_url: str,
    server: str | None = None,
    offline: bool = False,
    nocache: bool = False,
) -> list[EmailMessage]:
    """The thread containing a message, as b4 would fetch it (deduplicated, strict thread)."""
    msgid = parse_msgid(msgid_or_url)
    if msgid is None:
        raise ReviewerError(f"{msgid_or_url!r}: not a message-id or lore URL")
    if offline:
        raise ReviewerError(f"<{msgid}>: not fetched, running offline")
    base = resolve_server(server, msgid_or_url)
    configure_attestation(offline=False)
    mbox = _get_mbox(lore_node(base), msgid, base, nocache)
    msgs = b4.split_and_dedupe_pi_results(mbox)
    thread = b4.get_strict_thread(msgs, msgid) if msgs else None
    if not thread:
        raise ReviewerError(f"<{msgid}>: {base} returned no messages of that thread")
    return thread


def _get_mbox(node: liblore.LoreNode, msgid: str, base: str, nocache: bool) -> bytes:
    try:
        return node.get_mbox_by_msgid(msgid, nocache=nocache)
    except liblore.RemoteError as exc:
        raise ReviewerError(_remote_error_line(exc, msgid, base)) from exc
    except (OSError, EOFError) as exc:  # a truncated or non-gzip answer
        raise ReviewerError(f"<{msgid}>: bad answer from {base}: {exc}") from exc


def _remote_error_line(exc: liblore.RemoteError, msgid: str, base: str) -> str:
    if exc.status_code == 404:
        return f"<{msgid}>: not found on {base}"
    if exc.status_code is None:
        reason = str(exc.__cause__ or exc).splitlines()[0]
        if "Connection refused" in reason:
            reason = "connection refused"
        elif "timed out" in reason.lower():
            reason = "timed out"
        return f"cannot reach {base}: {reason}"
    return f"<{msgid}>: {base} answered HTTP {exc.status_code}"
