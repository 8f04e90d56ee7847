"""Shared cell formatting: trailer counts, check summaries, states, dates."""

from __future__ import annotations

from rich.text import Text

from reviewer.constants import PairClass, SeriesState, TrailerStatus
from reviewer.flagmodel.findings import UNVERIFIED, FixupEffect, Severity

STATE_STYLES = {
    SeriesState.NEW: "bold",
    SeriesState.REVIEWING: "cyan",
    SeriesState.CHANGES_REQUESTED: "yellow",
    SeriesState.SUPERSEDED: "dim",
    SeriesState.APPLIED: "green",
    SeriesState.ARCHIVED: "dim",
}
CLASS_STYLES = {
    PairClass.IDENTICAL: "dim",
    PairClass.REBASE_ONLY: "",
    PairClass.MESSAGE_ONLY: "cyan",
    PairClass.CODE_CHANGED: "bold yellow",
    PairClass.ADDED: "green",
    PairClass.REMOVED: "red",
}
TRAILER_STATUS = {
    TrailerStatus.OK: ("", ""),
    TrailerStatus.CARRIED: ("* carried", "cyan"),
    TrailerStatus.STALE: ("~ stale", "yellow"),
    TrailerStatus.MISMATCH: ("! mismatch", "bold red"),
}


def art(acked: int, reviewed: int, tested: int) -> Text:
    return Text(f"{acked}/{reviewed}/{tested}", style="" if acked + reviewed else "dim")


def state(name: str) -> Text:
    return Text(name, style=STATE_STYLES.get(name, ""))


def day(iso: str) -> Text:
    return Text(iso[:10])


def check_summary(report) -> Text:
    """'E1 W2 I5' from a CheckReport (the counts every surface shows, unverified blocks apart);
    green 'clean' when nothing was found; a red '!' when part of the check did not run."""
    if report is None:
        return Text("")
    from reviewer.flagmodel.report_text import not_run, shown_counts

    return counts_summary(shown_counts(report).as_tuple(), partial=bool(not_run(report)))


def counts_summary(numbers: tuple[int, int, int] | None, partial: bool = False) -> Text:
    """'E1 W2 I5' from (errors, warnings, infos) as stored with a check report; '!' appended
    when part of the check did not run (the series screen says what)."""
    if numbers is None:
        return Text("")
    counts = [
        (s[0].upper(), n, style) for (s, style), n in zip(_SEVERITY_STYLES, numbers, strict=True)
    ]
    if not any(n for _c, n, _s in counts):
        out = Text("clean", style="green")
    else:
        out = Text()
        for code, number, style in counts:
            if number:
                out.append(" " if out else "")
                out.append(f"{code}{number}", style=style)
    if partial:
        out.append("!", style="bold red")
    return out


_SEVERITY_STYLES = (
    (Severity.ERROR, "bold red"),
    (Severity.WARNING, "yellow"),
    (Severity.INFO, "cyan"),
)


def findings_cell(findings: list) -> Text:
    """'W6 I2' (not '8 W', which reads as eight warnings); '-' when there are none. Unverified
    blocks are not findings (as in the review and `list`): a dim '?N' after the counts."""
    # resolved by a fix-up in a reply: listed, not counted (as `check`)
    live = [f for f in findings if getattr(f, "fixup_effect", "") != FixupEffect.RESOLVED]
    unverified = sum(1 for f in live if f.check == UNVERIFIED)
    shown = [f for f in live if f.check != UNVERIFIED]
    if not shown:
        out = Text("-", style="dim")
    else:
        out = counts_summary(
            tuple(sum(1 for f in shown if f.severity == s) for s, _style in _SEVERITY_STYLES)
        )
    if unverified:
        out.append(f" ?{unverified}", style="dim")
    return out
