"""grouping.cluster: indexed, but the same groups in the same order as pairwise merging."""

from __future__ import annotations

import copy
import random

from reviewer.models import Revision
from reviewer.series.grouping import cluster, same_series
from tests.helpers_minitree import real_revisions, synthetic_revisions


def pairwise_cluster(revisions: list[Revision]) -> list[list[Revision]]:
    """The original O(n^2) definition."""
    groups: list[list[Revision]] = []
    for revision in revisions:
        joined = [g for g in groups if any(same_series(revision, other) for other in g)]
        merged = [revision]
        for group in joined:
            merged.extend(group)
            groups.remove(group)
        groups.append(merged)
    return groups


def labels(groups):
    return [[(r.label, r.message_id) for r in g] for g in groups]


def test_cluster_matches_pairwise_definition_on_shuffled_real_and_synthetic_mail():
    pool = list(real_revisions().values()) + list(synthetic_revisions().values())
    # unrelated look-alikes: another author, other ids, some subjects shared
    for rev in list(pool):
        other = copy.deepcopy(rev)
        other.author = "Someone Else <else@example.org>"
        other.message_ids = [m + ".x" for m in rev.message_ids]
        other.message_id = rev.message_id + ".x"
        other.references = []
        other.change_id = None
        pool.append(other)
    rng = random.Random(12)
    for _ in range(30):
        batch = rng.sample(pool, rng.randint(1, len(pool)))
        assert labels(cluster(batch)) == labels(pairwise_cluster(batch))
