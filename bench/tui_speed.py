"""TUI speed: first paint of a 5,000-line diff, and a 10,000-series database to first frame.

    python bench/tui_speed.py [--series 10000] [--lines 5000]

Targets (issue 5): 5k-line diff first paint <= 30 ms; 10,000 series to first frame <= 0.5 s with
smooth scrolling. Ratios compare with what the line-API widgets replace: Store.list_series()
(loads every patch) and a Static holding the whole diff as one Rich Text.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewer.models import Patch, Revision, Trailer  # noqa: E402
from reviewer.sources.mail import load_source  # noqa: E402
from reviewer.store.core import Store  # noqa: E402
from reviewer.tracking.ingest import ingest  # noqa: E402

SIZE = (120, 40)


def real_diff(lines: int) -> Patch:
    """A patch whose diff is the real v2 series' diffs concatenated up to `lines` lines."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "v2.sqlite3")
        ingest(store, load_source(str(ROOT / "samples/threads/v2-thread.mbox"), offline=True))
        patches = store.load_series(1).latest.patches
    text: list[str] = []
    while len(text) < lines:
        for p in patches:
            text += p.diff.splitlines()
    first = patches[0]
    return Patch(1, first.subject, first.message_id, first.author, first.date,
                 first.commit_message, "\n".join(text[:lines]), None)  # fmt: skip


def make_big_db(path: Path, count: int) -> None:
    store = Store.open(path)
    diff = "diff --git a/mm/x.c b/mm/x.c\n--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1,2 +1,2 @@\n-a\n+b\n c\n"
    with store.transaction():
        for n in range(count):
            author = f"Dev {n % 97} <dev{n % 97}@example.org>"
            sid = store.create_series(f"mm: series number {n}", author)
            patches = [
                Patch(
                    i,
                    f"mm: change {n}.{i}",
                    f"{n}.{i}@x",
                    author,
                    "2026-01-22",
                    "msg",
                    diff,
                    None,
                    [Trailer("Reviewed-by", f"R {i} <r{i}@example.org>")],
                )  # fmt: skip
                for i in range(1, 4)
            ]
            rev = Revision(1, False, "v1", f"{n}.0@x", f"mm: series number {n}", author,
                           f"2026-01-{1 + n % 28:02d}", 3, patches)  # fmt: skip
            store.replace_revisions(sid, [rev])
    store.close()


async def _time_until_mark(app, prefix: str, action=None) -> float:
    async with app.run_test(size=SIZE) as pilot:
        if action is not None:
            await pilot.pause()
            app.marks.clear()
        start = time.perf_counter()
        if action is not None:
            action(app)
        while not any(m.startswith(prefix) for m in app.marks):
            await asyncio.sleep(0.0005)
        return time.perf_counter() - start


