"""Financial-year periods from the phrasings CSP documents use."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.periods import find_periods, fy_of, parse_year_option


def periods(text: str) -> list[tuple[int, int, str, str]]:
    return [(p.year_from, p.year_to, p.kind, p.text) for p in find_periods(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Annual Report 2017-18", [(2017, 2017, "fy", "2017-18")]),
        ("Action Plan 2018-2019", [(2018, 2018, "fy", "2018-2019")]),
        ("PLAN 2019 / 2020", [(2019, 2019, "fy", "2019 / 2020")]),
        ("Plan 2022–23", [(2022, 2022, "fy", "2022–23")]),
        ("from 2017 to 2018", [(2017, 2017, "fy", "2017 to 2018")]),
        ("Partnership Focus 17/18:", [(2017, 2017, "fy", "17/18")]),
        ("Police and Crime Plan 2016-2020", [(2016, 2019, "range", "2016-2020")]),
        (
            "during September 2019 – March 2020",
            [(2019, 2019, "range", "September 2019 – March 2020")],
        ),
        ("April 2019 - March 2020", [(2019, 2019, "range", "April 2019 - March 2020")]),
        (
            "Data from November 2018 - December 2019.",
            [(2018, 2019, "range", "November 2018 - December 2019")],
        ),
        ("Monday, 23 March 2020 at 18:00", [(2019, 2019, "date", "Monday, 23 March 2020")]),
        ("10 September 2019", [(2019, 2019, "date", "10 September 2019")]),
        ("Wednesday, 11th July 2018", [(2018, 2018, "date", "Wednesday, 11th July 2018")]),
        ("Prepared 28.07.17", [(2017, 2017, "date", "28.07.17")]),
        ("In June 2011 Rochford District CSP launched", [(2011, 2011, "month", "June 2011")]),
        ("launched in February 2018", [(2017, 2017, "month", "February 2018")]),
        ("murdered in 2003", [(2003, 2003, "year", "2003")]),
    ],
)
def test_phrasings(text: str, expected: list) -> None:
    assert periods(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "pages 15 - 72 and 7 - 14",
        "tel 01376 552525",
        "£17,739",
        "ref 42-11769-17-C",
        "18:00",
        "99.8% said",
        "32/13/2019",
    ],
)
def test_numbers_that_are_not_periods(text: str) -> None:
    assert find_periods(text) == []


def test_two_digit_hyphen_pairs_need_a_period_word() -> None:
    assert periods("Plan for 20-21 begins") == [(2020, 2020, "fy", "20-21")]
    assert find_periods("see pages 20-21") == []


def test_fy_of_puts_january_to_march_in_the_previous_year() -> None:
    assert (fy_of(2020, 3), fy_of(2020, 4)) == (2019, 2020)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019", (2019, 2019)),
        ("2019-20", (2019, 2019)),
        ("2019/20", (2019, 2019)),
        ("19/20", (2019, 2019)),
        ("2016-2020", (2016, 2019)),
    ],
)
def test_year_options(value: str, expected: tuple[int, int]) -> None:
    assert parse_year_option(value) == expected


@pytest.mark.parametrize("value", ["last year", "2019-25x", "", "1850"])
def test_bad_year_options_raise_a_clear_error(value: str) -> None:
    with pytest.raises(ValueError, match="expected a financial year"):
        parse_year_option(value)


@given(st.text(max_size=300))
def test_find_periods_never_raises_and_offsets_are_exact(text: str) -> None:
    for period in find_periods(text):
        assert text[period.start : period.end] == period.text
        assert period.year_from <= period.year_to
