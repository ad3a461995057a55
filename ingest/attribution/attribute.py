"""Which CSP area(s), which financial year(s) and which kind of document.

Everything is read from the content, never from the file name, and every decision keeps
the phrase it came from.  Document level first: the title names the partnership and
period in nearly every CSP publication; where it does not, the meeting date (minutes,
agendas, committee reports), then the partnership named most often in the body, then
the committee pack the document came in.

Sections then take the document's attribution, except:
- in a document that speaks of several areas (a county prospectus), a passage is about
  the area it names most strongly, not about every district named anywhere;
- a passage that names another area's partnership outright adds that area;
- a heading that states a period ("Previous Strategic Priorities 2017/18") or, in a
  multi-area document, dated events in the passage ("launched in June 2011") give the
  passage its own years.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.attribution.docperiods import (
    STRONG_PERIOD_KINDS,
    YEARS_BEFORE_DOCUMENT,
    document_date,
    document_period,
)
from ingest.attribution.doctypes import classify_title, committee_report_marker
from ingest.attribution.gazetteer import STRENGTH_WEIGHT, Gazetteer, PlaceMention, load_gazetteer
from ingest.attribution.periods import PeriodMention, find_periods
from ingest.model import Block, BlockKind, DocType, DocumentSpan, Evidence, Passage

OPENING_BLOCKS = 8
TYPE_SCAN_BLOCKS = 80
# A county document's passage is about an area only with at least a bare proper-noun
# mention of it, and only if that area is not far outweighed by another.
MIN_PASSAGE_SCORE = 2.0
RELATIVE_SCORE = 0.5
# A document is an area's on one council or partnership name, or two bare mentions.
MIN_DOCUMENT_SCORE = 3.0

AGENDA_MARKERS = re.compile(
    r"^(?:\d{1,2}\.?\s+)?(?:agenda\b|apologies\s+for\s+absence|declarations?\s+of\s+interests?"
    r"|urgent\s+(?:items|business))",
    re.I,
)
ITEM_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s")


@dataclass
class PlaceVote:
    """Area scores with the phrase that first gave each area its score."""

    scores: dict[str, float] = field(default_factory=dict)
    phrases: dict[str, str] = field(default_factory=dict)

    def add(self, mention: PlaceMention, weight: float = 1.0) -> None:
        for area in mention.areas:
            weighted = STRENGTH_WEIGHT.get(mention.strength, 0.0) * weight
            self.scores[area] = self.scores.get(area, 0.0) + weighted
            self.phrases.setdefault(area, mention.text)

    def leaders(self, minimum: float, relative: float) -> list[str]:
        if not self.scores:
            return []
        top = max(self.scores.values())
        return [
            area
            for area, score in sorted(self.scores.items(), key=lambda item: item[1], reverse=True)
            if score >= minimum and score >= relative * top
        ]


@dataclass
class DocumentAttribution:
    doc_type: DocType
    districts: list[str]
    county: str | None
    year_from: int | None
    year_to: int | None
    period_as_written: str | None
    multi_area: bool
    evidence: list[Evidence]
    date: str | None = None  # ISO: the day it was published or its meeting held


def attribute_document(
    span: DocumentSpan,
    blocks: Sequence[Block],
    places: Sequence[list[PlaceMention]],
    gazetteer: Gazetteer,
    pack: DocumentAttribution | None,
    furniture: Sequence[PlaceMention] = (),
) -> DocumentAttribution:
    """Type, areas and period of the document made of `blocks` (with their `places`).

    `furniture` holds the places named in the file's running headers and footers, the
    evidence of last resort before the committee pack.
    """
    evidence: list[Evidence] = []
    doc_type = document_type(span, blocks, evidence)

    districts, county, multi_area = document_areas(
        span, places, gazetteer, evidence, in_pack=pack is not None
    )
    if not districts and not county and furniture:
        vote = PlaceVote()
        for mention in furniture:
            vote.add(mention)
        districts = vote.leaders(STRENGTH_WEIGHT["council"], 1.0)
        for district in districts:
            evidence.append(
                Evidence(
                    "district", district, f"running header or footer: {vote.phrases[district]}"
                )
            )
    if not districts and not county and pack is not None:
        districts, county = list(pack.districts), pack.county
        evidence.append(Evidence("district", ", ".join(districts), "the committee pack it is in"))

    dated = document_date(span, blocks)
    on = None
    if dated is not None and dated.on is not None:
        on = dated.on.isoformat()
        evidence.append(Evidence("date", on, dated.text))
    elif pack is not None and pack.date is not None:
        on = pack.date
        evidence.append(Evidence("date", on, "the committee pack's meeting date"))
    period = document_period(span, blocks, doc_type, dated)
    year_from: int | None
    year_to: int | None
    written: str | None
    if period is None and pack is not None and pack.year_from is not None:
        year_from, year_to, written = pack.year_from, pack.year_to, pack.period_as_written
        evidence.append(Evidence("period", str(year_from), "the committee pack's meeting date"))
    elif period is not None:
        year_from, year_to, written = period.year_from, period.year_to, period.text
        evidence.append(Evidence("period", str(year_from), period.text))
    else:
        year_from, year_to, written = None, None, None

    districts = areas_as_they_stood(districts, year_from, year_to, gazetteer, evidence)
    if county is None and districts:
        counties = {gazetteer.county_of(district) for district in districts} - {None}
        county = counties.pop() if len(counties) == 1 else None
    return DocumentAttribution(
        doc_type, districts, county, year_from, year_to, written, multi_area, evidence, on
    )


def document_type(span: DocumentSpan, blocks: Sequence[Block], evidence: list[Evidence]) -> DocType:
    """The type the opening named; else an agenda's items; else a heading's words."""
    if span.doc_type is not None:
        evidence.append(Evidence("doc_type", span.doc_type.value, span.type_phrase or span.title))
        return span.doc_type
    for block in blocks[:TYPE_SCAN_BLOCKS]:
        if AGENDA_MARKERS.match(block.text):
            evidence.append(Evidence("doc_type", DocType.AGENDA.value, block.text[:60]))
            return DocType.AGENDA
    for block in blocks[:OPENING_BLOCKS]:
        marker = committee_report_marker(block.text)
        if marker:
            evidence.append(Evidence("doc_type", DocType.COMMITTEE_REPORT.value, marker))
            return DocType.COMMITTEE_REPORT
    for block in blocks[:TYPE_SCAN_BLOCKS]:
        # Numbered headings are agenda or report items ("5 Minutes of Previous Meeting").
        if block.kind == BlockKind.HEADING and not ITEM_NUMBER.match(block.text):
            classified = classify_title(block.text)
            if classified:
                evidence.append(Evidence("doc_type", classified[0].value, classified[1]))
                return classified[0]
    return DocType.OTHER


def document_areas(
    span: DocumentSpan,
    places: Sequence[list[PlaceMention]],
    gazetteer: Gazetteer,
    evidence: list[Evidence],
    in_pack: bool,
) -> tuple[list[str], str | None, bool]:
    """(districts, county, multi_area) from the title first, then the whole body.

    A document bundled in a committee pack whose title names no area belongs to the
    pack's area: partners' appendices to Colchester's committee are Colchester's, even
    where they describe the county.
    """
    title_mentions = [mention for block in places[:OPENING_BLOCKS] for mention in block]
    title_mentions = [m for m in title_mentions if m.text.lower() in span.title_lines.lower()]
    title_vote = PlaceVote()
    for mention in title_mentions:
        title_vote.add(mention)
    title_county = next((m.target for m in title_mentions if m.strength == "county"), None)
    if title_vote.scores and title_county is None:
        districts = title_vote.leaders(0.0, 1.0)
        for district in districts:
            evidence.append(Evidence("district", district, title_vote.phrases[district]))
        return districts, None, False

    if in_pack:
        return [], None, False
    body_vote = PlaceVote()
    for block in places:
        for mention in block:
            body_vote.add(mention)
    if title_county is not None:
        evidence.append(Evidence("district", title_county, f"county document: {title_county}"))
        return [], title_county, True
    leaders = body_vote.leaders(MIN_DOCUMENT_SCORE, 0.5)
    if len(leaders) == 1 or (leaders and len(leaders) <= 2 and is_joint(leaders, gazetteer)):
        for district in leaders:
            evidence.append(Evidence("district", district, body_vote.phrases[district]))
        return leaders, None, False
    if leaders:
        counties = {gazetteer.county_of(area) for area in leaders} - {None}
        county = counties.pop() if len(counties) == 1 else None
        evidence.append(Evidence("district", ", ".join(leaders), "several areas named"))
        return [], county, True
    return [], None, False


def areas_as_they_stood(
    districts: list[str],
    year_from: int | None,
    year_to: int | None,
    gazetteer: Gazetteer,
    evidence: list[Evidence],
) -> list[str]:
    """The districts in the period: a 2023 report naming Eden is Westmorland and Furness's."""
    current = gazetteer.areas_in_period(districts, year_from, year_to)
    for district in current:
        if district not in districts:
            replaced = ", ".join(d for d in districts if d not in current)
            evidence.append(Evidence("district", district, f"successor of {replaced}"))
    return current


