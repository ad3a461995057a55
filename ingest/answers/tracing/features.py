"""What is measured of each sentence of a candidate passage, against the commitment.

A sentence is measured by how much of the commitment's wording it shares (with the
heading above it), weighted by how rare each word is in the index; whether it names an
initiative the commitment names (in the sentence, or the heading above it); whether it
restates the commitment (a later stated priority on its themes, or one of an action
row's own description sentences: a later appendix restating the plan); rapidfuzz's
token-set ratio; and what kind of line it is (how long, a stated priority, minutes
recording what a meeting asked or was told).  The rules judge these, the score weighs
them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import fuzz

from ingest.answers.tracing.cues import discussion_cues
from ingest.answers.tracing.library import Library
from ingest.answers.tracing.retrieval import Passage
from ingest.answers.tracing.terms import CommitmentTerms, uses_name
from ingest.answers.tracing.tuning import TUNING
from ingest.answers.tracing.words import content_words
from ingest.model import Commitment, DocType, Document, Section
from ingest.nlp.linking import normalise

# Undertakings made at a meeting, which a later meeting's record can report on.
MEETING_KINDS = {"resolution", "minutes_action"}


@dataclass
class SentenceFeatures:
    """What was measured of one later sentence against the commitment of `terms`.  The
    measures only the score or the named-initiative rule reads are taken when first read:
    most sentences are rejected on the words they share."""

    sentence: str
    heading: str
    start: int  # the sentence's offset in its passage
    passage: Passage = field(repr=False)
    terms: CommitmentTerms = field(repr=False)
    library: Library = field(repr=False)
    word_count: int
    priority_item: bool  # a later priority list's item restating the commitment's themes
    states_priority: bool  # one of the priorities its own document states
    discussed: bool  # minutes recording what a meeting asked or was told (`discussed`)
    own_words: set[str]  # the commitment's words the sentence uses
    shared: set[str]  # the commitment's words the sentence or its heading uses
    action_shared: set[str]  # `shared` words saying what is to be done with the initiative
    names_initiative: float  # 1 named in the sentence or as its heading, 0.5 in a heading
    restates_priority: bool  # restates it as a later stated priority on its themes
    restates_row: bool  # repeats one of its action row's description sentences

    @cached_property
    def wording(self) -> float:
        """The weighted share of the commitment's words in `shared`."""
        return sum(self.library.weight(word) for word in self.shared) / self.terms.weight

    @cached_property
    def row_wording(self) -> float:
        """The best weighted share of one of the row's description cells' words that the
        sentence uses."""
        sentence_words = content_words(self.sentence)
        cells = (share(self.library, cell, sentence_words) for cell in self.terms.row_cells)
        return max(cells, default=0.0)

    @cached_property
    def action_share(self) -> float:
        """The weighted share of the words saying what is to be done with the initiative
        that the sentence or its heading uses."""
        return share(self.library, self.terms.beyond_name, self.shared)

    @cached_property
    def names_own_initiative(self) -> bool:
        """Whether it names an initiative the commitment's own text names."""
        keys = self.terms.named_in_text
        section = self.passage.section
        return bool(
            initiative_named(
                section, keys, self.terms.names, self.start, self.sentence, self.heading
            )
        )

    @cached_property
    def fuzzy(self) -> float:
        """rapidfuzz's token-set ratio of commitment and sentence, 0 to 1."""
        return fuzz.token_set_ratio(self.terms.commitment.text.lower(), self.sentence.lower()) / 100


def measure(
    library: Library,
    terms: CommitmentTerms,
    passage: Passage,
    start: int,
    sentence: str,
    heading: str,
) -> SentenceFeatures:
    """The features of the sentence at offset `start` of the passage, under `heading`."""
    own = content_words(sentence) & terms.words
    shared = own | (content_words(heading) & terms.words)
    return SentenceFeatures(
        sentence=sentence,
        heading=heading,
        start=start,
        passage=passage,
        terms=terms,
        library=library,
        word_count=len(sentence.split()),
        priority_item=sentence in passage.priority_items,
        states_priority=any(priority.text == sentence for priority in passage.document.priorities),
        discussed=discussed(sentence, passage.document, terms.commitment),
        own_words=own,
        shared=shared,
        action_shared=shared & terms.beyond_name,
        names_initiative=initiative_named(
            passage.section, terms.initiatives, terms.names, start, sentence, heading
        ),
        restates_priority=any(text in sentence for text in passage.restated_priorities),
        restates_row=restates_row(sentence, terms.descriptions),
    )


def share(library: Library, words: set[str], sentence_words: set[str]) -> float:
    """The weighted share of `words` that the sentence uses."""
    total = sum(library.weight(word) for word in words)
    return sum(library.weight(word) for word in words & sentence_words) / total if total else 0.0


def initiative_named(
    section: Section, keys: set[str], names: set[str], start: int, sentence: str, heading: str
) -> float:
    """1 where the sentence at offset `start` of the section names one of the
    initiatives `keys` (a mention, or one of their `names` written in it) or its
    `heading` is one of their names, 0.5 where the heading only names one among other
    words, else 0."""
    if not keys:
        return 0.0
    named = [m for m in section.mentions if normalise(m.canonical) in keys]
    if any(start <= mention.start < start + len(sentence) for mention in named):
        return 1.0
    # A one-word name the entity stage did not tag in the sentence may be an everyday
    # word or a passing mention; in the commitment it only asks more of the evidence.
    if uses_name(sentence, keys, one_word=False):
        return 1.0
    heading = normalise(heading)
    if heading in names:
        return 1.0
    if any(normalise(mention.text) in heading for mention in named):
        return 0.5
    return 0.0


def restates_row(sentence: str, descriptions: list[str]) -> bool:
    """Whether the sentence repeats one of the row's description sentences: a later
    appendix restating what the plan said of an action reports on that action."""
    if len(sentence.split()) < TUNING.min_evidence_words:
        return False
    return any(
        fuzz.ratio(normalise(sentence), normalise(description)) >= TUNING.row_restated_match
        for description in descriptions
    )


def discussed(sentence: str, document: Document, commitment: Commitment) -> bool:
    """Whether the sentence records what a meeting asked or was told, which reports on a
    plan's action no more than its agenda does (a meeting's own undertakings excepted)."""
    return (
        document.doc_type == DocType.MINUTES
        and commitment.kind not in MEETING_KINDS
        and bool(discussion_cues().search(sentence))
    )
