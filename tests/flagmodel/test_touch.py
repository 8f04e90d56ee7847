"""Diffstat and touched functions of real patches and fix-ups (issue 15 items 8 and 12)."""

from __future__ import annotations

import git
import pytest

from reviewer.flagmodel.touch import diffstat, functions_touched, render_diffstat, touches_text
from reviewer.series.parse import parse_messages
from reviewer.sources.mail import load_source
from tests.conftest import V2


@pytest.fixture(scope="module")
def v2():
    loaded = load_source(str(V2), offline=True)
    return parse_messages([m.msg for m in loaded.messages]).revisions[-1].patches


def test_diffstat_agrees_with_git(v2, tmp_path):
    repo = git.Repo.init(tmp_path)
    for patch in v2:
        (tmp_path / "p.diff").write_text(patch.diff)
        numstat = repo.git.apply("--numstat", str(tmp_path / "p.diff"))
        expected = [
            (path, int(a), int(r)) for a, r, path in (ln.split("\t") for ln in numstat.splitlines())
        ]
        assert [(s.path, s.added, s.removed) for s in diffstat(patch.diff)] == expected


def test_rendered_diffstat_summary(v2):
    lines = render_diffstat(diffstat(v2[7].diff))
    assert lines[-1] == " 16 files changed, 57 insertions(+), 49 deletions(-)"
    assert any(line.startswith(" mm/shmem.c ") and "| " in line for line in lines)


def test_fixups_say_what_they_touch(v2):
    seven = v2[6]
    (fixup,) = seven.fixups
    assert functions_touched(fixup.diff) == {"mm/mmap.c": ["check_brk_limits"]}
    assert touches_text(fixup.diff) == "mm/mmap.c: check_brk_limits()"
    assert functions_touched(seven.diff)["mm/secretmem.c"] == ["secretmem_mmap_prepare"]
