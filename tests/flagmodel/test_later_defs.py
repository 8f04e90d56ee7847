"""Definitions the later (June 2026) series relies on: #ifdef twins the hunks cut, a pure rename,
helpers known by their vma_flags_t prototype (real lines of samples/threads/later/)."""

from __future__ import annotations

from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.defs import Sourced, complete, is_stub, pick, snapshot
from tests.flagmodel import later


def test_new_vma_get_page_prot_is_read_from_its_config_mmu_body():
    """8/13 adds vma_get_page_prot(vma) twice in mm.h: the CONFIG_MMU body (its #ifdef above the
    hunk) and the !CONFIG_MMU stub after the `#else`; the 18 driver call sites converted from
    vm_get_page_prot(vma->vm_flags) are equivalent through the CONFIG_MMU body."""
    rep = check_revision(list(later.revision()), helpers=False, focus={8})
    assert later.errors(rep) == []
    verified = [f for f in rep.findings if f.patch == 8 and f.severity != "error"]
    assert not any("__pgprot" in f.message for f in verified)


def test_pure_rename_keeps_the_twins_the_hunk_cut():
    """7/13 renames vma_get_page_prot(vma_flags_t) to vma_flags_to_page_prot(); only the stub of
    each name is shown whole, the snapshot has both twins of the old name."""
    rep = check_revision(list(later.revision()), helpers=False, focus={6, 7})
    assert later.errors(rep) == []


def test_a_twin_reading_its_parameters_wins_over_a_stub_and_a_later_source_wins():
    cands = snapshot()["vma_get_page_prot"]
    assert len(cands) == 2 and not is_stub(cands[0].defn) and is_stub(cands[1].defn)
    assert "vma_flags_to_legacy" in pick(cands, "all").defn.text  # not the __pgprot(0) stub
    assert "vma_flags_to_legacy" in pick(cands[::-1], "all").defn.text  # whatever the order
    later_source = Sourced(cands[0].defn, "series patch 9 post-image", cands[0].file)
    assert pick([*cands, later_source], "all") is later_source


def test_complete_adds_only_twins_of_the_matched_entry():
    """A stub shown alone is completed with its snapshot twin; another state of a name (the old
    __mk_vma_flags(count, bits)) never replaces what the series shows."""
    twins = snapshot()["vma_get_page_prot"]
    stub = [c for c in twins if "__pgprot(0)" in c.defn.text]
    assert complete(stub, twins) == twins
    states = snapshot()["__mk_vma_flags"]
    texts = {" ".join(s.defn.text.split()) for s in states}
    assert len(texts) > 1  # the snapshot holds two states of its prototype
    for one in states:
        same = " ".join(one.defn.text.split())
        got = complete([one], states)
        assert {" ".join(s.defn.text.split()) for s in got} == {same}
