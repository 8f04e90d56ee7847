"""Poll the archive for what happened to tracked series: new replies, new revisions, applied.

For every series, a worker thread asks the server (always bypassing b4's thread cache, which
would hide mail younger than ``b4.cache-expire``):
  1. the thread of every known revision (new replies, hence new trailers);
  2. newer revisions, with b4's own search (``b4.mbox.get_extra_series``: change-id, else
     subject + author, posted since the latest revision);
  3. reposts by the same author: same subject (RESENDs, which b4's search skips) or the same
     ``patchid:`` as a patch of the latest revision (reposts whose subject changed).
Workers only read the network. The calling thread is the one database writer: it stores each
series' new mail, rebuilds it and re-derives its states in one transaction per series.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses

import b4
import b4.mbox

from reviewer.apply.patch_ids import PatchIdCache
from reviewer.constants import SeriesState
from reviewer.errors import ReviewerError
from reviewer.models import Series
from reviewer.series.grouping import author_email
from reviewer.sources.fetch import fetch_thread, resolve_server, use_server_for_b4
from reviewer.sources.mail import RawMessage
from reviewer.sources.threads import message_id
from reviewer.store.core import Store
from reviewer.tracking import states
from reviewer.tracking.ingest import (
    choose_copies,
    describe_changes,
    rebuild_series,
    trailer_snapshot,
)
from reviewer.tracking.on_branch import Branch, BranchChecker, OnBranch, oldest_date

log = logging.getLogger(__name__)
DEFAULT_JOBS = 8


@dataclass
class Probe:
    """What a worker needs to know about one series (read by the writer before polling)."""

    series_id: int
    roots: list[str]  # message-id of every revision (cover letter, else first patch)
    latest_root: str
    author: str  # e-mail address of the latest revision's author
    subject: str  # the latest revision's subject, quotes removed (a search phrase)
    patch_ids: list[str]
    since: str  # YYYYMMDD of the latest revision
    known: set[str]


@dataclass
class Polled:
    series_id: int
    messages: list[EmailMessage] = field(default_factory=list)  # new mail only
    problems: list[str] = field(default_factory=list)


@dataclass
class SeriesUpdate:
    series_id: int
    subject: str
    state: str
    changes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    new_messages: int = 0


@dataclass
class UpdateReport:
    series: list[SeriesUpdate] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # not tied to one series
    seconds: float = 0.0

    @property
    def changed(self) -> list[SeriesUpdate]:
        return [s for s in self.series if s.changes]

    @property
    def unpolled(self) -> list[SeriesUpdate]:
        """Series whose poll did not (fully) reach the server."""
        return [s for s in self.series if s.problems]

    def summary(self, offline: bool = False) -> str:
        """'2 series checked in 1.2s, 1 unchanged, 1 NOT polled (see above)'."""
        quiet = sum(1 for s in self.series if not s.changes and not s.problems)
        line = f"{len(self.series)} series checked in {self.seconds:.1f}s, {quiet} unchanged"
        if offline:
            line += " (offline: states only, nothing polled)"
        elif self.unpolled:
            line += f", {len(self.unpolled)} NOT polled (server unreachable or failing)"
        return line


def poll_problem_line(item: SeriesUpdate) -> str:
    """One readable line for a series whose poll failed: its distinct problems, shortened."""
    reasons = list(dict.fromkeys(_short_problem(p) for p in item.problems))
    more = f" (+{len(reasons) - 1} more)" if len(reasons) > 1 else ""
    return f"series {item.series_id}: not polled: {reasons[0]}{more}"


def _short_problem(problem: str) -> str:
    """urllib3's 'HTTPSConnectionPool(host=...): Max retries exceeded ... (Caused by
    NameResolutionError(...))' says, for a reviewer, 'host name not resolved'."""
    head, sep, reason = problem.partition(": ")
    lowered = reason.lower()
    if "resolve" in lowered or "name or service not known" in lowered:
        reason = "host name not resolved (no network?)"
    elif "connection refused" in lowered or "newconnectionerror" in lowered:
        reason = "connection refused"
    elif "timed out" in lowered or "timeout" in lowered:
        reason = "timed out"
    elif "max retries exceeded" in lowered:
        reason = "no connection"
    line = f"{head}{sep}{reason}"
    return line if len(line) <= 160 else line[:157] + "..."


