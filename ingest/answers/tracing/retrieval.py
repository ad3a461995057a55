"""Candidate passages in the later documents, and the sentences of each.

Candidate passages come from the search index (any of the commitment's most telling
words, in the later documents) and from the catalog's mentions (passages naming an
initiative the commitment names) and, for statements of intent and priorities, from
the later documents' stated priorities on the same themes.  A passage's sentences each
come with the heading above them; a priority list's item restating a priority is a
sentence however short ("Hate crime and community cohesion").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ingest.answers.tracing.library import Library
from ingest.answers.tracing.terms import CommitmentTerms
from ingest.answers.tracing.tuning import TUNING
from ingest.answers.tracing.words import WORD, stem
from ingest.model import Commitment, Document, Section
from ingest.nlp.commitments import sentences_of
from ingest.nlp.themes import themes_of
from ingest.search.backend import SearchBackend

STRATEGIC_KINDS = {"we_will", "next_year_priority"}


@dataclass
class Passage:
    """A candidate passage of a later document."""

    section: Section
    document: Document
    restated_priorities: list[str]  # its priorities restating the commitment's themes
    priority_items: list[str]  # those that are sentences however short


def candidate_passages(
    library: Library,
    index: SearchBackend,
    terms: CommitmentTerms,
    year: int,
    later: list[Document],
) -> list[Passage]:
    """The passages of the `later` documents that may report on the commitment made for
    `year`, in section order."""
    commitment = terms.commitment
    later_ids = [d.doc_id for d in later]
    candidates = {
        section_id
        for section_id, _ in index.sections_matching_any(
            query_words(terms), later_ids, TUNING.candidate_sections
        )
    }
    restating = later_priorities(commitment, year, later)
    candidates |= set(restating)
    later_set = set(later_ids)
    for key in terms.initiatives:
        candidates |= {
            s
            for s in library.mention_sections.get(key, set())
            if library.section_document[s] in later_set
        }
    passages = []
    for section_id in sorted(candidates):
        section = library.sections.get(section_id)
        if section is None:
            continue
        restated = restating.get(section_id, [])
        passages.append(
            Passage(
                section=section,
                document=library.documents[library.section_document[section_id]],
                restated_priorities=restated,
                priority_items=restated if commitment.kind == "next_year_priority" else [],
            )
        )
    return passages


def query_words(terms: CommitmentTerms) -> list[str]:
    """The commitment's most telling words as it writes them: the index stems what it
    is given, and a stem stemmed again may change."""
    written = {stem(word): word for word in WORD.findall(terms.commitment.text.lower())}
    return [written.get(word, word) for word in terms.telling]


def later_priorities(
    commitment: Commitment, year: int, later: list[Document]
) -> dict[str, list[str]]:
    """For a statement of intent or a priority made for `year`: the priorities later
    documents state for a later year on all of its themes, or for a priority on some of
    them and no other (an aim to "reduce violent offences and ASB" is restated by next
    year's priority to "drive down violence and disorder"; the priority "reducing serious
    violence and knife crime among young people" by "tackling serious violence, including
    knife crime"), by section id."""
    themes = set(themes_of(commitment.text)) if commitment.kind in STRATEGIC_KINDS else set()
    found: dict[str, list[str]] = defaultdict(list)
    if not themes:
        return found
    for document in later:
        for priority in document.priorities:
            for_year = priority.year if priority.year is not None else document.year_from
            stated = set(priority.themes)
            # A priority is restated by a narrower one; a statement of intent says more
            # than its themes, and only a priority on all of them restates it.
            narrower = commitment.kind == "next_year_priority" and stated <= themes
            if (
                for_year is not None
                and for_year > year
                and stated
                and (themes <= stated or narrower)
            ):
                found[priority.section_id].append(priority.text)
    return found


def sentences_in(section: Section, keep: Iterable[str] = ()) -> Iterator[tuple[int, str, str]]:
    """Each sentence of the passage with its offset and heading: the passage's own, or the
    last heading-like line above it (a passage may run two short reports together,
    "Op Meteor ... Op Luscombe ...", under the first one's heading).  A line in `keep`
    (a priority list's item) is a sentence however short."""
    heading = section.heading_path[-1] if section.heading_path else ""
    offset = 0
    kept = set(keep)
    for line in section.text.split("\n"):
        if is_subheading(line) and line.strip() not in kept:
            heading = line.strip()
        else:
            for start, sentence in sentences_of(line):
                yield offset + start, sentence, heading
        offset += len(line) + 1


def is_subheading(line: str) -> bool:
    """A short line that is not a sentence, a list item or a table row."""
    text = line.strip()
    return (
        0 < len(text.split()) < TUNING.min_evidence_words
        and text[-1] not in ".:;,!?"
        and text[0] not in "-*•▪–"
        and " | " not in text
    )
