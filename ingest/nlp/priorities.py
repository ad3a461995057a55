"""The priorities a CSP plan or report states, each mapped to themes.

Works from a document's sections (heading path, text with one line per block or table
row, first page), in the forms CSP documents across England and Wales use:

- priority labels, as headings, lines or table cells: "Priority 1 – Domestic Abuse",
  "Priority One: ...", "Strategic Priority 2: ...", "PRIORITY: Reduce Re-offending", or
  "Priority 1" alone with its name in the next line, heading or cell;
- the headings directly under a priorities heading ("Our Priorities" > "Domestic Abuse");
- short lines under a lead-in: a heading or line such as "Our priorities for 2020-23",
  "Partnership Focus 17/18:", "The CSP priorities for 2017/18 were:", "... identified three
  specific priorities ..."; the list ends at a long line, a line ending in a colon, a line
  that speaks of priorities again, a table row, a label or the next heading.  A lead-in
  that closes its section introduces the headings that follow, while they name a theme;
- the cells under a table's "Priority" column;
- sentences: "The CSP's priorities for 2018/19 are: A, B and C.", also inside a paragraph
  the reader joined from lines; "A; B, with C; and D" splits at the semicolons only.

Label lines the reader joined ("Priority one – A Priority two – B") are read one label at
a time, and a label joined to the body text under it ("Priority: Drugs and alcohol
Drug-related deaths ...") keeps its sentence-case name.

Priorities that belong to another body and are merely quoted (the Police and Crime Plan,
the PCC's, national ones) and a "previous" year's are left out.  Each priority is for
the financial year its lead-in states ("In 2018-19 the priorities will be:" inside a
2017-18 report), else its section's year.  Documents a partner agency wrote (a police or
fire service appendix in a committee pack) state that agency's priorities, not the
CSP's, and yield none.  The same priority found twice for the same year (a contents
list and a heading) counts once:
it keeps the section and page of its strongest source (a heading over a list line), its
fullest wording, and its rank in the document's order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz

from ingest.attribution.periods import find_periods
from ingest.model import Document, Priority, Section
from ingest.nlp.themes import themes_of

# Source strengths: which occurrence of a priority found twice gives its section and page.
LABEL_HEADING = 5
CHILD_HEADING = 4
LABEL_LINE = 3
TABLE_COLUMN = 2
LIST_ITEM = 1
SENTENCE = 0

MAX_ITEM_WORDS = 24
# A full stop after this many words makes a line prose that ends a list, not an item.
MAX_SENTENCE_ITEM_WORDS = 12
MAX_ITEM_CHARS = 160
MAX_LEAD_IN_WORDS = 45
MIN_HEADER_CELLS = 3
MAX_TITLE_WORDS = 8
MERGE_SIMILARITY = 90

NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten"
COUNTS = {word: n for n, word in enumerate(NUMBER_WORDS.split("|"), start=1)}

PRIORITY_WORD = re.compile(r"\bpriorit(?:y|ies)\b", re.I)
LABEL = re.compile(
    r"^(?:\d+(?:\.\d+)*[.)]?\s+)?(?:(?:our|strategic|partnership|csp|key|local)\s+)?"
    r"priority(?:\s+(?:area|theme|outcome|objective))?"
    rf"(?:\s*(?P<number>\d{{1,2}}|{NUMBER_WORDS})\b\s*[:.\-–—]?|\s*[:\-–—])\s*(?P<name>\S.*)$",
    re.I,
)
# "Priority 1" alone: its name is the next line, heading or table cell.
BARE_LABEL = re.compile(
    r"^(?:(?:our|strategic|partnership|csp|key|local)\s+)?"
    r"priority(?:\s+(?:area|theme|outcome|objective))?"
    rf"\s*(?P<number>\d{{1,2}}|{NUMBER_WORDS})\s*[:.\-–—]?$",
    re.I,
)
# A label's name that is a level, not a priority ("Priority: High" in a risk register).
PRIORITY_LEVEL = re.compile(r"^(?:high|medium|low|red|amber|green|n/?a|tbc)\b", re.I)
TITLE = re.compile(
    r"^(?:[\w&'’,./-]+\s+){0,6}"
    r"(?:priorities|priority areas|priority themes|priority outcomes|areas of focus|"
    r"focus areas|partnership focus|our focus|strategic focus)"
    r"(?:\s+(?:for|in|during|of|over))?(?:\s+the)?(?:\s+(?:years?|period))?$",
    re.I,
)
# "Priorities recommended for the Community Safety Strategy 2022-2025" opens a list.
PARTICIPLE_LEAD_IN = re.compile(
    r"^(?:[\w&'’-]+\s+){0,3}priorities\s+(?:recommended|proposed|agreed|identified|chosen|"
    r"selected|set)\s+(?:for|by|in)\b[^.]*$",
    re.I,
)
# A line opening another kind of list ("Cross-cutting themes: ...") ends a list of priorities.
OTHER_LIST = re.compile(
    r"^(?:cross[- ]?cutting\b.*|(?:[\w-]+\s+){0,3}(?:themes?|principles|values|enablers)\s*:.*)$",
    re.I,
)
# Where a second label starts inside a line ("Priority one – A Priority two – B"): the
# reader joined label lines into one paragraph.
INNER_LABEL = re.compile(rf"\s+(?=priority\s*(?:\d{{1,2}}|{NUMBER_WORDS})\b\s*[:.\-–—])", re.I)
# A sentence-case name's run-on into body text starts at a capitalised word after a
# lower-case one ("Drugs and alcohol Drug-related deaths remain ..."), unless an acronym.
RUN_ON_START = re.compile(r"(?<=[a-z,)]) (?=[A-Z][a-z])")
SENTENCE_BREAK = re.compile(r"(?<=[a-z)][.!?])\s+(?=(?:\d+(?:\.\d+)*\s+)?[A-Z])")
COLON_LEAD_IN = re.compile(r"\bpriorit(?:y|ies)\b[^:]*:\s*(?P<rest>.*)$", re.I)
VERB_LEAD_IN = re.compile(
    r"\bpriorities\b[^.:;!?,]{0,80}?\b(?:are|were|will be|include|includes|included)\b"
    r"(?!\s+(?:set|identified|agreed|based|informed|reviewed|outlined|detailed|to|in|by|"
    r"that|being|also|not|still|reflected|delivered|linked|aligned|shown|listed|described|"
    r"summarised|considered|met|as|chosen|drawn|taken|given|\w+ed)\b)\s*(?P<rest>\S.*)$",
    re.I,
)
COUNTED_LEAD_IN = re.compile(
    rf"\b(?:the following|(?P<count>{NUMBER_WORDS}|\d))\s+(?:[a-z]+\s+){{0,2}}priorities\b",
    re.I,
)
# "These three priorities ..." looks back at a list, it does not introduce one.
LOOKS_BACK = re.compile(r"\b(?:these|those|above)\b", re.I)
# Another body's priorities, quoted: the Police and Crime Plan, the PCC, national ones.
OTHER_BODY = re.compile(
    r"crime\s+plan|commissioner|\bo?pf?cc'?s?\b|\bgovernment\b|home office|"
    r"\bnational\s+(?:\w+\s+)?(?:priorit\w*|strateg\w*|plan|framework)|"
    r"\b(?:policing|force|police)\s+priorities",
    re.I,
)
PAST = re.compile(r"\b(?:previous|former|last year'?s?)\b", re.I)
# Documents by a partner agency (appendices to a committee report) that are not the CSP's;
# a CSP report to the Police and Crime Commissioner or Panel is still the CSP's.
ADDRESSEE = re.compile(r"police,?\s+(?:fire\s+)?(?:and|&)\s+crime\s+\w+", re.I)
# A county council's scrutiny, cabinet or committee report on its CSP is the CSP's too.
COUNCIL_MEETING = re.compile(r"\bcounty council\b(?=.*\b(?:scrutiny|cabinet|committee)\b)", re.I)
PARTNER_TITLE = re.compile(
    r"\b(?:police|constabulary|fire (?:and|&) rescue|probation|rehabilitation company|crc|"
    r"clinical commissioning|ccg|nhs|county council|youth offending)\b",
    re.I,
)
CSP_TITLE = re.compile(
    r"community safety|\bcsp\b|\bsafer\b|partnership|crime (?:and|&) disorder", re.I
)
PRIORITY_COLUMN = re.compile(
    r"^(?:(?:csp|partnership|strategic|key|local|our)\s+)?"
    r"priorit(?:y|ies)(?:\s+(?:areas?|themes?|outcomes?))?(?:\s*\(.*\))?$",
    re.I,
)
# A line naming a group or board heads the next thing; it is not a priority.
BODY_NAME = re.compile(
    r"\b(?:group|board|partnership|team|service|committee|forum|panel|council)s?$", re.I
)
# Headings under "Our Priorities" that are parts of the document, not priorities.
GENERIC_HEADINGS = re.compile(
    r"^(?:introduction|background|summary|overview|contents|foreword|context|methodology|"
    r"why\??|how\??|appendix.*|key:?|notes?:?)$",
    re.I,
)

CONTENTS_HEADINGS = frozenset({"contents", "table of contents", "contents page"})
BULLET = re.compile(r"^[•●▪◦‣∙·○■□➢►✓*\-–—]\s*")
NUMBERING = re.compile(r"^(?:\(?\d{1,2}(?:\.\d{1,2})*[.)]?|\(?[a-h][.)]|\(?[ivx]{1,4}[.)])\s+")
PAGE_CELL = re.compile(r"\s*\|\s*\d+(?:\s*[-–]\s*\d+)?\s*$")
LEADER_AND_PAGE = re.compile(r"\s*(?:\.{2,}|…+|\t)[\s.…]*(?:\d+(?:\s*[-–]\s*\d+)?)?\s*$")
# What PAGE_CELL and LEADER_AND_PAGE match besides whitespace and digits.
PAGE_TAIL_CHARACTERS = frozenset(".…|-–")
SENTENCE_INSIDE = re.compile(r"[.!?]\s+[A-Z]")
LIST_SPLIT = re.compile(r"\s*,\s*")
LEADING_CONJUNCTION = re.compile(r"^(?:and|or|&)\s+", re.I)
MERGE_STOPWORDS = frozenset(
    {"the", "and", "of", "to", "in", "a", "an", "for", "on", "our", "with", "within", "from", "by"}
)


@dataclass
class Candidate:
    text: str
    section: Section
    strength: int
    position: int
    number: int | None = None  # the label's own number: 2 for "Priority Two - ..."
    year: int | None = None  # the financial year it is for (start year)


@dataclass
class LeadIn:
    """An open list of priorities: what introduced it and how many items it has taken."""

    excluded: bool
    year: int | None = None  # the year the lead-in states ("CSP Priorities 2018-2019:")
    expected: int | None = None
    taken: int = 0
    marker: str | None = None  # the first item's: "bullet", "number" or ""
    contents: bool = False  # an entry of a contents list: its items are other entries

    @property
    def full(self) -> bool:
        return self.expected is not None and self.taken >= self.expected


def extract_priorities(document: Document) -> list[Priority]:
    """The priorities the document states for its CSP, in document order (rank from 1)."""
    if written_by_partner_agency(document.title):
        return []
    candidates = PriorityScanner(document.title).scan(document.sections)
    return merge_candidates(candidates)


def written_by_partner_agency(title: str) -> bool:
    """A document a partner agency wrote (a police or fire appendix in a committee
    pack): what it states is that agency's, not the CSP's."""
    title = COUNCIL_MEETING.sub("", ADDRESSEE.sub("", title))
    return bool(PARTNER_TITLE.search(title)) and not CSP_TITLE.search(title)


class PriorityScanner:
    """Reads a document's sections line by line and collects priority candidates."""

    def __init__(self, title: str) -> None:
        self.title = " ".join(title.lower().split())
        self.candidates: list[Candidate] = []
        self.lead_in: LeadIn | None = None
        self.pending: LeadIn | None = None
        self.unnamed: tuple[int, int] | None = None  # (number, strength) of a bare label
        self.quoted = False
        self.priority_column: int | None = None
        self.in_contents = False
        self.headings: set[str] = set()

    def scan(self, sections: list[Section]) -> list[Candidate]:
        self.headings = {
            clean_item(heading)[0].lower()
            for section in sections
            for heading in section.heading_path
        }
        for heading_path, block in heading_blocks(sections):
            self.read_heading(heading_path, block[0])
            for section in block:
                for line in section.text.splitlines():
                    for part in split_joined_labels(line.strip()):
                        if not self.quoted:
                            self.read_line(part, section)
            self.end_block()
        return self.candidates

    def add(
        self,
        text: str,
        section: Section,
        strength: int,
        number: int | None = None,
        year: int | None = None,
    ) -> None:
        """A candidate, for the year its lead-in states, else its section's year."""
        position = len(self.candidates)
        year = year if year is not None else section.year_from
        self.candidates.append(Candidate(text, section, strength, position, number, year))

    def excludes(self, heading: str) -> bool:
        """A heading over priorities that are not the document's: another body's, a past
        year's.  The document's own title ("Annual Report to the Police and Crime
        Commissioner") does not make the whole document a quotation."""
        if self.is_title_heading(heading):
            return False
        if OTHER_BODY.search(heading):
            return True
        return is_title(clean_item(heading)[0]) and excluded_lead_in(heading)

    def is_title_heading(self, heading: str) -> bool:
        """The document's title as a heading, whole or in part."""
        lowered = " ".join(heading.lower().split())
        return bool(lowered) and lowered in self.title

    def read_heading(self, heading_path: list[str], section: Section) -> None:
        pending, self.pending = self.pending, None
        unnamed, self.unnamed = self.unnamed, None
        self.lead_in = None
        self.priority_column = None
        self.in_contents = bool(heading_path) and is_contents_heading(heading_path[-1])
        self.quoted = any(self.excludes(heading) for heading in heading_path)
        if self.quoted or not heading_path:
            return
        cleaned = clean_item(heading_path[-1])[0]
        bare = BARE_LABEL.match(cleaned)
        if bare:
            self.unnamed = (count_of(bare["number"]), LABEL_HEADING)
            return
        if unnamed and is_item(cleaned) and not priority_label(cleaned):
            self.add(cleaned, section, unnamed[1], number=unnamed[0])
            return
        label = priority_label(cleaned)
        if label:
            self.add(label[0], section, LABEL_HEADING, number=label[1])
            self.pending = pending
            return
        if is_title(cleaned):
            self.lead_in = LeadIn(excluded=False, year=stated_year(cleaned))
            return
        parent = heading_path[-2] if len(heading_path) > 1 else ""
        under_title = is_title(clean_item(parent)[0])
        if under_title and is_item(cleaned) and not GENERIC_HEADINGS.match(cleaned):
            self.add(cleaned, section, CHILD_HEADING)
        elif pending and is_item(cleaned) and themes_of(cleaned):
            self.add(cleaned, section, CHILD_HEADING, year=pending.year)
            pending.taken += 1
            self.pending = None if pending.full else pending

    def end_block(self) -> None:
        if self.lead_in and not self.lead_in.excluded and self.lead_in.taken == 0:
            self.pending = self.lead_in
        self.lead_in = None

    def read_line(self, line: str, section: Section) -> None:
        text = without_page_tail(PAGE_CELL, line)
        paged = text != line or LEADER_AND_PAGE.search(text, page_tail_start(text)) is not None
        if " | " in text:
            self.lead_in = self.unnamed = None
            self.read_row([cell.strip() for cell in text.split(" | ")], section)
            return
        text, marker = clean_item(text)
        if not text:
            return
        if is_contents_heading(text):
            self.in_contents = True
            self.lead_in = None
            return
        unnamed, self.unnamed = self.unnamed, None
        bare = BARE_LABEL.match(text)
        if bare:
            self.lead_in = None
            self.unnamed = (count_of(bare["number"]), LABEL_LINE)
            return
        if unnamed and is_item(text) and not priority_label(text):
            self.add(text, section, unnamed[1], number=unnamed[0])
            return
        label = priority_label(text)
        if label:
            self.lead_in = None
            self.add(label[0], section, LABEL_LINE, number=label[1])
            return
        if len(text.split()) > MAX_LEAD_IN_WORDS:
            self.read_paragraph(text, section)
            return
        lead_in = self.read_lead_in(text, section)
        if lead_in is not None:
            # A contents entry: on a contents page, with its page number, or a heading of
            # the document ("6. Priorities for 2020-21" listed before the chapter itself).
            lead_in.contents = self.in_contents or paged or text.lower() in self.headings
            self.lead_in = lead_in
            return
        if OTHER_LIST.match(text):
            self.lead_in = None
            return
        items = split_listed_line(text)
        prose = line.endswith(".") and len(text.split()) > MAX_SENTENCE_ITEM_WORDS
        if self.lead_in and not prose and self.accepts(self.lead_in, items, marker, paged):
            self.lead_in.taken += 1
            if not self.lead_in.excluded:
                for item in items:
                    self.add(item, section, LIST_ITEM, year=self.lead_in.year)
            if self.lead_in.full:
                self.lead_in = None
        else:
            self.lead_in = None

    def read_paragraph(self, text: str, section: Section) -> None:
        """A paragraph the reader joined from lines: its sentences that list priorities
        inline ("2.2 The Partnership's priorities for the year were: A; B; and C.")."""
        self.lead_in = None
        for sentence in SENTENCE_BREAK.split(text):
            sentence = clean_item(sentence)[0]
            if PRIORITY_WORD.search(sentence) and len(sentence.split()) <= MAX_LEAD_IN_WORDS:
                self.read_lead_in(sentence, section)
        self.lead_in = None

    def read_lead_in(self, text: str, section: Section) -> LeadIn | None:
        """A lead-in line opens a list (returned); one with its items inline adds them."""
        if len(text.split()) > MAX_LEAD_IN_WORDS:
            return None
        year = stated_year(text)
        if is_title(text) or PARTICIPLE_LEAD_IN.match(text):
            return LeadIn(excluded=excluded_lead_in(text), year=year)
        if not PRIORITY_WORD.search(text):
            return None
        excluded = excluded_lead_in(text)
        colon = COLON_LEAD_IN.search(text)
        if colon:
            items = split_inline(colon["rest"])
            if not items:
                return LeadIn(excluded=excluded, year=year)
            self.add_inline(items, section, excluded, year)
            return None
        verb = VERB_LEAD_IN.search(text)
        if verb:
            items = split_inline(verb["rest"])
            if len(items) >= 2:
                self.add_inline(items, section, excluded, year)
                return None
        counted = COUNTED_LEAD_IN.search(text)
        if counted and not LOOKS_BACK.search(text, 0, counted.start()):
            count = counted["count"]
            expected = None if count is None else count_of(count)
            return LeadIn(excluded=excluded, year=year, expected=expected)
        return None

    def add_inline(
        self, items: list[str], section: Section, excluded: bool, year: int | None
    ) -> None:
        self.lead_in = None
        if not excluded:
            for item in items:
                self.add(item, section, SENTENCE, year=year)

    @staticmethod
    def accepts(lead_in: LeadIn, items: list[str], marker: str, paged: bool) -> bool:
        """A line of list items, marked as the first item was: a numbered paragraph after
        unnumbered items, or a plain line after bulleted ones, ends the list.  A contents
        entry ("Burglary.....8", or any entry after a lead-in that is one) must name a
        theme: the next entries are other chapters ("Recommendations", "Glossary")."""
        if lead_in.marker is not None and marker != lead_in.marker:
            return False
        contents = paged or lead_in.contents
        if not all(is_item(item) and (not contents or themes_of(item)) for item in items):
            return False
        lead_in.marker = marker
        return True

    def read_row(self, cells: list[str], section: Section) -> None:
        """Labels in any cell, and the cell under a "Priority" column once its header is seen."""
        header = [index for index, cell in enumerate(cells) if PRIORITY_COLUMN.match(cell)]
        # A glossary row ("KP's | Key Priorities") is not a table header.
        if header and len(cells) >= MIN_HEADER_CELLS:
            self.priority_column = header[0]
            return
        labelled = False
        for index, cell in enumerate(cells):
            cleaned = clean_item(cell)[0]
            label = priority_label(cleaned)
            bare = BARE_LABEL.match(cleaned)
            if bare and index + 1 < len(cells) and is_item(clean_item(cells[index + 1])[0]):
                label = clean_item(cells[index + 1])[0], count_of(bare["number"])
            if label:
                self.add(label[0], section, LABEL_LINE, number=label[1])
                labelled = True
        column = self.priority_column
        if labelled or column is None or column >= len(cells):
            return
        value = clean_item(cells[column])[0]
        numeric = value.replace(",", " ").replace(" ", "").isdigit()
        if is_item(value) and not numeric and not PRIORITY_LEVEL.match(value):
            self.add(value, section, TABLE_COLUMN)


