"""Plain-text and b4-protocol renderings of a CheckReport.

Counts come from one place (``shown_counts``): errors, warnings and infos exclude the
``unverified`` blocks, which are counted on their own; every surface (check, review, list, the
TUI) uses it, so the numbers agree. What did not run (``not_run``) is on every summary line.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from reviewer.flagmodel.findings import UNVERIFIED, CheckReport, Finding, FixupEffect, Severity
from reviewer.sanitize import clean_line

TOOL = "reviewer-flagmodel"

# The kernel states the model knows (docs/vma-flags-reference.md), in a reviewer's words.
STATE_WORDS = {
    "S0": "v6.18 (before the Nov 2025 flag series)",
    "S1": "v6.19",
    "S2": "v7.0 (after the Jan 2026 flag series)",
    "S3": "after the Mar 2026 flag renames",
}
# Notes saying part of the check did not run, and what to install for it.
_NOT_RUN = ("skipped", "unavailable", "not found")
_INSTALL = (("-m32", "install gcc-multilib"), ("gcc not found", "install gcc"))


@dataclass(frozen=True)
class Counts:
    error: int
    warning: int
    info: int
    unverified: int

    def short(self) -> str:
        """'E0/W8/I1' as `list` prints it."""
        return f"E{self.error}/W{self.warning}/I{self.info}"

    def words(self) -> str:
        return f"{self.error} errors, {self.warning} warnings, {self.info} info"

    def as_tuple(self) -> tuple[int, int, int]:
        return (self.error, self.warning, self.info)


def shown_counts(report: CheckReport) -> Counts:
    """The one source of the counts every surface shows."""
    live = [f for f in report.findings if f.fixup_effect != FixupEffect.RESOLVED.value]
    shown = [f for f in live if f.check != UNVERIFIED]
    return Counts(
        *(sum(1 for f in shown if f.severity == s) for s in Severity),
        unverified=max(report.unverified, len(live) - len(shown)),
    )


def not_run(report: CheckReport) -> list[str]:
    """The notes saying a part of the check did not run, each with what to install."""
    out = []
    for note in report.notes:
        if any(word in note for word in _NOT_RUN):
            hint = next((h for key, h in _INSTALL if key in note), "")
            out.append(f"{note} ({hint})" if hint else note)
    return out


def not_run_text(report: CheckReport) -> str:
    """'; NOT RUN: ...' to end a summary line, or '' when everything ran."""
    skipped = not_run(report)
    return "; NOT RUN: " + "; ".join(skipped) if skipped else ""


def state_words(report: CheckReport) -> str:
    """'Kernel helper API: v6.19 before the series, v7.0 (...) after it (from ...).'"""
    if not report.tree_state:
        return ""
    before = STATE_WORDS.get(report.tree_state, report.tree_state)
    after = STATE_WORDS.get(report.final_state, report.final_state)
    source = f", read from the {report.state_source}" if report.state_source else ""
    if after and after != before:
        return f"Kernel helper API: {before} -> {after}{source}."
    return f"Kernel helper API: {before}{source}."


def summary_line(report: CheckReport, verbose: bool = False) -> str:
    counts = shown_counts(report)
    hidden = "" if verbose else " (not shown: check -v lists them)"
    unverified = f"{counts.unverified} unverified{hidden if counts.unverified else ''}"
    resolved = report.resolved()
    fixed = f" (+{resolved} resolved by fix-ups in replies)" if resolved else ""
    return (
        f"{report.verified} conversions verified, {unverified}; {counts.words()}{fixed}"
        f"{not_run_text(report)}"
    )


# -- findings, grouped by cause ---------------------------------------------------------------

_NAMED = re.compile(r"^(?P<name>[A-Za-z_]\w*)\(\) (?P<rest>.+)$")
_CALL_RESULT = re.compile(r"`(?P<name>[A-Za-z_]\w*)\(\)#(?P<n>\d+)` (?P<value>\S+)")
_ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}


@dataclass
class Group:
    """Findings that share one cause: same check, place, counterexample and message apart from
    the function it names."""

    first: Finding
    names: list[str]
    lines: list[int]

    @property
    def rest(self) -> str:
        match = _NAMED.match(self.first.message)
        return match["rest"] if match else self.first.message


def group_findings(findings: list[Finding]) -> list[Group]:
    groups: dict[tuple, Group] = {}
    for f in findings:
        match = _NAMED.match(f.message)
        rest = match["rest"] if match else f"\0{f.id}"  # unnamed findings are never merged
        key = (f.severity, f.check, f.patch, f.file, f.counterexample, rest, f.fixup_effect)
        if key in groups:
            groups[key].names.append(match["name"])
            groups[key].lines.append(f.line)
        else:
            groups[key] = Group(f, [match["name"]] if match else [], [f.line])
    return list(groups.values())


_BETWEEN = re.compile(r"between (?P<old>\S+) \(patch \d+\) and (?P<new>\S+) \(patch \d+\)")


def explain_counterexample(text: str, message: str = "") -> list[str]:
    """A counterexample in a reviewer's words: a token diff of two copies becomes two 'only in'
    lines; `name()#1` false becomes 'name() returns false'."""
    if text.startswith("tokens: "):
        files = _BETWEEN.search(message)
        names = (files["old"], files["new"]) if files else ("the first copy", "the second copy")
        return _token_lines(text.removeprefix("tokens: "), *names)

    def call(match: re.Match) -> str:
        n = int(match["n"])
        which = "" if n == 1 else f" (its {_ORDINALS.get(n, f'{n}th')} call)"
        return f"{match['name']}(){which} returns {match['value']}"

    return [_CALL_RESULT.sub(call, text)]


def _token_lines(tokens: str, old_name: str, new_name: str) -> list[str]:
    """'- a - b + c' (difflib.ndiff of the two copies' tokens) as what only each copy has."""
    old: list[str] = []
    new: list[str] = []
    sign = ""
    for word in tokens.split():
        if word in ("-", "+") and not sign:
            sign = word
            continue
        (old if sign == "-" else new).append(word)
        sign = ""
    out = []
    if old:
        out.append(f"only in {old_name}: " + " ".join(old))
    if new:
        out.append(f"only in {new_name}: " + " ".join(new))
    return out or [tokens]


def _who(author: str) -> str:
    """'Lorenzo Stoakes' of 'Lorenzo Stoakes <lorenzo.stoakes@oracle.com>'."""
    return author.split("<")[0].strip() or author


def fixup_lines(report: CheckReport) -> list[str]:
    """One line per fix-up checked with its patch: what it touches and what it changes."""
    out = []
    for x in report.fixups:
        head = f"Fix-up to patch {x.get('patch')} from {_who(str(x.get('author', '')))}"
        touches = f" ({x['touches']})" if x.get("touches") else ""
        if not x.get("folded", True):
            out.append(
                f"{head}{touches}: not folded in, checked as posted only: {x.get('problem')}"
            )
            continue
        if not x.get("compared", True):
            out.append(f"{head}{touches}: folded in (checked only with it: --fixups compare "
                       "shows what it changes)")  # fmt: skip
            continue
        blocks = x.get("introduced_unverified", 0)
        unverified = f" (and {blocks} block(s) left unverified: check -v)" if blocks else ""
        out.append(
            f"{head}{touches}: folded in; resolves {x.get('resolved', 0)} finding(s) of the patch "
            f"as posted, introduces {x.get('introduced', 0)}{unverified}"
        )
    return out


def _fixup_tag(f: Finding, report: CheckReport | None) -> str:
    if not f.fixups:
        return ""
    authors = {str(x.get("message_id")): _who(str(x.get("author", ""))) for x in
               (report.fixups if report else [])}  # fmt: skip
    who = ", ".join(dict.fromkeys(authors.get(m, "a reply") for m in f.fixups))
    if f.fixup_effect == FixupEffect.RESOLVED.value:
        return f" [as posted; resolved by the fix-up from {who}]"
    if f.fixup_effect == FixupEffect.INTRODUCED.value:
        return f" [with the fix-up from {who} folded in]"
    return f" [on the lines of the fix-up from {who}]"


def _group_head(g: Group, report: CheckReport | None = None) -> str:
    f = g.first
    where = f"{f.file}:{','.join(str(n) for n in g.lines)}"
    if len(g.names) > 1:
        names = ", ".join(f"{n}()" for n in g.names)
        if g.rest.startswith("differs "):
            what = f"{len(g.names)} functions differ the same way {g.rest[8:]}: {names}"
        else:
            what = f"{len(g.names)} functions, one cause: {names}: {g.rest}"
    else:
        what = f.message
    return f"patch {f.patch} {where} ({f.check}): {what}{_fixup_tag(f, report)}"


DIFF_LINES = 12  # a copies diff longer than this is cut (the copies are in --json)


def copies_diff(f: Finding, example: bool = False) -> list[str]:
    """A small unified diff of the two copies a comparing check compared (dup-drift): the
    first copy as '-', the second as '+', one line of context, tabs as four spaces."""
    if len(f.copies) != 2:
        return []
    try:
        a, b = ([str(x).expandtabs(4).rstrip() for x in str(c["text"]).splitlines()]
                for c in f.copies)  # fmt: skip
        names = [f"{c['file']} (patch {c['patch']})" for c in f.copies]
    except (KeyError, TypeError):
        return []
    body = _grouped_diff(a, b)
    if len(body) > DIFF_LINES:
        body = [
            *body[:DIFF_LINES],
            f"... ({len(body) - DIFF_LINES} more lines: --json has both copies)",
        ]
    match = _NAMED.match(f.message)
    head = f"e.g. {match['name']}():" if example and match else "the two copies:"
    return [head, f"--- {names[0]}", f"+++ {names[1]}", *body]


def _grouped_diff(a: list[str], b: list[str]) -> list[str]:
    """The changed lines of two copies with one line of context, '...' between groups (made
    from difflib's opcodes, so there is no hunk header to read back)."""
    body: list[str] = []
    for n, group in enumerate(difflib.SequenceMatcher(None, a, b).get_grouped_opcodes(1)):
        if n:
            body.append("...")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                body += [" " + line for line in a[i1:i2]]
                continue
            body += ["-" + line for line in a[i1:i2]]
            body += ["+" + line for line in b[j1:j2]]
    return body


def _explained(f: Finding, example: bool = False) -> list[str]:
    if diff := copies_diff(f, example):
        return diff
    return explain_counterexample(f.counterexample, f.message) if f.counterexample else []


# -- renderings ---------------------------------------------------------------------------------


def text_lines(report: CheckReport, verbose: bool = False) -> list[str]:
    lines = [f"VMA flag model: {summary_line(report, verbose)}"]
    if words := state_words(report):
        lines.append(words)
    lines += [clean_line(x) for x in fixup_lines(report)]
    shown = [f for f in report.sorted_findings() if verbose or f.check != UNVERIFIED]
    for g in group_findings(shown):
        lines.append(clean_line(f"{g.first.severity:7} {_group_head(g, report)}"))
        for extra in _explained(g.first, len(g.names) > 1):
            lines.append("        " + clean_line(extra))
    return lines


def findings_section(report: CheckReport) -> list[str]:
    """The findings section of the review report (its title is the report's)."""
    out = [summary_line(report)]
    if words := state_words(report):
        out.append(words)
    out += [clean_line(x) for x in fixup_lines(report)]
    shown = [f for f in report.sorted_findings() if f.check != UNVERIFIED]
    for g in group_findings(shown):
        out.append(clean_line(f"- [{g.first.severity}] {_group_head(g, report)}"))
        for extra in _explained(g.first, len(g.names) > 1):
            out.append("    " + clean_line(extra))
    return out


def b4_results(report: CheckReport) -> list[dict[str, str]]:
    """The JSON list b4 review's external check command protocol expects on stdout."""
    counts = shown_counts(report)
    status = "fail" if counts.error else "warn" if counts.warning else "pass"
    details = "\n".join(text_lines(report)[1:])
    summary = f"{summary_line(report)}"
    return [{"tool": TOOL, "status": status, "summary": summary, "details": details}]
