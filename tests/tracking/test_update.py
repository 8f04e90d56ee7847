"""reviewer update against a real public-inbox-httpd: new replies, new revisions, applied series."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from reviewer.store.core import Store
from tests import synthetic_archive as synth
from tests.conftest import RESEND, V1, V2
from tests.helpers_minitree import make_minitree_repo, patches_only_mbox, synthetic_mbox
from tests.mail_helpers import header, messages, write_mbox

V1_COVER = "cover.1768834061.git.lorenzo.stoakes@oracle.com"
V2_COVER = "cover.1769097829.git.lorenzo.stoakes@oracle.com"
PEDRO = "pfalcato@suse.de"


def _trailer_senders(db_path: Path, label: str, index: int) -> list[str]:
    series = Store.open(db_path).load_series(1)
    revision = next(r for r in series.revisions if r.label == label)
    return [t.value for t in revision.patches[index - 1].trailers]


def test_new_replies_bring_new_trailers(pi_factory, cli, db_path, tmp_path) -> None:
    raws = messages(V2)
    from_pedro = [r for r in raws if PEDRO in header(r, "From")]
    assert from_pedro, "the v2 thread has Pedro Falcato's reviews"
    server = pi_factory(
        (write_mbox(tmp_path / "without.mbox", [r for r in raws if r not in from_pedro]),)
    )
    assert cli("track", "--server", server.url, V2_COVER).code == 0
    assert not any(PEDRO in v for v in _trailer_senders(db_path, "v2", 1))

    server.import_mbox(write_mbox(tmp_path / "pedro.mbox", from_pedro))
    result = cli("update", "--server", server.url)

    assert result.code == 0, result.err
    assert "new Reviewed-by on v2 1/13" in result.out
    assert any(PEDRO in v for v in _trailer_senders(db_path, "v2", 1))
    again = cli("update", "--server", server.url)
    assert "new Reviewed-by" not in again.out and "1 unchanged" in again.out


def test_new_revision_is_linked_and_old_one_superseded(pi_factory, cli, db_path) -> None:
    server = pi_factory((V1,))
    assert cli("track", "--server", server.url, V1_COVER).code == 0

    server.import_mbox(V2)
    result = cli("update", "--server", server.url)

    assert result.code == 0, result.err
    assert "v2 posted (13 patches)" in result.out
    assert "v1 superseded by v2" in result.out
    state = json.loads(cli("state", "--json", "1").out)
    assert [(r["label"], r["state"]) for r in state["revisions"]] == [
        ("v1", "superseded"),
        ("v2", "new"),
    ]
    assert len(json.loads(cli("list", "--json").out)) == 1


def test_resend_is_found_by_subject_and_author(pi_factory, cli) -> None:
    server = pi_factory((V1,))
    assert cli("track", "--server", server.url, V1_COVER).code == 0
    server.import_mbox(RESEND)
    result = cli("update", "--server", server.url)
    assert "v1-RESEND posted (12 patches)" in result.out
    assert "v1 superseded by v1-RESEND" in result.out


def test_many_series_are_updated_concurrently(pi_factory, cli, tmp_path) -> None:
    count = 12
    server = pi_factory(
        (_write(tmp_path / "all.mbox", [m for k in range(count) for m in synth.series(k)]),)
    )
    for k in range(count):
        assert cli("track", "--server", server.url, synth.cover_id(k)).code == 0
    news = [synth.reply(k, 1, 2, 0) for k in range(0, count, 2)]
    news += [m for k in range(1, count, 3) for m in synth.series(k, rev=2)]
    server.import_bytes(synth.mbox(news))

    out = json.loads(cli("update", "--json", "--jobs", "6", "--server", server.url).out)

    changes = {s["id"]: s["changes"] for s in out["series"]}
    assert len(changes) == count
    for k in range(count):
        series_id = k + 1
        if k % 2 == 0:
            assert "1 new Reviewed-by on v1 2/4" in changes[series_id]
        if k % 3 == 1:
            assert "v2 posted (4 patches)" in changes[series_id]
        if k % 2 and k % 3 != 1:
            assert changes[series_id] == []


def test_applied_when_patches_are_on_the_maintainer_branch(pi_factory, cli, tmp_path) -> None:
    server = pi_factory((synthetic_mbox("v2-thread"),))
    cover = header(messages(synthetic_mbox("v2-thread"))[0], "Message-ID").strip("<>")
    assert cli("track", "--server", server.url, cover).code == 0
    repo = make_minitree_repo(tmp_path)
    repo.git.checkout("-b", "maint")
    repo.git.am(str(patches_only_mbox("v2-thread", tmp_path / "v2-patches.mbox")))
    head_before = repo.head.commit.hexsha

    result = cli("update", "--server", server.url, "--branch", "maint", "--repo", repo.working_dir)

    assert result.code == 0, result.err
    assert "v2 applied to maint" in result.out
    assert [s["id"] for s in json.loads(cli("list", "--json", "--state", "applied").out)] == [1]
    assert repo.head.commit.hexsha == head_before and not repo.is_dirty()


def test_not_applied_when_branch_lacks_the_patches(pi_factory, cli, tmp_path) -> None:
    server = pi_factory((synthetic_mbox("v2-thread"),))
    cover = header(messages(synthetic_mbox("v2-thread"))[0], "Message-ID").strip("<>")
    assert cli("track", "--server", server.url, cover).code == 0
    repo = make_minitree_repo(tmp_path)
    result = cli("update", "--server", server.url, "--branch", "master", "--repo", repo.working_dir)
    assert "applied" not in result.out
    assert json.loads(cli("list", "--json").out)[0]["state"] == "new"


def test_server_down_is_reported_and_nothing_lost(tracked, cli, b4_isolated) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    before = cli("show", "--json", "1").out
    result = cli("update", "--server", f"http://127.0.0.1:{port}/test")
    assert result.code == 1
    assert "cannot reach" in result.err
    assert all(line.startswith("reviewer: warning:") for line in result.err.splitlines())
    # one readable line per series (not one per revision thread), and the summary says so
    assert result.err.splitlines() == [
        f"reviewer: warning: series 1: not polled: cannot reach http://127.0.0.1:{port}/test:"
        " connection refused"
    ]
    assert result.out.splitlines()[-1].endswith(
        "0 unchanged, 1 NOT polled (server unreachable or failing)"
    )
    assert cli("show", "--json", "1").out == before


def test_unresolvable_host_is_said_in_plain_words() -> None:
    from reviewer.tracking.update import SeriesUpdate, poll_problem_line

    raw = (
        "cannot reach https://lore.kernel.org/all: HTTPSConnectionPool(host='lore.kernel.org',"
        " port=443): Max retries exceeded with url: /all/x/t.mbox.gz (Caused by"
        " NameResolutionError(\"HTTPSConnection(host='lore.kernel.org', port=443): Failed to"
        " resolve 'lore.kernel.org' ([Errno -2] Name or service not known)\"))"
    )
    item = SeriesUpdate(1, "s", "new", problems=[raw, raw.replace("/x/", "/y/")])
    assert poll_problem_line(item) == (
        "series 1: not polled: cannot reach https://lore.kernel.org/all:"
        " host name not resolved (no network?)"
    )


def test_offline_update_only_derives_states(tracked, cli) -> None:
    result = cli("update", "--offline", "--server", "http://192.0.2.1/unroutable")
    assert result.code == 0, result.err
    assert "offline" in result.err
    assert "v1 superseded by v2" in result.out


def test_unknown_series_is_one_line_error(tracked, cli) -> None:
    result = cli("update", "--offline", "999")
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1


def _write(path: Path, raws: list[bytes]) -> Path:
    path.write_bytes(synth.mbox(raws))
    return path
