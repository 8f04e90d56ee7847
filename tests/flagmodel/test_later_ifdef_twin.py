"""ifdef-twin on the June 2026 series: a changed prototype is no static inline body with a stub
twin to miss (3/13 __get_unmapped_area(), 4/13 generic_get_unmapped_area[_topdown]())."""

from __future__ import annotations

from tests.flagmodel import later
from tests.flagmodel.march import run


def test_changed_prototypes_are_no_one_sided_twin():
    assert run("ifdef-twin", [later.revision()[2]]) == []
    assert run("ifdef-twin", [later.revision()[3]]) == []
