"""b4's attestation verdict (DKIM, patatt) on each patch mail, kept in the store.

The check is b4's own: ``b4.LoreMessage(msg).get_attestation_status(policy, maxdays)``, the
public path ``b4 am`` prints its attestation lines from (``LoreMessage.attestors`` verifies the
DKIM-Signature headers with dkimpy, which looks the signing key up in DNS, and the
X-Developer-Signature headers with patatt). reviewer passes b4 the user's own settings
(``b4.attestation-policy``, ``b4.attestation-check-dkim``, ``b4.attestation-staleness-days``;
``b4.attestation-dns-resolvers`` is applied by b4 itself), read from git config each time, so a
setting another part of reviewer changed for its own purpose (export turns the policy off) does
not leak in.

A result is never a silent absence: offline, with the policy off, or when DNS could not be
asked, the patch is "not checked" with the reason. Only complete online results are stored
(by patch message-id and the sha256 of the bytes checked), so the TUI and ``show`` do not ask
DNS again for every look; a "not checked" is computed each time and never stored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum

import b4

from reviewer.models import Revision
from reviewer.sources.mail import parse_bytes
from reviewer.store.core import Store, now

_LOCK = threading.Lock()  # b4's configuration and can_network are process-wide


class Verdict(StrEnum):
    PASS = "pass"  # at least one signature verified (b4: "signed")
    FAIL = "fail"  # signed, but no signature verified (b4: "badsig" / "nokey")
    NONE = "none"  # checked: the mail carries no DKIM or patatt signature
    NOT_CHECKED = "not-checked"  # ``reason`` says why (offline, policy off, DNS failed)


OFFLINE = "offline"
KEY_NOT_FOUND = "signing key not found in DNS"


@dataclass
class Attestation:
    verdict: Verdict
    reason: str = ""  # why not checked, or what failed
    signatures: list[dict] = field(default_factory=list)  # b4: status, identity, passing
    checked: str = ""  # when b4 checked it ('' when not checked, or not kept)
    stored: bool = False  # read from the store, not checked in this run
    keep: bool = True  # worth storing (a key not found is asked again next time)

    def line(self) -> str:
        """One line for text output, e.g. "DKIM/kernel.org signed" or "not checked (offline)"."""
        if self.verdict == Verdict.NOT_CHECKED:
            return f"not checked ({self.reason})"
        if self.verdict == Verdict.NONE:
            return "none (no DKIM or patatt signature)"
        parts = []
        for sig in self.signatures:
            word = {"signed": "signed", "badsig": "BADSIG", "nokey": "no key"}.get(
                sig["status"], sig["status"]
            )
            text = f"{sig['identity']} {word}"
            if sig.get("mismatch"):
                text += f" (From: {sig['mismatch']})"
            parts.append(text)
        text = "; ".join(parts) or self.verdict.value
        return f"{text} ({self.reason})" if self.reason else text

    def mark(self) -> str:
        """A short mark for narrow columns: ✓ verified, ✗ failed, - unsigned, ? not checked."""
        return {Verdict.PASS: "✓", Verdict.FAIL: "✗", Verdict.NONE: "-"}.get(self.verdict, "?")

    def to_json(self) -> dict:
        return {
            "verdict": self.verdict.value,
            "reason": self.reason,
            "signatures": self.signatures,
            "checked": self.checked,
        }

    @classmethod
    def from_json(cls, data: dict, stored: bool = False) -> Attestation:
        return cls(
            Verdict(data["verdict"]), data.get("reason", ""), list(data.get("signatures", [])),
            data.get("checked", ""), stored,
        )  # fmt: skip


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _user_settings() -> tuple[str, bool, int]:
    """(attestation-policy, check DKIM, staleness days) as the user configured b4."""
    from reviewer.sources.fetch import b4_config, git_config

    b4_config()
    policy = (git_config("b4.attestation-policy") or "softfail").lower()
    dkim = (git_config("b4.attestation-check-dkim") or "yes").lower() in ("yes", "true", "1")
    try:
        days = int(git_config("b4.attestation-staleness-days") or "30")
    except ValueError:
        days = 30
    return policy, dkim, days


@contextmanager
def _b4_settings(policy: str, check_dkim: bool) -> Iterator[None]:
    """b4's process-wide settings as the user has them, for the duration of one check."""
    with _LOCK:
        config = b4.get_main_config()
        saved = (config.get("attestation-policy"), config.get("attestation-check-dkim"),
                 b4.can_network)  # fmt: skip
        config["attestation-policy"] = policy
        config["attestation-check-dkim"] = "yes" if check_dkim else "no"
        b4.can_network = True
        try:
            yield
        finally:
            config["attestation-policy"], config["attestation-check-dkim"] = saved[:2]
            b4.can_network = saved[2]


