"""What a document's opening page says its title is, by the conventions of real
publications.

- Page furniture is never a title: a bare page or paragraph number ("1", "24.", "2.8",
  "3.2.76"), a table or figure caption ("Table 4"), a web or e-mail address, a
  letterhead's contact fields ("Name: ... Dept: ... Email:", "Tel No: 101"), an address
  with its postcode (but not a meeting's date, time and venue), a committee system's
  stamp ("Open Agenda", "PUBLIC Agenda Item 9"), a pack's label for a paper ("PAPER B").
- A meeting's papers open with a front page naming the committee and the meeting's
  date ("Health and Social Care Scrutiny Commission / Tuesday 27 January 2026 /
  Supplemental Agenda"): their title is the committee and the date, with the agenda
  line or the subject the front page states, and they are the meeting's agenda.
- A reply to a Freedom of Information request is titled by the request it answers
  ("Freedom of Information request FOI 1306/25"); another letter by its subject line
  ("Re: ...").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.attribution.doctypes import classify_title, committee_report_marker
from ingest.attribution.periods import find_periods
from ingest.model import Block, BlockKind, DocType

SMALL_WORDS = {"of", "the", "and", "for", "to", "in", "on", "a", "an", "at", "by", "with", "from"}
COMMITTEE_NAME = re.compile(
    r"\b(?:committee|board|panel|cabinet|council|partnership|group|forum|commission)\b", re.I
)

NUMBERING = re.compile(
    r"^(?:page\s+)?\(?(?:\d{1,4}(?:\.\d{1,3})*|[a-z]|[ivx]{1,5})[.)]?(?:\s+of\s+\d{1,4})?$", re.I
)
CAPTION = re.compile(r"^(?:table|figure|chart|graph|map|slide)\s+\d+[a-z]?\b", re.I)
ADDRESS_ONLY = re.compile(r"^(?:(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)$", re.I)
CONTACT_FIELD = re.compile(
    r"^(?:name|dept|department|tel(?:ephone)?(?:\s+no)?|phone|mobile|e-?mail|fax|contact"
    r"|direct\s+dial(?:/ext)?|ask\s+for|(?:our|your|my)\s+ref(?:erence)?|website|webpage"
    r"|chief\s+executive|produced\s+by)\b\s*[:.]?",
    re.I,
)
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
MAX_ADDRESS_WORDS = 12
STAMP = re.compile(
    r"^(?:(?:open|public|exempt|supplementary)\s+agenda(?:\s+item\s+\d+[a-z]?)?"
    r"|(?:(?:open|public|exempt)\s+)?agenda\s+item\s+\d+[a-z]?)$",
    re.I,
)
# "PAPER B", "Annex 2", "Enclosure 3": a pack's label for the paper, not its title.
PAPER_LABEL = re.compile(r"^(?:paper|annex|enclosure|document)\s+[A-Z0-9]{1,3}$", re.I)

# "A G E N D A": a heading set in spaced capitals.
SPACED_LETTERS = re.compile(r"^(?:[A-Z]\s){2,}[A-Z]$")
FRONT_PAGE_BLOCKS = 14
MAX_COMMITTEE_WORDS = 10
MAX_MEETING_LINE_WORDS = 14
SUBJECT_LINES = 2
# A report's cover states its fields around the meeting's date ("CABINET 02 FEBRUARY
# 2026 / Report title: ...").
REPORT_FIELDS_AFTER_DATE = 3
SALUTATION = re.compile(r"^dear\s+\S", re.I)
SUBJECT_LINE = re.compile(r"^(?:re|subject)\s*:\s*(?P<subject>\S.*)$", re.I)
FREEDOM_OF_INFORMATION = re.compile(r"\bfreedom\s+of\s+information\b", re.I)
# The writer's reference, not the requester's ("Your reference: ..."): "Our ref:",
# "My Reference:", "Reference:", or the reference a heading gives ("... REQUEST – FOI
# 1306/25").
REQUEST_REFERENCE = re.compile(
    r"(?:\b(?:our|my)\s+ref(?:erence)?|(?<!your\s)\breference(?:\s+(?:no|number))?)\s*[:.]?\s*"
    r"(?P<ref>(?:FOI\s+)?[A-Z0-9][\w/-]*\d[\w/-]*)"
    r"|\brequest\s*[-–—:]\s*(?P<heading_ref>FOI\s+[\w/-]*\d[\w/-]*)",
    re.I,
)


def is_furniture(text: str) -> bool:
    """A line of page furniture, which is never a document's title."""
    text = text.strip()
    first_cell = text.split(" | ")[0].strip()
    return bool(
        NUMBERING.match(first_cell)
        or CAPTION.match(first_cell)
        or ADDRESS_ONLY.match(text)
        or CONTACT_FIELD.match(text)
        or STAMP.match(text)
        or PAPER_LABEL.match(text)
        or (
            POSTCODE.search(text)
            and len(text.split()) <= MAX_ADDRESS_WORDS
            and not any(period.kind == "date" for period in find_periods(text))
        )
    )


