"""What a later sentence is compared with: the commitment's wording and initiatives.

The wording is what is to be done: not the lead partner, the owner or the dates (nor,
in a name cell that also holds them, the lead's team and timescale after its name),
and, where the initiative is named, an action row's description cell counts as well as
its name.  An initiative is named where the entity stage tagged it or where its name
is written (any case for a name of two words or more, "closure orders"; a capitalised
one-word name, "Firebreak", only in the commitment, where it asks more of the
evidence).  Of the wording, the theme words (the models/themes keywords it uses: "Hate
Crime" of "Hate Crime Awareness Sessions") say its topic, not its activity; the words
beyond the initiative's name say what was to be done with it; the rarer third are its
key words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.answers.tracing.library import Library
from ingest.answers.tracing.tuning import TUNING
from ingest.answers.tracing.words import WORD, content_words, stem
from ingest.model import Commitment, Section
from ingest.nlp.commitments import sentences_of
from ingest.nlp.linking import normalise
from ingest.nlp.themes import theme_phrases

# Lower-case words that join the parts of a name ("Stop the Traffik & Gangmasters").
NAME_JOINERS = frozenset({"and", "of", "the", "for"})
ASIDE = re.compile(r"\([^)]*\)")


@dataclass
class CommitmentTerms:
    """A commitment's words and initiatives, as each later sentence is measured by them."""

    commitment: Commitment
    section: Section  # the commitment's own passage
    words: set[str]  # what is to be done (`action_words`)
    weight: float  # of all `words`: the whole a sentence's share is of
    initiatives: set[str]  # named in the commitment or its row, as canonical keys
    names: set[str]  # those keys and the names as written in the passage
    named_in_text: set[str]  # named in the commitment's own text: evidence must name one
    descriptions: list[str]  # the sentences of an action row's other cells
    row_cells: list[set[str]]  # the words of each description long enough to count
    theme_words: set[str]  # `words` that only say the theme
    beyond_name: set[str]  # `words` saying what is to be done with the initiative
    telling: list[str]  # the rarest `words` first: the search index's query
    key_words: set[str]  # the rarer part of `telling`


def commitment_terms(library: Library, commitment: Commitment, section: Section) -> CommitmentTerms:
    """What tracing compares of the commitment made in `section`."""
    words = action_words(commitment, section)
    initiatives = initiatives_in(commitment, section)
    names = initiative_names(section, initiatives)
    # A commitment about a named initiative is reported on where that initiative is named.
    named_in_text = initiatives_in(commitment, section, whole_row=False) | {
        key for key in initiatives if uses_name(commitment.text, initiative_names(section, {key}))
    }
    descriptions = row_descriptions(commitment, section)
    theme_words = content_words(" ".join(theme_phrases(commitment.text))) & words
    # Beyond the initiative's name and any aside in brackets: "Run a Community Trigger
    # awareness campaign" is not reported on by the Trigger's own statistics.
    beyond_name = (
        words
        & content_words(ASIDE.sub(" ", commitment.text))
        - content_words(" ".join(names))
        - theme_words
    )
    telling = sorted(words, key=lambda word: (-library.weight(word), word))[: TUNING.query_words]
    return CommitmentTerms(
        commitment=commitment,
        section=section,
        words=words,
        weight=sum(library.weight(word) for word in words),
        initiatives=initiatives,
        names=names,
        named_in_text=named_in_text,
        descriptions=descriptions,
        row_cells=[
            cell
            for cell in map(content_words, descriptions)
            if len(cell) >= TUNING.min_shared_words
        ],
        theme_words=theme_words,
        beyond_name=beyond_name,
        telling=telling,
        key_words=set(telling[: max(1, round(len(words) * TUNING.key_word_share))]),
    )


def action_words(commitment: Commitment, section: Section) -> set[str]:
    """The commitment's content words less those saying who leads it and when (its
    owner, timescale and the partners it names): a later sentence sharing only "Essex
    Police" is not about the same action.  All its words where nothing else is left."""
    words = content_words(commitment.text)
    partners = [
        m
        for m in section.mentions
        if m.label == "PARTNER" and commitment.start <= m.start < commitment.end
    ]
    who = " ".join(
        [commitment.owner or "", commitment.timescale or "", *(m.text for m in partners)]
    )
    if partners and commitment.kind == "action_row" and commitment.owner is None:
        # A name cell that also holds the lead and dates ("Closure Orders Colchester
        # Borough Homes BAU Ongoing"): what follows the lead's name, in capitals and
        # figures only, is its team and the timescale.
        tail = section.text[min(m.start for m in partners) : commitment.end]
        if all(
            word[0].isupper() or not word[0].isalpha() or word in NAME_JOINERS
            for word in tail.split()
        ):
            who += " " + tail
    return (words - content_words(who)) or words


def row_descriptions(commitment: Commitment, section: Section) -> list[str]:
    """For an action-plan row, each sentence of its other cells (a row may name only the
    initiative and describe it in the next cell)."""
    if commitment.kind != "action_row":
        return []
    line_start = section.text.rfind("\n", 0, commitment.start) + 1
    line_end = section.text.find("\n", commitment.end)
    line = section.text[line_start : len(section.text) if line_end < 0 else line_end]
    rest = line.replace(commitment.text, " | ")
    return [sentence for cell in rest.split(" | ") for _, sentence in sentences_of(cell)]


def initiatives_in(commitment: Commitment, section: Section, whole_row: bool = True) -> set[str]:
    """The initiatives named in the commitment's text, or (`whole_row`) anywhere in its
    row for an action-plan row (the lead's cell names "St Giles Trust SOS+ Project")."""
    start, end = commitment.start, max(commitment.end, commitment.start + 1)
    if whole_row and commitment.kind == "action_row":
        start = section.text.rfind("\n", 0, start) + 1
        line_end = section.text.find("\n", end)
        end = len(section.text) if line_end < 0 else line_end
    return {
        normalise(m.canonical)
        for m in section.mentions
        if m.label == "INITIATIVE" and start <= m.start < end
    }


def initiative_names(section: Section, keys: set[str]) -> set[str]:
    """The initiatives `keys` as named in the commitment's passage ("Op Meteor") and by
    their canonical keys ("operation meteor"), to find passages headed by them."""
    written = {
        normalise(m.text)
        for m in section.mentions
        if m.label == "INITIATIVE" and normalise(m.canonical) in keys
    }
    return keys | written


def uses_name(text: str, names: set[str], one_word: bool = True) -> bool:
    """Whether the text writes one of the initiative names (normalised keys) where the
    entity stage found no mention: "closure orders" in lower case, "Firebreak" before
    its lead's name.  A one-word name counts only with `one_word`, and only written
    capitalised ("Prevent", not "prevent"), since one-word names are often everyday
    words."""
    stems = [stem(word) for word in WORD.findall(normalise(text))]
    joined = f" {' '.join(stems)} "
    for name in names:
        name_stems = [stem(word) for word in WORD.findall(name)]
        if not name_stems:
            continue
        if len(name_stems) == 1:
            if not one_word:
                continue
            written = re.finditer(rf"\b{re.escape(name)}\b", text, re.I)
            if any(match.group()[0].isupper() for match in written):
                return True
        elif f" {' '.join(name_stems)} " in joined:
            return True
    return False
