"""Cut a file's blocks into the documents it bundles.

Committee agenda packs put a cover and agenda, minutes of the last meeting, officers'
reports and their appendices (often whole annual reports and plans) into one PDF.  A
document starts where the blocks say so:

- a title that names a kind of CSP publication, a period and a partnership or place
  ("Braintree District Community Safety Partnership" / "Action Plan 2017-18");
- a committee report's cover sheet ("Report of ...", "Agenda No: 5"), as a table or,
  after a pack's agenda, as lines;
- the heading of minutes: a committee's name, a date, then "Present";
- in a pack, an "APPENDIX B" line followed by the appendix's title.

A committee web page (ModernGov, CMIS: "Agenda item", "Issue - meetings", "Agenda and
minutes") is one document, titled by its item or meeting: the reports and plans its
minute discusses are not documents of their own.

Lines of an agenda that list those documents ("5 Annual Report ... 2017-18  5 - 55")
name them too, so an entry followed by its page range is not a start, and so do a cover
sheet's "List of Appendices" and "Background Papers".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence

from ingest.attribution.doctypes import (
    CommitteePage,
    classify_title,
    committee_page,
    committee_report_marker,
    minutes_phrase,
)
from ingest.attribution.periods import find_periods
from ingest.model import Block, BlockKind, DocType, DocumentSpan
from ingest.structure.openings import (
    COMMITTEE_NAME,
    SMALL_WORDS,
    is_furniture,
    is_stamp_row,
    letter_title,
    meeting_papers_title,
    names_meeting,
    readable_case,
    report_cover_field,
)
from ingest.structure.sections import (
    BOLD_HEADING_LEVEL,
    PAGE_RANGE,
    looks_like_title,
    word_count,
)

MAX_TITLE_BLOCKS = 3
MAX_COVER_BLOCKS = 3
MAX_TITLE_WORDS = 24
# A repeated title soon after a start is the same document's cover and title page.
SAME_DOCUMENT_WINDOW = 6
MAX_OPENING_FIELDS = 8

TRAILING_PAGE_RANGE = re.compile(r"\b\d{1,3}\s*[-–]\s*\d{1,3}$")
APPENDIX_MARKER = re.compile(r"^appendix\s+([A-Z]|\d{1,2})\b\s*[:.\-–—]?\s*(.*)$", re.I)
PRESENT = re.compile(r"^(?:members\s+)?present\b", re.I)
COVER_MARKERS = re.compile(
    r"\b(?:agenda\s+(?:no|item|number)|report\s+(?:of|to|by|author)|report\s+presented\s+by"
    r"|report\s+prepared\s+by|wards?\s+affected)\b",
    re.I,
)
# "Report Title" is a label on its own line in the standard English council template.
COVER_FIELD = re.compile(
    r"^(?:(?:subject|title|report\s+title|purpose|title\s+of\s+(?:the\s+)?report"
    r"|subject\s+of\s+(?:the\s+)?report|report\s+subject)\s*[:|]|report\s+title\b)\s*",
    re.I,
)
# "Title | ...", "Report title: | ...", "Subject: | ...": the cell naming the report.
TITLE_CELL = re.compile(
    r"^(?:(?:report\s+)?title|title\s+of\s+(?:the\s+)?report|subject)\s*:?\s*\|\s*(.+?)(?:\s*\|.*)?$",
    re.I,
)
CONTENTS_HEADINGS = {"contents", "table of contents", "index"}
PARTNERSHIP_WORDS = re.compile(r"\b(?:partnership|csp|community\s+safety|cdrp)\b", re.I)
# "Background papers: ...", "Appendices: ...": a label of a few words, then its value.
FIELD_LABEL = re.compile(r"^(?P<label>[A-Za-z][\w'’&/ -]{0,40}?)\s*:\s+\S")
NUMBERED_LABEL = re.compile(r"\s(?:[A-Z]|\d{1,2}(?:\.\d{1,2})*)$")
# A cover sheet's list of the papers a report refers to: "Background Papers", "List of
# Appendices Included", with the entries on the label's line or the lines after it.
REFERENCES_LABEL = re.compile(
    r"^(?:list\s+of\s+)?(?:background\s+(?:papers|documents)|appendices|annexes|enclosures"
    r"|attachments|supporting\s+(?:papers|documents)|related\s+documents|documents\s+referred\s+to)"
    r"(?:\s+(?:included|attached|enclosed))?\b\s*[:\-–—]?",
    re.I,
)
MAX_REFERENCE_ENTRIES = 8
# "Report of the Assistant Director ...", "Report to: Communities Scrutiny Committee":
# the line that opens a committee report's cover written as lines rather than a table.
REPORT_COVER_LINE = re.compile(
    r"^report\s+(?:of|to|by|presented\s+by|prepared\s+by|author)\b", re.I
)
# A report's author, which any report names; only a report to a meeting is a committee's.
AUTHORSHIP = re.compile(r"^\s*report\s+(?:author|prepared\s+by)\b", re.I)
PURPOSE_OF_REPORT = re.compile(r"^purpose\s+of\s+(?:the\s+)?report\b", re.I)
MAX_REPORT_HEADING_LINES = 2
# What follows a title's period on its lines without being part of it: a field ("Reporting
# period: ..."), a phrase addressing its readers ("Summary for the Board, June 2023").
SENTENCE_CASE_LABEL = re.compile(r"^[A-Z][a-z]+(?:\s+[a-z]+){0,3}\s*:")
ADDRESSING = re.compile(r"^[A-Z][a-z]+\s+(?:for|to|by)\s", re.I)
RUN_ON_WORDS = 5
REPEATED_LETTERHEAD = re.compile(r"^(?P<head>\S.{2,60}?)\s+(?=(?P=head)\b)")
# "5.", "2.8", "3.2.76", "(a)", "iv)": the number of a paragraph, minute or clause.
PARAGRAPH_NUMBER = re.compile(r"^\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivx]{1,5})[.)]?$", re.I)
TABLE_CAPTION = re.compile(r"^(?:table|figure|chart|graph|map)\s+\d+[a-z]?\b", re.I)
NO_ENTRIES = re.compile(r"^(?:none|nil|n/?a|not\s+applicable)\b", re.I)
# A web page's publication fields ("Date: Friday, 23rd Aug 2019 | Category: ...",
# "Published : 24/10/2012") follow its title without being part of it.
PUBLICATION_FIELD = re.compile(
    r"^(?:date(?:\s+published)?|published|posted|(?:last\s+)?updated)\s*:", re.I
)
# A committee page's header may follow a line or two of the site's own navigation.
MAX_PAGE_HEADER_BLOCK = 3
MAX_PAGE_TITLE_CHARS = 120
PAPER_LABEL = re.compile(
    r"^(?:public\s+|part\s+(?:i{1,2}|\d)\s+)?(?:agenda\s+)?(?:paper|item)\s+(?:no\.?\s*)?[A-Z\d]{1,3}\.?$",
    re.I,
)


def split_documents(
    blocks: Sequence[Block], names_place: Callable[[str], bool], metadata_title: str = ""
) -> list[DocumentSpan]:
    """Document spans covering all blocks, in order; the first starts at block 0.  A PDF's
    `metadata_title` titles its opening document when the opening page gives none."""
    page = committee_page_span(blocks)
    if page is not None:
        return [page]
    starts: list[DocumentSpan] = []
    index = 0
    while index < len(blocks):
        if REFERENCES_LABEL.match(blocks[index].text):
            index = references_end(blocks, index)
            continue
        if is_stamp_row(blocks[index].text):
            stamped = stamped_page_start(blocks, index, starts)
            if stamped:
                starts.append(stamped)
            index += 1
            continue
        found = (
            cover_sheet_start(blocks, index)
            or report_cover_start(blocks, index)
            or minutes_start(blocks, index)
            or (appendix_start(blocks, index) if in_pack(starts) else None)
            or titled_start(blocks, index, names_place)
        )
        if found and not repeats_current(starts, found):
            starts.append(found)
            index = max(index + 1, found.end)
            continue
        index += 1
    if (
        starts
        and 0 < starts[0].start <= MAX_COVER_BLOCKS
        and all(
            looks_like_title(block.text, MAX_TITLE_WORDS) or is_furniture(block.text)
            for block in blocks[: starts[0].start]
        )
    ):
        first = starts[0]
        if first.doc_type in (DocType.AGENDA, DocType.MINUTES):
            # A meeting's heading names its committee above the date and venue.
            committee = " ".join(block.text for block in blocks[: first.start])
            first.title = f"{readable_case(committee)} - {first.title}"
            first.title_lines = f"{committee} {first.title_lines}"
        first.start = 0  # a cover page's lines belong to the document they announce
    if not starts or starts[0].start != 0:
        starts.insert(0, opening_document(blocks, metadata_title))
    for current, following in itertools.pairwise(starts):
        current.end = following.start
    starts[-1].end = len(blocks)
    return starts


def committee_page_span(blocks: Sequence[Block]) -> DocumentSpan | None:
    """The whole file as one committee web page, when it opens with such a page's header.

    The title is the item's ("Agenda item" / "Safer Gateshead Partnership Plan") or the
    meeting's (its committee, and the date under it); the type is minutes when the page
    records the discussion (a "Minutes:" field, minutes' voice), else the agenda; a page
    recording an executive decision is neither.
    """
    for index, block in enumerate(blocks[:MAX_PAGE_HEADER_BLOCK]):
        found = committee_page(block.text)
        if found is None:
            continue
        kind, title = found
        after = index + 1
        # The header may repeat, with or without the title ("Agenda item - X", "Agenda item").
        while after < len(blocks) and (repeated := committee_page(blocks[after].text)):
            title = title or repeated[1]
            after += 1
        if not title and after < len(blocks):
            title = blocks[after].text
            following = blocks[after + 1] if after + 1 < len(blocks) else None
            if kind == CommitteePage.MEETING and following and is_date_line(following):
                title = f"{title} - {following.text}"
        title = readable_case(title[:MAX_PAGE_TITLE_CHARS].strip())
        doc_type, phrase = DocType.OTHER, block.text
        if kind != CommitteePage.DECISION:
            recorded = minutes_phrase([b.text for b in blocks[after:]])
            doc_type = DocType.MINUTES if recorded else DocType.AGENDA
            phrase = recorded or phrase
        return DocumentSpan(0, len(blocks), title, doc_type, phrase, "committee page")
    return None


def references_end(blocks: Sequence[Block], label: int) -> int:
    """The block after a references list's label and its entries: they name documents,
    they do not start them.  Entries follow a label that stands alone; after a label with
    its first entry on its line, only more "Appendix 2 - ..." lines do.  A bare "Appendix
    2" line, a line opening a body of prose, or a new page is where the pack's own
    appendices begin, as does a heading the source states; "None" ends the list."""
    entries_inline = bool(REFERENCES_LABEL.sub("", blocks[label].text, count=1).strip())
    end = label + 1
    while end < len(blocks) and end <= label + MAX_REFERENCE_ENTRIES:
        entry = blocks[end]
        if (
            not looks_like_title(entry.text, MAX_TITLE_WORDS)
            or (entries_inline and not APPENDIX_MARKER.match(entry.text))
            or entry.page != blocks[label].page
            or is_bare_appendix_marker(entry.text)
            or (entry.kind == BlockKind.HEADING and (entry.level or 0) < BOLD_HEADING_LEVEL)
        ):
            break
        end += 1
        if NO_ENTRIES.match(entry.text):
            break
    return end


def is_bare_appendix_marker(text: str) -> bool:
    match = APPENDIX_MARKER.match(text)
    return bool(match and not match.group(2).strip())


def title_group(blocks: Sequence[Block], index: int) -> list[Block]:
    """Up to three consecutive short title-like blocks starting at `index`."""
    group: list[Block] = []
    for block in blocks[index : index + MAX_TITLE_BLOCKS]:
        if block.kind in (BlockKind.LIST_ITEM, BlockKind.TABLE_ROW):
            break
        if block.text.strip().lower() in CONTENTS_HEADINGS:
            break
        # A cover sheet's field or marker ("Subject: ...", "Report of the Cabinet Member")
        # names the report's subject or author, not its title.
        if (
            COVER_FIELD.match(block.text)
            or committee_report_marker(block.text)
            or PUBLICATION_FIELD.match(block.text)
        ):
            break
        # "Application ref: Site: Ward: Description:": a form's labels, whose values follow.
        if group and block.text.rstrip().endswith(":"):
            break
        if block.kind != BlockKind.HEADING and not looks_like_title(block.text, MAX_TITLE_WORDS):
            break
        group.append(block)
    return group


def titled_start(
    blocks: Sequence[Block], index: int, names_place: Callable[[str], bool]
) -> DocumentSpan | None:
    """The smallest run of title lines at `index` that names a type, period and partnership."""
    group = title_group(blocks, index)
    for size in range(1, len(group) + 1):
        if is_agenda_entry(blocks, index + size - 1):
            return None
        window = group[:size]
        if is_field(window[0].text, names_place):
            return None
        if names_document(window, names_place):
            # A window that still qualifies without a first line that adds no partnership
            # or place ("Public Version", an e-mail address) starts one line later.
            if (
                size > 1
                and names_document(window[1:], names_place)
                and not names_place(window[0].text)
            ):
                return None
            lines = " ".join(block.text for block in window)
            text = without_run_on(lines)
            doc_type, phrase = classify_title(text) or (None, None)
            return DocumentSpan(index, index + size, text, doc_type, phrase, "title", lines)
    return None


def names_document(window: Sequence[Block], names_place: Callable[[str], bool]) -> bool:
    text = " ".join(block.text for block in window)
    if not is_title_case(text) or text.endswith(":"):
        return False
    classified = classify_title(text)
    if classified is None or not find_periods(text):
        return False
    # "Partnership Plan 2019-20" as a heading names a type, not a partnership.
    rest = text.replace(classified[1], " ")
    return bool(names_place(text) or PARTNERSHIP_WORDS.search(rest))


def without_run_on(title: str) -> str:
    """A title's lines without what runs on after the period it names: a field, a
    sentence or a phrase addressing its readers ("Strategic Assessment 2022 / Reporting
    period: year ending September 2022"), nor a letterhead its title line repeats."""
    title = REPEATED_LETTERHEAD.sub("", title, count=1)
    for period in find_periods(title):
        named, rest = title[: period.end], title[period.end :].strip()
        if rest and classify_title(named) and runs_on(rest):
            return named
    return title


def runs_on(rest: str) -> bool:
    if not rest[0].isupper():
        return False
    opening = " ".join(rest.split()[:RUN_ON_WORDS])
    return bool(
        SENTENCE_CASE_LABEL.match(rest) or ADDRESSING.match(rest) or not is_title_case(opening)
    )


def is_field(text: str, names_place: Callable[[str], bool]) -> bool:
    """A labelled line whose label names nothing of a document ("Background papers: Safer
    Swansea Partnership Community Safety Plan 2018-19"): a reference to another document,
    not a title.  A title's label names the partnership, place, kind or period ("Safer
    Colchester Partnership: Annual Plan 2019/20") or numbers a part ("Appendix A: ...")."""
    match = FIELD_LABEL.match(text)
    if not match:
        return False
    label = match["label"]
    return not (
        names_place(label)
        or PARTNERSHIP_WORDS.search(label)
        or classify_title(label)
        or find_periods(label)
        or NUMBERED_LABEL.search(label)
    )


def is_title_case(text: str) -> bool:
    """Titles capitalise their words; prose has many lower-case words beyond the small ones."""
    words = re.findall(r"[A-Za-z][\w'’-]*", text)
    lower = [word for word in words if word[0].islower() and word.lower() not in SMALL_WORDS]
    return len(lower) <= 1


def is_agenda_entry(blocks: Sequence[Block], index: int) -> bool:
    """An agenda line listing a report, with the pages it occupies in the pack."""
    block = blocks[index]
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    if TRAILING_PAGE_RANGE.search(block.text):
        return True
    return following is not None and bool(PAGE_RANGE.match(following.text))


def cover_sheet_start(blocks: Sequence[Block], index: int) -> DocumentSpan | None:
    """A committee report's cover: a table row naming the report and its author."""
    block = blocks[index]
    if block.kind != BlockKind.TABLE_ROW or not opens_a_cover_cell(block.text):
        return None
    start = index
    if index and is_date_line(blocks[index - 1]):
        start = index - 1
    title = block.text.split(" | ")[0]
    if COVER_MARKERS.match(title) or is_furniture(title):
        title = ""
    for row in blocks[index : index + 4]:
        match = TITLE_CELL.match(row.text)
        if match:
            title = match.group(1)
            break
    title = title or "Committee report"
    end = index + 1
    while end < len(blocks) and end < index + 12 and blocks[end].kind == BlockKind.TABLE_ROW:
        end += 1
    marker = committee_report_marker(block.text)
    return DocumentSpan(start, end, title, DocType.COMMITTEE_REPORT, marker, "cover sheet")


def opens_a_cover_cell(row: str) -> bool:
    """A cover sheet's row has a cell that opens with its marker ("Report of: | ...",
    "Open Agenda | Agenda Item 4").  A numbered paragraph or minute laid out as a row
    ("5. | LFB's report of the incident ...", "24. | REPORT OF THE OVERVIEW AND SCRUTINY
    COMMITTEE: ...") or a list of tables ("Table 4 | ... report by area") only mentions
    a report."""
    cells = [cell.strip() for cell in row.split(" | ")]
    if PARAGRAPH_NUMBER.match(cells[0]) or TABLE_CAPTION.match(cells[0]):
        return False
    return any(COVER_MARKERS.match(cell) for cell in cells)


def report_cover_start(blocks: Sequence[Block], index: int) -> DocumentSpan | None:
    """A committee report after a pack's agenda, its cover written as lines: "Report of
    ..." or "Report to: ..." with more cover fields after it, under the report's heading
    (the meeting and the report's title).  A "Title:" field names it, else its heading."""
    block = blocks[index]
    if block.kind == BlockKind.TABLE_ROW or not REPORT_COVER_LINE.match(block.text):
        return None
    fields = blocks[index + 1 : index + 1 + MAX_COVER_BLOCKS]
    if not any(is_cover_line(field) for field in fields):
        return None
    start = index
    while (
        start > 0
        and index - start < MAX_REPORT_HEADING_LINES
        and blocks[start - 1].kind in (BlockKind.PARAGRAPH, BlockKind.HEADING)
        and looks_like_title(blocks[start - 1].text, MAX_TITLE_WORDS)
    ):
        start -= 1
    if not follows_agenda(blocks, start):
        return None
    heading = [b.text for b in blocks[start:index] if not is_meeting_line(b)]
    cover = blocks[index + 1 : index + 1 + MAX_OPENING_FIELDS]
    titled = next((b.text for b in cover if COVER_FIELD.match(b.text)), None)
    title = COVER_FIELD.sub("", titled, count=1) if titled else " ".join(heading)
    marker = committee_report_marker(block.text)
    return DocumentSpan(
        start, index + 1, title or "Committee report", DocType.COMMITTEE_REPORT, marker, "cover"
    )


def is_cover_line(block: Block) -> bool:
    return bool(
        committee_report_marker(block.text)
        or COVER_FIELD.match(block.text)
        or PURPOSE_OF_REPORT.match(block.text)
    )


def is_meeting_line(block: Block) -> bool:
    """ "Overview and Scrutiny Committee 19 July 2022": the meeting a report goes to."""
    return bool(COMMITTEE_NAME.search(block.text)) and has_date(block)


def follows_agenda(blocks: Sequence[Block], index: int) -> bool:
    """A cover's lines start a document of their own only after a pack's agenda; in a
    report on its own they are its opening."""
    return any(is_agenda_heading(block) for block in blocks[:index])


def is_agenda_heading(block: Block) -> bool:
    classified = classify_title(block.text)
    return (
        classified is not None
        and classified[0] == DocType.AGENDA
        and looks_like_title(block.text, MAX_TITLE_WORDS)
    )


def is_date_line(block: Block) -> bool:
    periods = find_periods(block.text)
    return (
        word_count(block.text) <= 6
        and len(periods) == 1
        and periods[0].kind == "date"
        and len(periods[0].text) >= len(block.text) - 12
    )


def minutes_start(blocks: Sequence[Block], index: int) -> DocumentSpan | None:
    """A committee's name, the meeting date and the list of those present."""
    block = blocks[index]
    if word_count(block.text) > 10 or not COMMITTEE_NAME.search(block.text):
        return None
    window = blocks[index + 1 : index + 7]
    date_block = next((b for b in window[:3] if is_date_line(b) or has_date(b)), None)
    if date_block is None:
        return None
    if not any(PRESENT.match(b.text) for b in window):
        return None
    date_text = find_periods(date_block.text)[0].text
    title = f"{readable_case(block.text)} minutes, {date_text}"
    return DocumentSpan(index, index + 1, title, DocType.MINUTES, "Present", "minutes heading")


def has_date(block: Block) -> bool:
    return any(period.kind == "date" for period in find_periods(block.text))


def appendix_start(blocks: Sequence[Block], index: int) -> DocumentSpan | None:
    """'APPENDIX B' alone on a line, then the appendix's own title."""
    block = blocks[index]
    match = APPENDIX_MARKER.match(block.text)
    if not match or word_count(block.text) > 16 or block.kind == BlockKind.LIST_ITEM:
        return None
    title = match.group(2).strip()
    end = index + 1
    if not title and index + 1 < len(blocks):
        following = blocks[index + 1]
        if following.kind != BlockKind.TABLE_ROW and word_count(following.text) <= MAX_TITLE_WORDS:
            lines = appendix_title_lines(blocks, index + 1)
            title = " ".join(block.text for block in lines)
            end = index + 1 + len(lines)
    if not title:
        return None
    classified = classify_title(title)
    doc_type, phrase = classified if classified else (DocType.COMMITTEE_REPORT, None)
    full_title = f"Appendix {match.group(1).upper()}: {title}"
    return DocumentSpan(index, end, full_title, doc_type, phrase, "appendix")


def appendix_title_lines(blocks: Sequence[Block], index: int) -> list[Block]:
    """The appendix's title: its first line, or the lines down to the one naming its kind
    ("Partneriaeth Diogelwch Cymunedol Conwy a Sir Ddinbych / Conwy and Denbighshire
    Community Safety Partnership / Action Plan 2022/23")."""
    group = title_group(blocks, index)
    for size in range(1, len(group) + 1):
        if classify_title(" ".join(block.text for block in group[:size])):
            return group[:size]
    return [blocks[index]]


def in_pack(starts: list[DocumentSpan]) -> bool:
    """Appendices are separate documents only inside a committee pack."""
    return any(
        start.doc_type in (DocType.COMMITTEE_REPORT, DocType.AGENDA, DocType.MINUTES)
        or start.reason == "appendix"
        for start in starts
    )


def repeats_current(starts: list[DocumentSpan], found: DocumentSpan) -> bool:
    if not starts:
        return False
    current = starts[-1]
    if found.start - current.end > SAME_DOCUMENT_WINDOW:
        return False
    if found.doc_type != current.doc_type:
        return False
    found_years = period_years(found.title_lines)
    return found_years == period_years(current.title_lines) or not found_years


def stamped_page_start(
    blocks: Sequence[Block], index: int, starts: list[DocumentSpan]
) -> DocumentSpan | None:
    """A committee system's stamp ("Agenda Item 7", "Open Agenda | Agenda Item 4") marks
    the first page of an item's papers, wherever the page's text put it (often last):
    the item's report starts at the top of that page, titled by its first heading
    there, unless a document already started on that page."""
    page = blocks[index].page
    first = index
    while first > 0 and blocks[first - 1].page == page:
        first -= 1
    if page is None or first == 0 or (starts and starts[-1].start >= first):
        return None
    stamp = blocks[index].text.split(" | ")[-1]
    title = next(
        (
            b.text
            for b in blocks[first:index]
            if b.kind == BlockKind.HEADING
            and looks_like_title(b.text, MAX_TITLE_WORDS)
            and not is_furniture(b.text)
        ),
        stamp,
    )
    return DocumentSpan(
        first, first + 1, title, DocType.COMMITTEE_REPORT, stamp, "agenda item stamp"
    )


def period_years(text: str) -> set[int]:
    return {period.year_from for period in find_periods(text)}


def opening_document(blocks: Sequence[Block], metadata_title: str = "") -> DocumentSpan:
    """What comes before the first recognised start: a meeting's papers under their
    front page, a letter, a cover, an agenda, a committee report whose cover sheet names
    its subject, or the whole file."""
    meeting = meeting_papers_title(blocks)
    if meeting:
        return DocumentSpan(0, 0, meeting[0], DocType.AGENDA, "front page", "meeting", meeting[1])
    letter = letter_title(blocks)
    if letter:
        return DocumentSpan(0, 0, letter[0], None, None, "letter", letter[1])
    opening = blocks[:MAX_OPENING_FIELDS]
    subject = next((b.text for b in opening if COVER_FIELD.match(b.text)), None)
    marker = next(
        (m for m in map(committee_report_marker, (b.text for b in opening)) if m), None
    ) or report_cover_field(blocks)
    if marker and not subject:
        subject = unlabelled_subject(opening)
    first = title_start(blocks)
    group = title_group(blocks, first) if blocks else []
    lines = " ".join(block.text for block in group[:2])
    title = without_run_on(lines)
    if subject and not heading_names_document(group[:2]):
        title = lines = COVER_FIELD.sub("", subject, count=1).lstrip(" |")
    if not title and blocks:
        title = lines = metadata_title or blocks[first].text[:120]
    end = first + len(group)
    classified = classify_title(title)
    if marker and AUTHORSHIP.match(marker) and not classified and not names_meeting(blocks):
        # "Report Author: ..." under an independent review's title, going to no meeting.
        return DocumentSpan(0, end, title, DocType.OTHER, "authored report", "opening", lines)
    if marker:
        return DocumentSpan(0, end, title, DocType.COMMITTEE_REPORT, marker, "opening", lines)
    doc_type, phrase = classified if classified else (None, None)
    return DocumentSpan(0, end, title, doc_type, phrase, "opening", lines)


def title_start(blocks: Sequence[Block]) -> int:
    """Where a document's title begins: past the page furniture and table rows that can
    open its first page (a page number, a letterhead, a table's header row, a committee
    paper's label: "PAPER B", "PUBLIC Agenda Item 9"), and on a
    paged document at its first stated heading when its cover states none (a map's or
    photograph's OCR'd words)."""
    candidates = [
        index
        for index, block in enumerate(blocks[: MAX_OPENING_FIELDS * 2])
        if block.kind != BlockKind.TABLE_ROW
        and not is_furniture(block.text)
        and not PAPER_LABEL.match(block.text)
    ]
    if not candidates:
        return 0
    if blocks[0].page is not None and blocks[candidates[0]].kind != BlockKind.HEADING:
        first_pages = {blocks[0].page, blocks[0].page + 1}
        headed = [
            index
            for index in candidates
            if blocks[index].kind == BlockKind.HEADING
            and (blocks[index].level or BOLD_HEADING_LEVEL) < BOLD_HEADING_LEVEL
            and blocks[index].page in first_pages
        ]
        if headed:
            return headed[0]
    return candidates[0]


def unlabelled_subject(opening: Sequence[Block]) -> str | None:
    """The line after a cover sheet's fields that names the report's subject without a
    label ("COMMUNITY SAFETY – ANNUAL SCRUTINY OF CRIME AND DISORDER 2022/23" under the
    TO/FROM/DATE OF MEETING table), told from a section heading by naming a kind of
    publication, a partnership or community safety, or the year it covers."""
    fields_seen = False
    for block in opening:
        if block.kind == BlockKind.TABLE_ROW or FIELD_LABEL.match(block.text):
            fields_seen = True
            continue
        if not fields_seen or block.kind == BlockKind.LIST_ITEM:
            continue
        if not looks_like_title(block.text, MAX_TITLE_WORDS):
            continue
        publication_periods = [
            p for p in find_periods(block.text) if p.kind not in ("date", "month")
        ]
        if (
            classify_title(block.text)
            or PARTNERSHIP_WORDS.search(block.text)
            or publication_periods
        ):
            return readable_case(block.text)
    return None


def heading_names_document(lines: Sequence[Block]) -> bool:
    """A heading that names a kind of publication or the year it covers is the title,
    over a cover field's value ("Purpose: To review ..."); a letterhead ("Wyre Forest
    District Council") or a meeting's heading and date is not."""
    if not lines or lines[0].kind != BlockKind.HEADING:
        return False
    text = " ".join(block.text for block in lines)
    publication_periods = [p for p in find_periods(text) if p.kind not in ("date", "month")]
    return classify_title(text) is not None or bool(publication_periods)
