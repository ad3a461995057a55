"""The commitments a CSP document makes: what it says will be done, by whom and by when.

Works from a document's sections (one line per block or table row, table cells joined
by " | "), in the forms CSP documents across England and Wales use:

- action-plan rows (``action_row``): a table whose header names an action column
  ("Action", "Project / Initiative", "What we will do") and at least one of a lead,
  timescale, measure or priority column; each later row is a commitment with its lead
  partner, timescale, measure and the priority it serves (a "Priority met" number is
  read as the document's priority of that rank; a "PRIORITY: ..." row heads the rows
  under it);
- statements (``we_will``): sentences in which the partnership commits itself ("We will
  ...", "The partnership will ...", "The CSP is committed to ..."), and the items of a
  list introduced by "We will:";
- next-year priorities (``next_year_priority``): priorities a document states for a
  financial year after its own ("In 2018-19 the priorities will be: ...");
- in minutes, resolutions (``resolution``: "RESOLVED that ...", procedural ones such as
  approving the last minutes left out) and actions (``minutes_action``: "ACTION: ..."
  lines and recorded undertakings such as "The Chair committed to supply these to the
  Committee"), each with its owner where the minutes name one.

Documents a partner agency wrote (a police or fire appendix in a committee pack) state
that agency's commitments, not the CSP's, and yield none.  The cue phrases are data in
models/commitments/cues.json.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.model import Commitment, DocType, Document, PageMap, Section
from ingest.nlp.priorities import clean_item, written_by_partner_agency
from ingest.paths import MODELS_DIR

CUES_FILE = MODELS_DIR / "commitments" / "cues.json"

MAX_OWNER_WORDS = 12
MAX_LIST_ITEMS = 15
MAX_LIST_ITEM_WORDS = 40
MIN_ACTION_WORDS = 2
MAX_SENTENCE_CHARS = 600

SENTENCE_END = re.compile(r"(?<=[a-z0-9)'’\"”])[.!?](?=\s+[A-Z‘'\"“(])")
ROW_NUMBER = re.compile(r"^\(?[0-9]{1,2}(?:\.[0-9]{1,2})*[.)]?$|^[a-z][.)]$", re.I)
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
)
TIMESCALE = re.compile(
    r"\b(?:by|before|until|within|no later than|from)\s+(?:the\s+)?(?:end\s+of\s+)?"
    r"(?:(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:" + MONTHS + r")\b\.?(?:\s+\d{4})?|"
    r"\d{4}(?:\s*[/-]\s*\d{2,4})?|(?:the\s+)?next\s+(?:\w+\s+){0,3}meeting|"
    r"(?:the\s+)?(?:next|following)\s+(?:year|quarter|month)|"
    r"(?:one|two|three|four|five|six|nine|twelve|eighteen|\d{1,2})\s+(?:weeks?|months?|years?)|"
    r"(?:q[1-4]|quarter\s+[1-4]|(?:spring|summer|autumn|winter)(?:\s+\d{4})?))",
    re.I,
)
# A row that only labels the priority the following rows serve.
PRIORITY_ROW = re.compile(
    r"^(?:priority|strategic priority|objective)\b\s*\d*\s*[:.\-–—]\s*(.+)$", re.I
)
PRIORITY_NUMBERS = re.compile(r"^\d{1,2}(?:\s*[,&/]\s*\d{1,2}|\s+and\s+\d{1,2})*$")
# Words that join the parts of a name ("the Head of Community Safety and Housing").
NAME_JOINERS = frozenset({"the", "of", "and", "for", "&"})
# A resolution naming who acts: "... that the Licensing Manager explore ..."; a clause in
# the passive ("that the group be stood down") or with no named subject names nobody.
THAT_CLAUSE = re.compile(r"(?:^|\bthat\s+)(?P<clause>.+?)(?=\s+(?:and\s+)?that\s+|$)", re.I)
PASSIVE = re.compile(r"\b(?:be|is|are|was|were|been)\b", re.I)
MEETING_BODY = re.compile(
    r"^(?:the\s+)?(?:board|committee|partnership|panel|group|forum|meeting|csp)$", re.I
)


@dataclass(frozen=True)
class Cues:
    """The cue phrases of models/commitments/cues.json, compiled."""

    columns: dict[str, frozenset[str]]
    we_will: re.Pattern[str]
    list_lead_ins: tuple[str, ...]
    resolution: re.Pattern[str]
    procedural: re.Pattern[str]
    action: re.Pattern[str]
    minutes_verbs: re.Pattern[str]
    not_actions: re.Pattern[str]
    not_owners: re.Pattern[str]
    other_bodies: frozenset[str]


def phrases(words: list[str]) -> str:
    """One alternation of phrases, longest first, spaces matching any whitespace."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in ordered)


