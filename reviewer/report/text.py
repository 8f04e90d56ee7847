"""Plain-text report of a tracked series, as a reviewer reads it in a terminal.

Every string from mail passes through sanitize.clean_line before it is printed.
"""

from __future__ import annotations

from reviewer.constants import TRAILER_CODES, TrailerStatus
from reviewer.models import Revision, Series, Trailer
from reviewer.sanitize import clean_line

STATUS_MARKS = {
    TrailerStatus.OK: "",
    TrailerStatus.CARRIED: "*",
    TrailerStatus.STALE: "~",
    TrailerStatus.MISMATCH: "!",
}


def series_header(series: Series) -> list[str]:
    lines = [
        f"Series {series.id}: {clean_line(series.subject)}",
        f"  author: {clean_line(series.author)}   state: {series.state}",
        "Revisions:",
    ]
    width = max(len(r.label) for r in series.revisions)
    for rev in series.revisions:
        latest = "  (latest)" if rev is series.latest else ""
        partial = f"  PARTIAL: {'; '.join(rev.partial)}" if rev.partial else ""
        lines.append(
            f"  {rev.label:<{width}}  {rev.date[:10]}  {len(rev.patches):>2}/{rev.expected:<2}"
            f" patches  <{clean_line(rev.message_id)}>{latest}{partial}"
        )
    return lines


def patch_table(rev: Revision, attested: dict | None = None) -> list[str]:
    """The patches of a revision; with ``attested`` ({message-id: reviewer.results.attestation
    Attestation}) each patch's attestation line under it."""
    from reviewer.flagmodel.touch import touches_text

    lines = [f"Patches of {rev.label}:"]
    for patch in rev.patches:
        lines.append(
            f"  {patch.index:>2}/{rev.expected:<2} {clean_line(patch.subject)}"
            f"  ({_count(len(patch.files), 'file')})"
        )
        for fixup in patch.fixups:  # what each touches: a reviewer decides from this to look
            what = touches_text(fixup.diff) or "no diff"
            lines.append(
                f"        + fix-up in a reply from {clean_line(fixup.author)}: {clean_line(what)}"
            )
        if attested and patch.message_id in attested:
            lines.append(f"        attestation: {clean_line(attested[patch.message_id].line())}")
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _person(trailer: Trailer) -> str:
    return trailer.value


def _initials(person: str, taken: set[str]) -> str:
    name = person.split("<", 1)[0].replace('"', "").strip() or person
    letters = "".join(w[0] for w in name.replace(".", " ").split() if w[0].isalpha()).upper()
    code = letters[:3] or "?"
    candidate, n = code, 2
    while candidate in taken:
        candidate, n = f"{code}{n}", n + 1
    return candidate


def trailer_matrix(rev: Revision) -> list[str]:
    people: dict[str, str] = {}
    for patch in rev.patches:
        for trailer in patch.trailers:
            if trailer.name.lower() in TRAILER_CODES and _person(trailer) not in people:
                people[_person(trailer)] = _initials(_person(trailer), set(people.values()))
    lines = [f"Trailers on {rev.label}:"]
    if not people:
        return [*lines, "  (no review trailers yet)"]
    cols = list(people.items())
    lines.append("  patch " + "".join(f"{code:>6}" for _p, code in cols))
    for patch in rev.patches:
        cells = []
        for person, _code in cols:
            marks = [
                TRAILER_CODES[t.name.lower()] + STATUS_MARKS[t.status]
                for t in patch.trailers
                if _person(t) == person and t.name.lower() in TRAILER_CODES
            ]
            cells.append(f"{','.join(marks) or '.':>6}")
        lines.append(f"  {patch.index:>2}/{rev.expected:<2} " + "".join(cells))
    lines.append(
        "  R=Reviewed-by A=Acked-by T=Tested-by; * carried from an earlier revision (patch"
        " unchanged), ~ stale (patch changed since), ! sender does not match the trailer"
    )
    lines += [f"  {code:>4} = {clean_line(person)}" for person, code in cols]
    return lines


def notes(rev: Revision) -> list[str]:
    out = []
    for patch in rev.patches:
        for t in patch.trailers:
            if t.status == TrailerStatus.STALE:
                out.append(
                    f"  {patch.index}/{rev.expected}: {t.name}: {clean_line(t.value)} — {t.note}"
                )
            elif t.status == TrailerStatus.MISMATCH:
                out.append(
                    f"  {patch.index}/{rev.expected}: {t.name}: {clean_line(t.value)}"
                    f" — sent by {clean_line(t.sender)}, not the trailer's address"
                )
            elif t.note and t.status == TrailerStatus.OK:
                out.append(
                    f"  {patch.index}/{rev.expected}: {t.name}: {clean_line(t.value)}"
                    f" — {clean_line(t.note)}"
                )
    return ["Trailer notes:", *out] if out else []


def full_report(series: Series, rev: Revision | None = None) -> str:
    rev = rev or series.latest
    sections = [series_header(series), patch_table(rev), trailer_matrix(rev), notes(rev)]
    return "\n\n".join("\n".join(s) for s in sections if s) + "\n"