_DNS_DOWN = ("dns.exception.Timeout", "NoResolverConfiguration", "NoNameservers")


class _DkimErrors(logging.Handler):
    """What dkimpy said through b4's ``b4.dkim`` logger while b4 verified: dkimpy turns a DNS
    timeout into a plain False, and only its log line tells it from a bad signature."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage().removeprefix("DKIM: "))


@contextmanager
def _dkim_errors() -> Iterator[_DkimErrors]:
    handler = _DkimErrors()
    log = logging.getLogger("b4.dkim")
    saved = (log.level, log.propagate)
    log.setLevel(logging.ERROR)  # dkimpy's errors even when b4's logging is turned down
    log.propagate = False  # ours only: b4 rewrites them to DEBUG for its own handlers anyway
    log.addHandler(handler)
    try:
        yield handler
    finally:
        log.removeHandler(handler)
        log.setLevel(saved[0])
        log.propagate = saved[1]


def _lookup_failures(lmsg, said: list[str]) -> list[str]:
    """Why DKIM signatures could not be checked at all (DNS down), as opposed to failing."""
    out = [line for line in said if any(k in line for k in _DNS_DOWN)]
    for attestor in lmsg.attestors:
        if attestor.mode == "DKIM" and not attestor.passing:
            out += [e for e in attestor.errors if any(k in e for k in _DNS_DOWN)]
    return out


def _failure_reason(said: list[str]) -> str:
    for line in said:
        if "missing public key" in line or "public key" in line.lower():
            return KEY_NOT_FOUND
        if "body hash mismatch" in line:
            return "body changed since signing"
        if "signature verification failed" in line:
            return "signature does not verify"
    return ""


def check_raw(raw: bytes, offline: bool) -> Attestation:
    """b4's verdict on one mail (not stored)."""
    if offline:
        return Attestation(Verdict.NOT_CHECKED, OFFLINE)
    policy, check_dkim, days = _user_settings()
    if policy == "off":
        return Attestation(Verdict.NOT_CHECKED, "b4.attestation-policy is off")
    msg = parse_bytes(raw)
    has_dkim = msg.get("DKIM-Signature") is not None
    has_patatt = msg.get("X-Developer-Signature") is not None
    if has_dkim and not check_dkim and not has_patatt:
        return Attestation(Verdict.NOT_CHECKED, "b4.attestation-check-dkim is no")
    if not has_dkim and not has_patatt:
        return Attestation(Verdict.NONE, checked=now())
    try:
        with _b4_settings(policy, check_dkim), _dkim_errors() as said:
            lmsg = b4.LoreMessage(msg)
            signatures, passing, _critical = lmsg.get_attestation_status(policy, days)
            failures = _lookup_failures(lmsg, said.lines)
    except Exception as exc:  # noqa: BLE001 - mail is hostile: b4 may choke on it, we may not
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Attestation(Verdict.NOT_CHECKED, f"b4 could not check this mail: {first}")
    if failures and not any(s["passing"] for s in signatures):
        return Attestation(Verdict.NOT_CHECKED, f"DKIM key lookup failed: {failures[0]}")
    signatures = [{k: v for k, v in s.items() if k in _KEYS} for s in signatures]
    if not signatures:  # b4's "check" policy lists failures only under softfail/hardfail
        return Attestation(Verdict.NONE, checked=now())
    if passing and any(s["passing"] for s in signatures):
        return Attestation(Verdict.PASS, signatures=signatures, checked=now())
    reason = _failure_reason(said.lines)
    # a key not found may be a DNS that knows nothing (a sandbox, a captive portal) as well as a
    # retired key: said, but not stored, so the next look asks again
    if reason == KEY_NOT_FOUND:  # said, not stored, no time: asked again at the next look
        return Attestation(Verdict.FAIL, reason, signatures=signatures, keep=False)
    return Attestation(Verdict.FAIL, reason, signatures=signatures, checked=now())