def bench_diff(lines: int, runs: int = 9) -> None:
    from rich.text import Text
    from textual.app import App
    from textual.widgets import Static

    from tui.app import ReviewerApp
    from tui.screens.patch import PatchScreen
    from tui.widgets.diff_model import build_model

    patch = real_diff(lines)
    builds = []
    for _ in range(runs):
        start = time.perf_counter()
        model = build_model(patch.commit_message, patch.diff)
        builds.append(time.perf_counter() - start)

    render = asyncio.run(_widget_paint(model))
    small = Patch(1, "small", "s@x", patch.author, patch.date, "small", "", None)
    patch.index = 2
    rev = Revision(
        1, False, "v2", "x@x", patch.subject, patch.author, patch.date, 2, [small, patch]
    )
    series = type("S", (), {"id": 1, "revisions": [rev]})()
    screens, reading, held = [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            app = ReviewerApp(Store.open(Path(tmp) / "e.sqlite3"))
            push = lambda a: a.push_screen(PatchScreen(series, rev, 1))  # noqa: E731
            screens.append(asyncio.run(_time_until_mark(app, "patch", push)))
            for settled, into in ((True, reading), (False, held)):
                app = ReviewerApp(Store.open(Path(tmp) / "e.sqlite3"))
                into.append(asyncio.run(_next_patch(app, series, rev, settled)))

    class StaticApp(App):
        def compose(self):
            yield Static(id="s")

    async def static_paint() -> float:
        app = StaticApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            start = time.perf_counter()
            app.query_one(Static).update(Text(patch.diff))
            await pilot.pause()
            return time.perf_counter() - start

    static = asyncio.run(static_paint())

    def ms(pairs, at: int) -> str:
        values = sorted(p[at] * 1000 for p in pairs)
        return f"{statistics.median(values):5.1f} ms (max {values[-1]:.1f})"

    print(f"diff of {len(model.lines)} lines ({len(patch.diff)} bytes, real v2 hunks):")
    print(f"  build display lines          {statistics.median(builds) * 1000:7.1f} ms")
    print(f"  build + render first screen  {(statistics.median(builds) + render) * 1000:7.1f} ms"
          " (the viewer's own work)")  # fmt: skip
    print(f"  J key -> diff painted        {ms(reading, 0)}, last frame {ms(reading, 1)}"
          f" (median of {runs}; target <= 30 ms)")  # fmt: skip
    print(f"  same, J right after the previous patch's first paint (key held)"
          f" {ms(held, 0)}, last frame {ms(held, 1)}")  # fmt: skip
    print(f"  new patch screen -> painted  {statistics.median(screens) * 1000:7.1f} ms"
          " (includes composing the screen)")  # fmt: skip
    print(
        f"  Static(Text) of the same     {static * 1000:7.1f} ms"
        f"  ratio {static / statistics.median(p[0] for p in reading):.1f}x"
    )


async def _widget_paint(model) -> float:
    """Render every visible line of a freshly loaded DiffView (what its first frame costs)."""
    from textual.app import App

    from tui.widgets.diff_view import DiffView

    class ViewApp(App):
        def compose(self):
            yield DiffView()

    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(DiffView)
        start = time.perf_counter()
        view.set_model(model)
        for y in range(view.size.height):
            view.render_line(y)
        return time.perf_counter() - start


def _frame_log(app) -> list[float]:
    """perf_counter() of every frame the app writes to its driver."""
    frames: list[float] = []
    display = app._display

    def logged(screen, renderable) -> None:
        display(screen, renderable)
        frames.append(time.perf_counter())

    app._display = logged
    return frames


async def _settle(frames: list[float], quiet: float = 0.1) -> None:
    """Wait until no frame has been painted for `quiet` seconds."""
    while True:
        await asyncio.sleep(quiet / 4)
        if not frames or time.perf_counter() - frames[-1] > quiet:
            return


async def _next_patch(app, series, rev, settled: bool) -> tuple[float, float]:
    """Open patch 1 (small), press J into patch 2 (the big one): seconds from the key to the frame
    showing it (readiness mark) and to the last frame before the screen is idle again. `settled`:
    press J once patch 1 is idle (reading); else right after its first paint (J held down)."""
    from tui.screens.patch import PatchScreen

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        frames = _frame_log(app)
        app.push_screen(PatchScreen(series, rev, 0))
        while not any(m.startswith("patch v2 1") for m in app.marks):
            await asyncio.sleep(0.0005)
        if settled:
            await _settle(frames)
        start = time.perf_counter()
        app.simulate_key("J")
        while not any(m.startswith("patch v2 2") for m in app.marks):
            await asyncio.sleep(0.0005)
        shown = time.perf_counter() - start
        await _settle(frames)
        return shown, frames[-1] - start


def bench_series(count: int) -> None:
    from reviewer.store.summary import series_rows
    from tui.app import ReviewerApp
    from tui.widgets.row_table import RowTable

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "big.sqlite3"
        start = time.perf_counter()
        make_big_db(db, count)
        built = time.perf_counter() - start
        print(f"\n{count} tracked series (3 patches each), built in {built:.1f} s:")
        store = Store.open(db)
        start = time.perf_counter()
        rows = series_rows(store)
        query = time.perf_counter() - start
        start = time.perf_counter()
        store.list_series()
        full = time.perf_counter() - start
        print(f"  summary query ({len(rows)} rows)  {query * 1000:7.1f} ms")
        print(f"  Store.list_series()          {full * 1000:7.1f} ms  ratio {full / query:.1f}x")

        async def first_frame_and_scroll() -> tuple[float, list[float]]:
            start = time.perf_counter()
            app = ReviewerApp(Store.open(db))
            async with app.run_test(size=SIZE) as pilot:
                while not app.marks:
                    await asyncio.sleep(0.0005)
                first = time.perf_counter() - start
                table = app.screen.query_one(RowTable)
                frames, noop = [], []
                for _ in range(100):
                    t0 = time.perf_counter()
                    await pilot.press("space")
                    frames.append(time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    await pilot.press("z")  # unbound: what Pilot itself costs per key
                    noop.append(time.perf_counter() - t0)
                renders = []
                for _ in range(100):
                    table.action_page(1)
                    t0 = time.perf_counter()
                    for y in range(table.size.height):
                        table.render_line(y)
                    renders.append(time.perf_counter() - t0)
                assert table.cursor > 0
                return first, frames, noop, renders

        first, frames, noop, renders = asyncio.run(first_frame_and_scroll())
        print(f"  app start -> first frame     {first * 1000:7.1f} ms (target <= 500 ms)")
        print(f"  page down (key -> painted)   {statistics.median(frames) * 1000:7.1f} ms median,"
              f" {max(frames) * 1000:.1f} ms worst of {len(frames)}; an unbound key costs"
              f" {statistics.median(noop) * 1000:.1f} ms under Pilot")  # fmt: skip
        print(f"  page of new rows rendered    {statistics.median(renders) * 1000:7.1f} ms median,"
              f" {max(renders) * 1000:.1f} ms worst")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=5_000)
    args = parser.parse_args()
    bench_diff(args.lines)
    bench_series(args.series)


if __name__ == "__main__":
    main()