def heading_blocks(sections: list[Section]) -> Iterator[tuple[list[str], list[Section]]]:
    """Runs of consecutive sections under the same heading path (one heading's passages)."""
    block: list[Section] = []
    for section in sections:
        if block and section.heading_path != block[0].heading_path:
            yield block[0].heading_path, block
            block = []
        block.append(section)
    if block:
        yield block[0].heading_path, block


def clean_item(text: str) -> tuple[str, str]:
    """Text without bullets, numbering, dot leaders, page numbers and closing punctuation;
    and the list marker it had: "bullet", "number" or ""."""
    text = without_page_tail(LEADER_AND_PAGE, without_page_tail(PAGE_CELL, text.strip()))
    marker = "bullet" if BULLET.match(text) else "number" if NUMBERING.match(text) else ""
    text = NUMBERING.sub("", BULLET.sub("", text))
    text = text.strip().strip("\"'“”‘’").rstrip(" .;,*").strip()
    return text, marker


def page_tail_start(text: str) -> int:
    """Where the run of whitespace, digits, dots, dashes and bars that ends the text
    starts.  PAGE_CELL and LEADER_AND_PAGE, anchored at the end, can only match in it;
    over the whole text they are tried at every position and backtrack through each run
    of spaces and dots (a third of the extraction time of the real PDFs)."""
    start = len(text)
    while start and (
        text[start - 1].isspace()
        or text[start - 1].isdigit()
        or text[start - 1] in PAGE_TAIL_CHARACTERS
    ):
        start -= 1
    return start