# -- choosing and describing series -------------------------------------------------------


def select_series(store: Store, refs: Iterable[str]) -> list[Series]:
    """The named series, or every tracked series that is not archived."""
    refs = list(refs)
    if refs:
        chosen = {}
        for ref in refs:
            series = store.get_series(ref)
            chosen[series.id] = series
        return list(chosen.values())
    return [s for s in store.list_series() if s.state != SeriesState.ARCHIVED and s.revisions]


def make_probe(store: Store, series: Series) -> Probe:
    latest = series.latest
    return Probe(
        series_id=series.id,
        roots=[r.message_id for r in series.revisions],
        latest_root=latest.message_id,
        author=author_email(latest.author),
        subject=" ".join(latest.subject.replace('"', " ").split()),
        patch_ids=[p.patch_id for p in latest.patches if p.patch_id],
        since=latest.date[:10].replace("-", ""),
        known=store.message_ids(series.id),
    )


# -- polling (worker threads: network only) -------------------------------------------------


def poll(probe: Probe, server: str) -> Polled:
    result = Polled(probe.series_id)
    seen = set(probe.known)
    latest_thread: list[EmailMessage] = []

    def take(msgs: Iterable[EmailMessage]) -> None:
        for msg in msgs:
            mid = message_id(msg)
            if mid and mid not in seen:
                seen.add(mid)
                result.messages.append(msg)

    for root in probe.roots:
        try:
            thread = fetch_thread(root, server=server, nocache=True)
        except ReviewerError as exc:
            result.problems.append(str(exc))
            continue
        take(thread)
        if root == probe.latest_root:
            latest_thread = thread
    if latest_thread:
        take(b4.mbox.get_extra_series(list(latest_thread), direction=1, nocache=True))
    for hit in _reposts(probe):
        hit_id = message_id(hit)
        if hit_id in seen:
            continue
        try:
            take(fetch_thread(hit_id, server=server, nocache=True))
        except ReviewerError as exc:
            result.problems.append(str(exc))
    return result


def _reposts(probe: Probe) -> list[EmailMessage]:
    """Postings by the series' author since its latest revision: same subject (a RESEND, which
    b4's revision search skips) or the same patch-id as one of its patches (a reworded repost)."""
    terms = [f'(s:"{probe.subject}" AND f:"{probe.author}")'] if probe.subject else []
    terms += [f"patchid:{pid}" for pid in probe.patch_ids]
    if not terms:
        return []
    query = f"({' OR '.join(terms)}) AND d:{probe.since}.."
    hits = b4.get_pi_search_results(query, nocache=True, full_threads=False) or []
    return [
        hit
        for hit in hits
        if probe.author in {a.lower() for _n, a in getaddresses(hit.get_all("From", []))}
        and not b4.LoreSubject(str(hit.get("Subject", ""))).reply
    ]


# -- storing (the writer thread) ------------------------------------------------------------


def store_polled(
    store: Store,
    polled: Polled,
    user_email: str | None,
    on_branch: Callable[[Series], OnBranch | None],
) -> SeriesUpdate:
    """Add a series' new mail, rebuild it and re-derive its states, in one transaction."""
    with store.transaction():
        before = store.load_series(polled.series_id)
        fetched = [RawMessage(m.as_bytes(policy=b4.emlpolicy), m) for m in polled.messages]
        chosen = choose_copies(fetched, store.raw_message, polled.problems)  # ingest's one rule
        raws = {mid: item.raw for mid, item in chosen.items()}
        added = store.add_messages(polled.series_id, raws)
        if added:
            rebuild_series(store, polled.series_id)
        after = store.load_series(polled.series_id)
        changes = _describe(before, after) if added else []
        changes += states.refresh(store, after, user_email, *_branch_facts(after, on_branch))
    return SeriesUpdate(
        series_id=after.id,
        subject=after.subject,
        state=after.state,
        changes=changes,
        problems=polled.problems,
        new_messages=added,
    )


