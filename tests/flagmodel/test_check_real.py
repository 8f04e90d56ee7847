"""The checker on the real January 2026 threads (every finding reviewed by hand, see
docs/flag-model.md)."""

from __future__ import annotations

import json
from pathlib import Path

from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.report_text import b4_results, findings_section


def _errors(report):
    return [(f.patch, f.file, f.check) for f in report.findings if f.severity == "error"]


def test_v2_has_no_error_and_flags_the_or_to_overwrite_change(v2_report):
    # set_vma_from_desc(): vm_flags_set(vma, desc->vm_flags) (OR-in) became an overwrite.
    assert _errors(v2_report) == []
    changes = [
        (f.patch, f.file, f.severity) for f in v2_report.findings if f.check == "behaviour-change"
    ]
    assert changes == [(10, "mm/vma.h", "warning")]
    assert v2_report.tree_state == "S1" and v2_report.final_state == "S2"
    assert v2_report.verified > 80
    # 7th: patch 2's __vma_atomic_valid_flag(), whose body the hunk cuts short, used to be
    # dropped silently by the harness; now it is listed.
    assert v2_report.unverified == len(_unverified(v2_report)) <= 7
    assert any("__vma_atomic_valid_flag() not compiled" in f.message for f in v2_report.findings)
    assert all(f.patch and f.file and f.message for f in _unverified(v2_report))


def _unverified(report):
    return [f for f in report.findings if f.check == "unverified"]


def test_v2_overwrite_warning_says_what_changed(v2_report):
    [f] = [f for f in v2_report.findings if f.check == "behaviour-change"]
    assert "overwritten instead of OR-ed in" in f.message
    assert "set in vma but clear in desc is now cleared" in f.message


def test_v2_secretmem_reorder_is_an_error_path_warning(v2_report):
    [f] = [f for f in v2_report.findings if f.file == "mm/secretmem.c"]
    assert f.severity == "warning" and "error-return path" in f.message
    assert "mlock_future_ok" in f.counterexample


def test_v2_remap_lock_drop_is_info(v2_report):
    [f] = [f for f in v2_report.findings if f.check == "locking"]
    assert f.severity == "info" and f.file == "mm/memory.c" and f.patch == 9


def test_v2_helper_definitions_match_model(v2_report):
    assert not [f for f in v2_report.findings if f.check == "helper-def"]


def test_v2_tools_copies_drift_from_kernel(v2_report):
    drift = {f.message.split("(")[0] for f in v2_report.findings if f.check == "dup-drift"}
    assert "vma_flags_clear_all" in drift


def test_v1_dax_stub_twin_flagged_without_tree(v1_patches):
    report = check_revision(v1_patches, helpers=False)
    twins = [f for f in report.findings if f.check == "ifdef-twin"]
    assert [(f.patch, f.file) for f in twins] == [(8, "include/linux/dax.h")]
    assert twins[0].severity == "warning"


def _tree_from_hunk(tmp_path: Path, patch, path: str, extra: str) -> Path:
    """A pre-image file rebuilt from the hunk's old side at its real line numbers, plus text."""
    from reviewer.flagmodel.hunk_pairs import parse_diff

    [fdiff] = [f for f in parse_diff(patch.diff) if f.path == path]
    lines: dict[int, str] = {}
    for hunk in fdiff.hunks:
        for ln in hunk.lines:
            if ln.tag in " -" and ln.old_no:
                lines[ln.old_no] = ln.text
    last = max(lines)
    body = [lines.get(i, "") for i in range(1, last + 1)]
    target = tmp_path / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(body) + "\n" + extra)
    return tmp_path


def test_v1_dax_stub_twin_is_an_error_with_tree(v1_patches, tmp_path):
    [dax_patch] = [p for p in v1_patches if "include/linux/dax.h" in p.files]
    stub = (
        "}\n#else\nstatic inline bool daxdev_mapping_supported(vm_flags_t vm_flags,\n"
        "\t\tconst struct inode *inode, struct dax_device *dax_dev)\n{\n"
        "\treturn !(vm_flags & VM_SYNC);\n}\n#endif\n"
    )
    repo = _tree_from_hunk(tmp_path, dax_patch, "include/linux/dax.h", "\treturn true;\n" + stub)
    report = check_revision(v1_patches, repo=repo, helpers=False)
    twins = [f for f in report.findings if f.check == "ifdef-twin"]
    assert [f.severity for f in twins] == ["error"]
    assert "left unconverted" in twins[0].message


def test_missed_bool_caller_found_in_tree(v2_patches, tmp_path):
    caller = tmp_path / "mm" / "brk.c"
    caller.parent.mkdir(parents=True)
    caller.write_text(
        "static int check_brk_limits(unsigned long addr, unsigned long len)\n{\n"
        "\treturn mlock_future_ok(current->mm, current->mm->def_flags, len)"
        " ? 0 : -EAGAIN;\n}\n"
    )
    report = check_revision(v2_patches[:7], repo=tmp_path, helpers=False)
    found = [f for f in report.findings if f.check == "bool-param"]
    assert [(f.file, f.line) for f in found] == [("mm/brk.c", 3)]
    assert "def_flags" in found[0].message


def test_outputs(v2_report):
    data = v2_report.to_json()
    json.dumps(data)
    assert {"findings", "verified", "unverified"} <= set(data)
    assert {"severity", "check", "patch", "file", "line", "message"} <= set(data["findings"][0])
    [result] = b4_results(v2_report)
    assert result["status"] == "warn" and result["tool"] == "reviewer-flagmodel"
    section = findings_section(v2_report)
    assert " conversions verified, " in section[0]
    assert any(line.startswith("- [warning] patch 10 mm/vma.h:") for line in section)