def without_page_tail(pattern: re.Pattern[str], text: str) -> str:
    """`pattern.sub("", text)` for PAGE_CELL or LEADER_AND_PAGE, run on the text's tail."""
    start = page_tail_start(text)
    return text[:start] + pattern.sub("", text[start:])


def priority_label(text: str) -> tuple[str, int | None] | None:
    """("Domestic Abuse", 1) from "Priority 1 – Domestic Abuse"; None if not a label."""
    match = LABEL.match(text)
    if not match:
        return None
    name = clean_item(match["name"])[0]
    if not is_item(name):
        name = without_run_on(name)
    if not name or PRIORITY_LEVEL.match(name) or len(name.split()) > MAX_ITEM_WORDS:
        return None
    number = match["number"]
    return name, None if number is None else count_of(number)


def without_run_on(name: str) -> str:
    """A sentence-case label name without the body text the reader joined onto it:
    "Drugs and alcohol" from "Drugs and alcohol Drug-related deaths remain above ...".
    Unchanged where no such join shows."""
    cut = RUN_ON_START.search(name)
    if cut is None:
        return name
    head = name[: cut.start()]
    sentence_case = not any(re.match(r"[A-Z][a-z]", word) for word in head.split()[1:])
    return head if sentence_case and is_item(head) else name


