"""The `review` report: the core sections plus whatever later stages (compare, check) add."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reviewer.models import Revision, Series
from reviewer.report.text import full_report
from reviewer.report.views import revision_detail, series_summary, trailers_view
from reviewer.store.core import Store, resolve_revision


@dataclass
class Section:
    title: str
    lines: list[str]
    data: dict


@dataclass
class Review:
    series: Series
    revision: Revision
    sections: list[Section] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            **series_summary(self.series),
            "revision": revision_detail(self.revision),
            "trailers": trailers_view(self.revision),
            **{s.title.lower(): s.data for s in self.sections},
        }


@dataclass
class ReviewOptions:
    repo: str | None = None  # a kernel tree: adds the apply section
    base: str | None = None
    branch: str | None = None  # with repo: adds the posted-vs-applied section
    fixups: str = "compare"  # a FixupMode value: how the findings treat fix-ups in replies
    offline: bool = False  # attestation: "not checked (offline)" instead of asking DNS


SectionBuilder = Callable[[Store, Series, Revision, ReviewOptions], Section | None]


def _from_dict(section: dict | None) -> Section | None:
    return Section(section["title"], section["lines"], section["data"]) if section else None


def compare_builder(
    store: Store, series: Series, revision: Revision, options: ReviewOptions
) -> Section | None:
    from reviewer.compare.revisions import compare_revisions
    from reviewer.report.apply_compare import compare_section

    section = _from_dict(compare_section(series, revision))
    position = series.position(revision)
    if section is None or position is None or position < 2:
        return section
    earlier = [
        compare_revisions(a, b)
        for a, b in zip(series.revisions[: position - 1], series.revisions[1:position], strict=True)
    ]
    section.lines += ["Earlier revisions:"] + [
        f"  {c.from_label} -> {c.to_label}: {c.verdict}" for c in earlier
    ]
    section.data["earlier"] = [
        {"from": c.from_label, "to": c.to_label, "verdict": c.verdict} for c in earlier
    ]
    return section


def apply_builder(
    store: Store, series: Series, revision: Revision, options: ReviewOptions
) -> Section | None:
    from reviewer.report.apply_compare import apply_section

    if not options.repo:
        return None
    return _from_dict(apply_section(options.repo, revision, options.base, store))


def verify_builder(
    store: Store, series: Series, revision: Revision, options: ReviewOptions
) -> Section | None:
    from reviewer.report.apply_compare import verify_section

    if not (options.repo and options.branch):
        return None
    return _from_dict(verify_section(options.repo, revision, options.branch, store))


def findings_builder(
    store: Store, series: Series, revision: Revision, options: ReviewOptions
) -> Section:
    from pathlib import Path

    from reviewer.flagmodel.report_text import findings_section
    from reviewer.results.check import checked_revision

    repo = Path(options.repo) if options.repo else None
    report = checked_revision(store, revision, repo, options.fixups)
    return Section("Findings", findings_section(report), report.to_json())


def attestation_builder(
    store: Store, series: Series, revision: Revision, options: ReviewOptions
) -> Section:
    """b4's attestation verdict (DKIM, patatt) per patch; never absent
    (reviewer.results.attestation)."""
    from reviewer.results.attestation import attest_revision, section

    lines, data = section(attest_revision(store, revision, options.offline), revision)
    return Section("Attestation", lines, data)


SECTION_BUILDERS: list[SectionBuilder] = [
    attestation_builder,
    compare_builder,
    findings_builder,
    apply_builder,
    verify_builder,
]


def build_review(
    store: Store,
    series_id: int,
    revision_ref: str | None = None,
    options: ReviewOptions | None = None,
) -> Review:
    series = store.load_series(series_id)
    revision = resolve_revision(series, revision_ref)
    review = Review(series, revision)
    for builder in SECTION_BUILDERS:
        section = builder(store, series, revision, options or ReviewOptions())
        if section is not None:
            review.sections.append(section)
    return review


def render_review(review: Review) -> str:
    text = full_report(review.series, review.revision)
    for section in review.sections:
        text += f"\n{section.title}:\n" + "\n".join(section.lines) + "\n"
    return text
