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
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.attribution.docperiods import (
    STRONG_PERIOD_KINDS,
    YEARS_BEFORE_DOCUMENT,
    document_date,
    document_period,
    records_a_meeting,
)
from ingest.attribution.doctypes import classify_title, committee_report_marker, minutes_phrase
from ingest.attribution.gazetteer import (
    STRENGTH_WEIGHT,
    STRONG_STRENGTHS,
    Gazetteer,
    PlaceMention,
    load_gazetteer,
)
from ingest.attribution.periods import PeriodMention, find_periods
from ingest.model import Block, BlockKind, DocType, DocumentSpan, Evidence, Passage

OPENING_BLOCKS = 8
# A title-less page is a police force's or commissioner's when its first lines say so.
FORCE_OPENING_BLOCKS = 3
# How often, and how many times more often than any other, a force's letter names the
# one area it is about.
NAMED_THROUGHOUT = 3
TYPE_SCAN_BLOCKS = 80
PROSE_WORDS = 20
# A county document's passage is about an area only with at least a bare proper-noun
# mention of it, and only if that area is not far outweighed by another.
MIN_PASSAGE_SCORE = 2.0
RELATIVE_SCORE = 0.5
# A document is an area's on one council or partnership name, or two bare mentions.
MIN_DOCUMENT_SCORE = 3.0
# A figure in a row of figures by area ("101", "6.5%", "£1,200").
FIGURE = re.compile(r"[£$]?[\d.,]+%?")

