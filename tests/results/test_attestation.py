"""b4's attestation verdict per patch (issue 12, item 10): the real corpus offline is "not
checked (offline)"; online, mail DKIM-signed here with dkimpy is verified by b4 against a key
served by a real DNS server on 127.0.0.1; a tampered mail is BADSIG; results are stored."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime
from email.utils import format_datetime

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from reviewer.results.attestation import Verdict, attest_revision, check_raw, stored_attestations
from reviewer.sources.mail import load_source
from reviewer.store.core import Store
from reviewer.tracking.ingest import ingest
from tests import synthetic_archive as synth
from tests.conftest import V2
from tests.dns_server import serving

SELECTOR, DOMAIN = "sel2026", "example.org"  # synth's authors are devN@example.org


@pytest.fixture(scope="module")
def key():
    private = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    der = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    record = f"v=DKIM1; k=rsa; p={base64.b64encode(der).decode()}"
    return pem, {f"{SELECTOR}._domainkey.{DOMAIN}": record}


def _signed(raw: bytes, pem: bytes) -> bytes:
    """DKIM-signed now; the Date is now too (b4 distrusts a signature made long after the
    mail's date: b4.attestation-staleness-days)."""
    date = format_datetime(datetime.now(UTC)).encode()
    raw = re.sub(rb"(?m)^Date: .*$", b"Date: " + date, raw, count=1)
    header = dkim.sign(
        raw, SELECTOR.encode(), DOMAIN.encode(), pem,
        include_headers=[b"from", b"to", b"subject", b"date", b"message-id"],
    )  # fmt: skip
    return header.replace(b"\r\n", b"\n") + raw  # the mail's own line ends, as in an mbox


@pytest.fixture
def user_config(tmp_path, monkeypatch):
    """b4's settings from a git config of our own: the user's global one is not read."""
    cfg = tmp_path / "gitconfig"
    cfg.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(cfg))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.chdir(tmp_path)
    return cfg


def _track_signed(tmp_path, pem, tamper: int | None = None) -> tuple[Store, object]:
    mails = synth.series(3, patches=3)
    signed = [mails[0]] + [_signed(m, pem) for m in mails[1:]]
    if tamper is not None:  # the body changed after signing: the body hash no longer matches
        signed[tamper] = signed[tamper].replace(b"Add part", b"Add PART")
    mbox = tmp_path / "signed.mbox"
    mbox.write_bytes(synth.mbox(signed))
    store = Store.open(tmp_path / "db.sqlite3")
    ingest(store, load_source(str(mbox), offline=True))
    return store, store.get_series(synth.cover_id(3)).latest


def test_the_real_corpus_offline_is_not_checked_offline(tmp_path, user_config):
    """The January v2 patches carry real DKIM signatures; offline nobody asks DNS."""
    store = Store.open(tmp_path / "db.sqlite3")
    ingest(store, load_source(str(V2), offline=True))
    revision = store.get_series(1).latest
    raws = [store.raw_message(p.message_id) for p in revision.patches]
    assert all(b"DKIM-Signature:" in r for r in raws)  # real signatures
    results = attest_revision(store, revision, offline=True)
    assert {r.line() for r in results.values()} == {"not checked (offline)"}
    assert all(r.verdict == Verdict.NOT_CHECKED for r in results.values())
    # nothing stored: going online later checks them
    assert store.conn.execute("SELECT COUNT(*) FROM attestations").fetchone()[0] == 0


def test_online_dkim_signed_mail_is_verified_by_b4_and_stored(tmp_path, key, user_config):
    pem, records = key
    store, revision = _track_signed(tmp_path, pem)
    with serving(records) as dns_server:
        results = attest_revision(store, revision, offline=False)
    assert f"{SELECTOR}._domainkey.{DOMAIN}" in dns_server.queries
    for patch in revision.patches:
        result = results[patch.message_id]
        assert result.verdict == Verdict.PASS, result
        assert result.line() == f"DKIM/{DOMAIN} signed"
        assert not result.stored
    # stored: the next look (no DNS server now, even offline) reuses the verdict
    again = attest_revision(store, revision, offline=False)
    assert all(r.stored and r.verdict == Verdict.PASS for r in again.values())
    offline = stored_attestations(store, revision, offline=True)
    assert all(r.verdict == Verdict.PASS for r in offline.values())


def test_a_tampered_mail_is_badsig(tmp_path, key, user_config):
    pem, records = key
    store, revision = _track_signed(tmp_path, pem, tamper=2)
    with serving(records):
        results = attest_revision(store, revision, offline=False)
    verdicts = [results[p.message_id].verdict for p in revision.patches]
    assert verdicts == [Verdict.PASS, Verdict.FAIL, Verdict.PASS]
    assert results[revision.patches[1].message_id].line() == (
        f"DKIM/{DOMAIN} BADSIG (body changed since signing)"
    )


