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
  reviewing     the user (git config user.email) replied in the revision's thread
  new           otherwise

Per-revision states live in ``revision_states``, keyed by the revision's message-id, because the
store rebuilds its revision rows on every ingest.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import getaddresses

from reviewer.errors import ReviewerError
from reviewer.models import Revision, Series
from reviewer.sources import parse_bytes
from reviewer.store import Store, now

STATES = ("new", "reviewing", "changes-requested", "superseded", "applied", "archived")
WORKFLOW = ("new", "reviewing", "changes-requested")


@dataclass
class RevisionState:
    label: str
    message_id: str
    state: str
    by_hand: bool
    note: str = ""  # e.g. "applied to mm-stable"


def check_state(name: str) -> str:
    state = name.strip().lower()
    if state not in STATES:
        raise ReviewerError(f"unknown state {name!r} (one of: {', '.join(STATES)})")
    return state


# -- reading --------------------------------------------------------------------------------


def _stored(store: Store, series_id: int) -> dict[str, tuple[str, bool, str]]:
    rows = store.conn.execute(
        "SELECT message_id, state, by_hand, note FROM revision_states WHERE series_id = ?",
        (series_id,),
    )
    return {mid: (state, bool(hand), note) for mid, state, hand, note in rows}


def revision_states(store: Store, series: Series) -> list[RevisionState]:
    stored = _stored(store, series.id)
    out = []
    for revision in series.revisions:
        state, hand, note = stored.get(revision.message_id, ("new", False, ""))
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
        state, hand, note = stored.get(mid, ("new", False, ""))
        if hand and state not in WORKFLOW:
            pass  # archived / applied / superseded set by hand stick
        elif mid in applied:
            state, hand, note = "applied", False, applied[mid]
        elif state == "applied":
            pass  # once found applied, stays applied
        elif position < last:
            state, hand = "superseded", False
        elif not hand:
            state = "reviewing" if mid in replied else "new"
        if on_branch is not None and state != "applied":
            note = on_branch.get(mid, "")
        out.append(RevisionState(revision.label, mid, state, hand, note))
    return out


def stored_state(store: Store, series_id: int, message_id: str) -> str:
    """The stored state of one revision ("new" when none is stored yet)."""
    return _stored(store, series_id).get(message_id, ("new", False, ""))[0]


def replied_revisions(store: Store, series: Series, user_email: str | None) -> set[str]:
    """Message-ids of revisions with a reply from ``user_email`` in their thread."""
    if not user_email:
        return set()
    owner = {}
    for revision in series.revisions:
        for mid in _revision_message_ids(revision):
            owner[mid] = revision.message_id
    found = set()
    for raw in store.raw_messages(series.id):
        msg = parse_bytes(raw)
        senders = {addr.lower() for _name, addr in getaddresses(msg.get_all("From", []))}
        if user_email.lower() not in senders:
            continue
        for ref in str(msg.get("References", "") or "").split() + [
            str(msg.get("In-Reply-To", "") or "")
        ]:
            revision_mid = owner.get(ref.strip().strip("<>"))
            if revision_mid:
                found.add(revision_mid)
    return found


def _revision_message_ids(revision: Revision) -> list[str]:
    ids = [p.message_id for p in revision.patches]
    if revision.cover:
        ids.append(revision.cover.message_id)
    return [revision.message_id, *ids]


# -- writing (callers hold the store's transaction) -----------------------------------------


def save(
    store: Store, series: Series, states: list[RevisionState], archive: bool | None = None
) -> str:
    """Store revision states and the series state; returns the series state.

    ``archive``: True archives the series by hand, False un-archives it, None keeps a by-hand
    archive as it is.
    """
    stamp = now()
    store.conn.executemany(
        "INSERT INTO revision_states (series_id, message_id, state, by_hand, note, updated)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (series_id, message_id) DO UPDATE SET"
        " state = excluded.state, by_hand = excluded.by_hand, note = excluded.note,"
        " updated = excluded.updated",
        [(series.id, s.message_id, s.state, int(s.by_hand), s.note, stamp) for s in states],
    )
    state, by_hand = store.conn.execute(
        "SELECT state, state_set_by_hand FROM series WHERE id = ?", (series.id,)
    ).fetchone()
    archived = state == "archived" and bool(by_hand) if archive is None else archive
    new_state = "archived" if archived else (states[-1].state if states else state)
    store.conn.execute(
        "UPDATE series SET state = ?, state_set_by_hand = ? WHERE id = ?",
        (new_state, int(archived), series.id),
    )
    return new_state


def refresh(
    store: Store,
    series: Series,
    user_email: str | None = None,
    applied: dict[str, str] | None = None,
    on_branch: dict[str, str] | None = None,
) -> list[str]:
    """Re-derive and store the states of one series; returns lines describing what changed.

    ``applied`` and ``on_branch`` as for ``derive``.
    """
    stored = _stored(store, series.id)
    old_state = series.state
    replied = replied_revisions(store, series, user_email)
    states = derive(series, stored, replied, applied or {}, on_branch)
    series.state = save(store, series, states)
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
        before, _hand, old_note = stored.get(s.message_id, ("new", False, ""))
        if s.state != before:
            if s.state == "superseded":
                lines.append(f"{s.label} superseded by {latest}")
            elif s.state == "applied":
                lines.append(f"{s.label} applied{' to ' + s.note if s.note else ''}")
            else:
                lines.append(f"{s.label} now {s.state}")
        if s.state != "applied" and s.note and s.note != old_note:
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
    """
    state = check_state(state)
    target = revision or series.latest
    if state in WORKFLOW and target.message_id != series.latest.message_id:
        raise ReviewerError(
            f"{target.label} is superseded by {series.latest.label}; "
            f"{state!r} applies to the latest revision"
        )
    with store.transaction():
        stored = _stored(store, series.id)
        whole_series = state == "archived" and revision is None
        if not whole_series:
            note = stored.get(target.message_id, ("", False, ""))[2]
            stored[target.message_id] = (state, True, note)
        replied = {mid for mid, (st, _hand, _note) in stored.items() if st == "reviewing"}
        states = derive(series, stored, replied, {})
        series.state = save(store, series, states, archive=whole_series)
        store.conn.execute("UPDATE series SET updated = ? WHERE id = ?", (now(), series.id))
    return series.state


def clear_hand(store: Store, series: Series, user_email: str | None = None) -> list[str]:
    """Forget by-hand states of a series and derive them again."""
    with store.transaction():
        store.conn.execute(
            "UPDATE revision_states SET by_hand = 0 WHERE series_id = ?", (series.id,)
        )
        store.conn.execute("UPDATE series SET state_set_by_hand = 0 WHERE id = ?", (series.id,))
        return refresh(store, series, user_email)