def split_joined_labels(line: str) -> list[str]:
    """A line of labels the reader joined ("Priority one – A Priority two – B"), one per
    label; any other line as it is."""
    if not LABEL.match(clean_item(line)[0]):
        return [line]
    return INNER_LABEL.split(line)


def count_of(number: str) -> int:
    """3 from "3" or "three"."""
    return COUNTS.get(number.lower()) or int(number)


def is_contents_heading(text: str) -> bool:
    return clean_item(text)[0].lower() in CONTENTS_HEADINGS


def is_title(text: str) -> bool:
    """A heading-like line announcing priorities: "Our Priorities", "CSP Priorities 2018-2019:"."""
    for period in reversed(find_periods(text)):
        text = text[: period.start] + text[period.end :]
    text = NUMBERING.sub("", text.strip()).strip().rstrip(" :*.()")
    return len(text.split()) <= MAX_TITLE_WORDS and bool(TITLE.match(text))


def excluded_lead_in(text: str) -> bool:
    """Quoted from another body, or a past list ("previous priorities")."""
    return bool(OTHER_BODY.search(text) or PAST.search(text))


def stated_year(text: str) -> int | None:
    """The financial year a lead-in states ("Priorities for 2019/20" -> 2019; a span such
    as "2020-23" -> its first year), or None."""
    for period in find_periods(text):
        if period.kind in ("fy", "range"):
            return period.year_from
    return None


