"""The reviewer Textual app: holds the store and this session's results, routes screens."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from reviewer.store.core import Store
from tui.widgets.model_cache import ModelCache

READY_ENV = "REVIEWER_TUI_READY_FILE"


@dataclass
class Results:
    """Results shown in this session, keyed by (series id, revision message-id); screens fill
    them from the database (newest stored result) when this session has none yet."""

    checks: dict[tuple[int, str], Any] = field(default_factory=dict)  # CheckReport
    applies: dict[tuple[int, str], Any] = field(default_factory=dict)  # ApplyResult
    verifies: dict[tuple[int, str], Any] = field(default_factory=dict)  # VerifyResult
    # {patch message-id: reviewer.results.attestation.Attestation}
    attestations: dict[tuple[int, str], dict] = field(default_factory=dict)


class ReviewerApp(App):
    CSS_PATH = "reviewer.tcss"
    TITLE = "reviewer"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("Q", "quit", "Quit"),
        # Textual adds its own ctrl+p only when no binding runs the palette: bind both keys here.
        Binding("ctrl+p", "command_palette", "Palette", show=False, priority=True),
        Binding("colon", "command_palette", "Commands", show=False),
    ]

    def __init__(
        self,
        store: Store,
        open_series: int | None = None,
        offline: bool = False,
        repo: str | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.open_series = open_series
        self.offline = offline
        self.repo = repo
        self.server: str | None = None  # public-inbox server to poll (None: b4's midmask)
        self.results = Results()
        self.models = ModelCache()  # diff display models by content hash
        self._ready_file = os.environ.get(READY_ENV)
        self.marks: list[str] = []  # what mark_ready said, for tests driving the app

    @property
    def db_path(self) -> Path:
        return self.store.path

    def on_mount(self) -> None:
        from tui.screens.series_list import SeriesListScreen

        self._exit_on_signals()
        self.push_screen(SeriesListScreen())
        if self.open_series is not None:
            from tui.screens.series import SeriesScreen

            self.push_screen(SeriesScreen(self.open_series))

    def _exit_on_signals(self) -> None:
        """SIGTERM or SIGHUP end the app the normal way, so the driver leaves the alternate
        screen and turns mouse reporting off (the default action would kill the process with the
        terminal still in the app's modes)."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self.exit, None, 128 + sig)

    def mark_ready(self, what: str) -> None:
        """Tell an outside driver (the tmux end-to-end test) what the screen now shows, once the
        frame showing it has been painted."""
        self.call_after_refresh(self._record_mark, what)

    def _record_mark(self, what: str) -> None:
        self.marks.append(what)
        if self._ready_file:
            with open(self._ready_file, "a", encoding="utf-8") as fh:
                fh.write(what + "\n")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from tui.screens.help import key_names

        yield from super().get_system_commands(screen)
        seen = set()
        for binding in getattr(screen, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.description not in seen:
                seen.add(binding.description)
                yield SystemCommand(
                    binding.description,
                    f"key {key_names(binding.key.split(',')[0])}",
                    partial(screen.run_action, binding.action),
                )
