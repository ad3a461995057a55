"""The small data model that flows through every ingest stage.

A reader turns a file into a `ParsedFile`: text `Block`s in reading order, each with
its page (None for sources without pages) and its character offsets into the file's
extracted text, which is the blocks' texts joined by blank lines.  The splitter cuts
the blocks into one or more `Document`s (an agenda pack bundles several); the
structure stage groups a document's blocks into `Section`s under their heading path;
attribution gives documents and sections their CSP areas, financial years and
document type, each with the `Evidence` it came from.  The entity stage then finds in
each section the initiatives and partners it names (`Mention`, linked to one canonical
name) and the figures it reports (`Figure`), and in each plan or report the priorities
it states (`Priority`, each mapped to themes) and the commitments it makes
(`Commitment`: actions, undertakings and resolutions, with owner and timescale).

Periods are financial years stored as the year they start: 2022 means 2022-23
(1 April 2022 to 31 March 2023).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path


class DocType(StrEnum):
    """The fixed vocabulary of document kinds."""

    ANNUAL_REPORT = "annual report"
    STRATEGIC_ASSESSMENT = "strategic assessment"
    PARTNERSHIP_PLAN = "partnership plan"
    ACTION_PLAN = "action plan"
    MINUTES = "minutes"
    AGENDA = "agenda"
    COMMITTEE_REPORT = "committee report"
    PROSPECTUS = "prospectus"
    OTHER = "other"


class FileStatus(StrEnum):
    """What an ingest did with one file (`csp ingest` prints it first on the file's line)."""

    INGESTED = "ingested"
    PARTIAL = "partial"  # stored, but pages are missing (unreadable, or past --max-pages)
    OCR = "ocr"  # stored, with pages read by OCR
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"  # the same bytes as a file already stored
    FAILED = "failed"

    @property
    def stored(self) -> bool:
        """Whether the file's documents are stored and searchable by this run."""
        return self in (FileStatus.INGESTED, FileStatus.PARTIAL, FileStatus.OCR)


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_ROW = "table_row"


@dataclass
class Block:
    """One run of text in reading order.

    `level` is the heading level the source states (markdown `#`, `<h2>`, a PDF font
    size rank); None where the source gives none and heading detection must judge.
    Table rows keep their cells joined by " | ".
    """

    text: str
    kind: BlockKind = BlockKind.PARAGRAPH
    level: int | None = None
    page: int | None = None
    start: int = 0
    end: int = 0
    bold: bool = False
    size: float | None = None


@dataclass
class ParsedFile:
    """What a reader returns for one file.

    `furniture` keeps the running headers and footers the reader left out of the blocks:
    they often carry the only mention of the council or partnership.  `page_count` is
    the file's; `pages_read` is fewer when a page limit stopped the reader;
    `failed_pages` and `textless_pages` list the pages that raised or had no text, and
    `ocr_pages` those whose blocks came from OCR, having no usable text layer.
    `metadata_title` is a PDF's own title from its metadata where it is meaningful (not
    a template's or a file's name), the title of last resort.
    """

    path: Path
    format: str
    blocks: list[Block]
    page_count: int | None = None
    warnings: list[str] = field(default_factory=list)
    outline: list[tuple[int, str, int]] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)
    pages_read: int | None = None
    failed_pages: list[int] = field(default_factory=list)
    textless_pages: list[int] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    metadata_title: str = ""
    #: What the file's own metadata says of where it came from (a PDF's: a URL among its
    #: fields, an XMP publisher); never its author or producing application.
    metadata_provenance: Provenance | None = None

    @property
    def text(self) -> str:
        return BLOCK_SEPARATOR.join(block.text for block in self.blocks)


@dataclass
class DocumentSpan:
    """Blocks [start, end) of one bundled document and what its opening says it is."""

    start: int
    end: int
    title: str
    doc_type: DocType | None
    type_phrase: str | None
    reason: str
    # The title's lines as written, with what ran on after the title ("Covering the
    # financial year 2021-22"): the periods and places they state attribute the document.
    title_lines: str = ""

    def __post_init__(self) -> None:
        self.title_lines = self.title_lines or self.title


@dataclass
class Passage:
    """Blocks under one heading path, the unit that becomes a `Section`."""

    heading_path: list[str]
    blocks: list[Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)

    @property
    def words(self) -> int:
        return sum(len(block.text.split()) for block in self.blocks)


BLOCK_SEPARATOR = "\n\n"


def assign_offsets(blocks: list[Block]) -> list[Block]:
    """Set each block's start/end to its place in the joined file text."""
    offset = 0
    for block in blocks:
        block.start = offset
        block.end = offset + len(block.text)
        offset = block.end + len(BLOCK_SEPARATOR)
    return blocks


@dataclass
class Evidence:
    """Why an attribution was made: the value decided and the phrase it came from."""

    kind: str  # "district", "period", "date" or "doc_type"
    value: str
    phrase: str
    start: int | None = None