def is_stamp_row(text: str) -> bool:
    """A committee system's stamp on an item's first page ("Open Agenda | Agenda Item 4")."""
    return all(STAMP.match(cell.strip()) for cell in text.split(" | "))


def readable_case(text: str) -> str:
    """'CRIME AND DISORDER SUB-COMMITTEE' -> 'Crime and Disorder Sub-Committee'."""
    if not text.isupper():
        return text
    words = text.lower().split()
    return " ".join(
        word
        if position and word in SMALL_WORDS
        else "-".join(part.capitalize() for part in word.split("-"))
        for position, word in enumerate(words)
    )


def front_page(blocks: Sequence[Block]) -> list[Block]:
    """The opening blocks on the first page of a paged document (none for a text)."""
    if not blocks or blocks[0].page is None:
        return []
    return [b for b in blocks[:FRONT_PAGE_BLOCKS] if b.page == blocks[0].page]


def meeting_papers_title(blocks: Sequence[Block]) -> tuple[str, str] | None:
    """The title of a meeting's papers from their front page: the committee's name and
    the meeting's date, then the agenda line or the subject the page gives.  A front page
    with a report's cover fields ("Report title:", "Report of") or the minutes' "Present"
    is that report's or those minutes', not the meeting's papers."""
    page = front_page(blocks)
    for index, block in enumerate(page):
        if block.kind == BlockKind.LIST_ITEM or is_furniture(block.text):
            continue
        text = block.text.split(" | ")[0]
        dates = [p for p in find_periods(text) if p.kind == "date"]
        if not dates:
            continue
        committee = committee_before(page, index, text[: dates[0].start])
        if committee is None or any(
            committee_report_marker(b.text) or FIELD_OF_REPORT.match(b.text)
            for b in page[: index + REPORT_FIELDS_AFTER_DATE]
        ):
            return None
        title = f"{readable_case(committee)}, {readable_case(dates[0].text)}"
        rest = following_lines(page, index + 1)
        return (f"{title} – {rest}" if rest else title), front_lines(page, index + 1)
    return None


def front_lines(page: Sequence[Block], end: int) -> str:
    """The front page's lines down to the title's: its letterhead names the publisher
    ("www.wandsworth.gov.uk", "Durham Constabulary Headquarters")."""
    return " ".join(block.text for block in page[:end])


def report_cover_field(blocks: Sequence[Block]) -> str | None:
    """A committee report's cover without a "Report of" line: its "Report title" field
    beside the meeting it goes to ("Meeting Name: Licensing Committee", "CABINET 02
    FEBRUARY 2026")."""
    page = front_page(blocks)
    field = next((m for m in (REPORT_TITLE_FIELD.match(b.text) for b in page) if m), None)
    return field.group(0) if field and names_meeting(page) else None