def is_joint(areas: list[str], gazetteer: Gazetteer) -> bool:
    return any(set(areas) <= set(members) for members in gazetteer.joint.values())


def block_topic(mentions: list[PlaceMention]) -> str | None:
    """The area(s) a block in a multi-area document is about, if it names any strongly."""
    vote = PlaceVote()
    for mention in mentions:
        vote.add(mention)
    leaders = vote.leaders(MIN_PASSAGE_SCORE, 1.0)
    return "+".join(sorted(leaders)) if leaders else None


@dataclass
class SectionAttribution:
    heading_path: list[str]
    districts: list[str]
    year_from: int | None
    year_to: int | None
    evidence: list[Evidence]


def attribute_passage(
    passage: Passage,
    mentions: list[PlaceMention],
    heading_mentions: list[PlaceMention],
    document: DocumentAttribution,
    previous: SectionAttribution | None,
) -> SectionAttribution:
    evidence: list[Evidence] = []
    if document.multi_area:
        vote = PlaceVote()
        for mention in heading_mentions:
            vote.add(mention, weight=1.5)
        for mention in mentions:
            vote.add(mention)
        districts = vote.leaders(MIN_PASSAGE_SCORE, RELATIVE_SCORE)
        for district in districts:
            evidence.append(Evidence("district", district, vote.phrases[district]))
        if not districts and previous is not None and same_heading(passage, previous):
            districts = list(previous.districts)
    else:
        districts = list(document.districts)
        for mention in mentions:
            if mention.strength == "csp":
                for area in mention.areas:
                    if area not in districts:
                        districts.append(area)
                        evidence.append(Evidence("district", area, mention.text))

    year_from, year_to = document.year_from, document.year_to
    heading_period = last_strong_period(passage.heading_path)
    if heading_period is not None:
        year_from, year_to = heading_period.year_from, heading_period.year_to
        evidence.append(Evidence("period", str(year_from), heading_period.text))
    elif document.multi_area or document.year_from is None:
        dated = passage_years(passage.text, document.year_from)
        if dated:
            year_from = min(period.year_from for period in dated)
            year_to = max(period.year_to for period in dated)
            evidence.extend(Evidence("period", str(p.year_from), p.text) for p in dated)
    districts = areas_as_they_stood(districts, year_from, year_to, load_gazetteer(), evidence)
    if year_from is not None:
        year_from, year_to = sorted((year_from, year_to if year_to is not None else year_from))
    return SectionAttribution(passage.heading_path, districts, year_from, year_to, evidence)


def same_heading(passage: Passage, previous: SectionAttribution) -> bool:
    return previous.heading_path == passage.heading_path


def last_strong_period(heading_path: list[str]) -> PeriodMention | None:
    for heading in reversed(heading_path):
        strong = [p for p in find_periods(heading) if p.kind in STRONG_PERIOD_KINDS]
        if strong:
            return strong[0]
    return None


def passage_years(text: str, document_year: int | None) -> list[PeriodMention]:
    """Dated events in a passage that can be the passage's own period."""
    periods = [p for p in find_periods(text) if p.kind != "year"]
    if not periods:
        periods = find_periods(text)
    if document_year is not None:
        periods = [
            p
            for p in periods
            if document_year - YEARS_BEFORE_DOCUMENT <= p.year_from <= document_year + 1
        ]
    return periods
