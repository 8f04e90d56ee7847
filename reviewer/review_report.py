"""The `review` report: the core sections plus whatever later stages (compare, check) add."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reviewer.models import Revision, Series
from reviewer.report import full_report
from reviewer.store import Store, resolve_revision
from reviewer.views import revision_detail, series_summary, trailers_view


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


SectionBuilder = Callable[[Store, Series, Revision], Section | None]
SECTION_BUILDERS: list[SectionBuilder] = []


def build_review(store: Store, series_id: int, revision_ref: str | None = None) -> Review:
    series = store.load_series(series_id)
    revision = resolve_revision(series, revision_ref)
    review = Review(series, revision)
    for builder in SECTION_BUILDERS:
        section = builder(store, series, revision)
        if section is not None:
            review.sections.append(section)
    return review


def render_review(review: Review) -> str:
    text = full_report(review.series, review.revision)
    for section in review.sections:
        text += f"\n{section.title}:\n" + "\n".join(section.lines) + "\n"
    return text
