"""When a document was dated and which financial years it is about.

`document_date` finds the day a document was published or its meeting held, where the
text prints it; `document_period` decides the financial year(s) it covers from its title,
cover, meeting, opening paragraphs and body (`periods` finds what each of those states).
A report's period is the year it reports on, not the day it appeared: both are kept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from ingest.attribution.periods import (
    MONTH_WORD,
    MONTHS,
    PeriodMention,
    alternation,
    find_periods,
    fy_of,
    weekday_dated,
)
from ingest.model import Block, BlockKind, DocType, DocumentSpan

# A document's opening, where its title, dateline and cover stand.
OPENING_BLOCKS = 8
# How far in a page shows that it records a meeting.
MEETING_SCAN_BLOCKS = 80
STRONG_PERIOD_KINDS = ("fy", "range")
# Historical asides ("murdered in 2003") are not a document's period.
YEARS_BEFORE_DOCUMENT = 4
# A line of at most this many words on a cover is a title: "Police and Crime Plan 2013 - 2017".
COVER_WORDS = 12
# The cover ends at the first block this long: a paragraph.
PARAGRAPH_WORDS = 25
# An opening line of at most this many words holding a date is a dateline.
DATELINE_WORDS = 16
# A report says what period it reports on within its first paragraphs.
REPORT_OPENING_BLOCKS = 16
# A page that records a meeting, whatever its type: ModernGov's "Agenda item" pages and
# their "Minutes:" (Welsh "Cofnodion:"), "Issue - meetings" with "Meeting: 13/01/2015 -
# Cabinet", "Minutes of the ... meeting held on ...".  Text pages may run them into one block.
MEETING_RECORD = re.compile(
    r"^(?:issue\s+-\s+meetings\b|meeting\s*:|minutes\s+of\s+the\b.{0,160}?\bheld\s+on\b"
    r"|(?:agenda\s+item|eitem\s+ar\s+yr\s+agenda|eitem\s+rhaglen)\b(?!\s*\d))"
    r"|\b(?:minutes|cofnod(?:ion)?)\s*:",
    re.I,
)
PAGE_DATED = re.compile(r"\b(?:published|updated|issued)\b", re.I)
# Words that put a date on a meeting or a page; "page" marks those that date the page
# wherever they stand ("Page Last Updated: Tuesday, 13 August 2024").
DATELINE_CUE = re.compile(
    r"(?:\b(?:meeting|held|date|dated|agreed|approved|adopted)\b"
    r"|(?P<page>\b(?:published|updated|issued)\b))"
    r"[\s:,-]*(?:on\s+)?(?:the\s+)?\Z",
    re.I,
)
# A year a meeting plans: "the action plan for 2023/24", "Safer Lewisham Plan (2014-15)",
# "the current year 2023/24", "Membership: 2012/2013", Welsh "blaenoriaethau ... ar gyfer
# 2017-18", "chynllun 2019/20" (the Welsh words as mutated after other words); "the
# 2020/21 plan".
PLANNING_WORD = (
    r"plans?|priorities|developments|membership"
    r"|[bfm]laenoriaeth\w*|\w*ynllun\w*|\w*atblygiadau"
)
PLANS_BEFORE = re.compile(
    rf"(?:\b(?:{PLANNING_WORD})\b(?:[^.;:]{{0,40}}?\b(?:for|ar\s+gyfer)\s+(?:the\s+)?"
    r"(?:y\s+flwyddyn\s+|year\s+)?)?|\bcurrent\s+(?:financial\s+|municipal\s+)?year\s+)"
    r"[\s(:]*\Z",
    re.I,
)
PLANS_AFTER = re.compile(r"\s*(?:(?:community\s+safety\s+|action\s+)?plan|priorities)\b", re.I)
# Words before a day or month that ends a period: "to 31 March 2022", "until March 2025".
PERIOD_END = re.compile(
    r"\b(?:to|until|till|by|ending|ends?)\s+(?:the\s+)?(?:end\s+of\s+)?\Z", re.I
)
# Words before a year a meeting looks back on as over: "the annual report for 2022/23",
# "over the last year (2020/21)", "performance status at the end of 2021/22"; Welsh
# "adroddiad blynyddol" (annual report), "diwedd blwyddyn" (end of year), "yn ystod" (during).
REVIEW_CUE = re.compile(rf"\b{alternation('review_cues')}\b[^.;]*\Z", re.I)
# Two years of figures this close are a run: "16 in 2022-23 and 24 in 2023-24".
RUN_GAP = 16
# Words before a day or month a meeting looks forward to: "would be going to Council in
# March 2021", "was due to take place on the 23November 2016", "the deadline ... was the
# 9 May 2025", "will be submitted to the ... meeting in May 2019".
FORWARD_CUE = re.compile(rf"\b{alternation('forward_cues')}\b[^.;]*\Z", re.I)
# A meeting looks at most this many months ahead to the events it names.
LEAD_MONTHS = 2
FIRST_MONTH = 4  # April: financial years start on 1 April
YEAR_FIRST = re.compile(r"(?:19|20)\d\d\D")
# Words right before a year that starts after the text was written: "will commence in
# 2019/20", "from next year 2023": the text is of the year before.
STARTS_LATER = re.compile(
    rf"\b{alternation('start_cues')}\s+(?:(?:in|from)\s+)?(?:the\s+)?[\s(]*\Z", re.I
)
# A new plan a text reports ("has now published the new Police & Crime Plan 2017-2021")
# starts in the year the text was written.
NEW_PLAN_BEFORE = re.compile(
    rf"\b{alternation('new_plan_cues')}\b[^.;:]{{0,40}}?\b{alternation('plan_names')}[\s(:]*\Z",
    re.I,
)
# "Resolved that the Minutes of the ... Committee held on 20 March, 2023 be signed and
# approved": the meeting approving them is a later one.
PREVIOUS_MINUTES = re.compile(r"\bminutes\s+of\b", re.I)
APPROVAL = re.compile(rf"\b{alternation('approval_words')}\b", re.I)
# Words before the year a plan starts in: "the strategy, which covers 2019".
COVERS_BEFORE = re.compile(rf"\b{alternation('cover_cues')}\s+(?:the\s+)?\Z", re.I)
PLAN_WORD_BEFORE = re.compile(r"\b(?:plans?|priorities)[\s(:]*\Z", re.I)
PLAN_WORD = re.compile(
    r"\b(?:plan|strateg(?:y|ies)|priorities|themes|aims|objectives|\w*ynllun\w*|strategaeth\w*)\b",
    re.I,
)


def records_a_meeting(doc_type: DocType, blocks: Sequence[Block]) -> bool:
    """Minutes or an agenda, or a page whose opening records a meeting, whatever its type."""
    if doc_type in (DocType.MINUTES, DocType.AGENDA):
        return True
    return any(MEETING_RECORD.search(block.text) for block in blocks[:MEETING_SCAN_BLOCKS])


def document_date(
    span: DocumentSpan, blocks: Sequence[Block], meeting: bool = False
) -> PeriodMention | None:
    """The day the document was published or its meeting held, where the text prints it.

    The first date in the title, else the first that stands where a document is dated: in
    the opening, on a line short enough to be a dateline ("Thursday, 12 June 2014 at 10.00
    am") or after a word that dates it ("to the meeting ... to be held on", "Meeting:");
    a little further, on a line of its own (a letter's "23/05/2025"; a month alone dates a
    cover, "DECEMBER 2025") or a short one with such a word ("Agreed 27th March 2019");
    anywhere, after a word that dates the page ("Page Last Updated: ...").  A page that
    records a `meeting` may print its date on a line of its own further down, below the
    committee's membership ("FRIDAY 10 DECEMBER 2012" on an agenda's front sheet).  Other
    dates are events, deadlines or ends of periods.
    """
    own_line_blocks = MEETING_SCAN_BLOCKS if meeting else REPORT_OPENING_BLOCKS
    title_dates = [p for p in find_periods(span.title_lines) if p.kind == "date"]
    if title_dates and titled(blocks):
        return title_dates[0]
    for index, block in enumerate(blocks):
        if index >= own_line_blocks and not PAGE_DATED.search(block.text):
            continue  # only a page's own dateline counts this far in
        short = len(block.text.split()) <= DATELINE_WORDS
        for period in find_periods(block.text):
            if period.kind not in ("date", "month"):
                continue
            alone = index < own_line_blocks and period.text == block.text.strip()
            if period.kind == "month":
                if alone and index < REPORT_OPENING_BLOCKS:
                    return period
                continue
            cue = DATELINE_CUE.search(block.text, max(period.start - 40, 0), period.start)
            if index < OPENING_BLOCKS and (short or cue):
                return period
            if alone or (cue and (cue["page"] or (short and index < REPORT_OPENING_BLOCKS))):
                return period
    return None


def document_period(
    span: DocumentSpan,
    blocks: Sequence[Block],
    doc_type: DocType,
    dated: PeriodMention | None = None,
) -> PeriodMention | None:
    """The financial year(s) the document is about, given its date (`document_date`).

    A record of a meeting (minutes, an agenda, a ModernGov "Agenda item" page) takes the
    year of its meeting's date, else the year the text shows the meeting in
    (`meeting_year`), else none: the plan or report a meeting discusses is not its
    period.  Other documents take the title's period, else the cover's ("Police and Crime
    Plan" over "2013 - 2017"); a dated report (a committee report, or a title with a
    date), the period it says it reports on near its start, else its date's; then the
    title's month or year; then the body's (`body_period`), though an undated committee
    report presenting a plan takes the plan's first year, not its span, and a web page
    presenting no plan the year its tense tells (`meeting_year` without events); then the
    date's; then the year the text shows it written in, as for a meeting (`meeting_year`:
    "A meeting ... was due to take place on the 23November 2016"); then, for a text naming
    no year, `undated_year`.
    """
    title_periods = find_periods(span.title_lines)
    title_strong = [period for period in title_periods if period.kind in STRONG_PERIOD_KINDS]
    if records_a_meeting(doc_type, blocks):
        if dated is not None:
            return dated
        if span.reason == "appendix":
            return None
        return meeting_year(blocks)
    if title_strong:
        return spanning(title_strong)
    cover = cover_period(blocks)
    if cover is not None:
        return cover
    if span.reason == "letter":
        # A letter is about the years its opening names: a Freedom of Information reply
        # on "crimes ... in the years 2019/20 to 2023/24", whenever it was sent.
        stated = opening_period(blocks)
        if stated is not None:
            return stated
    if dated is not None and (
        doc_type == DocType.COMMITTEE_REPORT or dated.text in span.title_lines
    ):
        return reported_period(blocks, dated) or dated
    # A title cut from the first paragraph ("... was launched in 2018 as a pilot, in the")
    # is dated by no month or year it happens to hold.
    for kinds in (("month",), ("year",)) if titled(blocks) else ():
        chosen = [period for period in title_periods if period.kind in kinds]
        if chosen:
            return spanning(chosen)
    if span.reason == "appendix":
        return None  # an appendix is dated by the pack it came in
    stated = body_period(blocks)
    if doc_type == DocType.OTHER and (stated is None or stated.kind == "fy"):
        # A web page or news item that presents no plan is of the year it was written in,
        # which its tense tells: "During 2009/10 overall crime figures ... reduced" was
        # written in 2010-11, "will commence in 2019/20" the year before.
        written = meeting_year(blocks, from_events=False)
        if written is not None:
            return written
    if stated is not None and stated.kind == "range" and doc_type == DocType.COMMITTEE_REPORT:
        # A report presenting a plan is written as the plan starts ("Safer Barnsley
        # Partnership Plan (2016-2020)" put to Cabinet in 2016): one moment, not its span.
        return PeriodMention(
            stated.year_from, stated.year_from, stated.text, stated.start, stated.end, "fy"
        )
    return stated or dated or meeting_year(blocks) or undated_year(blocks, date.today())


def undated_year(blocks: Sequence[Block], today: date) -> PeriodMention | None:
    """The year of a page whose text names no year: the month it says something starts in
    ("Starting in April 2016"), else the days it names with their weekdays ("this week
    (Tuesday 14 November)"), which fall so in the latest such year up to `today`."""
    text = "\n".join(block.text for block in blocks)
    mentions = find_periods(text)
    for period in mentions:
        starts = COVERS_BEFORE.search(text, max(period.start - 24, 0), period.start)
        if period.kind == "month" and starts:
            return period
    if mentions:
        return None
    return weekday_dated(text, today)


def titled(blocks: Sequence[Block]) -> bool:
    """Whether the document opens with a title rather than a paragraph cut for one: the
    day or year such a title holds ("On 18 February 2014, the PCC set the budget") is an
    event's, not the document's."""
    return bool(blocks) and len(blocks[0].text.split()) < PARAGRAPH_WORDS


def cover_period(blocks: Sequence[Block]) -> PeriodMention | None:
    """The period on the cover: of an opening heading, or of a line short enough to be a
    title before the first paragraph ("Police and Crime Plan 2013 - 2017" over the logo)."""
    on_cover = True
    for block in blocks[:OPENING_BLOCKS]:
        words = len(block.text.split())
        on_cover = on_cover and words < PARAGRAPH_WORDS
        title_line = on_cover and words <= COVER_WORDS and not block.text.endswith(":")
        if block.kind == BlockKind.HEADING or block.bold or title_line:
            strong = [p for p in find_periods(block.text) if p.kind in STRONG_PERIOD_KINDS]
            if strong:
                return spanning(strong)
    return None


def opening_period(blocks: Sequence[Block]) -> PeriodMention | None:
    """The first financial year or span stated in the document's first paragraphs."""
    for block in blocks[:REPORT_OPENING_BLOCKS]:
        strong = [p for p in find_periods(block.text) if p.kind in STRONG_PERIOD_KINDS]
        if strong:
            return strong[0]
    return None


def reported_period(blocks: Sequence[Block], dated: PeriodMention) -> PeriodMention | None:
    """The period a dated report says it reports on in its first paragraphs ("The 2008/9
    Annual Report is attached"): one ending by the year of its date, starting at most
    `YEARS_BEFORE_DOCUMENT` years before."""
    for block in blocks[:REPORT_OPENING_BLOCKS]:
        strong = [
            period
            for period in find_periods(block.text)
            if period.kind in STRONG_PERIOD_KINDS
            and dated.year_from - YEARS_BEFORE_DOCUMENT <= period.year_from
            and period.year_to <= dated.year_from
        ]
        if strong:
            distinct = {(period.year_from, period.year_to): period for period in strong[::-1]}
            return spanning(sorted(distinct.values(), key=lambda period: period.start))
    return None


def meeting_year(blocks: Sequence[Block], from_events: bool = True) -> PeriodMention | None:
    """The financial year of a meeting whose date is not printed, from the years it speaks of.

    A meeting plans the year it is in ("the 2020/21 plan") and looks back on years that
    have ended ("progress made in 2019/20", "the annual report for 2022/23", the last of
    a run of yearly figures): both put it in 2020-21, and the latest such year wins.  A
    year named with no sign that it is planned or over ("He referred to 2014/15", "to
    fund projects in 2024/25") says nothing of when the meeting was; nor does a plan's
    span, unless the plan is new ("has now published the new Police & Crime Plan
    2017-2021": its first year is planned).  A year that starts later ("will commence in
    2019/20") puts the text in the year before.  Where no year is planned or reviewed,
    the latest day it reports ("circulated to Members on 13 January 2025"; a month after
    the day of a meeting whose minutes it approves), though not one that ends a period
    ("extended ... to 31 March 2022"), and a month ("In July 2018 the Hub opened") can be
    long before.
    Else an event it looks forward to (`looked_forward_to`).  Without `from_events`, only
    the years planned, reviewed or starting later count.
    """
    best: tuple[int, PeriodMention] | None = None
    latest_event: PeriodMention | None = None
    ahead_events: list[PeriodMention] = []
    for block in blocks:
        previous: PeriodMention | None = None
        for period in find_periods(block.text):
            if period.kind in ("date", "month"):
                if FORWARD_CUE.search(block.text, max(period.start - 64, 0), period.start):
                    ahead_events.append(period)
                    continue
                ends = PERIOD_END.search(block.text, max(period.start - 16, 0), period.start)
                if period.kind == "date" and not ends:
                    if approves_minutes_of(block.text, period):
                        period = month_after(period)
                    if latest_event is None or period.year_from > latest_event.year_from:
                        latest_event = period
                continue
            year = None
            if period.kind in ("fy", "year") and STARTS_LATER.search(
                block.text, max(period.start - 40, 0), period.start
            ):
                year = period.year_from - 1
            elif period.kind == "range" and NEW_PLAN_BEFORE.search(
                block.text, max(period.start - 80, 0), period.start
            ):
                year = period.year_from
            elif period.kind not in STRONG_PERIOD_KINDS or period.year_from != period.year_to:
                continue
            else:
                if PLANS_BEFORE.search(block.text, max(period.start - 60, 0), period.start) or (
                    PLANS_AFTER.match(block.text, period.end)
                ):
                    year = period.year_from
                elif reviewed(block.text, period, previous):
                    year = period.year_from + 1
                previous = period
            if year is not None and (best is None or year > best[0]):
                best = (year, period)
    if best is not None:
        year, period = best
        return PeriodMention(year, year, period.text, period.start, period.end, "fy")
    if not from_events:
        return None
    return latest_event or looked_forward_to(ahead_events)


def approves_minutes_of(text: str, period: PeriodMention) -> bool:
    """Whether `period` is the day of an earlier meeting whose minutes the sentence
    approves ("the Minutes of the ... Committee held on 20 March, 2023 be signed and
    approved as a correct record")."""
    start = text.rfind(". ", 0, period.start) + 1
    end = text.find(". ", period.end)
    sentence_end = len(text) if end < 0 else end
    return bool(
        PREVIOUS_MINUTES.search(text, start, period.start)
        and APPROVAL.search(text, start, sentence_end)
    )


def month_after(period: PeriodMention) -> PeriodMention:
    """A date moved on by a month: the earliest a meeting after the one on that day is
    held, so approving the minutes of a 20 March meeting puts a meeting in the next year."""
    if period.on is None:
        return period
    month = period.on.month % 12 + 1
    year = fy_of(period.on.year + (period.on.month == 12), month)
    return replace(period, year_from=year, year_to=year)


def reviewed(text: str, period: PeriodMention, previous: PeriodMention | None) -> bool:
    """Whether `period` is a year the text looks back on as over: after words that say so
    ("the annual report for", "over the last year (", "at the end of"), in an item's
    title ("Scrutiny of the Safer North Hampshire Partnership 2020-21"), or the last of a
    run of years ("16 in 2022-23 and 24 in 2023-24")."""
    if REVIEW_CUE.search(text, max(period.start - 60, 0), period.start):
        return True
    if len(text.split()) <= COVER_WORDS:
        return True
    return (
        previous is not None
        and previous.year_from < period.year_from
        and period.start - previous.end <= RUN_GAP
    )


def looked_forward_to(events: list[PeriodMention]) -> PeriodMention | None:
    """The financial year of a meeting from the first event it looks forward to ("would be
    going to Council in March 2021", "due to take place on the 23 November 2016"): a
    meeting looks `LEAD_MONTHS` ahead at most, so it is in the event's year unless the
    event falls that early in its year ("the meeting in May 2019" may follow a March one).
    """
    if not events:
        return None
    first = min(events, key=lambda event: (event.year_from, months_into_year(event)))
    return first if months_into_year(first) >= LEAD_MONTHS else None


def months_into_year(period: PeriodMention) -> int:
    """How many months into its financial year a date or a month falls: April is 0."""
    return (month_of(period) - FIRST_MONTH) % 12


def month_of(period: PeriodMention) -> int:
    """The month a date or a month names."""
    if period.on is not None:
        return period.on.month
    named = MONTH_WORD.search(period.text)
    return MONTHS[named["m"].lower()] if named else FIRST_MONTH


def spanning(periods: list[PeriodMention]) -> PeriodMention:
    """One period covering a title's periods: "2021/22 – 2023/24" is 2021 to 2023."""
    if len(periods) == 1:
        return periods[0]
    first, last = periods[0], periods[-1]
    return PeriodMention(
        min(p.year_from for p in periods),
        max(p.year_to for p in periods),
        f"{first.text} … {last.text}",
        first.start,
        last.end,
        first.kind,
    )


def in_plan_sentence(text: str, period: PeriodMention) -> bool:
    """Whether the sentence `period` stands in, up to just after it, names a plan."""
    sentence = max(text.rfind(". ", 0, period.start), 0)
    return bool(PLAN_WORD.search(text, sentence, period.end + 16))


def body_period(blocks: Sequence[Block]) -> PeriodMention | None:
    """The financial year the body states most often, or the span of the plan it presents.

    Ties between years go to the year nearest the latest dated event in the text: a
    document is written after what it reports, and the years beyond it are plans.  The
    span of a plan or strategy ("The Wiltshire Community Safety Partnership Plan 2019-2022
    has been agreed"; the one named most) wins where no year is named, or one is named
    only once, inside it, and not as what is planned ("The Partnership priorities
    2023-2024 are:").
    """
    years: Counter = Counter()
    spans: Counter = Counter()
    plan_years: Counter = Counter()
    first_seen: dict[tuple[int, int], PeriodMention] = {}
    planned: set[int] = set()
    latest_event: int | None = None
    for block in blocks:
        for period in find_periods(block.text):
            key = (period.year_from, period.year_to)
            if period.kind == "fy":
                years[period.year_from] += 1
                if PLAN_WORD_BEFORE.search(block.text, max(period.start - 40, 0), period.start):
                    planned.add(period.year_from)
            elif period.kind in ("date", "month"):
                latest_event = max(latest_event or period.year_from, period.year_from)
                continue
            elif period.kind == "range" and YEAR_FIRST.match(period.text):
                # A span of years, not of months ("April 2016 - July 2017" is data).
                if not in_plan_sentence(block.text, period):
                    continue
                spans[key] += 1
            elif period.kind == "year" and COVERS_BEFORE.search(
                block.text, max(period.start - 24, 0), period.start
            ):
                plan_years[key] += 1
            else:
                continue
            first_seen.setdefault(key, period)
    plan = None
    if spans or plan_years:
        # A year a plan is said to cover ("the strategy, which covers 2019") counts only
        # where no span of years is named.
        named = spans or plan_years
        top_span = max(named.values())
        plan = next(first_seen[key] for key in named if named[key] == top_span)
    if not years:
        return plan
    top = max(years.values())
    tied = [year for year, count in years.items() if count == top]
    anchor = latest_event if latest_event is not None else max(tied)
    year = min(tied, key=lambda year: (abs(year - anchor), year))
    if plan is not None and top == 1 and year not in planned:
        return plan if plan.year_from <= year <= plan.year_to else first_seen[(year, year)]
    return first_seen[(year, year)]
