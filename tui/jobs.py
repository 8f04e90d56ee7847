"""Background jobs: long work runs in a thread worker, shown in a progress bar, cancellable.

A job is a function ``work(progress, cancelled) -> result`` run off the UI thread. It reports
``progress(done, total, what)`` between steps and stops early when ``cancelled()`` is true;
threads cannot be killed mid-step, so cancel takes effect at the next step and the result of a
cancelled job is dropped. SQLite connections are per thread: a job opens its own Store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar
from textual.worker import Worker, WorkerState, get_current_worker

from reviewer.errors import ReviewerError

Progress = Callable[[int, int, str], None]
Work = Callable[[Progress, Callable[[], bool]], Any]


class JobBar(Horizontal):
    """Hidden until a job runs: what is being done, a progress bar, and how to cancel."""

    def compose(self) -> ComposeResult:
        yield Label("", id="job-label")
        yield ProgressBar(total=1, show_eta=False, id="job-progress")
        yield Label(Text(" X cancel", style="bold"), id="job-cancel")

    def show(self, what: str, done: int, total: int) -> None:
        self.display = True
        self.query_one("#job-label", Label).update(Text(what))
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)


def run_job(screen, name: str, work: Work, done: Callable[[Any], None]) -> Worker:
    """Run ``work`` for ``screen`` in a thread; call ``done(result)`` on the UI thread."""
    bar = screen.query_one(JobBar)
    bar.show(name, 0, 1)

    def progress(step: int, total: int, what: str) -> None:
        screen.app.call_from_thread(bar.show, f"{name}: {what}", step, total)

    def body() -> Any:
        worker = get_current_worker()
        return work(progress, lambda: worker.is_cancelled)

    worker = screen.run_worker(
        body, name=name, thread=True, exclusive=True, group="job", exit_on_error=False
    )

    def finished(event: Worker.StateChanged) -> None:
        if event.worker is not worker or event.state not in _FINAL:
            return
        bar.display = False
        if event.state == WorkerState.SUCCESS:
            done(worker.result)
        elif event.state == WorkerState.ERROR:
            error = worker.error
            message = str(error) if isinstance(error, ReviewerError) else repr(error)
            screen.notify(f"{name} failed: {message}", severity="error", markup=False)
        else:
            screen.notify(f"{name} cancelled", markup=False)

    screen.job_listeners.append(finished)
    return worker


_FINAL = (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED)
