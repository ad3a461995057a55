"""Periods normalised to UK financial years (1 April to 31 March), as FY start years.

2022 means 2022-23.  `find_periods` finds every period a text states: financial years
("2017/18", "2017 to 2018", "17/18"), longer spans ("2016-2020", "April 2019 - March 2020"),
dates ("10 September 2019", "28.07.17"), months ("June 2011") and, as weak evidence, bare
years ("2011").  The year of an Act's name ("Crime and Disorder Act 1998") is no period.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from ingest.model import period_label
from ingest.paths import MODELS_DIR

MIN_YEAR, MAX_YEAR = 1990, 2039
# Words that tell what a year is: a law's name, a plan's span, a year reviewed or ahead.
CUES: dict[str, list[str]] = json.loads(
    (MODELS_DIR / "periods" / "cues.json").read_text(encoding="utf-8")
)


def alternation(name: str) -> str:
    """The words of the cue list `name` as a regex alternation, the longest first; a space
    matches any run of spaces."""
    words = sorted(CUES[name], key=len, reverse=True)
    return "(?:" + "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in words) + ")"


# English, then Welsh ("13eg Ionawr 2014").
MONTH_SPELLINGS = [
    *("january jan ionawr", "february feb chwefror", "march mar mawrth", "april apr ebrill"),
    *("may mai", "june jun mehefin", "july jul gorffennaf", "august aug awst"),
    *("september sept sep medi", "october oct hydref", "november nov tachwedd"),
    "december dec rhagfyr",
]
MONTHS = {name: n for n, names in enumerate(MONTH_SPELLINGS, start=1) for name in names.split()}
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))

DASHES = r"\-‐‑–—−"  # the hyphen escaped, so this is safe anywhere in a character class
# Not glued to a word, an amount, a decimal, a thousands group, a time or a path.
BEFORE = r"(?<![^\W_])(?<![£$€.,:/])"
# Not running on into more digits, letters, a decimal, a code or a percentage.
RUNS_ON = rf"[^\W_]|%|[.,:/{DASHES}]\d"
AFTER = rf"(?!{RUNS_ON})"
YEAR4 = r"(?:19|20)\d\d"
SPAN_SEP = rf"\s*[{DASHES}]\s*|\s+to\s+"
# "10th", "10 th" (a copy's stray space), "10<sup>th</sup>", Welsh "13eg", "1af".
DAY = (
    r"(?P<{}>[0-3]?\d)"
    r"(?: ?(?:st|nd|rd|th)|af|il|ydd|fed|ed|eg|ain|<sup>\s*(?:st|nd|rd|th)\s*</sup>)?"
    r"\s*(?:of\s+)?"
)
# The lookahead is a cheap first test before trying every name; (?a:) keeps re.I from
# matching "ſ" for "s" or "ı" for "i", which are not keys of MONTHS.  A digit may touch
# the name: copied text loses the space in "on the 23November 2016".
MONTH = rf"(?<![^\W\d_])(?=[acdefghijmnorst])(?P<{{}}>(?a:{MONTH_NAMES}))\b\.?"
# "Tuesday,10th April, 2007": ModernGov runs the weekday into the day.
WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?(?:,\s*|\s+))?"

# Four-digit first year: "2017/18", "2017 - 2018", "2016-2020", "2016-20", "2008/9".  Text
# copied from PDFs glues it to the words around ("drug misuse2005–2008Borough of"): a lower
# case letter before it, or a capital after it, is a word that lost its space.
YEAR_SPAN = re.compile(
    rf"(?<!\d)(?<!(?-i:[A-Z]))(?<![£$€.,:/])(?P<y1>{YEAR4})(?P<sep>\s*/\s*|{SPAN_SEP})"
    rf"(?P<y2>{YEAR4}|\d\d|\d)(?!(?-i:[a-z])|\d|%|[.,:/{DASHES}]\d)",
    re.I,
)
# "17/18" anywhere; "20-21" only after a `PERIOD_WORD`, since it is usually a page range.
# Letters may touch it ("FY19/20"); `candidates` then asks for the word "FY".
SHORT_PAIR = re.compile(
    rf"(?<![\d_£$€.,:/])(?P<y1>\d\d)(?P<sep>/|\s*[{DASHES}]\s*)(?P<y2>\d\d)"
    rf"(?!{RUNS_ON}|\s+{MONTH.format('m')})",
    re.I,
)
PERIOD_WORD = re.compile(
    r"\b(?P<word>plans?|years?|reports?|assessments?|strateg(?:y|ies)|for|during|fy)\s*\Z", re.I
)
TEXT_DATE = re.compile(
    rf"{BEFORE}{WEEKDAY}{DAY.format('d')}{MONTH.format('m')},?\s+(?P<y>{YEAR4}){AFTER}", re.I
)
US_DATE = re.compile(
    rf"{MONTH.format('m')}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>{YEAR4}){AFTER}", re.I
)
NUMERIC_DATE = re.compile(
    rf"{BEFORE}(?P<d>\d\d?)(?P<sep>[/.])(?P<m>\d\d?)(?P=sep)(?P<y>{YEAR4}|\d\d){AFTER}"
)
ISO_DATE = re.compile(rf"{BEFORE}(?P<y>{YEAR4})-(?P<m>\d\d)-(?P<d>\d\d){AFTER}")
MONTH_YEAR = re.compile(rf"{MONTH.format('m')},?\s+(?P<y>{YEAR4}){AFTER}", re.I)
# "May – July 2017", "March / April 2020", "between April and June 2019": the first
# part has no year.  Spans where both parts have one are joined in `join_spans`.
MONTH_SPAN = re.compile(
    rf"(?P<between>\bbetween\s+)?(?P<p>(?:{DAY.format('d1')})?{MONTH.format('m1')}"
    rf"(?P<sep>{SPAN_SEP}|\s*/\s*|\s+and\s+)(?:{DAY.format('d2')})?{MONTH.format('m2')},?\s+"
    rf"(?P<y>{YEAR4})){AFTER}",
    re.I,
)
YEAR = re.compile(rf"{BEFORE}(?P<y>{YEAR4}){AFTER}")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A day named with its weekday but no year: "this week (Tuesday 14 November)", "an event
# on Tuesday March 19", "starts on Monday (25 September)".  The weekday fixes the year.
WEEKDAY_DATE = re.compile(
    rf"\b(?P<w>{'|'.join(WEEKDAYS)}),?\s*\(?\s*(?:(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?"
    rf"{MONTH.format('m')}|{MONTH.format('m2')}\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b)"
    rf"(?!,?\s*(?:{YEAR4}|\d))",
    re.I,
)
# Legislation is named by its year: "Crime and Disorder Act 1998", "Police Reform and Social
# Responsibility Act 2011 (PRSRA)", "Criminal Justice Acts 2002 and 2006", "Regulations 2009",
# "the 1998 Crime and Disorder Act", Welsh "Deddf Trosedd ac Anhrefn 1998".
NAMED_BEFORE = re.compile(
    rf"(?:\b{alternation('law_words')}\s*\(?"
    rf"|\b{alternation('law_words_welsh')}\s+(?:[^\W\d]+\s+){{1,6}})"
    rf"(?:{YEAR4}\s*(?:,|and|&|a)\s*)*\Z",
    re.I,
)
NAMED_AFTER = re.compile(r"\)?\s+(?:(?:[A-Z][\w'’-]*|and|of|the|&),?\s+){1,8}(?:Act|ACT)\b")
# A plan named just before a span: "Community Safety Strategy 2016/2020", "Plan (2015/19)".
PLAN_NAME_BEFORE = re.compile(rf"\b{alternation('plan_names')}[\s:(]*\Z", re.I)
# "1st April 2019 to the 31st March 2020" as well.
JOIN_SEP = re.compile(rf"{SPAN_SEP}(?:the\s+)?", re.I)
BETWEEN, AND = re.compile(r"\bbetween\s+\Z", re.I), re.compile(r"\s+and\s+", re.I)
# Numbers whose digits could pass for years: "0808 2000 247", "£ 2,019.50".
NOISE = re.compile(r"(?:\+44\s?|\b0)\d{2,4}(?:\s?\d{3,4}){1,2}\b|[£$€]\s?\d[\d,.]*")
# Every period holds a four-digit 19xx/20xx or a pair like "17/18" or "28.07": the patterns
# above only run near one of these, and those with month names only where one is near,
# which keeps long texts, and long tables of numbers, fast.
ANCHOR = re.compile(rf"\d(?:[90]\d\d|\s*[/.{DASHES}]\s*\d\d)")
MONTH_WORD = re.compile(MONTH.format("m"), re.I)
LOOK_BEHIND, LOOK_AHEAD = 64, 16

Spans = list[tuple[int, int]]


@dataclass(frozen=True)
class PeriodMention:
    """A period as written in a text, with the financial years (start years) it covers."""

    year_from: int
    year_to: int
    text: str
    start: int
    end: int
    kind: str  # "fy" | "range" | "date" | "month" | "year"
    on: date | None = None  # the day a "date" names

    @property
    def label(self) -> str:
        """'2019-20', or '2016-17 to 2019-20' for a span."""
        return period_label(self.year_from, self.year_to) or ""


def fy_of(year: int, month: int) -> int:
    """The financial year (start year) a month falls in: Jan-Mar belong to the year before."""
    return year if month >= 4 else year - 1


def in_range(*years: int) -> bool:
    return all(MIN_YEAR <= year <= MAX_YEAR for year in years)


def full_year(digits: str) -> int:
    """A year as written; two digits mean 1990-2039 (and 1940-1989, which fall out of range)."""
    year = int(digits)
    if len(digits) == 4:
        return year
    return 2000 + year if year < 40 else 1900 + year


def year_span(first: int, second: str) -> tuple[int, int] | None:
    """FY start years of "2017-18", "2016-2020", "2016-20", "2008/9"; None unless a forward
    span (and, with one digit, a financial year)."""
    if len(second) == 1:
        last = first - first % 10 + int(second)
        last += 10 if last <= first else 0  # "2009/0"
        return (first, first) if last == first + 1 and in_range(first) else None
    last = int(second) if len(second) == 4 else first - first % 100 + int(second)
    if len(second) == 2 and last < first:
        last += 100  # "1999-00"
    if last <= first or not in_range(first, last - 1):
        return None
    return first, last - 1


def real_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return in_range(fy_of(year, month))


def short_dotted(match: re.Match[str]) -> bool:
    """A section number like "1.2.17" rather than a date like "28.07.17"."""
    return match["sep"] == "." and len(match["y"]) == 2 and len(match["d"] + match["m"]) < 4


def windows(text: str) -> Spans:
    """Stretches of the text near an anchor, merged where they touch."""
    spans: Spans = []
    for match in ANCHOR.finditer(text):
        start, end = max(match.start() - LOOK_BEHIND, 0), match.end() + LOOK_AHEAD
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def candidates(text: str) -> list[PeriodMention]:
    """Every reading of every span, overlapping; `find_periods` picks among them."""
    spans = windows(text)
    named = [(start, end) for start, end in spans if MONTH_WORD.search(text, start, end)]
    found: list[PeriodMention] = []

    def matches(pattern: re.Pattern[str], where: Spans = spans) -> Iterator[re.Match[str]]:
        for start, end in where:
            yield from pattern.finditer(text, start, end)

    def add(
        match: re.Match[str],
        group: str | int,
        year_from: int,
        year_to: int,
        kind: str,
        on: date | None = None,
    ):
        start, end = match.span(group)
        found.append(PeriodMention(year_from, year_to, text[start:end], start, end, kind, on))

    for match in matches(YEAR_SPAN):
        span = year_span(int(match["y1"]), match["y2"])
        if span is None:
            continue
        if "/" in match["sep"] and span[0] != span[1] and not named_span(text, match):
            continue  # "2016/2019" reads as alternatives, unless a plan's span
        add(match, 0, *span, "fy" if span[0] == span[1] else "range")
    for match in matches(SHORT_PAIR):
        first, second = int(match["y1"]), int(match["y2"])
        before = PERIOD_WORD.search(text, max(match.start() - 16, 0), match.start())
        word = before["word"].lower() if before else ""
        glued = match.start() > 0 and text[match.start() - 1].isalpha()
        if (first + 1) % 100 != second or (glued and word != "fy"):
            continue
        if ("/" not in match["sep"] and not word) or (first <= 12 and word.startswith("year")):
            continue  # a page range "20-21", or school years "Year 10-11"
        year = full_year(match["y1"])
        if in_range(year):
            add(match, 0, year, year, "fy")
    for pattern, where in (
        (TEXT_DATE, named),
        (US_DATE, named),
        (NUMERIC_DATE, spans),
        (ISO_DATE, spans),
    ):
        for match in matches(pattern, where):
            if pattern is NUMERIC_DATE and short_dotted(match):
                continue
            month_text, year = match["m"], full_year(match["y"])
            month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower()]
            if real_date(year, month, int(match["d"])):
                day = date(year, month, int(match["d"]))
                add(match, 0, fy_of(year, month), fy_of(year, month), "date", day)
    for match in matches(MONTH_YEAR, named):
        fy = fy_of(int(match["y"]), MONTHS[match["m"].lower()])
        if in_range(fy):
            add(match, 0, fy, fy, "month")
    for match in matches(MONTH_SPAN, named):
        if match["sep"].strip().lower() == "and" and not match["between"]:
            continue
        year = int(match["y"])
        first, last = MONTHS[match["m1"].lower()], MONTHS[match["m2"].lower()]
        start_year = year if first <= last else year - 1  # "November - February 2019"
        if in_range(fy_of(start_year, first), fy_of(year, last)):
            add(match, "p", fy_of(start_year, first), fy_of(year, last), "range")
    for match in matches(YEAR):
        year = int(match["y"])
        if in_range(year) and not names_a_law(text, match.start(), match.end()):
            add(match, 0, year, year, "year")
    found = outside_noise(found, [match.span() for match in matches(NOISE)])
    return found + join_spans(text, found)


def named_span(text: str, match: re.Match[str]) -> bool:
    """Whether "2016/2020" is a span: the period of a plan named just before it ("Partnership
    Strategy 2015/2019", "Plan 2016/20"), or, in four digits, a line of its own, as on a
    cover ("2017/19" alone is too like a typo for a financial year)."""
    alone = not (text[: match.start()].strip() or text[match.end() :].strip())
    return bool(
        PLAN_NAME_BEFORE.search(text, max(match.start() - LOOK_AHEAD, 0), match.start())
        or (alone and len(match["y2"]) == 4)
    )


def names_a_law(text: str, start: int, end: int) -> bool:
    """Whether the year at start..end is part of an Act's or a regulation's name."""
    return bool(
        NAMED_BEFORE.search(text, max(start - LOOK_BEHIND, 0), start)
        or NAMED_AFTER.match(text, end, end + LOOK_BEHIND)
    )


def outside_noise(found: list[PeriodMention], noise: Spans) -> list[PeriodMention]:
    """Drop readings that overlap a phone number or an amount."""
    if not noise:
        return found
    starts = [start for start, _ in noise]
    kept = []
    for mention in found:
        # Noise spans do not overlap, so only the last one starting before the end can.
        index = bisect_left(starts, mention.end) - 1
        if index < 0 or noise[index][1] <= mention.start:
            kept.append(mention)
    return kept


def join_spans(text: str, found: list[PeriodMention]) -> list[PeriodMention]:
    """Ranges from two dated ends: "April 2019 - March 2020", "01/08/2016 – 31/07/2017",
    "between April 2016 and July 2017"; and from two financial years, "2019/20 to 2023/24".

    A bare end year counts as in "2016-2020": "October 2019 - 2023" ends in 2022-23.
    """
    dated = [mention for mention in found if mention.kind in ("date", "month", "fy")]
    by_start = {mention.start: mention for mention in found if mention.kind == "year"}
    by_start.update((mention.start, mention) for mention in dated)
    joined = []
    for first in dated:
        gap = JOIN_SEP.match(text, first.end)
        if gap is None and BETWEEN.search(text, max(first.start - 8, 0), first.start):
            gap = AND.match(text, first.end)  # "between April 2016 and July 2017"
        last = by_start.get(gap.end()) if gap else None
        if last is None or (first.kind == "fy") != (last.kind == "fy"):
            continue  # financial years join only each other: "2019/20 to 2023/24"
        year_to = last.year_to - 1 if last.kind == "year" else last.year_to
        if first.year_from <= year_to:
            start, end = first.start, last.end
            joined.append(
                PeriodMention(first.year_from, year_to, text[start:end], start, end, "range")
            )
    return joined


def find_periods(text: str) -> list[PeriodMention]:
    """Every period the text states, in order, without overlaps.

    Where readings overlap, the set covering the most text wins, so "10 September 2019" is
    one date and "2021/2022 - 2023/2024" one span of financial years rather than "2022 -
    2023".
    """
    found = sorted(candidates(text), key=lambda mention: (mention.end, mention.start))
    ends = [mention.end for mention in found]
    # best[i]: the most text, then the fewest mentions, coverable with the first i readings.
    best: list[tuple[int, int]] = [(0, 0)]
    took: list[bool] = []
    for index, mention in enumerate(found):
        covered, count = best[bisect_right(ends, mention.start, 0, index)]
        take = (covered + mention.end - mention.start, count - 1)
        took.append(take > best[index])
        best.append(max(take, best[index]))
    chosen = []
    index = len(found)
    while index > 0:
        if took[index - 1]:
            mention = found[index - 1]
            chosen.append(mention)
            index = bisect_right(ends, mention.start, 0, index - 1)
        else:
            index -= 1
    return chosen[::-1]


def weekday_dated(text: str, not_after: date) -> PeriodMention | None:
    """The first day the text names with a weekday but no year ("Tuesday 14 November"),
    put in the latest year up to `not_after` in which every such day falls on its weekday,
    or in which the first does where they disagree."""
    named = [
        (match, MONTHS[(match["m"] or match["m2"]).lower()], int(match["d"] or match["d2"]))
        for match in WEEKDAY_DATE.finditer(text)
    ]
    if not named:
        return None

    def falls(year: int, match: re.Match[str], month: int, day: int) -> bool:
        weekday = WEEKDAYS.index(match["w"].lower())
        return real_date(year, month, day) and date(year, month, day).weekday() == weekday

    first, month, day = named[0]
    for wanted in (named, named[:1]):
        for year in range(min(not_after.year, MAX_YEAR), MIN_YEAR - 1, -1):
            on = date(year, month, day) if real_date(year, month, day) else None
            if on is not None and on <= not_after and all(falls(year, *n) for n in wanted):
                fy = fy_of(year, month)
                return PeriodMention(fy, fy, first[0], first.start(), first.end(), "date", on)
    return None


OPTION = re.compile(rf"(\d\d|\d{{4}})(?:(\s*/\s*|{SPAN_SEP})(\d\d|\d{{4}}))?", re.I)


def parse_year_option(value: str) -> tuple[int, int]:
    """A --year/--from/--to value as FY start years.

    "2019", "2019-20", "2019/20", "2019/2020", "2019-2020" and "19/20" are (2019, 2019);
    the span "2016-2020" (or "2016-20") is (2016, 2019).
    """
    match = OPTION.fullmatch(value.strip())
    span = None
    if match and match[2] is None:
        year = int(match[1])
        span = (year, year) if len(match[1]) == 4 and in_range(year) else None
    elif match:
        first, second = full_year(match[1]), match[3]
        span = year_span(first, second if len(match[1]) == 4 else str(full_year(second)))
        if span and span[0] != span[1] and (len(match[1]) == 2 or "/" in match[2]):
            span = None  # a span of several years needs four digits and a dash
    if span is None:
        raise ValueError(
            f"expected a financial year such as 2019, 2019-20 or 2019/20, or a span such as "
            f"2016-2020 (years {MIN_YEAR}-{MAX_YEAR}), not {value!r}"
        )
    return span
