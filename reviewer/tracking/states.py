"""Where a series stands: new, reviewing, changes-requested, superseded, applied, archived.

Every revision has a state; the series' state (``series.state``, what ``list --state`` filters)
is the state of its latest revision, except that a series archived by hand stays archived until
another state is set by hand.

Derived per revision, strongest first:
  archived / applied / superseded set by hand    kept
  applied       its patches were found on a maintainer branch (overrides hand workflow states;
                once applied, it stays applied)
  superseded    a later revision of the series exists (overrides hand workflow states)
  new / reviewing / changes-requested set by hand (latest revision only)    kept
  reviewing     someone of the team replied in the revision's thread (the team: everyone who
                wrote to this store, and the user running it), so the shared state does not
                depend on who ran ``update`` last
  new           otherwise

Per-revision states live in ``revision_states``, keyed by the revision's message-id, because the
store rebuilds its revision rows on every ingest. Besides the shared state, each reviewer has an
own state on a series (``reviewer_states``: "reviewing" when they replied, or set by hand) and
per-patch progress (``patch_reviews``), and a series has an owner/delegate.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import getaddresses

from reviewer.constants import WORKFLOW, OwnState, SeriesState
from reviewer.errors import ReviewerError
from reviewer.models import Revision, Series
from reviewer.review.progress import Mark
from reviewer.sources.mail import parse_bytes
from reviewer.store.core import StaleState, Store

_NONE_STORED = (SeriesState.NEW, False, "")  # a revision without a stored state


@dataclass
class RevisionState:
    label: str
    message_id: str
    state: SeriesState
    by_hand: bool
    note: str = ""  # e.g. "applied to mm-stable"


def check_state(name: str) -> SeriesState:
    state = name.strip().lower()
    if state not in tuple(SeriesState):
        raise ReviewerError(f"unknown state {name!r} (one of: {', '.join(SeriesState)})")
    return SeriesState(state)


# -- reading --------------------------------------------------------------------------------


def _stored(store: Store, series_id: int) -> dict[str, tuple[str, bool, str]]:
    return store.revision_states(series_id)


def revision_states(store: Store, series: Series) -> list[RevisionState]:
    stored = _stored(store, series.id)
    out = []
    for revision in series.revisions:
        state, hand, note = stored.get(revision.message_id, _NONE_STORED)
        out.append(RevisionState(revision.label, revision.message_id, state, hand, note))
    return out


# -- deriving -------------------------------------------------------------------------------


def derive(
    series: Series,
    stored: dict[str, tuple[str, bool, str]],
    replied: set[str],
    applied: dict[str, str],
    on_branch: dict[str, str] | None = None,
) -> list[RevisionState]:
    """The state of every revision from the facts: hand-set states, replies, applied revisions.

    ``replied``: message-ids of revisions the user replied to; ``applied``: message-id -> note;
    ``on_branch``: message-id -> note of revisions partly on the branch (None: branch not
    checked, notes are kept).
    """
    last = len(series.revisions) - 1
    out = []
    for position, revision in enumerate(series.revisions):
        mid = revision.message_id
        state, hand, note = stored.get(mid, _NONE_STORED)
        if hand and state not in WORKFLOW:
            pass  # archived / applied / superseded set by hand stick
        elif mid in applied:
            state, hand, note = SeriesState.APPLIED, False, applied[mid]
        elif state == SeriesState.APPLIED:
            pass  # once found applied, stays applied
        elif position < last:
            state, hand = SeriesState.SUPERSEDED, False
        elif not hand:
            state = SeriesState.REVIEWING if mid in replied else SeriesState.NEW
        if on_branch is not None and state != SeriesState.APPLIED:
            note = on_branch.get(mid, "")
        out.append(RevisionState(revision.label, mid, state, hand, note))
    return out


def stored_state(store: Store, series_id: int, message_id: str) -> str:
    """The stored state of one revision ("new" when none is stored yet)."""
    return _stored(store, series_id).get(message_id, _NONE_STORED)[0]


def replied_revisions(store: Store, series: Series, user_email: str | None) -> set[str]:
    """Message-ids of revisions with a reply from ``user_email`` in their thread."""
    if not user_email:
        return set()
    return replies_by(store, series, {user_email}).get(user_email.lower(), set())


def replies_by(store: Store, series: Series, emails: set[str]) -> dict[str, set[str]]:
    """{email: message-ids of revisions with a reply from that address in their thread}."""
    wanted = {e.lower() for e in emails if e}
    if not wanted:
        return {}
    owner = {}
    for revision in series.revisions:
        for mid in _revision_message_ids(revision):
            owner[mid] = revision.message_id
    found: dict[str, set[str]] = {}
    for raw in store.raw_messages(series.id):
        msg = parse_bytes(raw)
        senders = {addr.lower() for _name, addr in getaddresses(msg.get_all("From", []))}
        hits = senders & wanted
        if not hits:
            continue
        for ref in str(msg.get("References", "") or "").split() + [
            str(msg.get("In-Reply-To", "") or "")
        ]:
            revision_mid = owner.get(ref.strip().strip("<>"))
            if revision_mid:
                for email in hits:
                    found.setdefault(email, set()).add(revision_mid)
    return found


def _revision_message_ids(revision: Revision) -> list[str]:
    ids = [p.message_id for p in revision.patches]
    if revision.cover:
        ids.append(revision.cover.message_id)
    return [revision.message_id, *ids]


# -- writing (callers hold the store's transaction) -----------------------------------------


def save(
    store: Store,
    series: Series,
    states: list[RevisionState],
    archive: bool | None = None,
    expected_version: int | None = None,
) -> str:
    """Store revision states and the series state; returns the series state.

    ``archive``: True archives the series by hand, False un-archives it, None keeps a by-hand
    archive as it is. ``expected_version``: see ``Store.set_series_state``.
    """
    store.save_revision_states(
        series.id, [(s.message_id, s.state, s.by_hand, s.note) for s in states]
    )
    current = store.series_state(series.id)
    state, by_hand = current["state"], bool(current["state_set_by_hand"])
    archived = state == SeriesState.ARCHIVED and by_hand if archive is None else archive
    new_state = SeriesState.ARCHIVED if archived else (states[-1].state if states else state)
    store.set_series_state(series.id, new_state, archived, expected_version)
    return new_state


def refresh(
    store: Store,
    series: Series,
    user_email: str | None = None,
    applied: dict[str, str] | None = None,
    on_branch: dict[str, str] | None = None,
) -> list[str]:
    """Re-derive and store the states of one series; returns lines describing what changed.

    ``applied`` and ``on_branch`` as for ``derive``. The shared "reviewing" comes from replies
    of anyone on the team (and ``user_email``); each replier gets an own "reviewing" state.
    """
    stored = _stored(store, series.id)
    old_state = series.state
    emails = store.team_emails() | ({user_email.lower()} if user_email else set())
    by_email = replies_by(store, series, emails)
    replied = set().union(*by_email.values()) if by_email else set()
    states = derive(series, stored, replied, applied or {}, on_branch)
    series.state = save(store, series, states)
    if series.revisions:
        latest = series.latest.message_id
        for email, revisions in sorted(by_email.items()):
            if latest in revisions:
                reviewer = store.reviewer_for_email(email)
                store.set_reviewer_state(series.id, latest, OwnState.REVIEWING, False, reviewer)
    return describe(series, stored, states, old_state)


def describe(
    series: Series,
    stored: dict[str, tuple[str, bool, str]],
    states: list[RevisionState],
    old_state: str,
) -> list[str]:
    lines = []
    latest = series.revisions[-1].label if series.revisions else "?"
    for s in states:
        before, _hand, old_note = stored.get(s.message_id, _NONE_STORED)
        if s.state != before:
            if s.state == SeriesState.SUPERSEDED:
                lines.append(f"{s.label} superseded by {latest}")
            elif s.state == SeriesState.APPLIED:
                lines.append(f"{s.label} applied{' to ' + s.note if s.note else ''}")
            else:
                lines.append(f"{s.label} now {s.state}")
        if s.state != SeriesState.APPLIED and s.note and s.note != old_note:
            # "3/4 patches on REF" -> "3/4 patches of v2 on REF"
            lines.append(s.note.replace(" patches on ", f" patches of {s.label} on ", 1))
    if series.state != old_state:
        lines.append(f"series state: {old_state} -> {series.state}")
    return lines


def set_by_hand(store: Store, series: Series, state: str, revision: Revision | None = None) -> str:
    """Set a state from the CLI/TUI; returns the series state.

    Without ``revision``, ``archived`` archives the whole series (it stays archived whatever
    arrives, until another state is set by hand) and other states apply to the latest revision.
    Workflow states (new, reviewing, changes-requested) only apply to the latest revision.

    Optimistic check: ``series.state`` is what the caller saw; when someone else has set the
    shared state by hand since, nothing is written and ``StaleState`` says who did.
    """
    state = check_state(state)
    target = revision or series.latest
    if state in WORKFLOW and target.message_id != series.latest.message_id:
        raise ReviewerError(
            f"{target.label} is superseded by {series.latest.label}; "
            f"{str(state)!r} applies to the latest revision"
        )

    def work() -> str:
        store.lock_series(series.id)
        current = store.series_state(series.id)
        if current["state"] != series.state and current["state_by"] not in ("", store.actor):
            raise StaleState(
                f"series {series.id} is {current['state']} now (set by {current['state_by']}"
                f" at {current['state_at']}), not {series.state} as you saw it; look again"
            )
        stored = _stored(store, series.id)
        whole_series = state == SeriesState.ARCHIVED and revision is None
        if not whole_series:
            note = stored.get(target.message_id, ("", False, ""))[2]
            stored[target.message_id] = (state, True, note)
        replied = {mid for mid, (st, _hand, _note) in stored.items() if st == SeriesState.REVIEWING}
        states = derive(series, stored, replied, {})
        new_state = save(store, series, states, whole_series, current["version"])
        store.touch_series(series.id)
        if state in WORKFLOW:
            store.set_reviewer_state(series.id, series.latest.message_id, state, True)
        return new_state

    series.state = store.retrying(work)
    return series.state


def set_mine(store: Store, series: Series, state: str) -> None:
    """The running reviewer's own state on a series (the shared state is left as it is)."""
    if not series.revisions:
        raise ReviewerError(f"series {series.id} has no revisions")
    with store.transaction():
        mine = state.strip().lower()
        if mine not in tuple(OwnState):
            raise ReviewerError(f"unknown own state {state!r} (one of: {', '.join(OwnState)})")
        store.set_reviewer_state(series.id, series.latest.message_id, OwnState(mine), True)


def set_owner(store: Store, series: Series, owner: str) -> None:
    """The series' owner/delegate ('' or 'none' for nobody)."""
    with store.transaction():
        store.set_owner(series.id, "" if owner.strip().lower() in ("", "none") else owner.strip())


def mark_patches(
    store: Store, series: Series, indexes: list[int], state: str = Mark.DONE,
    revision: Revision | None = None,
) -> None:  # fmt: skip
    """The running reviewer's progress on patches of a revision (default the latest)."""
    target = revision or series.latest
    by_index = {p.index: p for p in target.patches}
    missing = [i for i in indexes if i not in by_index]
    if missing:
        raise ReviewerError(
            f"{target.label} has no patch {', '.join(map(str, missing))} (1-{len(target.patches)})"
        )
    with store.transaction():
        for i in indexes:
            store.set_patch_review(series.id, by_index[i].message_id, state)


def clear_hand(store: Store, series: Series, user_email: str | None = None) -> list[str]:
    """Forget by-hand states of a series and derive them again."""
    with store.transaction():
        store.lock_series(series.id)
        store.clear_hand_states(series.id)
        return refresh(store, series, user_email)
