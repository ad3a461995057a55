"""The period and date of real public pages (models/real/docs), one rule at a time.

Each case is a page whose label (models/real/attribution.jsonl) the rule gets right; the
comment says what in the text decides it.  Labels follow models/real/README.md: a plan
covers its stated years, minutes take their meeting's financial year, a committee report
the period it reports on.
"""

from __future__ import annotations

from datetime import date

import pytest

from ingest.attribution.docperiods import document_date, undated_year
from ingest.attribution.periods import find_periods, weekday_dated
from ingest.model import Block, DocumentSpan
from ingest.paths import MODELS_DIR
from ingest.pipeline.extract import extract_file
from ingest.training.real import main_document

DOCS = MODELS_DIR / "real" / "docs"


def attributed(stem: str) -> tuple[int | None, int | None, str | None]:
    (path,) = DOCS.glob(f"{stem}_*.txt")
    document = main_document(extract_file(path))
    assert document is not None
    return document.year_from, document.year_to, document.date


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        # "The Crime and Disorder Act 1998 placed a statutory duty ..." and nothing else.
        pytest.param("032", (None, None, None), id="act-year-is-no-period"),
        # "The 1998 Crime and Disorder Act ..." above "focusing on from 2022-2027".
        pytest.param("035", (2022, 2026, None), id="act-year-before-the-name"),
    ],
)
def test_names_of_acts_are_not_periods(stem: str, expected: tuple) -> None:
    assert attributed(stem) == expected


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        # "Police and Crime Plan 2013 - 2017" under a garbled logo, the title lost.
        pytest.param("116", (2013, 2016), id="plan-span-under-the-logo"),
        # "Safer Lewisham Plan" over "2014 / 2015"; the mirror's chrome says "may 2013".
        pytest.param("043", (2014, 2014), id="cover-beats-chrome"),
        # "Partnership Plan 2024 - 2027Making Communities Safer": the space lost.
        pytest.param("108", (2024, 2026), id="span-glued-to-the-next-word"),
        # "drug misuse2005–2008Borough of Lewisham": glued on both sides.
        pytest.param("046", (2005, 2007), id="span-glued-to-both-words"),
    ],
)
def test_a_plan_takes_the_span_on_its_cover(stem: str, expected: tuple) -> None:
    assert attributed(stem)[:2] == expected


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        # "The result is a refreshed Community Safety Plan 2022-2025 with six priorities".
        pytest.param("028", (2022, 2024, None), id="page-presenting-a-plan"),
        # "The current CSP Plan 2021-24 will be reviewed in 2021".
        pytest.param("090", (2021, 2023, None), id="current-plan"),
        # "This is the latest refresh of the 2023-26 Plan".
        pytest.param("117", (2023, 2025, None), id="span-before-plan"),
        # "four main themes we will be focusing on from 2018-2021".
        pytest.param("036", (2018, 2020, None), id="themes-of-a-plan"),
        # "Police and Crime Plan 2021-24" beats "In 2021/22 a total of 75 ... awards".
        pytest.param("079", (2021, 2023, None), id="plan-beats-a-year-named-once"),
        # "The Partnership priorities 2023-2024" beats "The Partnership aims 2023-2027".
        pytest.param("132", (2023, 2023, None), id="planned-year-beats-the-span"),
        # "The board has set four key priorities for 2019-21" under "Date: Friday, 23rd Aug".
        pytest.param("061", (2019, 2020, "2019-08-23"), id="priorities-of-a-news-item"),
    ],
)
def test_a_page_takes_the_span_of_the_plan_it_presents(stem: str, expected: tuple) -> None:
    assert attributed(stem) == expected


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        # "Minutes of the ... meeting held on Thursday, 11 October 2018" reviewing 2017-18.
        pytest.param("171", (2018, 2018, "2018-10-11"), id="minutes-held-on"),
        # "Issue - meetings" page: "Meeting: 13/12/2018 - Safer Sefton Together".
        pytest.param("102", (2018, 2018, "2018-12-13"), id="issue-meetings-page"),
        # "Annual Report 2022-2023" discussed: "Agenda item" page, so not the report's year.
        pytest.param("150", (2023, 2023, None), id="report-discussed-after-its-year"),
        # "made in 2019/20" and "the 2020/21 plan will continue": the meeting is in 2020-21.
        pytest.param("004", (2020, 2020, None), id="year-reviewed-and-year-planned"),
        # Welsh: "yn ystod 2016-17" and "blaenoriaethau'r Bartneriaeth ar gyfer 2017-18".
        pytest.param("011", (2017, 2017, None), id="welsh-minute"),
        # Welsh: "adroddiad perfformiad diwedd blwyddyn 2018/19 a chynllun 2019/20".
        pytest.param("010", (2019, 2019, None), id="welsh-mutated-plan-word"),
        # "over the last year (2020/21)": a year that has ended.
        pytest.param("110", (2021, 2021, None), id="year-under-review"),
        # "Safer Lewisham Plan (2014-15)": the plan for the year it is discussed in.
        pytest.param("045", (2014, 2014, None), id="plan-of-the-year"),
        # "Membership: 2012/2013" on an agenda front sheet; its date "FRIDAY 10 DECEMBER
        # 2012" stands on a line of its own below the membership.
        pytest.param("152", (2012, 2012, "2012-12-10"), id="agenda-front-sheet"),
        # "circulated to Members on 13 January 2025", no year named.
        pytest.param("156", (2024, 2024, None), id="day-it-reports"),
        # "Kirklees Communities Partnership Plan 2022-2027" and no meeting date.
        pytest.param("038", (None, None, None), id="plan-span-does-not-date-a-meeting"),
        # The plan "for the period 1 April 2022 to 31 March 2025", the last one "extended
        # ... to 31 March 2022": neither dates the meeting.
        pytest.param("095", (None, None, None), id="end-of-a-period-is-no-meeting-date"),
        # "In July 2018 the District Community Safety Hub opened": long before, maybe.
        pytest.param("007", (None, None, None), id="month-of-an-event"),
        # "He referred to 2014/15 when ...": a year named, neither planned nor over.
        pytest.param("018", (None, None, None), id="year-named-in-passing"),
        # "include 2018/19 data" and "the ... meeting in May 2019": March or April 2019.
        pytest.param("083", (None, None, None), id="event-early-in-its-year"),
        # "funding ... in 2024/25" and "the deadline ... was the 9 May 2025".
        pytest.param("077", (None, None, None), id="deadline-early-in-its-year"),
        # "The report would be going to Council in March 2021": a meeting before it.
        pytest.param("085", (2020, 2020, None), id="event-looked-forward-to"),
        # "(16 in 2022-23 and 24 in 2023-24)": the last of a run of yearly figures.
        pytest.param("114", (2024, 2024, None), id="last-of-a-run-of-years"),
        # "OVERVIEW AND SCRUTINY OF SAFER NORTH HAMPSHIRE ... PARTNERSHIP 2020-21".
        pytest.param("170", (2021, 2021, None), id="year-in-the-items-title"),
    ],
)
def test_a_meeting_record_takes_its_meetings_year(stem: str, expected: tuple) -> None:
    assert attributed(stem) == expected


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        # "To the Cabinet Meeting Tuesday,10th April, 2007": no space after the comma.
        pytest.param("001", (2007, 2007, "2007-04-10"), id="report-with-no-period"),
        # "SCRUTINY COMMITTEE - COMMUNITY 1 SEPTEMBER 2009" ... "The 2008/9 Annual Report".
        pytest.param("003", (2008, 2008, "2009-09-01"), id="annual-report-attached"),
        # "POLICE AND CRIME PANEL 10th September 2020" ... "ANNUAL REPORT 2019-20".
        pytest.param("047", (2019, 2019, "2020-09-10"), id="annual-report-presented"),
        # "held on Thursday 20 September 2017" ... "between April 2016 and July 2017".
        pytest.param("040", (2016, 2017, "2017-09-20"), id="between-months"),
        # "Friday 9th September 2016" ... "local priorities for 2015/16 and 2016/17".
        pytest.param("158", (2015, 2016, "2016-09-09"), id="two-years-reported"),
    ],
)
def test_a_dated_report_takes_the_period_it_reports_on(stem: str, expected: tuple) -> None:
    assert attributed(stem) == expected


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        # Cabinet report presenting the "Safer Barnsley Partnership Plan (2016-2020)".
        pytest.param("097", (2016, 2016, None), id="report-presenting-a-plan"),
        # "A meeting with local churches was due to take place on the 23November 2016".
        pytest.param("162", (2016, 2016, None), id="report-looking-forward"),
    ],
)
def test_an_undated_report_takes_its_own_year(stem: str, expected: tuple) -> None:
    assert attributed(stem) == expected


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        # Welsh date "13eg Ionawr 2014" under the title.
        pytest.param("123", (2013, 2013, "2014-01-13"), id="welsh-date"),
        # "Page Last Updated: Tuesday, 13 August 2024 at 01:54 PM" at the foot.
        pytest.param("129", (2024, 2024, "2024-08-13"), id="page-last-updated"),
        # "The Norwood ... was launched in 2018 as a pilot, in the": a title cut from the
        # first paragraph is dated by nothing it holds.
        pytest.param("044", (None, None, None), id="year-in-a-first-paragraph"),
        # "On 18 February 2014, the PCC set the budget for 2014/15": the day of an event
        # in a first paragraph taken for a title does not date the decision notice.
        pytest.param("019", (2014, 2014, None), id="day-in-a-first-paragraph"),
    ],
)
def test_a_page_without_a_stated_period(stem: str, expected: tuple) -> None:
    assert attributed(stem) == expected


