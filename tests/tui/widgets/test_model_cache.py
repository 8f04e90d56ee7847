from concurrent.futures import ThreadPoolExecutor

from tests.tui.widgets.test_diff_model import DIFF, _finding
from tui.widgets.model_cache import ModelCache


def test_same_content_is_built_once():
    cache = ModelCache()
    first = cache.get("msg", DIFF)
    assert cache.get("msg", DIFF) is first
    assert cache.get("msg", DIFF + " x\n") is not first


def test_findings_and_fixups_are_part_of_the_key():
    cache = ModelCache()
    plain = cache.get("msg", DIFF)
    found = cache.get("msg", DIFF, [_finding(11)])
    assert found is not plain and len(found.findings) == 1
    assert cache.get("msg", DIFF, [_finding(12)]) is not found
    assert cache.get("msg", DIFF, [], [("=== fix-up", DIFF)]) is not plain


def test_least_recently_used_is_dropped():
    cache = ModelCache(size=2)
    a = cache.get("a", DIFF)
    cache.get("b", DIFF)
    assert cache.get("a", DIFF) is a  # a is now the most recent
    cache.get("c", DIFF)
    assert cache.get("a", DIFF) is a
    assert len(cache._models) == 2


def test_threads_asking_for_one_model_share_it():
    cache = ModelCache()
    big = DIFF * 300
    with ThreadPoolExecutor(4) as pool:
        models = list(pool.map(lambda _: cache.get("msg", big), range(8)))
    assert all(m is models[0] for m in models)
