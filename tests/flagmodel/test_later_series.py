"""The flag model end to end through the CLI on a small series of our own in the shape of a
real later one (June 2026: a bit test behind an unreadable `if` whose bit other architectures
use for other flags, next to correct conversions): tracked offline and checked like a new user
would (the verdicts on the real series: docs/later-series.md)."""

from __future__ import annotations

import json

from reviewer.cli import main
from tests.flagmodel import synth

COVER_ID = "<synth-cover@example.org>"


def _message(n: int, total: int, subject: str, msgid: str, body: str) -> str:
    return (
        f"From dev@example.org Mon Jun 29 20:25:2{n} 2026\n"
        "From: A Developer <dev@example.org>\n"
        "To: linux-mm@kvack.org\n"
        f"Subject: [PATCH {n}/{total}] {subject}\n"
        f"Date: Mon, 29 Jun 2026 20:25:2{n} +0100\n"
        f"Message-ID: {msgid}\n"
        + (f"In-Reply-To: {COVER_ID}\nReferences: {COVER_ID}\n" if n else "")
        + "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n"
        + body
        + "\n"
    )


LOCKED = """
 static bool is_locked(struct vm_area_struct *vma)
 {
-\treturn !!(vma->vm_flags & VM_LOCKED);
+\treturn vma_test(vma, VMA_LOCKED_BIT);
 }
"""


def _mbox(tmp_path):
    patches = [
        ("mm/mlock: convert a flag test", synth.diff("mm/mlock.c", synth.hunk(100, LOCKED))),
        (
            "mm/mprotect: convert a flag test",
            synth.diff("mm/mprotect.c", synth.hunk(890, synth.GROWS_UP)),
        ),
    ]
    parts = [_message(0, 2, "convert two flag tests", COVER_ID, "Two small conversions.\n")]
    for n, (subject, diff) in enumerate(patches, 1):
        body = (
            f"{subject}.\n\nSigned-off-by: A Developer <dev@example.org>\n---\n{diff}--\n2.54.0\n"
        )
        parts.append(_message(n, 2, subject, f"<synth-{n}@example.org>", body))
    path = tmp_path / "series.mbox"
    path.write_text("".join(parts))
    return path


def test_series_end_to_end(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("REVIEWER_CACHE", str(tmp_path / "cache"))
    db = str(tmp_path / "later.db")
    assert main(["track", "--db", db, "--offline", str(_mbox(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "v1 tracked (2 patches)" in out and "Traceback" not in out
    rc = main(["check", "--db", db, "--json", "1"])
    data = json.loads(capsys.readouterr().out)
    assert rc != 0  # the one error-level finding
    assert data["revision"] == "v1" and data["counts"]["error"] == 1
    [error] = [f for f in data["findings"] if f["severity"] == "error"]
    assert (error["check"], error["patch"], error["file"], error["line"]) == (
        "config-gated",
        2,
        "mm/mprotect.c",
        893,
    )
    assert "VMA_ARM64_BTI_BIT" in error["message"] and "tests the bit" in error["message"]
    assert not [f for f in data["findings"] if f["patch"] == 1 and f["severity"] != "info"]
    assert data["verified"] >= 1
