"""Results keys follow the modules: a moved or changed engine file never reuses a stored result."""

from __future__ import annotations

import importlib
import sys

import pytest

from reviewer.results import apply as apply_results
from reviewer.results import check as check_results
from reviewer.results.fingerprint import _files, source_fingerprint


def _package(root, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [m for m in sys.modules if m == "fpkg" or m.startswith("fpkg.")]:
        del sys.modules[name]
    importlib.invalidate_caches()


def test_a_file_moved_inside_a_package_changes_the_fingerprint(scratch):
    _package(scratch, {"fpkg/__init__.py": "", "fpkg/a.py": "X = 1\n", "fpkg/sub/__init__.py": ""})
    before = source_fingerprint("fpkg")
    (scratch / "fpkg/a.py").rename(scratch / "fpkg/sub/a.py")  # same bytes, new place
    assert source_fingerprint("fpkg") != before


def test_a_module_is_hashed_with_its_name_and_content(scratch):
    _package(scratch, {"fpkg/__init__.py": "", "fpkg/a.py": "X = 1\n", "fpkg/b.py": "X = 1\n"})
    assert source_fingerprint("fpkg.a") != source_fingerprint("fpkg.b")  # same bytes
    before = source_fingerprint("fpkg.a")
    (scratch / "fpkg/a.py").write_text("X = 2\n")
    assert source_fingerprint("fpkg.a") != before


def test_a_module_that_is_gone_is_an_error_not_an_empty_hash(scratch):
    _package(scratch, {"fpkg/__init__.py": ""})
    with pytest.raises(ModuleNotFoundError):
        source_fingerprint("fpkg.gone")


def test_the_apply_and_verify_keys_cover_the_engine_modules():
    for kind, modules in apply_results._SOURCES.items():
        for name in modules:
            assert importlib.import_module(name).__file__  # a stale name fails here
        assert apply_results._tool_fingerprint(kind) == source_fingerprint(*modules)
    assert "reviewer.apply.am" in apply_results._SOURCES[apply_results.APPLY]


def test_the_check_key_covers_the_whole_flag_model_and_its_snapshot():
    labels = [label for label, _ in _files("reviewer.flagmodel")]
    assert "reviewer.flagmodel/api_snapshot.h" in labels
    assert "reviewer.flagmodel/check.py" in labels
    assert any(label.startswith("reviewer.flagmodel/checks/") for label in labels)
    assert check_results._model_fingerprint() == source_fingerprint("reviewer.flagmodel")
