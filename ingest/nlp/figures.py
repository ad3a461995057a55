"""Figures a CSP reports (money, percentages, rates, counts) as a registered spaCy component.

`csp_figures` runs after a ``sentencizer`` on ``spacy.blank("en")`` and sets
``doc._.figures`` to the `Figure`s in the text, in order.  There is no tagger, so the
rules lean on the shape of numbers and on the word lists in
``models/figures/lexicon.json``:

- a number is a candidate only when it stands alone: not part of a date ("28.07.17",
  "2017/18", "2017-18"), a time ("7:15pm"), a code ("CM7"), an ordinal ("11th") or a
  hyphenated modifier ("12-week"); phone numbers, postcodes, URLs, dates written with a
  month, clock times and contents-page leaders ("Introduction..... 1") are masked out;
- money is a currency symbol or word ("£2.5m", "17,739 pounds"), a percentage a percent
  sign or word, a rate a number followed by "per" and a number or a rate base
  ("3.1 crimes per 1,000 residents", "247 people per square km");
- any other number is a count only when a noun phrase follows it ("302 Safe and Well
  visits"): bare numbers, years, durations and ages ("12 months", "15 year old"),
  labels ("Item 5", "Section 17", "aged 15", "per 1,000"), table cells holding only a
  number, and a line-opening number before a Title Case heading ("4 Minutes of the
  Previous Meeting") are not figures;
- a number with nothing counted after it is still a figure of what names it before: a
  label and a colon ("Total notifiable offences: 11,720", but not "Page: 3") or a value
  noun and "of" ("a London average of 93.4"), a count if whole, else a rate.

The noun phrase after a number runs over words until a stop word, punctuation, a table
cell or line break, or a verb-like word (-ed, -ing, -ly) that closes it.  "and", "or" and
"&" stay inside when they join Title Case words ("Safe and Well visits") or when the
phrase carries on past the next word ("older and vulnerable residents").

What an amount of money is for: first a purpose after it ("for", "to fund", "on": "£5,000
to fund Street Pastors"), skipping where it came from ("£1.2m from the Safer Streets Fund
to install CCTV"); else the nearest money noun phrase before it in the sentence ("a
funding allocation of £17,739", "an annual Community Safety Grant from the Office of the
Police, Fire and Crime Commissioner of £17,739"); else the source fund after it ("£1.2m
from the Safer Streets Fund").

A change is read from a sign ("-17%"), a change word straight after the figure ("a 14%
reduction") or one shortly before it in the same clause ("fell by 8 per cent", "a
reduction in police-based recording of 6%"); a changed percentage counts what changed
("ASB incidents fell by 8 per cent", "a 14% reduction in burglary").
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ingest.model import Figure
from ingest.nlp.doc_text import doc_text
from ingest.paths import MODELS_DIR

LEXICON_PATH = MODELS_DIR / "figures" / "lexicon.json"

if not Doc.has_extension("figures"):
    Doc.set_extension("figures", default=None)

MAX_PHRASE_WORDS = 6
# How far back a change word or a money noun may stand from the number it describes.
CHANGE_WINDOW_WORDS = 5
MONEY_NOUN_WINDOW_WORDS = 20
YEARS = range(1900, 2100)
TABLE_CELL_SEPARATOR = " | "
NUMERIC_CELL = re.compile(r"[-+−£]?\d[\d,.]*%?(?: \([\d.]+%\))?")
SMALL_SCORE = re.compile(r"\d")
DETERMINERS = frozenset({"a", "an", "the", "our", "its", "their", "this", "each", "every", "all"})

NUMERAL = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# Words, numbers, hard breaks and single punctuation marks; spaces and soft breaks drop out.
WORD_PATTERN = re.compile(r"[^\W\d_](?:[\w'’&-]*[^\W_])?|\d[\d,.]*\d|\d|\n|\t|[^\s\w]")
PHONE = r"(?<![\d£])(?:\+44\s?(?:\(0\)\s?)?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)"
POSTCODE = r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"
WEB = r"https?://\S+|www\.\S+|\S+@\S+\.\w+"
CLOCK = r"\b\d{1,2}(?:[:.]\d{2})?\s?(?:[ap]m|[ap]\.m\.)(?!\w)"
LEADER = r"(?:\.{2,}|…+)[ \t]*\d+"
# The police and emergency numbers ("Non-emergency: 101", "the 101 number").
SERVICE_NUMBER = (
    r"(?:emergency|call|dial|ring|phone|telephone)\W{0,3}(?:number\W{0,3}|on\W{0,3})?"
    r"(?:999|101|111)\b|\b(?:999|101|111)(?= number)"
)
# A page number between a contents entry and the next one, flattened onto one line
# ("INTRODUCTION 4 The national landscape 6 Devon and Cornwall: an overview 7 ...").
CONTENTS_PAGE = re.compile(r"(?<=\S )\d{1,3}(?= [A-Z])")
MIN_CONTENTS_PAGES = 3
CONTENTS_STEPS_PER_SLIP = 4
ONE_IN = re.compile(r"(?<![\w.,/£])(?P<part>\d{1,2}) in (?P<whole>\d{1,3})(?![\w.,/%])")


@dataclass(frozen=True)
class Lexicon:
    """The word lists in models/figures/lexicon.json, lower-cased except the months."""

    currency_symbols: dict[str, str]
    currency_words: dict[str, str]
    magnitudes: dict[str, float]
    money_magnitudes: dict[str, float]
    percent_words: list[str]
    number_words: dict[str, int]
    rate_bases: frozenset[str]
    increase_words: frozenset[str]
    decrease_words: frozenset[str]
    not_change_phrases: list[tuple[str, ...]]
    stop_words: frozenset[str]
    ly_nouns: frozenset[str]
    non_count_units: frozenset[str]
    street_words: frozenset[str]
    reference_words: frozenset[str]
    months: list[str]
    money_nouns: frozenset[str]
    purpose_connectors: list[tuple[str, ...]]
    source_words: frozenset[str]
    score_header_words: frozenset[str]
    value_nouns: frozenset[str]
    fraction_words: dict[str, float]
    not_fraction_before: frozenset[str]

    @classmethod
    def load(cls, path: Path = LEXICON_PATH) -> Lexicon:
        data = json.loads(Path(path).read_text(encoding="utf-8"))

        def words(key: str) -> frozenset[str]:
            return frozenset(word.lower() for word in data[key])

        def lowered(key: str) -> dict:
            return {word.lower(): value for word, value in data[key].items()}

        return cls(
            currency_symbols=data["currency_symbols"],
            currency_words=lowered("currency_words"),
            magnitudes=lowered("magnitudes"),
            money_magnitudes=lowered("money_magnitudes"),
            percent_words=[word.lower() for word in data["percent_words"]],
            number_words=lowered("number_words"),
            rate_bases=words("rate_bases"),
            increase_words=words("increase_words"),
            decrease_words=words("decrease_words"),
            not_change_phrases=[
                tuple(phrase.lower().split()) for phrase in data["not_change_phrases"]
            ],
            stop_words=words("stop_words"),
            ly_nouns=words("ly_nouns"),
            non_count_units=words("non_count_units"),
            street_words=words("street_words"),
            reference_words=words("reference_words"),
            value_nouns=words("value_nouns"),
            months=list(data["months"]),
            money_nouns=words("money_nouns"),
            purpose_connectors=sorted(
                (tuple(phrase.lower().split()) for phrase in data["purpose_connectors"]),
                key=len,
                reverse=True,
            ),
            source_words=words("source_words"),
            score_header_words=words("score_header_words"),
            fraction_words=lowered("fraction_words"),
            not_fraction_before=words("not_fraction_before"),
        )


def alternation(words: list[str] | dict) -> str:
    """A regex alternation of literal words, longest first so none shadows a longer one."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


