"""Periods normalised to UK financial years (1 April to 31 March), as FY start years.

2022 means 2022-23.  `find_periods` finds every period a text states: financial years
("2017/18", "2017 to 2018"), multi-year spans ("2016-2020", "April 2019 - March 2020"),
dates ("10 September 2019"), months ("June 2011") and, as weak evidence, bare years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MIN_YEAR, MAX_YEAR = 1990, 2039

DASH = r"\s*(?:[-‐‑–—−/]|to)\s*"
YEAR4 = r"(?:19|20)\d{2}"
MONTH = r"(?P<{}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
ORDINAL = r"(?:st|nd|rd|th|<sup>\s*(?:st|nd|rd|th)\s*</sup>)?"
WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"

NUMBER_BEFORE = r"(?<![\d£$€.,:/\-])"
NUMBER_AFTER = r"(?![\d.,:]\d|\d|%|/\d|-\d{3})"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "month_span",
        re.compile(
            rf"\b(?:\d{{1,2}}{ORDINAL}\s+)?{MONTH.format('m1')}\s+(?P<y1>{YEAR4})?{DASH}"
            rf"(?:\d{{1,2}}{ORDINAL}\s+)?{MONTH.format('m2')}\s+(?P<y2>{YEAR4})\b",
            re.I,
        ),
    ),
    (
        "date",
        re.compile(
            rf"\b{WEEKDAY}(?P<d>\d{{1,2}}){ORDINAL}\s+(?:of\s+)?{MONTH.format('m')},?\s+"
            rf"(?P<y>{YEAR4})\b",
            re.I,
        ),
    ),
    (
        "date_us",
        re.compile(rf"\b{MONTH.format('m')}\s+(?P<d>\d{{1,2}}){ORDINAL},\s+(?P<y>{YEAR4})\b", re.I),
    ),
    (
        "date_numeric",
        re.compile(
            rf"{NUMBER_BEFORE}\b(?P<d>\d{{1,2}})(?P<sep>[/.])(?P<m>\d{{1,2}})(?P=sep)"
            rf"(?P<y>{YEAR4}|\d{{2}})\b(?![.,/]?\d)"
        ),
    ),
    (
        "span4",
        re.compile(
            rf"{NUMBER_BEFORE}\b(?:fy\s*)?(?P<y1>{YEAR4}){DASH}(?P<y2>{YEAR4}|\d{{2}}){NUMBER_AFTER}",
            re.I,
        ),
    ),
    ("month", re.compile(rf"\b{MONTH.format('m')},?\s+(?P<y>{YEAR4})\b", re.I)),
    (
        "short_slash",
        re.compile(rf"{NUMBER_BEFORE}\b(?P<y1>\d{{2}})/(?P<y2>\d{{2}})\b(?![/.\-]\d)"),
    ),
    (
        "short_dash",
        re.compile(
            r"\b(?:plan|year|report|assessment|strategy|for|during|fy)\s+(?:for\s+)?"
            r"(?P<core>(?P<y1>\d{2})\s*[-–]\s*(?P<y2>\d{2}))\b(?![/.\-]\d)",
            re.I,
        ),
    ),
    ("year", re.compile(rf"{NUMBER_BEFORE}\b(?P<y>{YEAR4}){NUMBER_AFTER}")),
]


@dataclass(frozen=True)
class PeriodMention:
    year_from: int
    year_to: int
    text: str
    start: int
    end: int
    kind: str


def fy_of(year: int, month: int) -> int:
    """The financial year (start year) a month falls in: Jan-Mar belong to the year before."""
    return year if month >= 4 else year - 1


def expand_year(two_digits: str) -> int:
    value = int(two_digits)
    return 2000 + value if value < 70 else 1900 + value


def in_range(*years: int) -> bool:
    return all(MIN_YEAR <= year <= MAX_YEAR + 1 for year in years)


def interpret(name: str, match: re.Match[str]) -> tuple[int, int, str] | None:
    groups = match.groupdict()
    if name == "month_span":
        end_year = int(groups["y2"])
        start_year = int(groups["y1"]) if groups["y1"] else end_year
        first = fy_of(start_year, MONTHS[groups["m1"].lower()])
        last = fy_of(end_year, MONTHS[groups["m2"].lower()])
        return (first, last, "range") if in_range(first, last) and first <= last else None
    if name in ("date", "date_us", "date_numeric"):
        year = int(groups["y"]) if len(groups["y"]) == 4 else expand_year(groups["y"])
        month_text = groups["m"]
        month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower()]
        try:
            date(year, month, int(groups["d"]))
        except ValueError:
            return None
        fy = fy_of(year, month)
        return (fy, fy, "date") if in_range(fy) else None
    if name == "month":
        year = int(groups["y"])
        fy = fy_of(year, MONTHS[groups["m"].lower()])
        return (fy, fy, "month") if in_range(fy) else None
    if name == "span4":
        first = int(groups["y1"])
        second = groups["y2"]
        last = int(second) if len(second) == 4 else first - first % 100 + int(second)
        if len(second) == 2 and last < first:
            last += 100
        if not in_range(first, last) or last <= first:
            return None
        if last == first + 1:
            return first, first, "fy"
        return first, last - 1, "range"
    if name in ("short_slash", "short_dash"):
        first, second = int(groups["y1"]), int(groups["y2"])
        if (first + 1) % 100 != second:
            return None
        year = expand_year(groups["y1"])
        return (year, year, "fy") if in_range(year) else None
    year = int(groups["y"])
    return (year, year, "year") if in_range(year) else None


def find_periods(text: str) -> list[PeriodMention]:
    """Every period the text states, in order, longest first where they overlap."""
    taken = [False] * (len(text) + 1)
    found: list[PeriodMention] = []
    for name, pattern in PATTERNS:
        for match in pattern.finditer(text):
            # A leading keyword licenses a match but is not part of the period.
            start, end = match.span("core" if "core" in pattern.groupindex else 0)
            if any(taken[start:end]):
                continue
            interpreted = interpret(name, match)
            if interpreted is None:
                continue
            year_from, year_to, kind = interpreted
            for position in range(start, end):
                taken[position] = True
            found.append(PeriodMention(year_from, year_to, text[start:end], start, end, kind))
    return sorted(found, key=lambda mention: mention.start)


def parse_year_option(value: str) -> tuple[int, int]:
    """A --year/--from/--to value: '2019', '2019-20', '2019/20', '19/20' or '2016-2020'."""
    cleaned = value.strip()
    if re.fullmatch(YEAR4, cleaned):
        year = int(cleaned)
        if in_range(year):
            return year, year
    mentions = find_periods(cleaned)
    if len(mentions) == 1 and mentions[0].text == cleaned and mentions[0].kind in ("fy", "range"):
        return mentions[0].year_from, mentions[0].year_to
    raise ValueError(
        "expected a financial year such as 2019, 2019-20 or 2019/20, or a span such as 2016-2020"
    )
