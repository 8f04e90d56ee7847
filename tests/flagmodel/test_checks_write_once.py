"""write-once on the real mlock/mprotect WRITE_ONCE(vma->flags, ...) (fixed in v4)."""

from __future__ import annotations

from tests.flagmodel import march


def test_write_once_of_whole_flags_warns():
    found = march.run("write-once", [march.patch("v2", 22)])
    assert {(f.file, f.line) for f in found} == {
        ("mm/mlock.c", 446),
        ("mm/mlock.c", 454),
        ("mm/mprotect.c", 772),
    }
    assert all(f.severity == "warning" for f in found)


def test_reset_once_helper_is_fine():
    assert march.run("write-once", [march.patch("v4", 23)]) == []
