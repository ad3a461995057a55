"""Financial-year periods from the phrasings CSP documents use.

Speed is not asserted here.  A quick check: find_periods over the five samples joined ten
times (3 MB) should run at well over 5 MB/s; the patterns only run near an anchor.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.attribution.periods import PeriodMention, find_periods, fy_of, parse_year_option

from samples import ALL_SAMPLES, sample


def periods(text: str) -> list[tuple[int, int, str, str]]:
    return [(p.year_from, p.year_to, p.kind, p.text) for p in find_periods(text)]


def one(text: str) -> tuple[int, int, str, str]:
    found = periods(text)
    assert len(found) == 1, found
    return found[0]


# Phrases as the sample documents write them.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Annual Report 2017-18", [(2017, 2017, "fy", "2017-18")]),
        ("Action Plan 2018-2019", [(2018, 2018, "fy", "2018-2019")]),
        ("Annual Partnership Plan 2019/2020", [(2019, 2019, "fy", "2019/2020")]),
        (
            "SAFER COLCHESTER PARTNERSHIP - ANNUAL PARTNERSHIP PLAN 2019 / 2020",
            [(2019, 2019, "fy", "2019 / 2020")],
        ),
        (
            "during the period September 2019 – March 2020",
            [(2019, 2019, "range", "September 2019 – March 2020")],
        ),
        ("Police and Crime Plan 2016-2020", [(2016, 2019, "range", "2016-2020")]),
        ("Partnership Focus 17/18", [(2017, 2017, "fy", "17/18")]),
        (
            "In June 2011 Rochford District CSP launched the J9 initiative",
            [(2011, 2011, "month", "June 2011")],
        ),
        (
            "Data from November 2018 - December 2019.",
            [(2018, 2019, "range", "November 2018 - December 2019")],
        ),
        (
            "Wednesday, 11<sup>th</sup> July 2018 at 7:15pm",
            [(2018, 2018, "date", "Wednesday, 11<sup>th</sup> July 2018")],
        ),
        (
            "Annual Partnership Plan for 20-21 will commence from 1st April 2020",
            [(2020, 2020, "fy", "20-21"), (2020, 2020, "date", "1st April 2020")],
        ),
        (
            "Version Control: First Draft Prepared 28.07.17",
            [(2017, 2017, "date", "28.07.17")],
        ),
        (
            "received a funding allocation of £17,739 for 2018-19.",
            [(2018, 2018, "fy", "2018-19")],
        ),
        (
            "Sexual Offences data for the period 01/08/2016 – 31/07/2017 where",
            [(2016, 2017, "range", "01/08/2016 – 31/07/2017")],
        ),
        (
            "outside the District, between May – July 2017.",
            [(2017, 2017, "range", "May – July 2017")],
        ),
        (
            "Week Commencing 30th September 2019 - Student Welcome Week",
            [(2019, 2019, "date", "30th September 2019")],
        ),
        ("Crime and Disorder Act 1998.", []),
        (
            "Neighbourhood Team October 2019 - 2023\tA Public",
            [(2019, 2022, "range", "October 2019 - 2023")],
        ),
        (
            "Community Safety Team Scheduled March / April 2020\tLocal",
            [(2019, 2020, "range", "March / April 2020")],
        ),
        (
            "an issue in Essex – between January and December 2017 there were",
            [(2016, 2017, "range", "January and December 2017")],
        ),
        ("Violence Helpline 0808 2000 247", []),
        ("from the 1980s until the late 1990s", []),
        ("as per the mid-2016 estimates", [(2016, 2016, "year", "2016")]),
        ("Essex_MAPPA_Annual_Report_2018-2019.pdf", [(2018, 2018, "fy", "2018-2019")]),
        ("CSE_Guidance_Core_Document_13.02.2017.pdf", [(2016, 2016, "date", "13.02.2017")]),
        ("Monday, 23 March 2020 at 18:00", [(2019, 2019, "date", "Monday, 23 March 2020")]),
    ],
)
def test_sample_phrases(text: str, expected: list) -> None:
    assert periods(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2017/18",
        "2017-18",
        "2017–18",
        "2017—18",
        "2017‐18",
        "2017−18",
        "2017/2018",
        "2017-2018",
        "2017 / 2018",
        "2017  -  2018",
        "2017 to 2018",
    ],
)
def test_financial_years_in_four_digits(text: str) -> None:
    assert one(text) == (2017, 2017, "fy", text)


def test_financial_year_keywords_license_but_are_not_part_of_the_text() -> None:
    assert periods("FY 2019/20 and financial year 2019-20") == [
        (2019, 2019, "fy", "2019/20"),
        (2019, 2019, "fy", "2019-20"),
    ]
    assert one("FY19/20") == (2019, 2019, "fy", "19/20")


def test_second_part_must_follow_the_first() -> None:
    assert [p.kind for p in find_periods("2017/19")] == []
    assert [p.kind for p in find_periods("2018-17")] == []
    assert one("1999/00") == (1999, 1999, "fy", "1999/00")


def test_two_digit_slash_pairs() -> None:
    assert one("Partnership Focus 16/17:") == (2016, 2016, "fy", "16/17")
    assert find_periods("16/18") == []  # not consecutive


def test_two_digit_pairs_inside_dates_are_dates() -> None:
    assert find_periods("17/18/2019") == []  # impossible date, and not a financial year
    assert one("on 12/10/17") == (2017, 2017, "date", "12/10/17")
    assert one("on 17/18 September 2019") == (2019, 2019, "month", "September 2019")


@pytest.mark.parametrize("word", ["plan", "year", "report", "assessment", "strategy", "for"])
def test_two_digit_hyphen_pairs_after_a_period_word(word: str) -> None:
    assert one(f"the {word} 20-21 begins") == (2020, 2020, "fy", "20-21")


@pytest.mark.parametrize("text", ["during 20 – 21", "FY 20-21", "FY20-21"])
def test_two_digit_hyphen_pairs_tolerate_spaces_and_dashes(text: str) -> None:
    assert one(text)[:3] == (2020, 2020, "fy")


@pytest.mark.parametrize("text", ["see pages 20-21", "items 20-21", "20-21"])
def test_two_digit_hyphen_pairs_without_a_period_word_are_page_ranges(text: str) -> None:
    assert find_periods(text) == []


def test_school_years_are_not_financial_years() -> None:
    assert find_periods("pupils in Years 10-11 and Year 11/12") == []
    assert one("the year 13-14") == (2013, 2013, "fy", "13-14")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-2020", (2016, 2019)),
        ("2016 – 2020", (2016, 2019)),
        ("2018 to 2021", (2018, 2020)),
        ("2016-20", (2016, 2019)),
        ("April 2019 - March 2020", (2019, 2019)),
        ("1 April 2019 to 31 March 2020", (2019, 2019)),
        ("September 2019 – March 2020", (2019, 2019)),
        ("November 2018 - December 2019", (2018, 2019)),
        ("January 2019 - June 2019", (2018, 2019)),
        ("1st August 2018 to 30th November 2018", (2018, 2018)),
        ("01/10/2017 to 31/10/2017", (2017, 2017)),
        ("1 April - 31 March 2020", (2019, 2019)),
        ("November - February 2019", (2018, 2018)),
        ("February to May 2019", (2018, 2019)),
        ("March / April 2020", (2019, 2020)),
        ("October 2019 - 2023", (2019, 2022)),
        ("1/10/19 to 16/1/20", (2019, 2019)),
    ],
)
def test_ranges(text: str, expected: tuple[int, int]) -> None:
    assert one(text) == (*expected, "range", text)


def test_between_months() -> None:
    assert one("between April and June 2019") == (2019, 2019, "range", "April and June 2019")
    assert [p.kind for p in find_periods("April and June 2019")] == ["month"]


def test_four_digit_slash_pairs_are_spans_only_of_a_plan_or_on_their_own() -> None:
    # In a sentence they read as alternatives; after a plan's name, or alone on a cover
    # line, as the plan's span (issue #17: "Partnership Strategy 2015/2019").
    assert [p.kind for p in find_periods("incidents in 2016/2019 and")] == []
    assert one("Partnership Strategy 2015/2019") == (2015, 2018, "range", "2015/2019")
    assert one("Community Safety Strategy 2016/20") == (2016, 2019, "range", "2016/20")
    assert one("2016/2020") == (2016, 2019, "range", "2016/2020")


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("10 September 2019", 2019),
        ("10th September 2019", 2019),
        ("Monday, 23 March 2020", 2019),
        ("11th July 2018", 2018),
        ("23rd March 2020", 2019),
        ("2nd of April 2020", 2020),
        ("September 10, 2019", 2019),
        ("10 Sept 2019", 2019),
        ("10 Sept. 2019", 2019),
        ("10  SEPTEMBER  2019", 2019),
        ("10/09/2019", 2019),
        ("10.09.2019", 2019),
        ("1/2/2019", 2018),
        ("28.07.17", 2017),
        ("31.03.20", 2019),
        ("2019-09-10", 2019),
        ("Thurs 11<sup> th </sup> July 2018", 2018),
    ],
)
def test_dates(text: str, year: int) -> None:
    assert one(text) == (year, year, "date", text)


@pytest.mark.parametrize("text", ["32/13/2019", "31/02/2019", "30 February 2019", "00.01.19"])
def test_impossible_dates_are_not_dates(text: str) -> None:
    assert "date" not in [p.kind for p in find_periods(text)]


def test_impossible_numeric_date_leaves_nothing() -> None:
    assert find_periods("32/13/2019") == []


def test_month_names_are_ascii() -> None:
    # re.I alone would let "ſ" stand for "s" and then fail the MONTHS lookup.
    assert periods("ſeptember 2019, Aprıl 2019, 10 ſept 2019") == [
        (2019, 2019, "year", "2019"),
        (2019, 2019, "year", "2019"),
        (2019, 2019, "year", "2019"),
    ]


def test_dotted_two_digit_years_need_two_digit_day_and_month() -> None:
    assert find_periods("see section 1.2.17") == []


@pytest.mark.parametrize(
    ("text", "year"),
    [("June 2011", 2011), ("Feb 2018", 2017), ("February 2018", 2017), ("March, 2020", 2019)],
)
def test_months(text: str, year: int) -> None:
    assert one(text) == (year, year, "month", text)


def test_bare_years_are_weak_years() -> None:
    assert periods("founded in 2002; the 2011 Census") == [
        (2002, 2002, "year", "2002"),
        (2011, 2011, "year", "2011"),
    ]
    assert periods("1990 and 2039") == [(1990, 1990, "year", "1990"), (2039, 2039, "year", "2039")]


@pytest.mark.parametrize(
    "text",
    [
        "Crime and Disorder Act 1998",
        "The Crime and Disorder Act (1998) created",
        "The 1998 Crime and Disorder Act places a statutory duty",
        "the CRIME AND DISORDER ACT 1998",
        "Police Reform and Social Responsibility Act 2011(PRSRA)",
        "the Crime and Disorder (Overview and Scrutiny) Regulations 2009",
        "the Local Government (Wales) Measure 2011",
        "the Police and Criminal Justice Acts 2002 and 2006",
        "Deddf Trosedd ac Anhrefn 1998 a Deddfau Heddlu a Chyfiawnder Troseddol 2002 a 2006",
    ],
)
def test_names_of_acts_are_not_periods(text: str) -> None:
    assert find_periods(text) == []


def test_a_year_near_an_act_is_still_a_year() -> None:
    assert periods("Under the Act, in 2011 the CSP launched") == [(2011, 2011, "year", "2011")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Copied text loses spaces: ModernGov's weekday, a stray space in an ordinal, a
        # day run into its month, a span run into the words around it.
        ("Meeting Tuesday,10th April, 2007", (2007, 2007, "date", "Tuesday,10th April, 2007")),
        ("Agreed 27 th March 2019", (2018, 2018, "date", "27 th March 2019")),
        ("take place on the 23November 2016 after", (2016, 2016, "date", "23November 2016")),
        ("drug misuse2005–2008Borough of", (2005, 2007, "range", "2005–2008")),
        ("Plan 2024 - 2027Making Communities Safer", (2024, 2026, "range", "2024 - 2027")),
        # One digit after the slash: "The 2008/9 Annual Report is attached".
        ("The 2008/9 Annual Report", (2008, 2008, "fy", "2008/9")),
        ("between April 2016 and July 2017", (2016, 2017, "range", "April 2016 and July 2017")),
        # Welsh months and ordinals.
        ("13eg Ionawr 2014", (2013, 2013, "date", "13eg Ionawr 2014")),
        ("ar 1af Ebrill 2019", (2019, 2019, "date", "1af Ebrill 2019")),
        ("ym mis Mehefin 2020", (2020, 2020, "month", "Mehefin 2020")),
    ],
)
def test_periods_in_copied_and_welsh_text(text: str, expected: tuple) -> None:
    assert one(text) == expected


def test_one_digit_after_a_year_is_only_the_next_year() -> None:
    assert find_periods("2019-1") == []
    assert find_periods("2019/5") == []


def test_copied_text_keeps_codes_apart() -> None:
    assert find_periods("FY2019/20") == []
    assert find_periods("ref 12feb2019") == []
    assert periods("in April 2016 and July 2017") == [
        (2016, 2016, "month", "April 2016"),
        (2017, 2017, "month", "July 2017"),
    ]


def test_a_date_keeps_its_day() -> None:
    (mention,) = find_periods("Meeting: 13/12/2018 - Safer Sefton Together")
    assert mention.on == date(2018, 12, 13)
    assert find_periods("Plan 2019/20")[0].on is None


@pytest.mark.parametrize(
    "text",
    [
        "pages 15 - 72 and 7 - 14",
        "tel 01376 552525",
        "Helpline 0808 2000 247",
        "at 18:00",
        "99.8% said",
        "a rise of 20%",
        "2019%",
        "£17,739",
        "£2,019",
        "£2019",
        "2,019 incidents",
        "20,195",
        "ref 42-11769-17-C",
        "case AB-2019-0042",
        "2019.5",
        "0.2019",
        "12019",
        "201920",
        "ABC2019",
        "the 1990s",
        "in 1989 and 2040",
        "1989/90",
        "2040-41",
        "https://example.org/2019/10/report",
        "Braintree CM7 9HB",
    ],
)
def test_numbers_that_are_not_periods(text: str) -> None:
    assert find_periods(text) == []


def test_fy_years_in_range() -> None:
    assert find_periods("1989/90") == []
    assert one("2039/40") == (2039, 2039, "fy", "2039/40")


def test_longest_reading_wins() -> None:
    # Two financial years joined by a dash or "to" are one span (issue #17).
    assert periods("Strategy 2021/2022 – 2023/2024") == [
        (2021, 2023, "range", "2021/2022 – 2023/2024"),
    ]
    assert one("2016 - 2020")[2] == "range"
    assert one("10 September 2019")[2] == "date"


def test_mentions_come_in_order_without_overlaps() -> None:
    text = "Plan 2019/20, met 10 September 2019; in 1998; 17/18 and April 2019 - March 2020."
    found = find_periods(text)
    assert [p.kind for p in found] == ["fy", "date", "year", "fy", "range"]
    assert all(a.end <= b.start for a, b in pairwise(found))


def test_offsets_point_into_the_input() -> None:
    text = "Report   2017–18 (FY)"
    (mention,) = find_periods(text)
    assert mention == PeriodMention(2017, 2017, "2017–18", 9, 16, "fy")
    assert mention.label == "2017-18"


def test_label_of_a_range() -> None:
    assert find_periods("2016-2020")[0].label == "2016-17 to 2019-20"


def test_fy_of_puts_january_to_march_in_the_previous_year() -> None:
    assert [fy_of(2020, month) for month in (1, 3, 4, 12)] == [2019, 2019, 2020, 2020]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019", (2019, 2019)),
        ("2019-20", (2019, 2019)),
        ("2019/20", (2019, 2019)),
        ("2019/2020", (2019, 2019)),
        ("2019-2020", (2019, 2019)),
        ("2019–20", (2019, 2019)),
        ("19/20", (2019, 2019)),
        (" 2019 ", (2019, 2019)),
        ("2016-2020", (2016, 2019)),
        ("2016-20", (2016, 2019)),
    ],
)
def test_year_options(value: str, expected: tuple[int, int]) -> None:
    assert parse_year_option(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "last year",
        "19",
        "2019-25x",
        "1850",
        "2050",
        "2020-2016",
        "2019/2022",
        "19/22",
        "2019-19",
    ],
)
def test_bad_year_options_raise_a_clear_error(value: str) -> None:
    with pytest.raises(ValueError, match="expected a financial year such as 2019"):
        parse_year_option(value)


@pytest.mark.parametrize("stem", ALL_SAMPLES)
def test_every_sample_mention_is_exact_and_in_range(stem: str) -> None:
    text = sample(stem, "text").read_text(encoding="utf-8")
    found = find_periods(text)
    assert found
    for mention in found:
        assert text[mention.start : mention.end] == mention.text
        assert 1990 <= mention.year_from <= mention.year_to <= 2039


def test_sample_titles_are_found_in_the_samples() -> None:
    braintree = sample(ALL_SAMPLES[0], "text").read_text(encoding="utf-8")
    texts = {(p.text, p.kind) for p in find_periods(braintree)}
    assert {("2017-18", "fy"), ("2018-19", "fy"), ("1998", "year")} <= texts


@given(st.text(max_size=300))
def test_find_periods_never_raises_and_offsets_are_exact(text: str) -> None:
    found = find_periods(text)
    for mention in found:
        assert text[mention.start : mention.end] == mention.text
        assert mention.year_from <= mention.year_to
    assert all(a.end <= b.start for a, b in pairwise(found))


PERIOD_LIKE = [
    *["2019", "/", "-", "–", " ", "to", "20", "19/20", "March", "10", ".", ",", "£", "0"],
    *["between", " and ", "ſept", "Aprıl", "Aprİl", "<sup>th</sup>", "Monday, ", "FY"],
]


@given(st.lists(st.sampled_from(PERIOD_LIKE), max_size=20))
def test_find_periods_on_period_like_noise(parts: list[str]) -> None:
    text = "".join(parts)
    for mention in find_periods(text):
        assert text[mention.start : mention.end] == mention.text
        assert 1990 <= mention.year_from <= mention.year_to <= 2039
