"""The read-side commands on the tracked real threads: text and --json."""

from __future__ import annotations

import json

import pytest

V2_COVER = "cover.1769097829.git.lorenzo.stoakes@oracle.com"
RESEND_COVER = "cover.1768857200.git.lorenzo.stoakes@oracle.com"


def test_list_json_schema(tracked):
    result = tracked("list", "--json")
    (series,) = json.loads(result.out)
    assert series["id"] == 1
    assert series["subject"].startswith("mm: add bitmap VMA flag helpers")
    assert [
        (r["revision"], r["resend"], r["patches"], r["label"]) for r in series["revisions"]
    ] == [(1, False, 12, "v1"), (1, True, 12, "v1-RESEND"), (2, False, 13, "v2")]
    assert series["revisions"][2]["message_id"] == V2_COVER


def test_list_text(tracked):
    header, row = tracked("list").out.splitlines()
    assert header.split() == ["ID", "STATE", "LATEST", "PATCHES", "A/R/T", "CHECK", "SUBJECT"]
    # 3 acks and 17 reviews live on v2; no check has run yet
    assert row.split()[:6] == ["1", "new", "v2", "13/13", "3/17/0", "-"]
    assert row.endswith("mm: add bitmap VMA flag helpers and convert all mmap_prepare to use them")


def test_list_text_shows_the_stored_check(tracked):
    tracked("check", "1")
    row = tracked("list").out.splitlines()[1]
    assert row.split()[5].startswith("E0/W")


def test_list_filters_by_state(tracked):
    assert json.loads(tracked("list", "--json", "--state", "archived").out) == []


@pytest.mark.parametrize(
    "ref, label",
    [
        ("v1-RESEND", "v1-RESEND"),
        ("V1-resend", "v1-RESEND"),
        ("2", "v2"),
        ("v2", "v2"),
        (RESEND_COVER, "v1-RESEND"),
        (f"<{RESEND_COVER}>", "v1-RESEND"),
    ],
)
def test_revision_references(tracked, ref, label):
    result = tracked("trailers", "1", "--revision", ref, "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["revision"] == label


def test_ambiguous_revision_number_is_one_error_line(tracked):
    result = tracked("show", "1", "--revision", "1")
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        "reviewer: error: revision '1' is ambiguous: v1, v1-RESEND"
    ]


@pytest.mark.parametrize(
    "ref", ["1", V2_COVER, f"<{RESEND_COVER}>", "https://lore.kernel.org/all/" + V2_COVER + "/"]
)
def test_series_by_id_or_any_message_id(tracked, ref):
    result = tracked("show", ref, "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["id"] == 1


def test_series_by_a_reply_message_id(tracked):
    # Jarkko's review of v2 08/13
    assert json.loads(tracked("show", "aXYtmbL40r5wLgk2@kernel.org", "--json").out)["id"] == 1


def test_unknown_series_is_one_error_line(tracked):
    result = tracked("show", "nobody@example.org")
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert "no tracked series matches" in result.err


def test_trailers_json_schema(tracked):
    data = json.loads(tracked("trailers", V2_COVER, "--json").out)
    assert data["revision"] == "v2"
    patch8 = data["patches"][7]
    assert (patch8["index"], patch8["subject"]) == (
        8,
        "mm: update shmem_[kernel]_file_*() functions to use vma_flags_t",
    )
    assert {(t["name"], t["value"], t["status"]) for t in patch8["trailers"]} == {
        ("Reviewed-by", "Baolin Wang <baolin.wang@linux.alibaba.com>", "ok"),
        ("Reviewed-by", "Jarkko Sakkinen <jarkko@kernel.org>", "ok"),
        ("Reviewed-by", "Liam R. Howlett <Liam.Howlett@oracle.com>", "ok"),
    }


def test_trailers_text_matrix(tracked):
    out = tracked("trailers", "1").out
    assert "LRH = Liam R. Howlett <Liam.Howlett@oracle.com>" in out
    row9 = next(line for line in out.splitlines() if line.strip().startswith("9/13"))
    assert row9.split()[1:] == [".", "A", ".", ".", "A"]


def test_show_marks_fixups(tracked):
    out = tracked("show", "1").out
    assert "7/13 mm: update secretmem" in out
    # what each fix-up touches, not just "+1 fix-up(s)": 7/13's repairs a missed caller
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if "7/13 mm: update secretmem" in line)
    assert lines[at + 1].strip() == (
        "+ fix-up in a reply from Lorenzo Stoakes <lorenzo.stoakes@oracle.com>:"
        " mm/mmap.c: check_brk_limits()"
    )
