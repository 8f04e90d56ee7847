"""Plain-dict views of the models: the documented --json schemas (docs/json.md)."""

from __future__ import annotations

from reviewer.models import Patch, Revision, Series, Trailer


def revision_summary(rev: Revision) -> dict:
    return {
        "revision": rev.revision,
        "resend": rev.resend,
        "label": rev.label,
        "patches": len(rev.patches),
        "expected": rev.expected,
        "message_id": rev.message_id,
        "subject": rev.subject,
        "author": rev.author,
        "date": rev.date,
        "partial": rev.partial,
    }


def revision_row_summary(row) -> dict:
    """revision_summary of a ``Store.revision_rows`` row (no patches loaded)."""
    import json

    _sid, revision, resend, label, expected, message_id, subject, author, date, partial, n = row
    return {
        "revision": revision,
        "resend": bool(resend),
        "label": label,
        "patches": n,
        "expected": expected,
        "message_id": message_id,
        "subject": subject,
        "author": author,
        "date": date,
        "partial": json.loads(partial) if partial != "[]" else [],
    }


def series_summary(series: Series) -> dict:
    return {
        "id": series.id,
        "subject": series.subject,
        "author": series.author,
        "state": series.state,
        "revisions": [revision_summary(r) for r in series.revisions],
    }


def trailer_view(t: Trailer) -> dict:
    return {
        "name": t.name,
        "value": t.value,
        "status": t.status,
        "sender": t.sender,
        "given_on": t.given_on,
        "via_cover": t.via_cover,
        "message_id": t.message_id,
        "note": t.note,
    }


def patch_view(p: Patch, with_diff: bool = False) -> dict:
    out = {
        "index": p.index,
        "subject": p.subject,
        "message_id": p.message_id,
        "author": p.author,
        "patch_id": p.patch_id,
        "files": p.files,
        "trailers": [trailer_view(t) for t in p.trailers],
        "fixups": [{"message_id": f.message_id, "author": f.author} for f in p.fixups],
    }
    if with_diff:
        out["commit_message"] = p.commit_message
        out["diff"] = p.diff
    return out


def revision_detail(rev: Revision) -> dict:
    out = revision_summary(rev)
    out["cover"] = (
        {"message_id": rev.cover.message_id, "subject": rev.cover.subject} if rev.cover else None
    )
    out["change_id"] = rev.change_id
    out["base_commit"] = rev.base_commit
    out["patch_list"] = [patch_view(p) for p in rev.patches]
    return out


def trailers_view(rev: Revision) -> dict:
    return {
        "revision": rev.label,
        "patches": [
            {
                "index": p.index,
                "subject": p.subject,
                "trailers": [trailer_view(t) for t in p.trailers],
            }
            for p in rev.patches
        ],
    }