class Word(NamedTuple):
    """One word of a text (a tuple: a section has thousands, made faster than objects)."""

    text: str
    start: int
    end: int
    sentence: int
    line_start: bool

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_alpha(self) -> bool:
        return self.text[:1].isalpha()

    @property
    def is_title(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_number(self) -> bool:
        return self.text[:1].isdigit()


@dataclass
class Candidate:
    """A number as written, before it is judged: its value and what is attached to it."""

    start: int
    end: int
    value: float
    is_whole: bool
    is_plain: bool  # digits only: no sign, magnitude or thousands separator
    sign: str
    unit: str | None


@Language.factory("csp_figures", default_config={"lexicon_path": None})
def make_figure_finder(nlp: Language, name: str, lexicon_path: str | None) -> FigureFinder:
    return FigureFinder(load_lexicon(Path(lexicon_path) if lexicon_path else LEXICON_PATH))


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    return Lexicon.load(path)


class FigureFinder:
    """Sets doc._.figures; see the module docstring for the rules."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        currency = alternation(lexicon.currency_symbols)
        short = alternation(lexicon.money_magnitudes)
        long = alternation(lexicon.magnitudes)
        # A number stands alone: not inside a date, code, time or range on either side.
        self.numeral = re.compile(
            rf"(?<![\w.,/:+−–-])(?<!\d[-–])"
            rf"(?P<sign>[+−-](?=(?:{currency})|\d))?(?:(?P<currency>{currency})\s?)?"
            rf"(?P<number>{NUMERAL})"
            rf"(?:(?P<short>{short})|\s?(?P<magnitude>{long}))?"
            rf"(?![^\W_]|[.,/:]\d|[-–][^\W_\d])(?![-–]\d)",
            re.IGNORECASE,
        )
        number_words = alternation(lexicon.number_words)
        self.number_word = re.compile(
            rf"(?<![\w-])(?P<word>{number_words})(?:[- ](?P<unit>{number_words}))?"
            rf"(?:\s(?P<magnitude>{long}))?(?![\w-])",
            re.IGNORECASE,
        )
        percent = "|".join(
            r"\s?%" if word == "%" else r"\s+" + r"\s*".join(map(re.escape, word.split()))
            for word in lexicon.percent_words
        )
        self.percent = re.compile(rf"(?:{percent})(?!\w)", re.IGNORECASE)
        self.currency_word = re.compile(
            rf"\s+(?:{alternation(lexicon.currency_words)})\b", re.IGNORECASE
        )
        months = alternation(lexicon.months + [month.upper() for month in lexicon.months])
        dates = (
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{months})\b\.?"
            rf"|\b(?:{months})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
        )
        self.masks = re.compile("|".join([WEB, PHONE, POSTCODE, dates]))
        self.masks_any_case = re.compile(f"{CLOCK}|{LEADER}|{SERVICE_NUMBER}", re.IGNORECASE)
        self.fraction = re.compile(
            rf"(?<![\w-])(?:{alternation(lexicon.fraction_words)})(?![\w-])", re.IGNORECASE
        )

    def __call__(self, doc: Doc) -> Doc:
        doc._.figures = FigureScan(doc, self).figures()
        return doc


def contents_pages(line: str) -> list[re.Match[str]]:
    """The page numbers of contents entries run on one line: at least three, in page
    order but for a slip now and then (a footer's page number among them: "... 20
    Appendix 1 Terms of Reference 21 2 Page 12"); counts in a row of capitalised nouns
    are in no order ("95 Community Protection Warnings 27 ... 4 ... 22 ...")."""
    pages = list(CONTENTS_PAGE.finditer(line))
    numbers = [int(match.group()) for match in pages]
    descents = sum(a > b for a, b in pairwise(numbers))
    in_order = descents <= (len(numbers) - 1) // CONTENTS_STEPS_PER_SLIP
    return pages if len(pages) >= MIN_CONTENTS_PAGES and in_order else []


def cell_at(cells: list[str], offset: int) -> int | None:
    """The index of the cell holding `offset` in a row joined by TABLE_CELL_SEPARATOR."""
    position = 0
    for index, cell in enumerate(cells):
        if position <= offset < position + len(cell):
            return index
        position += len(cell) + len(TABLE_CELL_SEPARATOR)
    return None


class FigureScan:
    """One text's words and masked spans, and the figures judged from them.  The words
    are split, and the masks found, only when a number is to be judged: a third of
    sections have none."""

    def __init__(self, doc: Doc, finder: FigureFinder):
        self.doc = doc
        self.text = doc_text(doc)
        self.finder = finder
        self.lexicon = finder.lexicon

    @cached_property
    def masked(self) -> bytearray:
        """Marks the characters no figure may start in: web addresses, phone numbers,
        postcodes, dates, times and the page numbers of contents lines."""
        text = self.text
        masked = bytearray(len(text))
        for pattern in (self.finder.masks, self.finder.masks_any_case):
            for match in pattern.finditer(text):
                masked[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
        line_start = 0
        for line in text.split("\n"):
            for match in contents_pages(line):
                start, end = line_start + match.start(), line_start + match.end()
                masked[start:end] = b"\x01" * (end - start)
            line_start += len(line) + 1
        return masked

    @cached_property
    def words(self) -> list[Word]:
        doc = self.doc
        if doc.has_annotation("SENT_START"):
            return self.split_words([sentence.start_char for sentence in doc.sents])
        return self.split_words([0])

    @cached_property
    def word_starts(self) -> list[int]:
        return [word.start for word in self.words]

    @cached_property
    def word_ends(self) -> list[int]:
        return [word.end for word in self.words]

    def split_words(self, sentence_starts: list[int]) -> list[Word]:
        words: list[Word] = []
        line_start = True
        # The words come in order, so each one's sentence is this one or a later one.
        sentence, next_sentences = -1, iter([*sentence_starts, len(self.text) + 1])
        next_start = next(next_sentences)
        for match in WORD_PATTERN.finditer(self.text):
            text = match.group()
            start = match.start()
            if text == "\n":
                line_start = True
                if self.is_soft_break(start):
                    continue
            while start >= next_start:
                sentence, next_start = sentence + 1, next(next_sentences)
            words.append(Word(text, start, match.end(), sentence, line_start))
            line_start = False
        return words

    def is_soft_break(self, position: int) -> bool:
        """A line break inside a wrapped sentence: the next line goes on in lower case."""
        line_end = self.text.find("\n", position + 1)
        next_line = self.text[position + 1 : line_end if line_end >= 0 else None].lstrip()
        line_begin = self.text.rfind("\n", 0, position) + 1
        in_table = "|" in self.text[line_begin:position] or "|" in next_line
        return next_line[:1].islower() and not in_table

    def is_masked(self, start: int, end: int) -> bool:
        return any(self.masked[start:end])

    def figures(self) -> list[Figure]:
        found: list[Figure] = []
        taken_until = 0
        for candidate in self.candidates():
            if candidate.start < taken_until or self.is_masked(candidate.start, candidate.end):
                continue
            figure = self.judge(candidate)
            if figure is not None:
                found.append(figure)
                taken_until = figure.end
        return found

    def candidates(self) -> list[Candidate]:
        lexicon = self.lexicon
        found = []
        for match in self.finder.numeral.finditer(self.text):
            number = match["number"]
            value = float(number.replace(",", ""))
            currency = match["currency"]
            if match["short"]:
                if not currency:
                    continue  # "3m" is more likely metres than millions
                value *= lexicon.money_magnitudes[match["short"].lower()]
            if match["magnitude"]:
                value *= lexicon.magnitudes[match["magnitude"].lower()]
            sign = match["sign"] or ""
            if sign in ("-", "−"):
                value = -value
            unit = lexicon.currency_symbols[currency] if currency else None
            end = match.end()
            suffix = self.finder.percent.match(self.text, end) if not unit else None
            if suffix:
                unit, end = "percent", suffix.end()
            elif not unit and (words := self.finder.currency_word.match(self.text, end)):
                unit, end = lexicon.currency_words[words.group().strip().lower()], words.end()
            plain = not (sign or match["short"] or match["magnitude"] or "," in number)
            whole = "." not in number or bool(match["short"] or match["magnitude"])
            found.append(Candidate(match.start(), end, value, whole, plain, sign, unit))
        for match in self.finder.number_word.finditer(self.text):
            value = float(lexicon.number_words[match["word"].lower()])
            if match["unit"]:
                value += lexicon.number_words[match["unit"].lower()]
            if match["magnitude"]:
                value *= lexicon.magnitudes[match["magnitude"].lower()]
            found.append(Candidate(match.start(), match.end(), value, True, False, "", None))
        found += self.proportions()
        # At one start the longer reading wins: "1 in 4" before "1".
        return sorted(
            found, key=lambda candidate: (candidate.start, candidate.start - candidate.end)
        )

    def proportions(self) -> list[Candidate]:
        """Proportions in words ("half", "a third", "fourfold": an increase) and "1 in 4"."""
        lexicon = self.lexicon
        found = []
        for match in self.finder.fraction.finditer(self.text):
            before = self.text[: match.start()].split()[-1:]
            if before and before[0].lower() in lexicon.not_fraction_before:
                continue
            phrase = " ".join(match.group().lower().split())
            sign = "+" if phrase.endswith("fold") else ""
            value = lexicon.fraction_words[phrase]
            found.append(
                Candidate(match.start(), match.end(), value, False, False, sign, "percent")
            )
        for match in ONE_IN.finditer(self.text):
            part, whole = int(match["part"]), int(match["whole"])
            if 0 < part < whole:
                value = round(100 * part / whole, 1)
                found.append(
                    Candidate(match.start(), match.end(), value, False, False, "", "percent")
                )
        return found

    def judge(self, candidate: Candidate) -> Figure | None:
        if (in_table := self.statistics_cell(candidate)) is not None:
            return in_table
        before = self.word_before(candidate.start)
        after = self.word_after(candidate.end)
        if after is not None and self.words[after].lower in self.lexicon.non_count_units:
            return None
        if candidate.unit == "GBP":
            counted = self.money_purpose(after) or self.money_noun_before(before)
            counted = counted or self.source_fund(after)
            return self.figure(candidate, "GBP", candidate.end, counted)
        if candidate.unit == "percent":
            return self.figure(candidate, "percent", candidate.end, None)
        rate = self.rate_after(after)
        if rate is not None:
            counted, end = rate
            return self.figure(candidate, "rate", end, counted)
        digits = self.text[candidate.start : candidate.end]
        # A year or a code ("Year: 2021", "Ref: 0123") is no value.
        plain_year = candidate.is_plain and (
            int(candidate.value) in YEARS or digits.startswith("0")
        )
        if (
            self.noun_phrase_after(after) is None
            and not plain_year
            and (named := self.named_value(before))
        ):
            unit = "count" if candidate.is_whole else "rate"
            return self.figure(candidate, unit, candidate.end, named)
        return self.count(candidate, before, after)

    def named_value(self, before: int | None) -> str | None:
        """What a number with nothing counted after it is the value of: a label before a
        colon ("Total notifiable offences: 11,720") or a value noun and "of" ("a London
        average of 93.4")."""
        if before is None or before == 0 or self.is_label(before) or self.is_label(before - 1):
            return None  # "Page: 3", "Version: 1.2"
        word = self.words[before]
        if word.text == ":":
            return self.noun_phrase_ending_at(before - 1)
        if word.lower == "of" and self.words[before - 1].lower in self.lexicon.value_nouns:
            return self.noun_phrase_ending_at(before - 1)
        return None

    def statistics_cell(self, candidate: Candidate) -> Figure | None:
        """A number that fills a cell of a statistics row ("Public Order | 481 | 569 | 18.3"):
        a figure counting what the row's first cell names.

        A row counts as statistics when a text label is followed by at least two numeric
        cells, not all of them single digits beside prose cells (a risk matrix's scores).
        """
        line_start = self.text.rfind("\n", 0, candidate.start) + 1
        line_end = self.text.find("\n", candidate.end)
        line = self.text[line_start : line_end if line_end >= 0 else len(self.text)]
        if TABLE_CELL_SEPARATOR not in line:
            return None
        cells = line.split(TABLE_CELL_SEPARATOR)
        index = cell_at(cells, candidate.start - line_start)
        number = self.text[candidate.start : candidate.end]
        stripped = cells[index].strip() if index is not None else ""
        if not index or not (stripped == number or stripped.startswith(number + " (")):
            return None
        if self.scores_table(line_start):
            return None
        label = cells[0].strip(" -•*")
        if not any(char.isalpha() for char in label):
            return None
        numeric = [c.strip() for c in cells[1:] if NUMERIC_CELL.fullmatch(c.strip())]
        if len(numeric) < 2:
            return None
        prose = [c for c in cells[1:] if len(c.split()) > 3]
        if prose and all(SMALL_SCORE.fullmatch(c) for c in numeric):
            return None
        if candidate.is_plain and int(candidate.value) in YEARS:
            return None
        unit = candidate.unit or ("count" if candidate.is_whole else "rate")
        return self.figure(candidate, unit, candidate.end, label)

    def scores_table(self, line_start: int) -> bool:
        """Whether the table lines above this one head a table of scores or ranks."""
        end = line_start - 1
        while end > 0:
            start = self.text.rfind("\n", 0, end) + 1
            line = self.text[start:end]
            if TABLE_CELL_SEPARATOR not in line:
                return False
            words = set(re.findall(r"[a-z]+", line.lower()))
            if words & self.lexicon.score_header_words:
                return True
            end = start - 1
        return False

    def is_label(self, before: int | None) -> bool:
        """Whether the number after word `before` labels something: 'Item 5', 'age of 50'."""
        if before is None:
            return False
        if self.words[before].lower == "of" and before > 0:
            before -= 1
        return self.words[before].lower in self.lexicon.reference_words

    def count(self, candidate: Candidate, before: int | None, after: int | None) -> Figure | None:
        # "Item 5", and "2.3 Partnership working", a section number, are labels, not counts
        if self.is_label(before) or not candidate.is_whole:
            return None
        digits = self.text[candidate.start : candidate.end]
        if candidate.is_plain and (int(candidate.value) in YEARS or digits.startswith("0")):
            return None
        phrase = self.noun_phrase_after(after)
        if phrase is None or after is None:
            return None
        words = self.words[after : after + phrase]
        head = words[-1].lower
        if head in self.lexicon.non_count_units:
            return None  # a duration: "2 working days"
        if (
            len(words) == 1
            and head.endswith(("ed", "ing", "ly"))
            and head not in self.lexicon.ly_nouns
        ):
            return None  # a verb or adverb, not a noun: "360 briefed", "14 currently"
        if all(word.is_title for word in words):
            if candidate.is_plain and self.opens_line(candidate.start):
                return None  # a numbered heading or agenda item: "4 Minutes of the Meeting"
            if len(words) > 1 and head in self.lexicon.street_words:
                return None  # an address: "21 Trinity Square"
        return self.figure(candidate, "count", candidate.end, self.span_text(words))

    def figure(self, candidate: Candidate, unit: str, end: int, counted: str | None) -> Figure:
        start = candidate.start
        direction = {"-": "decrease", "−": "decrease", "+": "increase"}.get(candidate.sign)
        after = self.word_after(end)
        if (
            after is not None
            and self.continues_at(after, end)
            and (change := self.change_of(after))
        ):
            direction = direction or change
            if unit == "percent" and counted is None:
                counted = self.noun_phrase_after_in(after + 1)
        elif (found := self.change_before(start)) is not None:
            index, change = found
            direction = direction or change
            if unit == "percent" and counted is None:
                counted = self.changed_subject(index) or self.noun_phrase_after_in(
                    index + 1, before=start
                )
        return Figure(
            text=self.text[start:end],
            value=candidate.value,
            unit=unit,
            start=start,
            end=end,
            counted=counted,
            direction=direction,
        )

    # Words around a position.

    def word_after(self, position: int) -> int | None:
        index = bisect_left(self.word_starts, position)
        return index if index < len(self.words) else None

    def word_before(self, position: int) -> int | None:
        index = bisect_right(self.word_ends, position) - 1
        return index if index >= 0 else None

    def continues_at(self, index: int, position: int) -> bool:
        """Whether the word at `index` goes on the sentence and line of the text at `position`."""
        word = self.words[index]
        previous = self.word_before(position)
        return not word.line_start and (previous is None or self.same_sentence(previous, index))

    def opens_line(self, position: int) -> bool:
        line = self.text[self.text.rfind("\n", 0, position) + 1 : position]
        return not line.strip(" \t•-*")

    def span_text(self, words: list[Word]) -> str:
        return self.text[words[0].start : words[-1].end]

    def same_sentence(self, first: int, second: int) -> bool:
        return self.words[first].sentence == self.words[second].sentence

    def is_numeric(self, index: int) -> bool:
        word = self.words[index]
        return word.is_number or word.lower in self.lexicon.number_words

    def is_phrase_word(self, index: int) -> bool:
        """A word that can belong to a noun phrase: not a stop word, a change word or a mask."""
        if index >= len(self.words):
            return False
        word = self.words[index]
        return (
            word.is_alpha
            and word.lower not in self.lexicon.stop_words
            and self.change_of(index) is None
            and not self.is_masked(word.start, word.end)
        )

    def closes_phrase(self, index: int) -> bool:
        """A verb-like word after a noun: '30 CSE investigations recorded for this year'.

        An -ing word is a verb only before a determiner ('people attending the event');
        elsewhere it is as often a noun ('police-based recording', 'youth offending teams').
        """
        word = self.words[index]
        lower = word.lower
        if word.is_title:
            return False
        if lower.endswith("ly") and len(lower) > 4 and lower not in self.lexicon.ly_nouns:
            return True
        if lower.endswith("ed"):
            return not self.is_phrase_word(index + 1)
        if lower.endswith("ing"):
            return index + 1 < len(self.words) and self.words[index + 1].lower in DETERMINERS
        return False

    # Noun phrases.

    def noun_phrase_after(self, index: int | None) -> int | None:
        """How many words from `index` make the noun phrase there, or None if there is none."""
        if index is None:
            return None
        length = 0
        while length < MAX_PHRASE_WORDS and index + length < len(self.words):
            position = index + length
            word = self.words[position]
            if length and (word.line_start or not self.same_sentence(index, position)):
                break
            if length and word.lower in ("and", "or", "&"):
                if self.joins(position):
                    length += 1
                    continue
                break
            if not self.is_phrase_word(position):
                break
            if length and self.closes_phrase(position):
                break
            length += 1
        while length and self.words[index + length - 1].lower in ("and", "or", "&"):
            length -= 1
        return length or None

    def joins(self, index: int) -> bool:
        """Whether 'and' at `index` joins one noun phrase rather than two."""
        previous, following = self.words[index - 1], index + 1
        if not self.is_phrase_word(following):
            return False
        if previous.is_title and self.words[following].is_title:
            return True
        return self.is_phrase_word(following + 1) and not self.closes_phrase(following + 1)

    def noun_phrase_ending_at(self, index: int) -> str | None:
        """The noun phrase whose last word is at `index`, read backwards."""
        if index < 0 or not self.is_phrase_word(index):
            return None
        first = index
        while index - first + 1 < MAX_PHRASE_WORDS and first > 0:
            previous = first - 1
            if not self.same_sentence(previous, index):
                break
            word = self.words[previous]
            if word.lower in ("and", "&") and previous > 0:
                if word.text == "&" or (
                    self.words[previous - 1].is_title and self.words[first].is_title
                ):
                    first = previous - 1
                    continue
                break
            if not self.is_phrase_word(previous):
                break
            first = previous
        if not self.is_phrase_word(first):
            first += 1
        return self.span_text(self.words[first : index + 1])

    def changed_subject(self, index: int) -> str | None:
        """'ASB incidents fell by 8%' -> 'ASB incidents': the noun phrase before a change verb.

        After "a"/"an" the words before the change word describe it ('a small increase').
        """
        subject = self.noun_phrase_ending_at(index - 1)
        if subject is None:
            return None
        first = index - len(WORD_PATTERN.findall(subject)) - 1
        if first >= 0 and self.words[first].lower in ("a", "an"):
            return None
        return subject

    def noun_phrase_after_in(self, index: int, before: int | None = None) -> str | None:
        """'reduction in burglary' -> 'burglary', from 'in' at `index`, ending before `before`."""
        if index >= len(self.words) or self.words[index].lower != "in":
            return None
        start = self.skip_determiners(index + 1)
        length = self.noun_phrase_after(start)
        if not length or (before is not None and self.words[start + length - 1].end > before):
            return None
        return self.span_text(self.words[start : start + length])

    def skip_determiners(self, index: int) -> int:
        while index < len(self.words) and self.words[index].lower in DETERMINERS:
            index += 1
        return index

    # Money.

    def money_purpose(self, index: int | None) -> str | None:
        """'£5,000 to fund Street Pastors' -> 'Street Pastors', past any 'from <source>'."""
        if index is None:
            return None
        if self.words[index].lower in self.lexicon.source_words:
            source = self.noun_phrase_after(self.skip_determiners(index + 1))
            if source:
                index = self.skip_determiners(index + 1) + source
        for connector in self.lexicon.purpose_connectors:
            following = index + len(connector)
            if following > len(self.words):
                continue
            if tuple(word.lower for word in self.words[index:following]) != connector:
                continue
            start = self.skip_determiners(following)
            length = self.noun_phrase_after(start)
            if length and self.same_sentence(index, start):
                return self.span_text(self.words[start : start + length])
            return None
        return None

    def money_noun_before(self, index: int | None) -> str | None:
        """The nearest noun phrase before the amount, in its sentence, that names money."""
        if index is None:
            return None
        last = max(-1, index - MONEY_NOUN_WINDOW_WORDS)
        for position in range(index, last, -1):
            word = self.words[position]
            if not self.same_sentence(position, index) or word.text in ("\n", "\t", "|", ";"):
                return None
            is_amount = word.is_number or word.text in self.lexicon.currency_symbols
            if is_amount and position != index:
                return None  # another amount's noun is not this one's
            if self.is_money_noun(word.lower):
                return self.noun_phrase_ending_at(position)
        return None

    def is_money_noun(self, lower: str) -> bool:
        nouns = self.lexicon.money_nouns
        return lower in nouns or (lower.endswith("s") and lower[:-1] in nouns)

    def source_fund(self, index: int | None) -> str | None:
        """'£1.2m from the Safer Streets Fund' -> 'Safer Streets Fund'."""
        if index is None or self.words[index].lower not in self.lexicon.source_words:
            return None
        start = self.skip_determiners(index + 1)
        length = self.noun_phrase_after(start)
        if length and self.is_money_noun(self.words[start + length - 1].lower):
            return self.span_text(self.words[start : start + length])
        return None

    # Rates and changes.

    def rate_after(self, index: int | None) -> tuple[str | None, int] | None:
        """'crimes per 1,000 residents' -> ('crimes', end of 'residents')."""
        if index is None:
            return None
        counted_length = self.noun_phrase_after(index) or 0
        per = index + counted_length
        if per + 1 >= len(self.words) or self.words[per].lower != "per":
            return None
        base = self.words[per + 1]
        if base.is_number:
            end = base.end
            length = self.noun_phrase_after(per + 2)
            if length:
                end = self.words[per + 1 + length].end
        elif base.lower in self.lexicon.rate_bases:
            length = self.noun_phrase_after(per + 1) or 1
            end = self.words[per + length].end
        else:
            return None
        counted = self.span_text(self.words[index:per]) if counted_length else None
        return counted, end

    def change_of(self, index: int) -> str | None:
        lower = self.words[index].lower
        for phrase in self.lexicon.not_change_phrases:
            for offset, word in enumerate(phrase):
                start = index - offset
                if word == lower and start >= 0 and self.words_are(start, phrase):
                    return None
        if lower in self.lexicon.increase_words:
            return "increase"
        if lower in self.lexicon.decrease_words:
            return "decrease"
        return None

    def words_are(self, start: int, phrase: tuple[str, ...]) -> bool:
        found = tuple(word.lower for word in self.words[start : start + len(phrase)])
        return found == phrase

    def change_before(self, position: int) -> tuple[int, str] | None:
        """A change word shortly before `position` in the same clause, and its direction."""
        index = self.word_before(position)
        if index is None:
            return None
        for offset in range(CHANGE_WINDOW_WORDS):
            current = index - offset
            if current < 0 or not self.same_sentence(current, index):
                return None
            word = self.words[current]
            if self.is_numeric(current) or word.text in ("\n", "\t", "|", ";", ":"):
                return None
            if change := self.change_of(current):
                return current, change
        return None


@lru_cache(maxsize=2)
def figure_pipeline(lexicon_path: Path = LEXICON_PATH) -> Language:
    """A blank English pipeline with a sentencizer and csp_figures; built once per process."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("csp_figures", config={"lexicon_path": str(lexicon_path)})
    return nlp


def find_figures(text: str) -> list[Figure]:
    """The figures in one text, with character offsets into it."""
    return figure_pipeline()(text)._.figures