def test_a_cover_dated_by_a_month_alone() -> None:
    # The opening lines of a council's consultation report (real PDF 05 of pdf_labels).
    lines = ["Licensing Policy Consultation Results", "Regulatory Services", "DECEMBER 2025"]
    blocks = [Block(text) for text in [*lines, "APPENDIX B", "Contents"]]
    span = DocumentSpan(0, len(blocks), " ".join(lines[:2]), None, None, "opening")
    dated = document_date(span, blocks)
    assert dated is not None
    assert (dated.kind, dated.year_from, dated.on) == ("month", 2025, None)


def test_the_year_of_an_acts_name_is_no_period() -> None:
    # A PCC's report "for the period of 1st April 2019 to the 31st March 2020 in
    # accordance with Section 12 of the Police Reform and Social Responsibility Act 2011".
    (path,) = DOCS.glob("047_*.txt")
    (line,) = [line for line in path.read_text().splitlines() if "Act 2011" in line]
    assert [(p.year_from, p.year_to) for p in find_periods(line)] == [(2019, 2019)]


def test_financial_years_joined_by_to_are_one_span() -> None:
    # South Yorkshire's Police and Crime Plan: "A reduction in Government grant during the
    # period 2010/11 to 2018/19 of 22.3%".
    (path,) = DOCS.glob("094_*.txt")
    (line,) = [line for line in path.read_text().splitlines() if "2010/11 to" in line]
    spans = [(p.kind, p.year_from, p.year_to) for p in find_periods(line)]
    assert spans == [("range", 2010, 2018)]


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        # "Resolved that the Minutes of the Scrutiny Programme Committee held on 14 March,
        # 2023 and the Special ... held on 20 March, 2023 be signed and approved": the
        # meeting approving them is a later one, in 2023-24.
        pytest.param("017", (2023, 2023, None), id="minutes-of-an-earlier-meeting-approved"),
        # "(MOPAC) has now published the new Police & Crime Plan 2017-2021".
        pytest.param("151", (2017, 2017, None), id="new-plan-published"),
    ],
)
def test_a_meeting_is_dated_by_what_it_approves_and_reports_new(stem: str, expected: tuple) -> None:
    assert attributed(stem) == expected


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        # "During 2009/10 overall crime figures for the borough reduced by a further 15%".
        pytest.param("106", (2010, 2010, None), id="year-looked-back-on"),
        # "Pan-Sussex Commissioning ... will commence in 2019/20 when the new funding
        # formula will also be applied".
        pytest.param("022", (2018, 2018, None), id="year-that-starts-later"),
        # "to represent Neighbourhood Watch in the borough from next year 2023".
        pytest.param("088", (2022, 2022, None), id="next-year"),
        # "Priorities of the strategy, which covers 2019 to 2" (the copy is cut there).
        pytest.param("109", (2019, 2019, None), id="year-a-strategy-covers"),
        # "Starting in April 2016 and working collaboratively ..." and no other date.
        pytest.param("071", (2016, 2016, None), id="month-something-starts-in"),
    ],
)
def test_a_web_page_takes_the_year_its_tense_tells(stem: str, expected: tuple) -> None:
    assert attributed(stem) == expected