def names_meeting(blocks: Sequence[Block]) -> bool:
    """Whether a document's opening names the meeting it goes to: a meeting field
    ("Meeting Name:", "Report to:"), or a line giving a committee's name and a date
    ("CABINET 02 FEBRUARY 2026"), not a sentence that happens to hold both."""
    return any(
        MEETING_FIELD.match(b.text)
        or (
            len(b.text.split()) <= MAX_MEETING_LINE_WORDS
            and COMMITTEE_NAME.search(b.text)
            and any(p.kind == "date" for p in find_periods(b.text))
        )
        for b in blocks[:FRONT_PAGE_BLOCKS]
    )


REPORT_TITLE_FIELD = re.compile(r"^(?:report\s+title|title\s+of\s+(?:the\s+)?report)\b", re.I)
MEETING_FIELD = re.compile(
    r"^(?:meeting(?:\s+name)?|committee(?:\s+name)?|date\s+of\s+meeting|report\s+to)\b\s*:?",
    re.I,
)
FIELD_OF_REPORT = re.compile(
    r"^(?:report\s+title|title\s+of\s+(?:the\s+)?report|subject|present)\b\s*[:|]?", re.I
)


def committee_before(page: Sequence[Block], index: int, before_date: str) -> str | None:
    """The committee named on the date's line before the date ("COUNTY COUNCIL -
    THURSDAY, 13 FEBRUARY 2025") or on the nearest line above it."""
    named = before_date.strip(" -–—,:|")
    if named and COMMITTEE_NAME.search(named) and len(named.split()) <= MAX_COMMITTEE_WORDS:
        return named
    for block in reversed(page[max(0, index - 2) : index]):
        text = block.text.strip()
        if (
            COMMITTEE_NAME.search(text)
            and len(text.split()) <= MAX_COMMITTEE_WORDS
            and not is_furniture(text)
            and block.kind != BlockKind.TABLE_ROW
        ):
            return re.sub(r"\s+-\s+(?=\w)", "-", text) if "sub - " in text.lower() else text
    return None


def following_lines(page: Sequence[Block], start: int) -> str:
    """The agenda line after the date ("Supplemental Agenda", "A G E N D A"), else the
    subject lines of the front page ("Putney Polish ... / NEW APPLICATION")."""
    lines: list[str] = []
    for block in page[start : start + 4]:
        text = block.text.strip()
        if SPACED_LETTERS.match(text):
            text = text.replace(" ", "").capitalize()
        classified = classify_title(text)
        if classified and classified[0] == DocType.AGENDA and len(text.split()) <= 4:
            return readable_case(text)
        if block.kind in (BlockKind.TABLE_ROW, BlockKind.LIST_ITEM) or not block.bold:
            break
        if len(lines) < SUBJECT_LINES:
            lines.append(readable_case(text))
    return " – ".join(lines)


def letter_title(blocks: Sequence[Block]) -> tuple[str, str] | None:
    """A letter's title: the request a Freedom of Information reply answers, else its
    subject line; with its letterhead, the lines down to the salutation."""
    page = front_page(blocks)
    salutation = next((i for i, b in enumerate(page) if SALUTATION.match(b.text)), None)
    if salutation is None:
        return None
    title = request_or_subject([b.text for b in page])
    return (title, f"{front_lines(page, salutation)} {title}") if title else None


def request_or_subject(texts: list[str]) -> str | None:
    if any(FREEDOM_OF_INFORMATION.search(text) for text in texts) or any(
        re.search(r"\bFOI\b", text) for text in texts
    ):
        for text in texts:
            match = REQUEST_REFERENCE.search(text)
            if match:
                return f"Freedom of Information request {match['ref'] or match['heading_ref']}"
        return "Freedom of Information request"
    for text in texts:
        match = SUBJECT_LINE.match(text)
        if match:
            return match["subject"].strip()
    return None
