"""What every reviewer screen shares: back/quit/help/search keys, a job bar, readiness marks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker

from tui.jobs import JobBar, Work, run_job
from tui.screens.dialogs import PromptScreen

if TYPE_CHECKING:
    from tui.app import ReviewerApp


class ReviewerScreen(Screen):
    BINDINGS = [
        # Back and search are everyone's habit: the footer keeps its room for this screen's keys.
        Binding("q,escape", "back", "Back", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("slash", "search", "Search", show=False),
        Binding("X", "cancel_job", "Cancel job", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.job_listeners: list = []

    @property
    def rapp(self) -> ReviewerApp:
        return self.app  # type: ignore[return-value]

    def job_bar(self) -> JobBar:
        bar = JobBar(id="job-bar")
        bar.display = False
        return bar

    def start_job(self, name: str, work: Work, done) -> Worker:
        return run_job(self, name, work, done)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        for listener in list(self.job_listeners):
            listener(event)

    def action_cancel_job(self) -> None:
        cancelled = self.workers.cancel_group(self, "job")
        if not cancelled:
            self.notify("no job running")

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    def action_search(self) -> None:
        self.app.push_screen(PromptScreen("Search:", self.last_search()), self._searched)

    def _searched(self, term: str | None) -> None:
        if term:
            self.search(term)

    def last_search(self) -> str:
        return ""

    def search(self, term: str) -> None:
        """Screens override: find term in what they show."""

    def ready(self, what: str) -> None:
        self.rapp.mark_ready(what)
