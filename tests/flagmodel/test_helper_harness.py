from __future__ import annotations

import dataclasses

import pytest

from reviewer.flagmodel import sandbox
from reviewer.flagmodel.check import check_revision

pytestmark = pytest.mark.skipif(
    sandbox.gcc() is None,
    reason="system package missing: gcc (install: .ci/install-system-deps.sh)",
)


def _mutate(patches, index, old, new):
    patch = patches[index - 1]
    assert old in patch.diff
    mutated = dataclasses.replace(patch, diff=patch.diff.replace(old, new, 1))
    return patches[: index - 1] + [mutated] + patches[index:]


def test_real_helpers_compiled_and_match(v2_report):
    assert v2_report.verified > 200  # 87 conversions + helpers x configurations x patches
    # both copies build at every patch (the tools copy as of patch 5 too: its untouched
    # vma_flags_clear_all() is read from its own hunk so __mk_vma_flags() links)
    assert not [f for f in v2_report.findings if "helper harness (" in f.message]
    assert not [f for f in v2_report.findings if "__mk_vma_flags" in f.message]


def test_any_implemented_as_all_is_caught(v2_patches):
    patches = _mutate(
        v2_patches,
        5,
        "return bitmap_intersects(bitmap_to_test, bitmap,",
        "return bitmap_subset(bitmap_to_test, bitmap,",
    )
    report = check_revision(patches)
    found = [f for f in report.findings if f.check == "helper-def"]
    assert found and all(f.severity == "error" for f in found)
    assert any("vma_flags_test" in f.message and "model" in f.message for f in found)
    assert any("got" in f.counterexample for f in found)


def test_first_word_only_clear_is_caught_with_128_bits(v2_patches):
    patches = _mutate(
        v2_patches,
        1,
        "+\tbitmap_zero(flags->__vma_flags, NUM_VMA_FLAG_BITS);",
        "+\tflags->__vma_flags[0] = 0;",
    )
    report = check_revision(patches)
    found = [f for f in report.findings if f.check == "helper-def"]
    assert any("vma_flags_clear_all" in f.message and "128" in f.message for f in found)
    assert not any("clear_all" in f.message and "=64" in f.message for f in found)


def test_32bit_run_skips_cleanly(v2_patches, monkeypatch):
    monkeypatch.setattr(sandbox, "can_compile", lambda flag: False)
    report = check_revision(v2_patches[:5])
    assert any("-m32 unavailable" in note for note in report.notes)


def test_allowlist_rejects_other_callees(v2_patches):
    patches = _mutate(
        v2_patches,
        5,
        "return bitmap_intersects(bitmap_to_test, bitmap,",
        'system("id"); return bitmap_intersects(bitmap_to_test, bitmap,',
    )
    report = check_revision(patches)
    assert any(" not compiled: " in f.message and "system" in f.message for f in report.findings)


def test_one_build_per_configuration_then_cached(v2_patches, monkeypatch, tmp_path):
    monkeypatch.setenv("REVIEWER_CACHE", str(tmp_path))
    monkeypatch.setenv("REVIEWER_JOBS", "1")  # the builds are counted in this process
    jobs: list[int] = []
    real = sandbox.compile_and_run_many

    def counting(batch):
        jobs.append(len(batch))
        return real(batch)

    monkeypatch.setattr(sandbox, "compile_and_run_many", counting)
    first = check_revision(v2_patches)
    configs = 3 if sandbox.can_compile("-m32") else 2  # the -m32 run is required below
    assert jobs == [configs, 0]  # all groups in one program per configuration, no fallback
    built = sorted(p.name for p in tmp_path.glob("flagmodel/*.out"))
    assert len(built) == configs
    second = check_revision(v2_patches)
    assert second.to_json() == first.to_json()
    assert sorted(p.name for p in tmp_path.glob("flagmodel/*.out")) == built


def test_a_group_that_does_not_build_is_reported_alone(v2_patches):
    patches = _mutate(
        v2_patches,
        5,
        "return bitmap_intersects(bitmap_to_test, bitmap,",
        "return bitmap_intersects(bitmap_to_test, bitmap->no_such_member,",
    )
    report = check_revision(patches)
    failed = [f.message for f in report.findings if "helper harness (" in f.message]
    assert failed and all("compile failed" in m for m in failed)
    assert any("kernel copy as of patch 5" in m for m in failed)
    assert not any("tools copy" in m or "as of patch 3" in m for m in failed)
    assert report.verified > 100  # the other groups still ran


@pytest.mark.skipif(
    not sandbox.can_compile("-m32"),
    reason="system package missing: gcc-multilib (gcc -m32; install: .ci/install-system-deps.sh)",
)
def test_the_32_bit_configuration_really_runs(v2_patches, tmp_path, monkeypatch):
    """The 32-bit checks must not silently drop out where gcc-multilib is installed."""
    monkeypatch.setenv("REVIEWER_CACHE", str(tmp_path))
    report = check_revision(v2_patches)
    assert not any("-m32 unavailable" in note for note in report.notes)
    assert len(list(tmp_path.glob("flagmodel/*.out"))) == 3


def test_every_definition_named_by_id_stays_alive(v2_patches):
    """The harness keys where a definition was read, and whether it is support, by id():
    a definition replaced by a later patch's must stay alive, or a new object could take its id
    and be labelled by it (a helper reported as a "context definition" depending on memory)."""
    from reviewer.flagmodel.harness_collect import collect as _collect
    from reviewer.flagmodel.patch_view import view_of

    collected = _collect([view_of(p) for p in v2_patches])
    kept = {id(d) for d in collected.kept}
    assert collected.where and set(collected.where) <= kept
    assert collected.support <= kept and collected.gapped <= kept
