"""Plain-text and b4-protocol renderings of a CheckReport."""

from __future__ import annotations

from reviewer.flagmodel.findings import CheckReport
from reviewer.sanitize import clean_line

TOOL = "reviewer-flagmodel"


def text_lines(report: CheckReport, verbose: bool = False) -> list[str]:
    head = (
        f"VMA flag model: tree state {report.tree_state} -> {report.final_state} "
        f"({report.state_source}); {report.verified} conversions verified, "
        f"{report.unverified} unverified; {report.count('error')} errors, "
        f"{report.count('warning')} warnings, {report.count('info')} info"
    )
    lines = [head]
    for f in report.sorted_findings():
        if f.severity == "info" and f.check == "unverified" and not verbose:
            continue
        where = f"{f.patch}:{f.file}:{f.line}" if f.patch else f"{f.file}:{f.line}"
        lines.append(clean_line(f"{f.severity:7} {f.check:12} {where}: {f.message}"))
        if f.counterexample:
            lines.append("        " + clean_line(f.counterexample))
    if not verbose and report.unverified:
        lines.append(f"({report.unverified} unverified blocks hidden; -v lists them)")
    return lines


def findings_section(report: CheckReport) -> list[str]:
    """The findings section of the review report (its title is the report's)."""
    out = [
        f"Tree state {report.tree_state} -> {report.final_state}; "
        f"verified {report.verified}, unverified {report.unverified} (check -v lists them)."
    ]
    for f in report.sorted_findings():
        if f.check == "unverified":
            continue
        out.append(
            clean_line(
                f"- [{f.severity}] patch {f.patch} {f.file}:{f.line} ({f.check}): {f.message}"
            )
        )
        if f.counterexample:
            out.append("  " + clean_line(f.counterexample))
    return out


def b4_results(report: CheckReport) -> list[dict[str, str]]:
    """The JSON list b4 review's external check command protocol expects on stdout."""
    errors, warnings = report.count("error"), report.count("warning")
    status = "fail" if errors else "warn" if warnings else "pass"
    details = "\n".join(text_lines(report)[1:])
    summary = (
        f"{report.verified} conversions verified, {report.unverified} unverified, "
        f"{errors} errors, {warnings} warnings"
    )
    return [{"tool": TOOL, "status": status, "summary": summary, "details": details}]