@lru_cache(maxsize=4)
def load_cues(path: Path = CUES_FILE) -> Cues:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    columns = {
        name: frozenset(normal_header(header) for header in headers)
        for name, headers in data["action_columns"].items()
    }
    # "The Safer Colchester Partnership will ...", "Braintree CSP will ...": a named
    # partnership (capitalised words before the word the data lists) commits itself too.
    named = (
        rf"(?:the\s+)?(?:(?-i:[A-Z])[\w'’&-]*\s+){{1,4}}(?:{phrases(data['partnership_words'])})"
    )
    we_will = re.compile(
        rf"(?:^|[\s,;(])(?P<subject>{named}|{phrases(data['we_will_subjects'])})\s+"
        rf"(?:{phrases(data['we_will_verbs'])})\s+(?!(?:{phrases(data['we_will_not_after'])})\b)"
        r"(?P<verb>[a-z]\w+)",
        re.I,
    )
    return Cues(
        columns=columns,
        we_will=we_will,
        list_lead_ins=tuple(lead_in.lower() for lead_in in data["list_lead_ins"]),
        resolution=re.compile(rf"^(?:{phrases(data['resolution_openers'])})\s*", re.I),
        procedural=re.compile(rf"\b(?:{phrases(data['procedural_resolutions'])})\b", re.I),
        action=re.compile(rf"^(?:{phrases(data['action_openers'])})\s*", re.I),
        minutes_verbs=re.compile(rf"\b(?:{phrases(data['minutes_action_verbs'])})\b", re.I),
        not_actions=re.compile(rf"\b(?:{phrases(data['minutes_not_actions'])})\b", re.I),
        other_bodies=frozenset(data["other_body_abbreviations"]),
        not_owners=re.compile(rf"^(?:{phrases(data['not_owners'])})$", re.I),
    )


def normal_header(text: str) -> str:
    """A header cell as compared with the cue lists: lower case, no markup or brackets."""
    text = re.sub(r"\(.*?\)|[*:?]", " ", text.lower())
    return " ".join(text.replace(" / ", "/").split())


def extract_commitments(
    document: Document, page_maps: Sequence[PageMap] | None = None
) -> list[Commitment]:
    """The commitments the document makes, in document order; `page_maps` (one per
    section) give each its exact page, else it has its section's first page."""
    if written_by_partner_agency(document.title):
        return []
    cues = load_cues()
    priority_by_rank = {priority.rank: priority.text for priority in document.priorities}
    minutes = document.doc_type == DocType.MINUTES
    # Agendas only list what others will do at the meeting.
    statements = document.doc_type != DocType.AGENDA
    reader = DocumentReader(document, cues, priority_by_rank, minutes, statements)
    found: list[Commitment] = []
    for number, section in enumerate(document.sections):
        pages = page_maps[number] if page_maps else PageMap([(0, section.page_start)])
        found.extend(reader.read(section, pages))
    found.extend(next_year_priorities(document))
    return found


@dataclass
class Header:
    """An action table's columns: which cell index holds what."""

    columns: dict[str, int]
    width: int
    numbered: bool  # the header's first cell is a row number column


