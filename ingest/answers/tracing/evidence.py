"""A commitment's evidence: the stages run in order for each later document.

Retrieval gives the candidate passages, each sentence of them is measured, the rules
reject what is not evidence, and of the rest the best-scoring sentence of each later
document at `link_threshold` or above is evidence, with the status it says.
"""

from __future__ import annotations

from ingest.answers.tracing.features import measure
from ingest.answers.tracing.library import Library
from ingest.answers.tracing.retrieval import candidate_passages, sentences_in
from ingest.answers.tracing.rules import about_other_districts, rejected_by
from ingest.answers.tracing.score import score
from ingest.answers.tracing.status import evidence_confidence, restated, status_of, weighed
from ingest.answers.tracing.terms import commitment_terms
from ingest.answers.tracing.traces import TraceEvidence
from ingest.answers.tracing.tuning import TUNING
from ingest.model import Commitment, Document, Section
from ingest.search.backend import SearchBackend


def find_evidence(
    library: Library,
    index: SearchBackend,
    commitment: Commitment,
    section: Section,
    year: int,
    later: list[Document],
    areas: list[str],
) -> list[TraceEvidence]:
    """The best sentence of each later document that reports on the commitment, in the
    order the documents were written."""
    terms = commitment_terms(library, commitment, section)
    if not terms.words:
        return []
    best: dict[str, TraceEvidence] = {}
    for passage in candidate_passages(library, index, terms, year, later):
        if about_other_districts(passage, areas):
            continue
        document = passage.document
        for start, sentence, heading in sentences_in(passage.section, passage.priority_items):
            features = measure(library, terms, passage, start, sentence, heading)
            if rejected_by(features) is not None:
                continue
            sentence_score = score(features)
            if sentence_score < TUNING.link_threshold:
                continue
            held = best.get(document.doc_id)
            if held is None or sentence_score > held.score:
                restates = restated(document, passage.section, start)
                reading, cued = status_of(sentence, document, restates, commitment.text)
                confidence = evidence_confidence(sentence_score, cued)
                best[document.doc_id] = TraceEvidence(
                    quote=sentence,
                    status=weighed(reading, confidence),
                    reading=reading,
                    score=round(sentence_score, 3),
                    confidence=confidence,
                    title=document.title,
                    doc_type=document.doc_type.value,
                    period=document.period,
                    source=document.source,
                    page=page_of(passage.section, start),
                    heading_path=passage.section.heading_path,
                    section_id=passage.section.section_id,
                )
    order = {d.doc_id: n for n, d in enumerate(later)}
    return sorted(best.values(), key=lambda e: order[library.section_document[e.section_id]])


def page_of(section: Section, offset: int) -> int | None:
    """The page of an offset in a passage: a mention's page near it, else the passage's
    first page."""
    if section.page_start == section.page_end:
        return section.page_start
    pages = [(m.start, m.page) for m in section.mentions + section.figures if m.page is not None]
    before = [page for start, page in sorted(pages) if start <= offset]
    return before[-1] if before else section.page_start
