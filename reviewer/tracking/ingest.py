"""Track mail: store its raw messages under the right series and rebuild what derives from them.

Everything happens in one transaction, so a crash mid-ingest leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import b4

from reviewer.constants import TrailerStatus
from reviewer.models import Revision, Series
from reviewer.review.progress import carry_forward
from reviewer.series.grouping import cluster, find_tracked_series
from reviewer.series.parse import parse_messages
from reviewer.sources.fetch import b4_config
from reviewer.sources.mail import Loaded, RawMessage, parse_bytes
from reviewer.sources.threads import message_id, parent_id
from reviewer.store.core import Store
from reviewer.store.review import has_progress, progress_reviewers
from reviewer.trailers.carry import carry_trailers


@dataclass
class IngestReport:
    series_ids: list[int] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # "v2 tracked (13 patches)", ...
    problems: list[str] = field(default_factory=list)  # ignored mail, duplicates, partial
    new_messages: int = 0


def ingest(store: Store, loaded: Loaded) -> IngestReport:
    report = IngestReport(problems=list(loaded.problems))
    chosen = choose_copies(loaded.messages, store.raw_message, report.problems)
    raw_by_id = {mid: m.raw for mid, m in chosen.items()}
    parsed = parse_messages([m.msg for m in chosen.values()])
    report.problems += parsed.ignored
    with store.transaction():
        touched: dict[int, list[Revision]] = {}
        for group in cluster(parsed.revisions):
            series_id = _series_for_group(store, group)
            ids = {mid for rev in group for mid in rev.message_ids}
            added = store.add_messages(series_id, _pick(raw_by_id, ids))
            report.new_messages += added
            touched.setdefault(series_id, []).extend(group if added else [])
        for msg in parsed.unplaced:
            _place_reply(store, msg, raw_by_id, report, touched)
        for series_id, batch in touched.items():
            if batch:
                before = _snapshot(store, series_id)
                rebuild_series(store, series_id, batch)
                report.changes += describe_changes(before, store.load_series(series_id))
    report.series_ids = sorted(touched)
    return report


def choose_copies(
    messages: list[RawMessage], stored: Callable[[str], bytes | None], problems: list[str]
) -> dict[str, RawMessage]:
    """One copy per Message-ID, by the one rule used for store, parse and export alike.

    A copy already in the database wins (so a rebuild never switches a patch under its
    trailers); within the batch b4's preferred duplicate wins (List-Id preference, then the
    first seen). Copies with different bodies are reported as a conflict.
    """
    b4_config()
    chosen: dict[str, RawMessage] = {}
    for item in messages:
        mid = message_id(item.msg)
        if mid is None:
            continue
        kept = chosen.get(mid)
        if kept is None:
            chosen[mid] = item
            continue
        winner = (
            kept if b4.LoreMessage.get_preferred_duplicate(kept.msg, item.msg) is kept.msg else item
        )
        chosen[mid] = winner
        if _body(kept.raw) == _body(item.raw):
            problems.append(f"duplicate Message-ID <{mid}>: kept one copy")
        else:
            which = "the first copy" if winner is kept else "the copy from the preferred list"
            problems.append(
                f"duplicate Message-ID <{mid}> with different bodies: kept {which}, "
                "ignored the other"
            )
    for mid, item in chosen.items():
        old = stored(mid)
        if old is None or old == item.raw:
            continue
        if _body(old) != _body(item.raw):
            problems.append(
                f"duplicate Message-ID <{mid}> with different bodies: kept the stored copy, "
                "ignored the new one"
            )
        chosen[mid] = RawMessage(old, parse_bytes(old))
    return chosen


def _body(raw: bytes) -> bytes:
    """The message body with line endings and trailing blanks normalised, for comparing copies."""
    text = raw.replace(b"\r\n", b"\n")
    _head, _sep, body = text.partition(b"\n\n")
    return b"\n".join(line.rstrip() for line in body.strip().splitlines())


def _pick(raw_by_id: dict[str | None, bytes], ids: set[str]) -> dict[str, bytes]:
    return {mid: raw_by_id[mid] for mid in ids if mid in raw_by_id}


def _series_for_group(store: Store, group: list[Revision]) -> int:
    for revision in group:
        series_id = find_tracked_series(revision, store)
        if series_id is not None:
            return series_id
    latest = max(group, key=lambda r: (r.revision, r.date))
    return store.create_series(latest.subject, latest.author)


def _place_reply(store, msg, raw_by_id, report: IngestReport, touched: dict) -> None:
    """A reply whose thread is not in this batch joins the tracked series it answers."""
    refs = [r.strip("<>") for r in str(msg.get("References", "") or "").split()]
    parent = parent_id(msg)
    series_id = store.series_for_messages([*refs, parent] if parent else refs)
    mid = message_id(msg)
    if series_id is None or mid is None:
        subject = " ".join(str(msg.get("Subject", "")).split())
        report.problems.append(f"not part of a tracked patch series: {subject[:80]} <{mid}>")
        return
    added = store.add_messages(series_id, {mid: raw_by_id[mid]})
    report.new_messages += added
    touched.setdefault(series_id, []).extend([None] if added else [])  # None: full rebuild


def rebuild_series(store: Store, series_id: int, batch: list[Revision | None] = ()) -> None:
    """Re-derive a series from all its stored messages; reuse the batch's parse when it covers
    exactly those messages (a first track), since parsing is most of the cost."""
    stored = store.message_ids(series_id)
    if batch and None not in batch and stored == {m for r in batch for m in r.message_ids}:
        revisions = sorted(batch, key=lambda r: (r.revision, r.resend, r.date))
    else:
        msgs = [parse_bytes(raw) for raw in store.raw_messages(series_id)]
        revisions = parse_messages(msgs).revisions
    if not revisions:
        return
    label_reposts(revisions)
    carry_trailers(revisions)
    store.replace_revisions(series_id, revisions)
    if has_progress(store, series_id):  # every reviewer's marks follow unchanged patches
        for reviewer in progress_reviewers(store, series_id):
            carry_forward(store, series_id, revisions, reviewer)


def label_reposts(revisions: list[Revision]) -> None:
    """A revision posted again under fresh message-ids (same number, no RESEND tag) is kept as
    its own revision labelled "v2-repost" (then "v2-repost2", ...), so every label is unique."""
    seen: set[str] = set()
    for revision in revisions:
        base, label, n = revision.label, revision.label, 1
        while label.lower() in seen:
            n += 1
            label = f"{base}-repost" if n == 2 else f"{base}-repost{n - 1}"
        seen.add(label.lower())
        if label != base:
            revision.label = label
            for patch in revision.patches:
                for trailer in patch.trailers:
                    if trailer.given_on == base:
                        trailer.given_on = label


# -- what changed -------------------------------------------------------------------------

Snapshot = dict[str, dict[int, set[tuple[str, str, str]]]]


def _snapshot(store: Store, series_id: int) -> Snapshot:
    return trailer_snapshot(store.load_series(series_id))


def trailer_snapshot(series: Series) -> Snapshot:
    """What describe_changes compares a rebuilt series against."""
    return {
        rev.label: {p.index: {(t.name, t.value, t.status) for t in p.trailers} for p in rev.patches}
        for rev in series.revisions
    }


def describe_changes(before: Snapshot, series: Series) -> list[str]:
    after = trailer_snapshot(series)
    changes = []
    for rev in series.revisions:
        if rev.label not in before:
            partial = f", partial: {'; '.join(rev.partial)}" if rev.partial else ""
            changes.append(f"{rev.label} tracked ({len(rev.patches)} patches{partial})")
            continue
        for patch in rev.patches:
            new = after[rev.label][patch.index] - before[rev.label].get(patch.index, set())
            for name in sorted({n for n, _v, status in new if status == TrailerStatus.OK}):
                count = sum(1 for n, _v, s in new if n == name and s == TrailerStatus.OK)
                where = f"{rev.label} {patch.index}/{rev.expected}"
                changes.append(f"{count} new {name} on {where}")
    return changes
