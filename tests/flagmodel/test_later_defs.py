"""Definitions a series adds as #ifdef twins whose #if the hunk cuts (the shape met in a June
2026 series): the twin that reads its parameters decides what a converted caller means, not the
configuration stub; a pure rename keeps both twins of the old name."""

from __future__ import annotations

from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.defs import Sourced, complete, is_stub, pick, snapshot
from tests.flagmodel import synth

# a new helper in mm.h: its CONFIG_MMU body (the #ifdef is above the first hunk), then its
# stub in a second hunk that starts inside another stub (the joined hunks glue them)
BODY = """
 \treturn vm_get_page_prot(vma_flags_to_legacy(vma_flags));
 }

+static inline pgprot_t vma_get_page_prot(const struct vm_area_struct *vma)
+{
+\treturn vm_get_page_prot(vma_flags_to_legacy(vma->flags));
+}
 void update_prot(struct vm_area_struct *vma);
 #else
 static inline pgprot_t vm_get_page_prot(vm_flags_t vm_flags)
"""
STUB = """
 {
 \treturn __pgprot(0);
 }
+static inline pgprot_t vma_get_page_prot(const struct vm_area_struct *vma)
+{
+\treturn __pgprot(0);
+}
 static inline void update_prot(struct vm_area_struct *vma)
 {
 }
 #endif
"""


def _driver(new: str) -> str:
    lines = f"""
 static int fb_mmap(struct fb_info *info, struct vm_area_struct *vma)
 {{
-\tvma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
+\tvma->vm_page_prot = {new};
 \treturn remap_fb(info, vma);
 }}
"""
    return synth.diff("drivers/video/fb_thing.c", synth.hunk(20, lines))


def test_new_helper_is_read_from_its_config_mmu_body():
    """A caller converted from vm_get_page_prot(vma->vm_flags) to the new helper is equivalent
    through the CONFIG_MMU body, not the `__pgprot(0)` stub after the `#else`."""
    section = "static inline pgprot_t flags_prot(vma_flags_t vma_flags)"
    header = synth.diff(
        "include/linux/mm.h", synth.hunk(3800, BODY, section), synth.hunk(3812, STUB, section)
    )
    p = synth.patch(header, _driver("vma_get_page_prot(vma)"))
    rep = check_revision([p], helpers=False)
    assert [f for f in rep.findings if f.severity == "error"] == []
    assert not any("__pgprot" in f.message for f in rep.findings) and rep.verified >= 1


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


def test_snapshot_helper_with_a_flags_prototype_is_read_from_its_body():
    """A caller moved from the legacy page-protection helper to the bitmap one (known only from
    the API snapshot, its `vma_flags_t` prototype never changed there) is proven through the
    snapshot body, not reported as calling another function."""
    lines = """
 static void set_prot(struct vm_area_struct *vma, vm_flags_t vm_flags)
 {
-\tvma->vm_page_prot = vm_get_page_prot(vm_flags);
+\tvma->vm_page_prot = vma_get_page_prot(legacy_to_vma_flags(vm_flags));
 }
"""
    p = synth.patch(synth.diff("mm/prot.c", synth.hunk(80, lines)))
    rep = check_revision([p], helpers=False)
    assert [f for f in rep.findings if f.severity == "error"] == [] and rep.verified >= 1


SIG = "static inline pgprot_t {}(vma_flags_t vma_flags)"


def _rename(new_name: str = "vma_flags_to_page_prot"):
    body = f"""
 #ifdef CONFIG_MMU
 pgprot_t vm_get_page_prot(vm_flags_t vm_flags);

-{SIG.format("vma_get_page_prot")}
+{SIG.format(new_name)}
 {{
 \tconst vm_flags_t vm_flags = vma_flags_to_legacy(vma_flags);

"""
    stub = f"""
 {{
 \treturn __pgprot(0);
 }}
-{SIG.format("vma_get_page_prot")}
+{SIG.format(new_name)}
 {{
 \treturn __pgprot(0);
 }}
"""
    caller = f"""
 static inline pgprot_t prot_modify(pgprot_t oldprot, vma_flags_t vma_flags)
 {{
-\tconst pgprot_t prot = vma_get_page_prot(vma_flags);
+\tconst pgprot_t prot = {new_name}(vma_flags);

 \treturn pgprot_modify(oldprot, prot);
 }}
"""
    return synth.patch(
        synth.diff(
            "include/linux/mm.h",
            synth.hunk(4500, body, "static inline bool in_range(const struct thing *t,"),
            synth.hunk(4513, stub, "static inline pgprot_t vm_get_page_prot(vm_flags_t vm_flags)"),
        ),
        synth.diff("mm/prot.c", synth.hunk(50, caller)),
    )


def test_pure_rename_keeps_the_twins_the_hunk_cut():
    """A helper renamed whole, its body cut by the hunk and only its stub twin shown whole:
    the new name keeps the old name's twins (from the snapshot), so a caller renamed with it
    is not read as calling the `__pgprot(0)` stub."""
    rep = check_revision([_rename()], helpers=False)
    assert [f for f in rep.findings if f.severity == "error"] == [] and rep.verified >= 1