def _branch_facts(
    series: Series, on_branch: Callable[[Series], OnBranch | None]
) -> tuple[dict[str, str], dict[str, str] | None]:
    """(applied, partly-on-branch) notes by revision message-id, for ``states.refresh``."""
    found = on_branch(series)
    if found is None:
        return {}, None
    mid = series.latest.message_id
    if found.applied:
        return {mid: found.note()}, {}
    return {}, ({mid: found.note()} if found.found else {})


def _describe(before: Series, after: Series) -> list[str]:
    known = {r.label for r in before.revisions}
    lines = []
    for line in describe_changes(trailer_snapshot(before), after):
        label = line.split(" ", 1)[0]
        if label not in known and " tracked (" in line:
            line = line.replace(" tracked (", " posted (", 1)
        lines.append(line)
    return lines


# -- the whole run --------------------------------------------------------------------------


def update(
    store: Store,
    refs: Iterable[str] = (),
    server: str | None = None,
    offline: bool = False,
    jobs: int = DEFAULT_JOBS,
    branch: Branch | None = None,
    user_email: str | None = None,
) -> UpdateReport:
    started = time.monotonic()
    report = UpdateReport()
    chosen = select_series(store, refs)
    probes = [make_probe(store, s) for s in chosen]
    on_branch = _branch_checker(store, branch, chosen, report)
    if offline:
        polled = [Polled(p.series_id) for p in probes]
    else:
        polled = _poll_all(probes, resolve_server(server), jobs)
    for item in polled:
        report.series.append(store_polled(store, item, user_email, on_branch))
    report.series.sort(key=lambda s: s.series_id)
    report.seconds = time.monotonic() - started
    return report


def _poll_all(probes: list[Probe], server: str, jobs: int) -> Iterable[Polled]:
    """Poll concurrently; yield results as they come so the writer overlaps with the network."""
    use_server_for_b4(server)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(poll, probe, server): probe for probe in probes}
        for future in as_completed(futures):
            probe = futures[future]
            try:
                yield future.result()
            except Exception as exc:  # one bad series must not stop the others
                log.info("polling series %s failed", probe.series_id, exc_info=True)
                yield Polled(probe.series_id, problems=[f"polling failed: {exc}"])


def _branch_checker(
    store: Store, branch: Branch | None, chosen: list[Series], report: UpdateReport
) -> Callable[[Series], OnBranch | None]:
    """Series -> how much of its latest revision is on the branch (None: not checked).

    The branch is read once, on first need (while the workers poll), and only for series whose
    latest revision is not applied yet: once applied, a revision stays applied.
    """
    if branch is None:
        return lambda _series: None
    pending = [s.latest for s in chosen if not _applied(store, s)]
    checker = BranchChecker(branch, oldest_date(pending), PatchIdCache())
    failed: list[str] = []

    def check(series: Series) -> OnBranch | None:
        if failed or not series.revisions or _applied(store, series):
            return None
        try:
            return checker.check(series.latest)
        except ReviewerError as exc:
            failed.append(str(exc))
            report.problems.append(str(exc))
            return None

    return check


def _applied(store: Store, series: Series) -> bool:
    latest = series.latest
    return states.stored_state(store, series.id, latest.message_id) == SeriesState.APPLIED


def git_config(key: str, gitdir: str | None = None) -> str | None:
    """A git config value (the repository at gitdir, else the current one; then global)."""
    from reviewer.sources.fetch import git_config as read

    return read(key, gitdir)


def report_view(report: UpdateReport) -> dict:
    """The ``update --json`` schema (docs/tracking.md)."""
    return {
        "seconds": round(report.seconds, 3),
        "problems": report.problems,
        "series": [
            {
                "id": s.series_id,
                "subject": s.subject,
                "state": s.state,
                "new_messages": s.new_messages,
                "changes": s.changes,
                "problems": s.problems,
            }
            for s in report.series
        ],
    }