def test_an_unsigned_mail_is_none_and_policy_off_is_not_checked(tmp_path, user_config):
    raw = synth.series(4, patches=1)[1]
    assert check_raw(raw, offline=False).line() == "none (no DKIM or patatt signature)"
    user_config.write_text("[b4]\n\tattestation-policy = off\n")
    result = check_raw(raw, offline=False)
    assert result.line() == "not checked (b4.attestation-policy is off)"


def test_a_key_missing_from_dns_is_a_failure_saying_so(tmp_path, key, user_config):
    pem, _records = key
    store, revision = _track_signed(tmp_path, pem)
    with serving({}):  # a server that knows no key: NXDOMAIN
        results = attest_revision(store, revision, offline=False)
    assert {r.line() for r in results.values()} == {
        f"DKIM/{DOMAIN} BADSIG (signing key not found in DNS)"
    }
    # not stored: a DNS that knows nothing may be a sandbox as well as a retired key
    assert store.conn.execute("SELECT COUNT(*) FROM attestations").fetchone()[0] == 0


def test_dns_that_does_not_answer_is_not_checked_asked_once_and_not_stored(
    tmp_path, key, user_config
):
    """A resolver that never answers: "not checked (DKIM key lookup failed: ...)", not BADSIG;
    the other patches are not asked again; nothing is stored."""
    import socket

    import dns.resolver

    pem, _records = key
    store, revision = _track_signed(tmp_path, pem)
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    silent.bind(("127.0.0.1", 0))  # receives, never answers
    saved = dns.resolver.default_resolver
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers, resolver.port = ["127.0.0.1"], silent.getsockname()[1]
    dns.resolver.default_resolver = resolver
    try:
        results = attest_revision(store, revision, offline=False)
    finally:
        dns.resolver.default_resolver = saved
        silent.close()
    lines = [results[p.message_id].line() for p in revision.patches]
    assert all(line.startswith("not checked (DKIM key lookup failed: ") for line in lines), lines
    assert store.conn.execute("SELECT COUNT(*) FROM attestations").fetchone()[0] == 0


def test_json_view_round_trips(tmp_path, key, user_config):
    pem, records = key
    store, revision = _track_signed(tmp_path, pem)
    with serving(records):
        results = attest_revision(store, revision, offline=False)
    data = json.loads(json.dumps(results[revision.patches[0].message_id].to_json()))
    assert data["verdict"] == "pass" and data["signatures"][0]["identity"] == f"DKIM/{DOMAIN}"


def test_show_and_review_say_it_per_patch(cli, tmp_path, key, user_config):
    """show / review: a line per patch, online (the key served here) and offline; --json has
    the field (docs/json.md)."""
    pem, records = key
    mails = synth.series(5, patches=2)
    mbox = tmp_path / "signed.mbox"
    mbox.write_bytes(synth.mbox([mails[0], _signed(mails[1], pem), mails[2]]))
    assert cli("track", "--offline", mbox).code == 0
    offline = cli("show", "1", "--offline").out
    assert offline.count("attestation: not checked (offline)") == 2
    with serving(records):
        online = cli("show", "1").out
    assert f"attestation: DKIM/{DOMAIN} signed" in online
    assert "attestation: none (no DKIM or patatt signature)" in online
    shown = json.loads(cli("show", "1", "--json", "--offline").out)
    first, second = (p["attestation"] for p in shown["revision"]["patch_list"])
    assert first["verdict"] == "pass"  # stored by the online look
    assert second["verdict"] == "none"
    review = cli("review", "1", "--offline").out
    section = review[review.index("\nAttestation:\n") :].splitlines()[2:4]
    assert [line.split(None, 1)[1] for line in section] == [
        f"DKIM/{DOMAIN} signed",
        "none (no DKIM or patatt signature)",
    ]
    data = json.loads(cli("review", "1", "--offline", "--json").out)["series"][0]
    assert [p["verdict"] for p in data["attestation"]["patches"]] == ["pass", "none"]


def test_mail_b4_cannot_read_is_not_checked_with_one_line(user_config):
    """Hostile mail: a DKIM-Signature header that is garbage, on a mail without a From."""
    raw = b"DKIM-Signature: \xff\xfe=;;; d=\n\x00\nSubject: x\n\n\xff body\n"
    result = check_raw(raw, offline=False)
    assert result.verdict in (Verdict.NOT_CHECKED, Verdict.FAIL), result
    assert "\n" not in result.line()
