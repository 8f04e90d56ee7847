from __future__ import annotations

import io
import json
import sys

from reviewer.cli import main
from reviewer.flagmodel.harness_setting import ENV


def test_check_json_on_tracked_series(threads_dir, tmp_path, capsys):
    db = str(tmp_path / "r.db")
    assert main(["track", "--db", db, "--offline", str(threads_dir / "v2-thread.mbox")]) == 0
    capsys.readouterr()
    rc = main(["check", "--db", db, "--json", "1"])
    data = json.loads(capsys.readouterr().out)
    assert rc == 0  # no error: the set_vma_from_desc() behaviour change is a warning
    assert data["revision"] == "v2" and data["verified"] > 80
    assert {f["check"] for f in data["findings"]} >= {"equivalence", "locking", "dup-drift"}


def test_b4_check_mode_reads_one_patch(v2_patches, monkeypatch, capsys, tmp_path):
    patch = v2_patches[6]  # secretmem
    mail = (
        f"From: a@b\nSubject: [PATCH] {patch.subject}\nMessage-ID: <x@y>\n\n"
        f"{patch.commit_message}\n---\n{patch.diff}"
    ).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(mail)))
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--b4-check"]) == 0
    [result] = json.loads(capsys.readouterr().out)
    assert result["tool"] == "reviewer-flagmodel"
    assert result["status"] in ("pass", "warn", "fail")
    assert "verified" in result["summary"]


def test_check_fixups_switch(threads_dir, tmp_path, capsys, monkeypatch):
    """`check` folds the fix-ups posted in reply by default and says what they resolve;
    `--fixups posted` checks the patches as posted only (issue 15 item 8)."""
    # --no-harness sets REVIEWER_HARNESS=0 in this process: monkeypatch records the variable
    # (setenv, then delenv) so it is restored for the later tests
    monkeypatch.setenv(ENV, "1")
    monkeypatch.delenv(ENV)
    db = str(tmp_path / "r.db")
    assert main(["track", "--db", db, "--offline", str(threads_dir / "v2-thread.mbox")]) == 0
    capsys.readouterr()
    assert main(["check", "--db", db, "--no-harness", "1"]) == 0
    out = capsys.readouterr().out
    assert "Fix-up to patch 7 from Lorenzo Stoakes (mm/mmap.c: check_brk_limits())" in out
    assert "patch 7 mm/mmap.c:111 (bool-param)" in out and "resolved by the fix-up" in out
    assert main(["check", "--db", db, "--no-harness", "--fixups", "posted", "1"]) == 0
    out = capsys.readouterr().out
    assert "Fix-up" not in out and "(bool-param)" not in out
    assert main(["check", "--db", db, "--no-harness", "--json", "--fixups", "folded", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [x["patch"] for x in data["fixups"]] == [7, 8, 12]
    assert not [f for f in data["findings"] if f["check"] == "bool-param"]
