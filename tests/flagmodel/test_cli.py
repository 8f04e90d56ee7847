from __future__ import annotations

import io
import json
import sys

from reviewer.cli import main


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