class DocumentReader:
    """Reads a document's sections line by line: action tables (whose header carries over
    from one section to the next while rows follow), statements, lists, minutes."""

    def __init__(
        self,
        document: Document,
        cues: Cues,
        priority_by_rank: dict[int, str],
        minutes: bool,
        statements: bool,
    ) -> None:
        self.document = document
        self.cues = cues
        self.priority_by_rank = priority_by_rank
        self.minutes = minutes
        self.statements = statements
        self.header: Header | None = None
        self.row_priority: str | None = None
        self.listing = 0  # list items still to take after a "We will:" lead-in

    def read(self, section: Section, pages: PageMap) -> list[Commitment]:
        self.section = section
        self.pages = pages
        self.year = section.year_from if section.year_from is not None else self.document.year_from
        self.listing = 0
        found: list[Commitment] = []
        for start, line in lines_of(section.text):
            if " | " in line:
                self.listing = 0
                found.extend(self.read_row(line, start))
                continue
            if line.strip():
                self.header = None
            label = PRIORITY_ROW.match(clean_cell(line))
            if label:
                self.row_priority = clean_item(label[1])[0]
                continue
            found.extend(self.read_prose(line, start))
        return found

    def commitment(
        self, kind: str, text: str, start: int, end: int | None = None, **details: str | None
    ) -> Commitment:
        """A commitment at `start` of this section's text (to `end`, else its length on)."""
        return Commitment(
            text=text,
            kind=kind,
            section_id=self.section.section_id,
            page=self.pages.page_at(start),
            start=start,
            end=end if end is not None else start + len(text),
            year=self.year,
            **details,
        )

    # Action-plan tables ---------------------------------------------------------------

    def read_row(self, line: str, start: int) -> Iterator[Commitment]:
        cells = line.split(" | ")
        header = self.table_header(cells)
        if header is not None:
            self.header = header
            return
        if self.header is None:
            return
        if len(cells) <= 2 and any(PRIORITY_ROW.match(clean_cell(cell)) for cell in cells):
            label = PRIORITY_ROW.match(clean_cell(cells[-1]))
            self.row_priority = clean_cell(label[1]) if label else None
            return
        offsets = cell_offsets(cells, start)
        if ROW_NUMBER.match(cells[0].strip()) and not self.header.numbered:
            cells, offsets = cells[1:], offsets[1:]
        columns = self.aligned(len(cells))
        action_index = columns.get("action")
        if action_index is None or action_index >= len(cells):
            return
        action = clean_cell(cells[action_index])
        if len(action.split()) < MIN_ACTION_WORDS:
            return
        raw = cells[action_index]
        raw_start = offsets[action_index] + len(raw) - len(raw.lstrip())
        details = {
            name: clean_cell(cells[index]) or None
            for name, index in columns.items()
            if index < len(cells)
        }
        # An action table in minutes is the meeting's action log.
        yield self.commitment(
            "minutes_action" if self.minutes else "action_row",
            action,
            raw_start,
            end=raw_start + len(raw.strip()),
            owner=details.get("owner"),
            timescale=details.get("timescale"),
            measure=details.get("measure"),
            priority=self.priority_served(details.get("priority")),
        )

    def table_header(self, cells: list[str]) -> Header | None:
        """The header row of an action table, or None."""
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            header = normal_header(clean_cell(cell))
            for name, headers in self.cues.columns.items():
                if header in headers and name not in columns:
                    columns[name] = index
                    break
            if "priority" not in columns and self.own_priority_column(header):
                columns["priority"] = index
        if "action" not in columns or len(columns) < 2:
            return None
        numbered = bool(cells) and normal_header(cells[0]) in ("", "no", "ref", "#", "no.")
        return Header(columns, len(cells), numbered)

    def own_priority_column(self, header: str) -> bool:
        """A "<CSP> Priorities" column ("SCP Priorities"), not another body's ("PFCC
        Priorities")."""
        match = re.fullmatch(r"(?:(?P<owner>[a-z]{2,6})\s+)?priorit(?:y|ies)(?:\s+met)?", header)
        return match is not None and match["owner"] not in self.cues.other_bodies

    def aligned(self, width: int) -> dict[str, int]:
        """Column indexes for a row with `width` cells.  Readers drop empty cells, so a
        short row keeps the leading columns where they are and moves the header's last
        column to the row's last cell (the outcome column of most plans)."""
        assert self.header is not None
        columns = dict(self.header.columns)
        if width < self.header.width:
            last = self.header.width - 1
            for name, index in columns.items():
                if index == last:
                    columns[name] = width - 1
                elif index >= width - 1:
                    columns[name] = width  # lost with the empty cells
        return columns

    def priority_served(self, value: str | None) -> str | None:
        """The priority a row serves: a "Priority met" number read as the document's
        priority of that rank, else the cell as written, else the row heading it."""
        if value and not re.search(r"\w", value):  # "-" or "–" for none
            value = None
        if value and PRIORITY_NUMBERS.match(value):
            numbers = [int(number) for number in re.findall(r"\d+", value)]
            named = [self.priority_by_rank[n] for n in numbers if n in self.priority_by_rank]
            return "; ".join(named) if named else value
        return value or self.row_priority

    # Prose: statements, lists, minutes ------------------------------------------------

    def read_prose(self, line: str, start: int) -> Iterator[Commitment]:
        text, _ = clean_item(line)
        one_item = len(text.split()) <= MAX_LIST_ITEM_WORDS and not SENTENCE_END.search(text)
        if self.listing and text and one_item:
            self.listing -= 1
            offset = start + max(line.find(text[:20]), 0)
            yield self.commitment("we_will", text, offset, timescale=timescale_in(text))
            return
        self.listing = 0
        if self.minutes and (yield from self.read_minutes_line(line, start)):
            return
        for sentence_start, sentence in sentences_of(line):
            offset = start + sentence_start
            lowered = sentence.lower().rstrip()
            if lowered.endswith(self.cues.list_lead_ins) or lowered in self.cues.list_lead_ins:
                self.listing = MAX_LIST_ITEMS
                continue
            # A lead-in ending in a colon introduces what follows; it commits to nothing.
            if len(sentence) > MAX_SENTENCE_CHARS or sentence.endswith(":"):
                continue
            if self.statements and self.cues.we_will.search(sentence):
                yield self.commitment("we_will", sentence, offset, timescale=timescale_in(sentence))
            elif (
                self.minutes
                and self.cues.minutes_verbs.search(sentence)
                and not self.cues.not_actions.search(sentence)
            ):
                yield self.commitment(
                    "minutes_action",
                    sentence,
                    offset,
                    owner=self.owner_of(sentence),
                    timescale=timescale_in(sentence),
                )

    def read_minutes_line(self, line: str, start: int) -> Generator[Commitment, None, bool]:
        """A "RESOLVED that ..." or "ACTION: ..." line; returns whether the line was one."""
        stripped = line.strip()
        offset = start + line.find(stripped[:1]) if stripped else start
        resolution = self.cues.resolution.match(stripped)
        if resolution:
            if not self.cues.procedural.search(stripped):
                rest = stripped[resolution.end() :]
                yield self.commitment(
                    "resolution",
                    stripped,
                    offset,
                    owner=self.resolution_owner(rest),
                    timescale=timescale_in(stripped),
                )
            return True
        action = self.cues.action.match(stripped)
        if action:
            rest = stripped[action.end() :]
            yield self.commitment(
                "minutes_action",
                stripped,
                offset,
                owner=action_owner(rest) or self.owner_of(rest),
                timescale=timescale_in(rest),
            )
            return True
        return False

    def resolution_owner(self, rest: str) -> str | None:
        """The officer or body a resolution names to act, in its first "that" clause
        with a named subject and an active verb; never the meeting itself ("that the
        Board adopt the strategy" in the Board's minutes)."""
        for match in THAT_CLAUSE.finditer(rest):
            clause = match["clause"]
            subject = named_subject(clause)
            if subject is None or PASSIVE.search(clause):
                continue
            owner = self.acceptable_owner(subject)
            if owner and not self.is_the_meeting(owner):
                return owner
        return None

    def is_the_meeting(self, owner: str) -> bool:
        """The body whose minutes these are: "the Board", or named in the words of the
        minutes' title ("the Partnership" in the Partnership's minutes)."""
        words = [word for word in re.findall(r"[\w'’]+", owner.lower()) if word != "the"]
        title = set(re.findall(r"[\w'’]+", self.document.title.lower()))
        return bool(MEETING_BODY.match(owner)) or all(word in title for word in words)

    def owner_of(self, sentence: str) -> str | None:
        """Who a recorded undertaking names to do it: "... be provided by X", else the
        sentence's subject ("The Chair of the Partnership committed to ..."), else the
        subject of its "that" clause ("... were informed that Lisa Hobson, Community
        Safety Officer, would ...").  A committee asking is not an owner."""
        by = re.search(r"\bprovided\s+by\s+(?P<owner>[^,;.]+)", sentence)
        if by:
            return self.acceptable_owner(by["owner"])
        verb = re.search(
            r"\s(?:committed|undertook|agreed|offered|promised|assured|confirmed|informed|"
            r"explained|stated|said|would|will|was asked|were asked|is to|are to|to)\b",
            sentence,
        )
        if verb:
            owner = self.acceptable_owner(sentence[: verb.start()])
            if owner:
                return owner
        clause = re.search(r"\bthat\s+(?P<owner>.+?)\s+(?:would|will|is to|are to)\b", sentence)
        return self.acceptable_owner(clause["owner"]) if clause else None

    def acceptable_owner(self, text: str) -> str | None:
        owner = text.strip(" ,;:-–—")
        owner = re.sub(r"^(?:and|but|then|also)\s+", "", owner, flags=re.I)
        owner = re.sub(r"\s+(?:was|were|had|has|have|is|are|also)$", "", owner, flags=re.I)
        words = owner.split()
        # An owner names someone: "the Community Safety Team" has a capitalised word.
        named = any(word[:1].isupper() for word in words)
        if not words or len(words) > MAX_OWNER_WORDS or not named:
            return None
        if self.cues.not_owners.match(owner):
            return None
        return owner