def is_item(text: str) -> bool:
    """Short enough and shaped like a priority, not a sentence, question or lead-in."""
    words = text.split()
    return (
        0 < len(words) <= MAX_ITEM_WORDS
        and len(text) <= MAX_ITEM_CHARS
        and not text.endswith((":", "?"))
        and not PRIORITY_WORD.search(text)
        and not SENTENCE_INSIDE.search(text)
        and not BODY_NAME.search(text)
        and re.search(r"[A-Za-z]{3}", text) is not None
    )


def split_listed_line(text: str) -> list[str]:
    """One list line naming several priorities ("Reduce ASB, Reduce Domestic Burglary, ...")
    is split only when it has three or more comma-separated parts, each capitalised."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) >= 3 and all(part[:1].isupper() for part in parts):
        return parts
    return [text]


def split_inline(rest: str) -> list[str]:
    """Items of "A, B and C" or "A; B; C" after a lead-in, up to the sentence's end."""
    rest = re.split(r"(?<=[a-z)])\.\s+(?=[A-Z])", rest.strip(), maxsplit=1)[0]
    rest = rest.rstrip(" .")
    if not rest:
        return []
    # Items separated by semicolons may have commas and "and"s of their own.
    if ";" in rest:
        parts = rest.split(";")
    else:
        parts = LIST_SPLIT.split(rest)
        if len(parts) >= 2 and " and " in parts[-1]:
            # "A, B and C": the last "and" joins the last two items.
            head, _, tail = parts[-1].rpartition(" and ")
            parts[-1:] = [head, tail]
    parts = [LEADING_CONJUNCTION.sub("", part.strip()) for part in parts]
    items = [clean_item(part)[0] for part in parts if part]
    return [item for item in items if is_item(item)]


