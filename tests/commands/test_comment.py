"""reviewer comment: comments on diff lines, hunks and patches; re-anchored on later revisions."""

from __future__ import annotations

import json

MM = "include/linux/mm.h"


def _comments(cli, patch: str, revision: str = "v2") -> list[dict]:
    out = json.loads(cli("comment", "1", patch, "-r", revision, "--json").out)
    return out["patches"][0]["comments"] if out["patches"] else []


def test_line_comment_follows_the_patch_or_turns_outdated(tracked) -> None:
    # v1 2/12 adds the ACCESS_PRIVATE line at mm.h:1036 and __set_bit at :1038; v2 3/13 has
    # the same __set_bit line at :1035 and no ACCESS_PRIVATE any more
    made = tracked("comment", "1", "2", "-r", "v1", "--file", MM, "--line", "1038", "-m", "why?",
                   "--json")  # fmt: skip
    assert made.code == 0, made.err
    assert json.loads(made.out)["added"] == 1
    tracked("comment", "1", "2", "-r", "v1", "--file", MM, "--line", "1036", "-m", "gone soon")
    tracked("comment", "1", "2", "-r", "v1", "-m", "Looks good overall.")
    on_v2 = {c["body"]: c for c in _comments(tracked, "3")}
    moved, gone, whole = on_v2["why?"], on_v2["gone soon"], on_v2["Looks good overall."]
    assert (moved["written_on"], moved["own"], moved["outdated"]) == ("v1", False, False)
    assert moved["diff_line"] is not None
    assert gone["outdated"] is True and gone["diff_line"] is None
    assert whole["side"] == "patch" and whole["diff_line"] == -1
    text = tracked("comment", "1", "3").out
    assert "(on v1, outdated)" in text and "(on v1):" in text


def test_edit_delete_and_errors(tracked) -> None:
    tracked("comment", "1", "3", "--file", MM, "--line", "1035", "-m", "first")
    assert tracked("comment", "1", "--edit", "1", "-m", "second").code == 0
    assert [c["body"] for c in _comments(tracked, "3")] == ["second"]
    assert tracked("comment", "1", "--delete", "1").code == 0
    assert _comments(tracked, "3") == []
    for args in (
        ("3", "--file", MM, "--line", "99999", "-m", "x"),  # no such line
        ("3", "-m", "   "),  # empty
        ("--delete", "7"),
        ("3", "--finding", "FM-0000000000"),  # nothing checked
        ("3", "--hunk", "-m", "x"),
    ):
        result = tracked("comment", "1", *args)
        assert result.code == 2 and result.err.count("\n") == 1, args


def test_finding_adopted_from_stored_report(tracked, db_path) -> None:
    from reviewer.flagmodel.findings import CheckReport, Finding
    from reviewer.results.check import save_report
    from reviewer.store.core import Store

    store = Store.open(db_path)
    latest = store.load_series(1).latest
    finding = Finding("error", "equivalence", 3, MM, 1035, "not equivalent", "with VM_READ set")
    save_report(store, latest, "key", CheckReport(findings=[finding]))
    store.close()
    result = tracked("comment", "1", "3", "--finding", finding.id, "--json")
    assert result.code == 0, result.err
    (comment,) = json.loads(result.out)["patches"][0]["comments"]
    assert comment["body"] == "not equivalent\n\nwith VM_READ set"
    assert (comment["line"], comment["finding_id"]) == (1035, finding.id)