def action_owner(rest: str) -> str | None:
    """The owner an "ACTION:" line names: "... (Police)", "... – Community Safety Team" or
    "JS to circulate ...".  The name set at the end is the minutes' owner field, so it wins
    over words before a "to" ("Ask the parish councils to help ... (Ch Insp Emma Price)"),
    unless it only abbreviates the words before it ("write to the Home Office (HO)")."""
    trailing = re.search(r"(?:\(|\s[-–—]\s)(?P<owner>[A-Z][^()–—-]{1,60})\)?\s*\.?$", rest)
    if trailing and not abbreviates(trailing["owner"].strip(), rest[: trailing.start()]):
        return trailing["owner"].strip()
    named = re.match(r"^(?P<owner>[A-Z][\w&'’./ ,-]{0,60}?)\s+to\s+[a-z]", rest)
    if named and len(named["owner"].split()) <= MAX_OWNER_WORDS:
        return named["owner"].strip(" ,")
    return trailing["owner"].strip() if trailing else None


def abbreviates(short: str, before: str) -> bool:
    """ "HO" after "the Home Office": the initials of the words just before it."""
    if not short.isupper() or " " in short:
        return False
    initials = "".join(word[0] for word in re.findall(r"[A-Za-z][\w'’]*", before)).upper()
    return initials.endswith(short)


