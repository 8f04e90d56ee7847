"""reviewer identifies itself to archives and reads git config of the repository in question
(issue 12, item 8): b4's public API only."""

from __future__ import annotations

import http.server
import subprocess
import threading
from pathlib import Path

import pytest

from reviewer import __version__
from reviewer.errors import ReviewerError
from reviewer.sources.fetch import fetch_thread, git_config


class _Recorder(http.server.BaseHTTPRequestHandler):
    agents: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.agents.append(self.headers.get("User-Agent", ""))
        self.send_response(404)
        self.end_headers()

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args):
        pass


def test_user_agent_names_reviewer(b4_isolated: Path) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/all"
        with pytest.raises(ReviewerError):
            fetch_thread("ua-probe@example.org", server=url, nocache=True)
    finally:
        server.shutdown()
    assert _Recorder.agents and all(
        a.startswith(f"reviewer/{__version__}") for a in _Recorder.agents
    ), _Recorder.agents


def test_git_config_is_read_from_the_given_repository(tmp_path: Path, b4_isolated: Path) -> None:
    repo = tmp_path / "maintainer"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "config", "reviewer.applied-branch", "mm-stable"],
                   check=True)  # fmt: skip
    assert git_config("reviewer.applied-branch", gitdir=str(repo)) == "mm-stable"
    assert git_config("reviewer.applied-branch", gitdir=str(tmp_path)) is None
    assert git_config("reviewer.no-such-key", gitdir=str(repo)) is None