AGENDA_MARKERS = re.compile(
    r"^(?:\d{1,2}\.?\s+)?(?:agenda\b|apologies\s+for\s+absence|declarations?\s+of\s+interests?"
    r"|urgent\s+(?:items|business))",
    re.I,
)
PURPOSE_HEADING = re.compile(
    r"^(?:\d{1,2}(?:\.\d)?\.?\s+)?purpose\s+of\s+(?:the\s+|this\s+)?report\b", re.I
)
PUBLICATION_TYPES = (
    DocType.ANNUAL_REPORT,
    DocType.PARTNERSHIP_PLAN,
    DocType.ACTION_PLAN,
    DocType.STRATEGIC_ASSESSMENT,
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
    # What a multi-area document's own areas are once its passages are attributed:
    # SEVERAL_AREAS, the areas they are about; PARTNERSHIP, the county partnership's
    # areas, most written-of first; FIXED, those decided here (a county or force
    # document's: the partnerships it is addressed to, or none).
    scope: str = ""


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

    decision = document_areas(span, blocks, places, gazetteer, evidence, pack)
    districts, county = decision.districts, decision.county
    if not decision.decided and furniture:
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

    dated = document_date(span, blocks, records_a_meeting(doc_type, blocks))
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

    if decision.partnership is not None:
        districts = gazetteer.county_partnership_areas(*decision.partnership, year_from)
    districts = areas_as_they_stood(districts, year_from, year_to, gazetteer, evidence)
    if county is None and districts:
        counties = {gazetteer.county_of(district) for district in districts} - {None}
        county = counties.pop() if len(counties) == 1 else None
    return DocumentAttribution(
        doc_type,
        districts,
        county,
        year_from,
        year_to,
        written,
        decision.multi_area,
        evidence,
        date=on,
        scope=decision.scope,
    )


def document_type(span: DocumentSpan, blocks: Sequence[Block], evidence: list[Evidence]) -> DocType:
    """The type the opening named; else an agenda's items; else a heading's words.

    A file's opening that no title, cover or heading started ("opening") is minutes when
    its first lines record a meeting ("Minutes:", "The Committee received a report"),
    whatever report or plan they speak of.
    """
    if span.reason == "opening":
        recorded = minutes_phrase([block.text for block in blocks[:OPENING_BLOCKS]])
        if recorded:
            evidence.append(Evidence("doc_type", DocType.MINUTES.value, recorded))
            return DocType.MINUTES
    if span.reason == "title" and span.doc_type in PUBLICATION_TYPES:
        # "COMMUNITY SAFETY ANNUAL REPORT" over "1. PURPOSE OF THE REPORT": a report to
        # a committee on the publication, not the publication.
        purpose = next(
            (b.text for b in blocks[:OPENING_BLOCKS] if PURPOSE_HEADING.match(b.text)), None
        )
        if purpose:
            evidence.append(Evidence("doc_type", DocType.COMMITTEE_REPORT.value, purpose))
            return DocType.COMMITTEE_REPORT
    if span.doc_type is not None:
        evidence.append(Evidence("doc_type", span.doc_type.value, span.type_phrase or span.title))
        return span.doc_type
    for block in blocks[:TYPE_SCAN_BLOCKS]:
        if AGENDA_MARKERS.match(block.text):
            evidence.append(Evidence("doc_type", DocType.AGENDA.value, block.text[:60]))
            return DocType.AGENDA
    # The opening is counted from the title: an image cover read by OCR above it ("LAMBETH
    # PLANNING APPLICATIONS COMMITTEE" over a map's noise) pushes a report's "The
    # application is reported to the Planning Applications Committee" down.
    opening = title_index(span, blocks)
    for block in blocks[opening : opening + OPENING_BLOCKS]:
        marker = committee_report_marker(block.text)
        if marker:
            evidence.append(Evidence("doc_type", DocType.COMMITTEE_REPORT.value, marker))
            return DocType.COMMITTEE_REPORT
    for block in blocks[:TYPE_SCAN_BLOCKS]:
        # A heading under the page's opening prose is a section of it: a partnership's
        # page with a heading "Community Safety Plan" tells of the plan, it is not it.
        if block.kind == BlockKind.PARAGRAPH and is_prose(block.text):
            break
        # Numbered headings are agenda or report items ("5 Minutes of Previous Meeting").
        if block.kind == BlockKind.HEADING and not ITEM_NUMBER.match(block.text):
            classified = classify_title(block.text)
            if classified:
                evidence.append(Evidence("doc_type", classified[0].value, classified[1]))
                return classified[0]
    return DocType.OTHER


def title_index(span: DocumentSpan, blocks: Sequence[Block]) -> int:
    """Where the document's title stands among its first blocks, else 0."""
    first_line = span.title.strip()
    return next(
        (
            index
            for index, block in enumerate(blocks[:TYPE_SCAN_BLOCKS])
            if block.text.strip() and first_line.startswith(block.text.strip())
        ),
        0,
    )


def is_prose(text: str) -> bool:
    """A paragraph of sentences, not a line of a cover or a heading."""
    return len(text.split()) >= PROSE_WORDS and text.rstrip().endswith((".", "!", "?"))


NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
SEVERAL_AREAS = "several areas"
PARTNERSHIP = "county partnership"
FIXED = "county or force"


@dataclass
class AreaDecision:
    """A document's areas as its own text gives them.

    `decided` is False when the text settles nothing, so that the running headers and
    the committee pack may; `partnership` is the (county, name) of a county-wide
    partnership whose areas depend on the period.
    """

    districts: list[str] = field(default_factory=list)
    county: str | None = None
    multi_area: bool = False
    scope: str = ""
    decided: bool = True
    partnership: tuple[str, str] | None = None


def document_areas(
    span: DocumentSpan,
    blocks: Sequence[Block],
    places: Sequence[list[PlaceMention]],
    gazetteer: Gazetteer,
    evidence: list[Evidence],
    pack: DocumentAttribution | None,
) -> AreaDecision:
    """The areas from the title first, then the whole body.

    The title outweighs the body: a partnership's or council's name there decides.  A
    police force's or commissioner's title, a county's, or a county-wide partnership's
    makes the document the force's or county's, about the areas whose partnership or
    council it names outright (a grant to Runnymede Borough Council) or, for a county
    partnership, about the districts it brings together.  A bare place name in the title
    yields to the partnership the body names throughout.  A document bundled in a
    committee pack whose title names no place belongs to the pack's area: partners'
    appendices to Colchester's committee are Colchester's, even where they describe the
    county.
    """
    title_lines = span.title_lines.lower()
    title_mentions = [
        mention
        for block in places[:OPENING_BLOCKS]
        for mention in block
        if mention.text.lower() in title_lines
    ]
    title_vote = PlaceVote()
    for mention in title_mentions:
        title_vote.add(mention)
    body_mentions = [mention for block in places for mention in block]
    body_vote, strong_vote = PlaceVote(), PlaceVote()
    for mention in body_mentions:
        body_vote.add(mention)
        if mention.strength in STRONG_STRENGTHS:
            strong_vote.add(mention)
    title_counties = [m for m in title_mentions if m.strength == "county"]
    title_strong = [m for m in title_mentions if m.areas and m.strength in STRONG_STRENGTHS]

    if title_strong:
        districts = with_joint_partnership(title_vote.leaders(0.0, 1.0), places, gazetteer)
        for district in districts:
            evidence.append(Evidence("district", district, title_vote.phrases.get(district, "")))
        return AreaDecision(districts)
    # In a committee pack a force's report ("Essex Police (Colchester District)") is a
    # partner's report to the committee; only a commissioner's title makes it the force's.
    force_mentions = title_mentions if pack is None else []
    force = force_document_phrase(span.title_lines, force_mentions, gazetteer)
    if force is not None:
        return county_or_force_document(force, title_counties, places, blocks, gazetteer, evidence)
    partnership = next(
        (m for m in title_counties if county_partnership_of(m, gazetteer) is not None), None
    )
    if partnership is not None:
        return county_partnership(partnership, evidence)
    opening = force_document_phrase(
        " ".join(block.text for block in blocks[:FORCE_OPENING_BLOCKS]), [], gazetteer
    )
    if opening is not None and pack is None and not strong_vote.scores and not title_counties:
        # A commissioner's page that names places but no partnership or council.
        return county_or_force_document(opening, [], places, blocks, gazetteer, evidence)
    if title_vote.scores and not title_counties:
        districts = title_vote.leaders(0.0, 1.0)
        partnerships = strong_vote.leaders(MIN_DOCUMENT_SCORE, RELATIVE_SCORE)
        if partnerships and not set(districts) & set(partnerships):
            # A bare place in the title ("Knife Crime - Liverpool Approach") yields to the
            # partnership the minutes are of ("Meeting: Safer Sefton Together").
            districts, vote = partnerships, strong_vote
        else:
            vote = title_vote
        districts = with_joint_partnership(districts, places, gazetteer)
        for district in districts:
            evidence.append(Evidence("district", district, vote.phrases.get(district, "")))
        return AreaDecision(districts)
    if title_counties:
        every = every_partnership_in(span.title_lines, title_mentions, gazetteer)
        if every:
            evidence.append(Evidence("district", ", ".join(every), span.title_lines[:80]))
            return AreaDecision(every, None, True, PARTNERSHIP)
        if pack is not None and not any(is_bare_county(m, gazetteer) for m in title_counties):
            # A county council's report to a district's committee is the district's.
            return AreaDecision(decided=False)
        county_document = ("county", title_counties[0].text)
        return county_or_force_document(
            county_document, title_counties, places, blocks, gazetteer, evidence
        )

    if pack is not None and (pack.districts or pack.county):
        return AreaDecision(decided=False)
    partnership = dominant_county_partnership(places, body_vote, gazetteer)
    if partnership is not None:
        return county_partnership(partnership, evidence)
    leaders = body_vote.leaders(MIN_DOCUMENT_SCORE, RELATIVE_SCORE)
    if not leaders:
        leaders = sole_area(places, body_vote)
    if len(leaders) == 1 or (leaders and len(leaders) <= 2 and is_joint(leaders, gazetteer)):
        for district in leaders:
            evidence.append(Evidence("district", district, body_vote.phrases[district]))
        return AreaDecision(leaders)
    if leaders:
        counties = {gazetteer.county_of(area) for area in leaders} - {None}
        county = counties.pop() if len(counties) == 1 else None
        every = every_partnership_counted(blocks, county, gazetteer)
        if every:
            # "All five CSPs" of a county that has five: the one it does not name too.
            evidence.append(Evidence("district", ", ".join(every), "every CSP of the county"))
            return AreaDecision(every, county, True, PARTNERSHIP)
        evidence.append(Evidence("district", ", ".join(leaders), "several areas named"))
        return AreaDecision([], county, True, SEVERAL_AREAS)
    return AreaDecision(decided=False)


def with_joint_partnership(
    districts: list[str], places: Sequence[list[PlaceMention]], gazetteer: Gazetteer
) -> list[str]:
    """All members of the joint partnership the document names for its areas, where it
    names that partnership as often as the areas' own: a South Nottinghamshire brochure
    headed "Broxtowe" is Broxtowe's, Gedling's and Rushcliffe's."""
    if not districts:
        return districts
    counted: Counter = Counter()
    for block in places:
        for mention in block:
            if mention.strength in STRONG_STRENGTHS:
                counted[mention.target] += 1
    own = max((counted[district] for district in districts), default=0)
    for members in gazetteer.joint.values():
        joint = "+".join(members)
        if set(districts) < set(members) and counted[joint] and counted[joint] >= own:
            return list(dict.fromkeys([*districts, *members]))
    return districts


def force_document_phrase(
    text: str, mentions: Sequence[PlaceMention], gazetteer: Gazetteer
) -> tuple[str, str] | None:
    """(kind, phrase) where `text` is a police and crime commissioner's ("commissioner")
    or a police force's own ("force"), else None."""
    for kind in ("commissioner", "force"):
        found = phrase_pattern(tuple(gazetteer.templates.get(f"{kind}_documents", []))).search(text)
        if found:
            return kind, found.group(0)
    for mention in mentions:
        if mention.strength == "partner" and (
            mention.target in gazetteer.forces or mention.text.lower() in gazetteer.force_names
        ):
            return "force", mention.text
    return None


@lru_cache(maxsize=8)
def phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Any of `phrases` as whole words, in any case."""
    alternatives = "|".join(map(re.escape, phrases)) or "(?!)"
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.I)


def county_or_force_document(
    found: tuple[str, str],
    counties: Sequence[PlaceMention],
    places: Sequence[list[PlaceMention]],
    blocks: Sequence[Block],
    gazetteer: Gazetteer,
    evidence: list[Evidence],
) -> AreaDecision:
    """A commissioner's, force's or county's document: about the partnerships it names
    outright, not the places it gives as examples; about none if it names none.  A
    force's own letter that names one area throughout is that area's."""
    kind, phrase = found
    county = counties[0].target if counties else None
    mentions = [mention for block in places for mention in block]
    strong_vote = PlaceVote()
    for mention in mentions:
        if mention.strength in STRONG_STRENGTHS:
            strong_vote.add(mention)
    # A partnership or council the document names more than it names its county: a
    # commissioner's grant to Runnymede Borough Council, not a county council's report
    # listing the district councils it works with.
    county_mentions = sum(1 for m in mentions if m.strength == "county")
    districts = [
        district
        for district in strong_vote.leaders(MIN_DOCUMENT_SCORE, RELATIVE_SCORE)
        if strong_vote.scores[district] >= county_mentions
        and (county is None or gazetteer.county_of(district) == county)
    ]
    evidence.append(Evidence("district", county or phrase, f"county or force document: {phrase}"))
    for district in districts:
        evidence.append(Evidence("district", district, strong_vote.phrases[district]))
    if not districts and kind == "force":
        districts = named_throughout(blocks, places, gazetteer)
        for district in districts:
            evidence.append(Evidence("district", district, f"named throughout: {district}"))
    return AreaDecision(districts, county, True, FIXED)


def named_throughout(
    blocks: Sequence[Block], places: Sequence[list[PlaceMention]], gazetteer: Gazetteer
) -> list[str]:
    """The one area a force's letter names by name at least three times and three times as
    often as any other, leaving out its headquarters' address."""
    counted: Counter = Counter()
    for block, mentions in zip(blocks, places, strict=True):
        if force_document_phrase(block.text, [], gazetteer) is not None:
            continue
        counted.update(area for m in mentions if m.strength != "town" for area in m.areas)
    ranked = [*counted.most_common(2), ("", 0), ("", 0)]
    (area, count), (_, second) = ranked[0], ranked[1]
    return [area] if count >= NAMED_THROUGHOUT and count >= NAMED_THROUGHOUT * second else []


def county_partnership_of(mention: PlaceMention, gazetteer: Gazetteer) -> str | None:
    """The two-tier county whose county-wide partnership `mention` names, if it does."""
    county = gazetteer.county_partnerships.get(mention.text.lower())
    return county if county is not None and gazetteer.is_shire_county(county) else None


def county_partnership(mention: PlaceMention, evidence: list[Evidence]) -> AreaDecision:
    evidence.append(Evidence("district", mention.target, f"county partnership: {mention.text}"))
    return AreaDecision([], mention.target, True, PARTNERSHIP, True, (mention.target, mention.text))


def dominant_county_partnership(
    places: Sequence[list[PlaceMention]], body_vote: PlaceVote, gazetteer: Gazetteer
) -> PlaceMention | None:
    """The county partnership a title-less document names more than any area."""
    named = [
        mention
        for block in places
        for mention in block
        if mention.strength == "county" and county_partnership_of(mention, gazetteer)
    ]
    score = STRENGTH_WEIGHT["csp"] * len(named)
    if score >= MIN_DOCUMENT_SCORE and score > max(body_vote.scores.values(), default=0.0):
        return named[0]
    return None


def every_partnership_in(
    title: str, mentions: Sequence[PlaceMention], gazetteer: Gazetteer
) -> list[str]:
    """Every CSP area of the places a title names before "Community Safety Partnerships"."""
    phrases = gazetteer.templates.get("area_partnerships", [])
    if not any(re.search(rf"\b{re.escape(p)}\b", title, re.I) for p in phrases):
        return []
    areas: list[str] = []
    for mention in mentions:
        if mention.strength == "county":
            areas += [
                name
                for name, area in gazetteer.areas.items()
                if area.county == mention.target and area.valid_to is None
            ]
        areas += mention.areas
    return list(dict.fromkeys(areas))


def every_partnership_counted(
    blocks: Sequence[Block], county: str | None, gazetteer: Gazetteer
) -> list[str]:
    """The county's CSP areas, when the text speaks of "all N CSPs" and it has N."""
    if county is None:
        return []
    areas = [n for n, a in gazetteer.areas.items() if a.county == county and a.valid_to is None]
    phrases = "|".join(map(re.escape, gazetteer.templates.get("area_partnerships", [])))
    numbers = "|".join([*NUMBER_WORDS, r"\d{1,2}"])
    counted = re.compile(rf"\b(?:all|the|each of the)\s+({numbers})\s+(?:{phrases})\b", re.I)
    for block in blocks:
        for match in counted.finditer(block.text):
            stated = match.group(1).lower()
            if NUMBER_WORDS.get(stated, int(stated) if stated.isdigit() else 0) == len(areas):
                return areas
    return []


def is_bare_county(mention: PlaceMention, gazetteer: Gazetteer) -> bool:
    """The county's own name ("(Essex)"), not its council's or a partnership's."""
    return mention.text.lower() in {name.lower() for name in gazetteer.counties}


def sole_area(places: Sequence[list[PlaceMention]], body_vote: PlaceVote) -> list[str]:
    """The one area a document names, once by name, where it names no other place."""
    mentions = [m for block in places for m in block]
    if any(m.strength == "county" for m in mentions) or len(body_vote.scores) != 1:
        return []
    (area, score) = next(iter(body_vote.scores.items()))
    return [area] if score >= STRENGTH_WEIGHT["name"] else []


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


def districts_of_passages(
    attribution: DocumentAttribution, passage_districts: Sequence[list[str]]
) -> list[str]:
    """A multi-area document's areas once its passages are attributed (see `scope`)."""
    counted: Counter = Counter(area for areas in passage_districts for area in areas)
    written_of = sorted(counted, key=lambda area: (-counted[area], area))
    if attribution.scope == SEVERAL_AREAS:
        return written_of
    if attribution.scope == PARTNERSHIP:
        members = attribution.districts
        return [a for a in written_of if a in members] + [a for a in members if a not in counted]
    return list(attribution.districts)


def without_comparator_rows(
    blocks: Sequence[Block], places: Sequence[list[PlaceMention]]
) -> list[list[PlaceMention]]:
    """The place mentions that attribute: a row of figures by area ("Mid Essex | 101 | 8",
    "Lambeth 60 67 61 80") compares areas or benchmarks them and is about none of them;
    a contacts table ("Braintree | Nicola Beach | Tel: ...") still names each row's area."""
    kept = []
    for block, mentions in zip(blocks, places, strict=True):
        words = block.text.replace("|", " ").split()
        figures = sum(1 for word in words if FIGURE.fullmatch(word))
        if mentions and figures * 2 >= len(words):
            mentions = [mention for mention in mentions if not mention.areas]
        kept.append(list(mentions))
    return kept


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
        gazetteer = load_gazetteer()
        vote = PlaceVote()
        for mention in heading_mentions:
            if is_passage_evidence(mention, document, gazetteer):
                vote.add(mention, weight=1.5)
        for mention in mentions:
            if is_passage_evidence(mention, document, gazetteer):
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


def is_passage_evidence(
    mention: PlaceMention, document: DocumentAttribution, gazetteer: Gazetteer
) -> bool:
    """Whether a mention in a multi-area document's passage can make it an area's.

    An address names the publisher, not what a passage is about; an area outside the
    document's county takes its partnership's or council's own name (a county profile's
    "Bexley" among its comparators is not Bexley's).
    """
    if mention.strength == "web":
        return False
    if document.county is None or not mention.areas:
        return True
    outside = any(gazetteer.county_of(area) != document.county for area in mention.areas)
    return not outside or mention.strength in STRONG_STRENGTHS


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