def merge_candidates(candidates: list[Candidate]) -> list[Priority]:
    groups: list[list[Candidate]] = []
    for candidate in candidates:
        group = next((g for g in groups if any(same_priority(candidate, c) for c in g)), None)
        if group is None:
            groups.append([candidate])
        else:
            group.append(candidate)
    groups = in_document_order(groups)
    priorities = []
    for rank, group in enumerate(groups, start=1):
        strongest = max(group, key=lambda c: (c.strength, -c.position))
        fullest = max(group, key=lambda c: (len(merge_words(c.text)), c is strongest, -c.position))
        priorities.append(
            Priority(
                text=fullest.text,
                themes=themes_of(fullest.text),
                section_id=strongest.section.section_id,
                page=strongest.section.page_start,
                rank=rank,
                year=stated_year_of(group, strongest),
            )
        )
    return priorities


def stated_year_of(group: list[Candidate], strongest: Candidate) -> int | None:
    """The year of a priority found twice: a priority column's section year only when
    nothing else states one."""
    return next((c.year for c in group if c.strength != TABLE_COLUMN), strongest.year)


def in_document_order(groups: list[list[Candidate]]) -> list[list[Candidate]]:
    """Groups by first occurrence; by their labels' numbers when every one is numbered
    ("Priority One" ... "Priority Three"), since headings can come out of reading order."""
    numbers = [next((c.number for c in group if c.number), None) for group in groups]
    if None not in numbers and len(set(numbers)) == len(numbers):
        return [group for _, group in sorted(zip(numbers, groups, strict=True))]
    return groups


def merge_words(text: str) -> list[str]:
    """Content words for comparing wordings: hyphens joined, plurals and stopwords dropped."""
    words = re.findall(r"[a-z0-9]+", re.sub(r"(?<=\w)-(?=\w)", "", text.lower()))
    return [
        word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word
        for word in words
        if word not in MERGE_STOPWORDS
    ]


def same_priority(first: Candidate, second: Candidate) -> bool:
    """The same priority worded twice, in the same year: equal or near-equal content words,
    or one wording extending the other ("Anti-Social Behaviour/Environmental Crime")."""
    # A priority column restates the document's priorities, whatever its section's year.
    restated = TABLE_COLUMN in (first.strength, second.strength)
    if first.year != second.year and not restated:
        return False
    words_a, words_b = merge_words(first.text), merge_words(second.text)
    set_a, set_b = set(words_a), set(words_b)
    if set_a == set_b:
        return True
    smaller, larger = sorted((set_a, set_b), key=len)
    if len(smaller) >= 2 and smaller <= larger:
        return True
    return fuzz.token_sort_ratio(" ".join(words_a), " ".join(words_b)) >= MERGE_SIMILARITY
