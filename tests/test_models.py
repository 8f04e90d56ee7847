"""Series.position / Series.previous: the one "previous revision" (compare's default --from,
the review's compare section, the TUI's compare screen and its "vs prev" column)."""

from __future__ import annotations

import copy

import pytest

from reviewer.compare.revisions import pick_revisions
from reviewer.errors import ReviewerError
from reviewer.models import Revision, Series


def _rev(number: int, resend: bool = False) -> Revision:
    label = f"v{number}-RESEND" if resend else f"v{number}"
    return Revision(number, resend, label, f"{label}@x", "subject", "A <a@x>", "2026-01-01", 1)


@pytest.fixture
def series() -> Series:
    return Series(1, "subject", "A <a@x>", revisions=[_rev(1), _rev(1, True), _rev(2)])


def test_previous_is_the_revision_posted_before(series):
    v1, resend, v2 = series.revisions
    assert series.previous(v2) is resend
    assert series.previous(resend) is v1
    assert series.previous(v1) is None
    assert [series.position(r) for r in series.revisions] == [0, 1, 2]


def test_a_copy_loaded_again_is_found_by_label(series):
    again = copy.deepcopy(series.revisions[2])
    series.revisions[2].message_ids = ["v2@x", "reply@x"]  # a parse fills these, a load not
    again.message_ids = []
    assert again != series.revisions[2]
    assert series.previous(again) is series.revisions[1]


def test_identity_wins_over_equality():
    # two revisions equal field by field (list.index would find the first): identity decides
    a, b = _rev(1), _rev(1)
    series = Series(1, "s", "a", revisions=[a, b])
    assert a == b
    assert series.position(b) == 1
    assert series.previous(b) is a


def test_unknown_revision_has_no_previous(series):
    assert series.position(_rev(7)) is None
    assert series.previous(_rev(7)) is None


def test_compare_defaults_to_the_previous_revision(series):
    old, new = pick_revisions(series, None, "v2")
    assert (old.label, new.label) == ("v1-RESEND", "v2")
    with pytest.raises(ReviewerError, match="first revision"):
        pick_revisions(series, None, "v1")
