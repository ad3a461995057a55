"""The catalog as tracing reads it, and which documents are later than a commitment's.

For a commitment of a CSP made for financial year Y, the later documents are that CSP's
documents for a later year, and its reports (annual reports, committee reports,
minutes) covering Y itself (a 2018-19 annual report reports on the 2018-19 action
plan).  Of a near-duplicate cluster (a report inside an agenda pack and on its own, a
PDF and its text twin) one member is read: the one with page numbers.  Later documents
are taken in the order they were written (an annual report after the minutes of its own
year).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.answers.queries import open_catalog
from ingest.answers.tracing.words import content_words
from ingest.model import Commitment, DocType, Document, Section
from ingest.nlp.linking import normalise
from ingest.store.store import CATALOG_FILE

REPORTING_TYPES = {DocType.ANNUAL_REPORT, DocType.COMMITTEE_REPORT, DocType.MINUTES}


@dataclass
class Library:
    """The catalog read once for tracing: preferred documents, sections, word weights."""

    documents: dict[str, Document]
    sections: dict[str, Section]
    section_document: dict[str, str]
    cluster_of: dict[str, str]
    weights: dict[str, float]
    default_weight: float
    mention_sections: dict[str, set[str]]  # initiative key -> section ids

    def weight(self, word: str) -> float:
        return self.weights.get(word, self.default_weight)

    def areas_of(self, commitment: Commitment, document: Document) -> list[str]:
        section = self.sections.get(commitment.section_id)
        return (section.districts if section and section.districts else None) or document.districts


def load_library(index_dir: Path) -> Library:
    """The catalog as tracing reads it, read again only when the catalog has changed
    (the app re-runs its page on every click)."""
    catalog_file = Path(index_dir) / CATALOG_FILE
    changed = [
        path.stat().st_mtime_ns
        for path in (catalog_file, catalog_file.with_name(catalog_file.name + "-wal"))
        if path.exists()
    ]
    return read_library(Path(index_dir).resolve(), tuple(changed))


@lru_cache(maxsize=2)
def read_library(index_dir: Path, changed: tuple[int, ...]) -> Library:
    """The library of `index_dir` as of the catalog's modification times `changed`."""
    catalog = open_catalog(index_dir)
    try:
        documents = catalog.documents(with_sections=True)
        cluster_of = catalog.cluster_ids()
    finally:
        catalog.close()
    preferred = preferred_members(documents, cluster_of)
    kept = {document.doc_id: document for document in documents if document.doc_id in preferred}
    sections = {s.section_id: s for d in kept.values() for s in d.sections}
    section_document = {s.section_id: d.doc_id for d in kept.values() for s in d.sections}
    frequency: Counter[str] = Counter()
    for section in sections.values():
        frequency.update(content_words(section.text))
    total = max(len(sections), 1)
    weights = {word: math.log(1 + total / count) for word, count in frequency.items()}
    mention_sections: dict[str, set[str]] = defaultdict(set)
    for section in sections.values():
        for mention in section.mentions:
            if mention.label == "INITIATIVE":
                mention_sections[normalise(mention.canonical)].add(section.section_id)
    return Library(
        documents=kept,
        sections=sections,
        section_document=section_document,
        cluster_of=cluster_of,
        weights=weights,
        default_weight=math.log(1 + total),
        mention_sections=mention_sections,
    )


def preferred_members(documents: list[Document], cluster_of: dict[str, str]) -> set[str]:
    """One document per near-duplicate cluster: the first with page numbers, else the
    first; its commitments and passages stand for the whole cluster."""
    chosen: dict[str, Document] = {}
    for document in documents:
        cluster = cluster_of.get(document.doc_id, document.doc_id)
        current = chosen.get(cluster)
        if current is None or (current.page_start is None and document.page_start is not None):
            chosen[cluster] = document
    return {document.doc_id for document in chosen.values()}


def later_documents(
    library: Library, document: Document, areas: list[str], year: int
) -> list[Document]:
    """The CSP's documents for a year after the commitment's `year` (and its source
    document's), and its reports covering `year`, in the order they were written
    (`written_after`).  A document is never evidence for its own commitments: not itself,
    nor a copy of it (its text twin, the same report in an agenda pack), nor the plan for
    the commitment's own year, which states the commitment rather than what became of it
    (next year's priority "Tackle the trafficking of drugs" in the 2018-19 plan)."""
    written = document.year_from if document.year_from is not None else year
    own_cluster = library.cluster_of.get(document.doc_id, document.doc_id)
    later = []
    for other in library.documents.values():
        if other.year_from is None:
            continue
        if library.cluster_of.get(other.doc_id, other.doc_id) == own_cluster:
            continue
        if not set(other.districts) & set(areas):
            continue
        last = other.year_to if other.year_to is not None else other.year_from
        covers = other.year_from <= year <= last and other.doc_type in REPORTING_TYPES
        if other.year_from > max(written, year) or covers:
            later.append(other)
    return sorted(later, key=lambda d: (written_after(d), d.source, d.part))


def written_after(document: Document) -> float:
    """When a document was written, as a financial year: an annual report looks back on
    the years it covers, so it comes after the minutes, committee reports and plans of
    its last year; the others are written during or at the start of their first."""
    if document.doc_type == DocType.ANNUAL_REPORT:
        return (document.year_to or document.year_from or 0) + 0.5
    return document.year_from or 0


def selected_commitments(
    library: Library, area: str | None, first: int | None, last: int | None
) -> Iterator[tuple[Document, Commitment, int, list[str]]]:
    """The commitments of CSP `area` (all CSPs without one) made for a financial year from
    `first` to `last`, each with its document, year and areas, in document order."""
    for document in sorted(library.documents.values(), key=lambda d: (d.source, d.part)):
        for commitment in document.commitments:
            year = commitment.year if commitment.year is not None else document.year_from
            areas = library.areas_of(commitment, document)
            if area is not None and area not in areas:
                continue
            if year is None or (first is not None and year < first):
                continue
            if last is not None and year > last:
                continue
            yield document, commitment, year, areas
