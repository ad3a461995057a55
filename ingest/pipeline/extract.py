"""From one file to attributed documents and sections: everything ingest stores.

`extract_file` is what `csp extract` prints and what `csp ingest` indexes; it touches no
index, so tests, notebooks and worker processes can all call it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.attribution.attribute import (
    DocumentAttribution,
    SectionAttribution,
    attribute_document,
    attribute_passage,
    block_topic,
    districts_of_passages,
    without_comparator_rows,
)
from ingest.attribution.gazetteer import PlaceMention, load_gazetteer
from ingest.attribution.places import find_places
from ingest.model import Block, Document, PageMap, ParsedFile, Provenance, Section
from ingest.nlp.entities import annotate_document
from ingest.readers import read_file
from ingest.structure.sections import build_passages, judge_headings
from ingest.structure.split import split_documents


@dataclass
class Extraction:
    """One file's documents, with what the reader said of it: `ocr_pages` are the pages
    read by OCR (a file with any has ingest status `ocr`)."""

    path: Path
    sha256: str
    format: str
    page_count: int | None
    warnings: list[str]
    documents: list[Document]
    pages_read: int | None = None
    failed_pages: list[int] = field(default_factory=list)
    textless_pages: list[int] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every page was read: none raised and no page limit cut the file short."""
        return not self.failed_pages and self.pages_read == self.page_count

    ocr_pages: list[int] = field(default_factory=list)
    #: Each document's near-duplicate signature (`ingest.store.dedupe`), by doc_id: set by an
    #: ingest's worker job, so the one writer does not compute them.
    signatures: dict[str, list[str] | None] = field(default_factory=dict)
    #: Where the file's own metadata says it was published, if it says.
    provenance: Provenance | None = None

    def to_dict(self) -> dict:
        return {
            "source": str(self.path),
            "sha256": self.sha256,
            "format": self.format,
            "pages": self.page_count,
            "pages_read": self.pages_read,
            "failed_pages": self.failed_pages,
            "textless_pages": self.textless_pages,
            "warnings": self.warnings,
            "ocr_pages": self.ocr_pages,
            "provenance": asdict(self.provenance) if self.provenance else None,
            "documents": [with_annotations(document) for document in self.documents],
        }


def with_annotations(document: Document) -> dict:
    """A document's dict with its entities and figures also listed at document level,
    each with the section and page it is in."""
    data = document.to_dict()
    data["entities"] = [
        {
            "label": mention.label,
            "text": mention.text,
            "canonical": mention.canonical,
            "section_id": section.section_id,
            "page": mention.page,
            "found_by": mention.source,
        }
        for section in document.sections
        for mention in section.mentions
    ]
    data["figures"] = [
        {**asdict(figure), "section_id": section.section_id}
        for section in document.sections
        for figure in section.figures
    ]
    return data


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def extract_file(
    path: Path,
    sha256: str | None = None,
    *,
    max_pages: int | None = None,
    ocr: bool = True,
    on_progress: Callable[[str, int], None] | None = None,
) -> Extraction:
    """Read, split, structure and attribute one file; raises ReaderError if unreadable.

    `on_progress(stage, page)` hears "reading" (or "OCR") for each page, then
    "analysing"; with `ocr` False no page is OCR'd.
    """
    path = Path(path)
    sha256 = sha256 or file_sha256(path)
    parsed = read_file(path, max_pages=max_pages, ocr=ocr, on_progress=on_progress)
    if on_progress:
        on_progress("analysing", parsed.pages_read or 0)
    documents = extract_documents(parsed, source=str(path), sha256=sha256)
    return Extraction(
        path,
        sha256,
        parsed.format,
        parsed.page_count,
        parsed.warnings,
        documents,
        pages_read=parsed.pages_read,
        failed_pages=parsed.failed_pages,
        textless_pages=parsed.textless_pages,
        ocr_pages=parsed.ocr_pages,
        provenance=parsed.metadata_provenance,
    )


