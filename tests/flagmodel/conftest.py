"""Real series for the flag-model tests, parsed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.series.parse import parse_messages
from reviewer.sources.mail import load_source

THREADS = Path(__file__).resolve().parents[2] / "samples" / "threads"


def _patches(name: str):
    loaded = load_source(str(THREADS / name), offline=True)
    return parse_messages([m.msg for m in loaded.messages]).revisions[-1].patches


@pytest.fixture(scope="session")
def threads_dir() -> Path:
    return THREADS


@pytest.fixture(scope="session")
def v2_patches():
    return _patches("v2-thread.mbox")


@pytest.fixture(scope="session")
def v1_patches():
    return _patches("v1-thread.mbox")


@pytest.fixture(scope="session")
def v2_report(v2_patches):
    from reviewer.flagmodel.check import check_revision

    return check_revision(v2_patches)


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("REVIEWER_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """Temp files of the code under test go under this test's tmp_path (so what a test finds
    there, processes included, is its own and not another run's on the same machine)."""
    import tempfile

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path