_KEYS = ("status", "identity", "passing", "mismatch")


def pending(
    store: Store, revision: Revision, recheck: bool = False
) -> tuple[dict[str, Attestation], dict[str, bytes]]:
    """(what is known without checking: stored results and mail missing from the store,
    {patch message-id: raw bytes} still to check). Reads the store: call on its thread."""
    known: dict[str, Attestation] = {}
    todo: dict[str, bytes] = {}
    for patch in revision.patches:
        raw = store.raw_message(patch.message_id)
        if raw is None:
            known[patch.message_id] = Attestation(Verdict.NOT_CHECKED, "mail not in the store")
            continue
        saved = None if recheck else store.attestation(patch.message_id, content_hash(raw))
        if saved is not None:
            known[patch.message_id] = Attestation.from_json(json.loads(saved), stored=True)
        else:
            todo[patch.message_id] = raw
    return known, todo


def check_all(raws: dict[str, bytes], offline: bool) -> dict[str, Attestation]:
    """b4's verdict on each mail; no store (a worker thread may run it). After a DNS failure
    the remaining mails are not asked again (no minute of timeouts)."""
    out: dict[str, Attestation] = {}
    dns_down = ""
    for message_id, raw in raws.items():
        if dns_down and not offline:
            out[message_id] = Attestation(Verdict.NOT_CHECKED, dns_down)
            continue
        result = check_raw(raw, offline)
        if result.verdict == Verdict.NOT_CHECKED and result.reason.startswith("DKIM key lookup"):
            dns_down = result.reason
        out[message_id] = result
    return out


def save(store: Store, raws: dict[str, bytes], results: dict[str, Attestation]) -> None:
    """Store the complete results (checked ones; never a "not checked"), in one transaction."""
    done = [
        (mid, r) for mid, r in results.items()
        if r.checked and r.keep and not r.stored and mid in raws
    ]  # fmt: skip
    if not done:
        return
    with store.transaction(record_actor=False):  # derived data: looking is not joining the team
        for message_id, result in done:
            store.save_attestation(
                message_id, content_hash(raws[message_id]), json.dumps(result.to_json())
            )


def attest_revision(
    store: Store, revision: Revision, offline: bool, recheck: bool = False
) -> dict[str, Attestation]:
    """{patch message-id: Attestation} of a revision's patches, in patch order: the stored
    result when the same bytes were checked before, else b4's check, stored when complete."""
    known, todo = pending(store, revision, recheck)
    checked = check_all(todo, offline)
    save(store, todo, checked)
    merged = {**known, **checked}
    return {p.message_id: merged[p.message_id] for p in revision.patches}


def stored_attestations(store: Store, revision: Revision, offline: bool) -> dict[str, Attestation]:
    """What is known without checking: stored results, else "not checked" with the reason
    (offline, or "not checked yet" while a TUI job checks)."""
    known, todo = pending(store, revision)
    why = OFFLINE if offline else "not checked yet"
    known.update({mid: Attestation(Verdict.NOT_CHECKED, why) for mid in todo})
    return {p.message_id: known[p.message_id] for p in revision.patches}


def section(results: dict[str, Attestation], revision: Revision) -> tuple[list[str], dict]:
    """The review report's Attestation section: one line a patch, and its JSON."""
    from reviewer.sanitize import clean_line

    lines, data = [], []
    for patch in revision.patches:
        result = results[patch.message_id]
        lines.append(f"  {patch.index:>2}/{revision.expected:<2} {clean_line(result.line())}")
        data.append({"index": patch.index, "message_id": patch.message_id, **result.to_json()})
    return lines, {"patches": data}
