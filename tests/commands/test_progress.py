"""reviewer progress: per-patch marks and notes, carried to unchanged patches of later revisions."""

from __future__ import annotations

import json

from tests.conftest import RESEND, V1, V2


def _marks(cli, revision: str) -> dict[int, dict]:
    out = json.loads(cli("progress", "1", "-r", revision, "--json").out)
    return {p["index"]: p for p in out["patches"]}


def test_mark_carries_to_unchanged_patches_and_drops_on_code_change(cli) -> None:
    assert cli("track", "--offline", V1, RESEND).code == 0
    assert cli("progress", "1", "3", "done", "--note", "bitmap ok", "-r", "v1").code == 0
    assert cli("progress", "1", "11", "done", "-r", "v1").code == 0
    resend = _marks(cli, "v1-RESEND")
    # RESEND 3 is identical to v1 3: carried with its note; RESEND 11 changed code: dropped
    assert resend[3] | {"message_id": ""} == {
        "index": 3, "message_id": "", "state": "done", "note": "bitmap ok",
        "origin": "carried", "given_on": "v1",
    }  # fmt: skip
    assert resend[11]["origin"] == "dropped"
    assert "code changed since" in resend[11]["note"]
    # a new revision arriving later picks the marks up on ingest (v2 4 is RESEND 3, rebased)
    assert cli("track", "--offline", V2).code == 0
    v2 = _marks(cli, "v2")
    assert v2[4]["state"] == "done" and v2[4]["origin"] == "carried"
    assert v2[12]["state"] == "none"  # a dropped mark is not carried further
    listed = cli("list")
    assert "1/13 done" in listed.out
    assert json.loads(cli("list", "--json").out)[0]["progress"] == "1/13 done"


def test_own_mark_on_later_revision_wins_and_clearing_removes_it(tracked) -> None:
    assert tracked("progress", "1", "3", "done", "-r", "v1").code == 0
    assert _marks(tracked, "v1-RESEND")[3]["origin"] == "carried"
    assert tracked("progress", "1", "3", "needs-work", "-r", "v1-RESEND").code == 0
    own = _marks(tracked, "v1-RESEND")[3]
    assert (own["state"], own["origin"], own["given_on"]) == ("needs-work", "own", "v1-RESEND")
    assert _marks(tracked, "v2")[4]["state"] == "needs-work"  # carried from the RESEND now
    assert tracked("progress", "1", "3", "none", "-r", "v1-RESEND").code == 0
    assert _marks(tracked, "v1-RESEND")[3]["origin"] == "carried"  # back to v1's mark


def test_text_output_and_summary(tracked) -> None:
    tracked("progress", "1", "1", "done")
    tracked("progress", "1", "2", "skip")
    result = tracked("progress", "1", "5", "needs-work", "--note", "\x1b[31mred")
    assert result.code == 0
    assert "1/13 done, 1 skip, 1 needs-work" in result.out.splitlines()[0]
    assert "\x1b" not in result.out and "^[" in result.out  # notes are shown inert


def test_bad_patch_and_state_are_one_line_errors(tracked) -> None:
    for args in (("99", "done"), ("1", "finished")):
        result = tracked("progress", "1", *args)
        assert result.code == 2 and result.err.count("\n") == 1