def named_subject(clause: str) -> str | None:
    """The capitalised words opening a clause, up to its verb: "the Licensing Manager"
    from "the Licensing Manager explore other ways ..."; None without a verb after them."""
    words = clause.split()
    for position, word in enumerate(words):
        bare = word.strip(",")
        if bare[:1].isupper() or bare.lower() in NAME_JOINERS:
            continue
        is_verb = bare.isalpha() and bare.islower()
        return " ".join(words[:position]) if position and is_verb else None
    return None


def next_year_priorities(document: Document) -> list[Commitment]:
    """Priorities the document states for a financial year after its own."""
    if document.year_from is None:
        return []
    sections = {section.section_id: section for section in document.sections}
    found = []
    for priority in document.priorities:
        if priority.year is None or priority.year <= document.year_from:
            continue
        section = sections.get(priority.section_id)
        start = section.text.find(priority.text) if section else -1
        found.append(
            Commitment(
                text=priority.text,
                kind="next_year_priority",
                section_id=priority.section_id,
                page=priority.page,
                start=max(start, 0),
                end=max(start, 0) + len(priority.text),
                year=priority.year,
                priority=priority.text,
            )
        )
    return found


def lines_of(text: str) -> Iterator[tuple[int, str]]:
    """Each line of a section's text with its offset."""
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def sentences_of(line: str) -> Iterator[tuple[int, str]]:
    """Each sentence of a line with its offset, without surrounding spaces."""
    start = 0
    for match in SENTENCE_END.finditer(line):
        yield from stripped_span(line, start, match.end())
        start = match.end()
    yield from stripped_span(line, start, len(line))


def stripped_span(line: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    text = line[start:end]
    stripped = text.strip()
    if stripped:
        yield start + text.find(stripped), stripped


def cell_offsets(cells: list[str], start: int) -> list[int]:
    offsets = []
    offset = start
    for cell in cells:
        offsets.append(offset)
        offset += len(cell) + len(" | ")
    return offsets


def clean_cell(cell: str) -> str:
    return " ".join(cell.replace("**", "").split()).strip()


def timescale_in(text: str) -> str | None:
    """The deadline a sentence states: "by March 2020", "before the next meeting"."""
    match = TIMESCALE.search(text)
    return match.group(0) if match else None