def extract_documents(parsed: ParsedFile, source: str, sha256: str) -> list[Document]:
    blocks = parsed.blocks
    judge_headings(blocks)
    gazetteer = load_gazetteer()
    places = find_places([block.text for block in blocks])
    place_of_block = {id(block): mentions for block, mentions in zip(blocks, places, strict=True)}

    def names_place(text: str) -> bool:
        mentions = find_places([text])[0]
        return any(mention.areas or mention.strength == "county" for mention in mentions)

    spans = split_documents(blocks, names_place, parsed.metadata_title)
    furniture = [mention for mentions in find_places(parsed.furniture) for mention in mentions]
    documents: list[Document] = []
    pack: DocumentAttribution | None = None
    for part, span in enumerate(spans):
        doc_blocks = blocks[span.start : span.end]
        if not doc_blocks:
            continue
        doc_places = without_comparator_rows(
            doc_blocks, [place_of_block[id(block)] for block in doc_blocks]
        )
        attributing = {id(b): m for b, m in zip(doc_blocks, doc_places, strict=True)}
        attribution = attribute_document(span, doc_blocks, doc_places, gazetteer, pack, furniture)
        if part == 0 and len(spans) > 1:
            pack = attribution
        doc_id = f"{sha256[:16]}-{part:02d}"
        document = Document(
            doc_id=doc_id,
            source=source,
            file_sha256=sha256,
            part=part,
            title=span.title,
            doc_type=attribution.doc_type,
            districts=attribution.districts,
            county=attribution.county,
            year_from=attribution.year_from,
            year_to=attribution.year_to,
            period_as_written=attribution.period_as_written,
            date=attribution.date,
            page_start=first_page(doc_blocks),
            page_end=last_page(doc_blocks),
            evidence=attribution.evidence,
        )
        document.sections, page_maps = build_sections(
            document, doc_blocks, attributing, attribution
        )
        if attribution.multi_area:
            document.districts = districts_of_passages(
                attribution, [section.districts for section in document.sections]
            )
        annotate_document(document, page_maps)
        documents.append(document)
    return documents


def build_sections(
    document: Document,
    blocks: list[Block],
    place_of_block: dict[int, list[PlaceMention]],
    attribution: DocumentAttribution,
) -> tuple[list[Section], list[PageMap]]:
    topic_of = (
        (lambda block: block_topic(place_of_block[id(block)])) if attribution.multi_area else None
    )
    passages = build_passages(blocks, topic_of=topic_of)
    heading_places = find_places([" / ".join(p.heading_path) for p in passages])
    sections: list[Section] = []
    page_maps: list[PageMap] = []
    previous: SectionAttribution | None = None
    for number, (passage, heading_mentions) in enumerate(
        zip(passages, heading_places, strict=True)
    ):
        mentions = [m for block in passage.blocks for m in place_of_block[id(block)]]
        section_attribution = attribute_passage(
            passage, mentions, heading_mentions, attribution, previous
        )
        previous = section_attribution
        sections.append(
            Section(
                section_id=f"{document.doc_id}:{number:04d}",
                doc_id=document.doc_id,
                heading_path=passage.heading_path,
                text=passage.text,
                page_start=first_page(passage.blocks),
                page_end=last_page(passage.blocks),
                char_start=passage.blocks[0].start,
                char_end=passage.blocks[-1].end,
                districts=section_attribution.districts,
                year_from=section_attribution.year_from,
                year_to=section_attribution.year_to,
                evidence=section_attribution.evidence,
            )
        )
        page_maps.append(PageMap(block_pages(passage.blocks)))
    return sections, page_maps


def block_pages(blocks: list[Block]) -> list[tuple[int, int | None]]:
    """Where each block starts in a passage's text (blocks joined by newlines), with its page."""
    starts = []
    offset = 0
    for block in blocks:
        starts.append((offset, block.page))
        offset += len(block.text) + 1
    return starts


def first_page(blocks: list[Block]) -> int | None:
    return next((block.page for block in blocks if block.page is not None), None)


def last_page(blocks: list[Block]) -> int | None:
    return next((block.page for block in reversed(blocks) if block.page is not None), None)