@dataclass
class Mention:
    """An initiative or partner named in a section; offsets are into the section text."""

    label: str  # "INITIATIVE" or "PARTNER"
    text: str
    canonical: str
    start: int
    end: int
    page: int | None = None
    source: str = "ruler"  # "ruler" (pattern data) or "ner" (the trained model)


@dataclass
class Figure:
    """A reported number: '£17,739', '302 Safe and Well visits', 'reduced by 12%'.

    `unit` is one of "GBP", "count", "percent", "rate"; `counted` is the noun phrase the
    number counts or pays for, where the text says; `direction` is "increase" or
    "decrease" where the text states a change.  Offsets are into the section text.
    """

    text: str
    value: float
    unit: str
    start: int
    end: int
    counted: str | None = None
    direction: str | None = None
    page: int | None = None


@dataclass
class Priority:
    """A priority a plan or report states for its CSP, with the themes it maps to.

    `year` is the financial year it is for (start year): the year its lead-in states
    ("In 2018-19 the priorities will be:" in a 2017-18 report gives 2018), else its
    section's.
    """

    text: str
    themes: list[str]
    section_id: str
    page: int | None = None
    rank: int = 0
    year: int | None = None


@dataclass
class Commitment:
    """Something a CSP document says will be done: an action-plan row, a "we will ..."
    statement, a priority for a later year, or a resolution or action in minutes.

    `kind` is one of "action_row", "we_will", "next_year_priority", "resolution",
    "minutes_action"; `owner` is the lead partner or person named, `timescale` the
    deadline as written, `measure` the outcome or target, `priority` the priority it
    serves.  `text` is exactly as written, at `start`..`end` of its section's text;
    `year` is the financial year it is for.
    """

    text: str
    kind: str
    section_id: str
    page: int | None = None
    start: int = 0
    end: int = 0
    year: int | None = None
    owner: str | None = None
    timescale: str | None = None
    measure: str | None = None
    priority: str | None = None

    @property
    def commitment_id(self) -> str:
        return f"{self.section_id}@{self.start}"


# What later documents say became of a commitment (ingest/answers/tracing/), in this order.
TRACE_STATUSES = (
    "delivered",
    "in progress",
    "carried forward",
    "changed or dropped",
    "unclear",
    "no later mention found",
    "no later documents",
)


class PageMap:
    """The page of any character offset in a section's text."""

    def __init__(self, starts: Sequence[tuple[int, int | None]]):
        self.offsets = [offset for offset, _ in starts]
        self.pages = [page for _, page in starts]

    def page_at(self, offset: int) -> int | None:
        if not self.offsets:
            return None
        return self.pages[max(bisect.bisect_right(self.offsets, offset) - 1, 0)]


@dataclass
class Section:
    section_id: str
    doc_id: str
    heading_path: list[str]
    text: str
    page_start: int | None
    page_end: int | None
    char_start: int
    char_end: int
    districts: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    evidence: list[Evidence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)

    @property
    def period(self) -> str | None:
        return period_label(self.year_from, self.year_to)


@dataclass
class Document:
    doc_id: str
    source: str
    file_sha256: str
    part: int
    title: str
    doc_type: DocType = DocType.OTHER
    districts: list[str] = field(default_factory=list)
    county: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    period_as_written: str | None = None
    # The day it was published or its meeting held (ISO), where the text prints it: kept
    # beside the period, which for a report is the year it covers, not when it appeared.
    date: str | None = None
    page_start: int | None = None
    page_end: int | None = None
    evidence: list[Evidence] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    priorities: list[Priority] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)

    @property
    def period(self) -> str | None:
        return period_label(self.year_from, self.year_to)

    def to_dict(self, with_sections: bool = True) -> dict:
        data = asdict(self)
        data["doc_type"] = self.doc_type.value
        data["period"] = self.period
        if with_sections:
            for section, section_data in zip(self.sections, data["sections"], strict=True):
                section_data["period"] = section.period
        else:
            del data["sections"]
        return data


@dataclass
class Provenance:
    """Where a file came from, as far as it is known: the address it was published at,
    who published it, the day it was retrieved (ISO), and the name it had there.

    `origin` says who said so, strongest first: "manifest" (a `--sources` file),
    "download" (`csp ingest URL`), "upload" (the app), "metadata" (the PDF's own); a
    weaker origin never overwrites a stronger one."""

    url: str | None = None
    publisher: str | None = None
    retrieved: str | None = None
    original_name: str | None = None
    origin: str = "metadata"

    def is_empty(self) -> bool:
        return not (self.url or self.publisher or self.retrieved or self.original_name)


#: Origins of a `Provenance`, strongest first.
PROVENANCE_ORIGINS = ("manifest", "download", "upload", "metadata")


def fy_label(year: int) -> str:
    """2022 -> '2022-23'."""
    return f"{year}-{(year + 1) % 100:02d}"


def period_label(year_from: int | None, year_to: int | None) -> str | None:
    """'2022-23' for one financial year, '2016-17 to 2019-20' for a span."""
    if year_from is None:
        return None
    if year_to is None or year_to == year_from:
        return fy_label(year_from)
    return f"{fy_label(year_from)} to {fy_label(year_to)}"
