"""The patch screen's attestation line (issue 12, item 10): offline "not checked (offline)";
online, b4 checks in a worker against a key served by a real DNS server on 127.0.0.1, the line
turns "signed" and the verdict is stored."""

from __future__ import annotations

from reviewer.sources.mail import load_source
from reviewer.store.core import Store
from reviewer.tracking.ingest import ingest
from tests import synthetic_archive as synth
from tests.dns_server import serving
from tests.results.test_attestation import DOMAIN, _signed, key, user_config  # noqa: F401 (fixtures)
from tests.tui.conftest import drive, wait_mark
from tui.screens.patch import PatchScreen


def _info(pilot) -> str:
    screen = pilot.app.screen
    assert isinstance(screen, PatchScreen)
    return screen._info().plain


def test_offline_says_not_checked_offline(make_app):
    async def scenario(pilot):
        await pilot.press("enter", "enter")
        await wait_mark(pilot, "patch v2 1")
        return _info(pilot)

    assert "attestation: not checked (offline)" in drive(make_app(), scenario)


def test_online_checks_in_a_worker_and_stores_it(tmp_path, key, user_config):  # noqa: F811
    from tui.app import ReviewerApp

    pem, records = key
    mails = synth.series(6, patches=1)
    mbox = tmp_path / "signed.mbox"
    mbox.write_bytes(synth.mbox([mails[0], _signed(mails[1], pem)]))
    db = tmp_path / "tui.sqlite3"
    store = Store.open(db)
    ingest(store, load_source(str(mbox), offline=True))
    store.close()
    app = ReviewerApp(Store.open(db), offline=False)

    async def scenario(pilot):
        await pilot.press("enter", "enter")
        await wait_mark(pilot, "patch v1 1")
        await wait_mark(pilot, "attestation")
        return _info(pilot)

    with serving(records) as dns_server:
        info = drive(app, scenario)
    assert f"attestation: DKIM/{DOMAIN} signed" in info
    assert dns_server.queries
    app.store.close()
    check = Store.open(db)
    assert check.conn.execute("SELECT COUNT(*) FROM attestations").fetchone()[0] == 1
    check.close()