CAPTURED = date(2026, 12, 7)  # the day models/real was collected


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        # "hosted its first congress meeting this week (Tuesday 14 November)".
        pytest.param("089", date(2023, 11, 14), id="this-week"),
        # "an event on Tuesday March 19 from 6pm at Stourbridge Town Hall": 2024-25 is the
        # year of 19 March 2024 before 1 April.
        pytest.param("063", date(2024, 3, 19), id="month-before-the-day"),
        # "the campaign which starts on Monday (25 September)", then "Monday 2 October",
        # "Sunday 12 November" ...: all of them fall so in 2023 (25 September was a Monday
        # in 2017 as well, but 2023 is the latest).
        pytest.param("064", date(2023, 9, 25), id="many-days-agree"),
        # "Closing Date / Monday 28th October".
        pytest.param("024", date(2024, 10, 28), id="closing-date"),
    ],
)
def test_a_page_naming_no_year_is_dated_by_its_weekdays(stem: str, expected: date) -> None:
    (path,) = DOCS.glob(f"{stem}_*.txt")
    blocks = [Block(line) for line in path.read_text().splitlines() if line.strip()]
    period = undated_year(blocks, CAPTURED)
    assert period is not None
    assert (period.on, period.year_from) == (expected, expected.year - (expected.month < 4))


def test_a_weekday_puts_a_day_in_the_latest_year_up_to_the_given_day() -> None:
    line = "hosted its first congress meeting this week (Tuesday 14 November) to discuss"
    found = weekday_dated(line, date(2023, 1, 1))
    assert found is not None and found.on == date(2017, 11, 14)
    assert weekday_dated("the meeting on Tuesday 14 November 2023", CAPTURED) is None


def test_a_year_elsewhere_in_the_text_is_not_overruled_by_a_weekday() -> None:
    # The Bassetlaw and Newark & Sherwood agenda (152) names its meeting without a year
    # and prints the year lower down.
    lines = ["MONDAY 10 DECEMBER in the THE MUSIC ROOM, KELHAM HALL commencing at 6.30 PM"]
    blocks = [Block(line) for line in [*lines, "FRIDAY 10 DECEMBER 2012"]]
    assert undated_year(blocks, CAPTURED) is None
