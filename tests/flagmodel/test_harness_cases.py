"""Harness cases are memoised by value: the same helpers, word size and by-value set give the
same cases; any change of them gives the cases of the new input."""

from __future__ import annotations

import dataclasses

import pytest

from reviewer.flagmodel import harness_cases, registry

HELPERS = {h.name: h for h in registry.HELPERS}


def _fresh(helpers, nbits, by_value):
    """The cases computed without the memo."""
    return list(harness_cases._cases.__wrapped__(tuple(helpers), nbits, frozenset(by_value)))


def test_the_memo_gives_what_a_fresh_draw_gives_and_follows_every_input():
    group = [h for h in registry.HELPERS if h.args in ("bits", "mask")][:3]
    harness_cases._cases.cache_clear()
    first = harness_cases.cases_for(group, 64, set())
    assert first == _fresh(group, 64, set())
    again = harness_cases.cases_for(list(group), 64, set())
    assert again == first and again is not first  # a new list each time
    assert harness_cases._cases.cache_info().hits == 1
    assert harness_cases.cases_for(group, 128, set()) == _fresh(group, 128, set()) != first
    by_value = {next(h.name for h in group if h.target == "flags_ptr")}
    assert harness_cases.cases_for(group, 64, by_value) == _fresh(group, 64, by_value) != first
    changed = [dataclasses.replace(group[0], kind="clear"), *group[1:]]
    assert harness_cases.cases_for(changed, 64, set()) == _fresh(changed, 64, set()) != first


def test_cases_cannot_be_changed_under_the_memo():
    case = harness_cases.cases_for([HELPERS["vm_flags_set"]], 64, set())[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        case.call = "abort();"  # type: ignore[misc]
