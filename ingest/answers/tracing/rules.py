"""The rules: each, by its name and docstring, says why a later sentence is not evidence.

A commitment naming an initiative needs evidence that names it, unless the sentence
restates most of the rest of the commitment ("following the Cardiff Model"), and
evidence naming it must also share a word of what was to be done beyond its name (the
Community Trigger's statistics do not report on a Community Trigger awareness
campaign).  A priority restated by a later list of priorities may be a short item
("Hate crime and community cohesion").  A sentence repeating one of an action row's own
description sentences counts as naming it.  Without a named initiative a sentence must
share one of the commitment's rarer words, and more than its theme words.  Not
evidence: heading-like lines, a later document's own stated priorities (for an action),
a passage of a county pack attributed to other districts, and what minutes record a
meeting asked or was told (for anything but the meeting's own undertakings).  The
passage rule is checked before its sentences are measured; `rejected_by` names the first
sentence rule that rejects a sentence.  models/dev is the set these rules are tuned on
(`csp eval --set dev`); models/eval only reports the result.
"""

from __future__ import annotations

from collections.abc import Callable

from ingest.answers.tracing.features import SentenceFeatures
from ingest.answers.tracing.retrieval import STRATEGIC_KINDS, Passage
from ingest.answers.tracing.tuning import TUNING

SentenceRule = Callable[[SentenceFeatures], bool]


def about_other_districts(passage: Passage, areas: list[str]) -> bool:
    """A county pack's passage about another district does not report on this CSP's work."""
    districts = passage.section.districts
    return bool(districts) and not set(districts) & set(areas)


def heading_like(sentence: SentenceFeatures) -> bool:
    """Shorter lines are headings and list labels ("Protect the vulnerable"), not reports;
    a later priority list's item restating a priority is the exception."""
    return sentence.word_count < TUNING.min_evidence_words and not sentence.priority_item


def own_stated_priority(sentence: SentenceFeatures) -> bool:
    """A later document's own stated priority reports on an action no more than a theme
    does; statements of intent and priorities are matched with later priorities apart
    (`later_priorities`)."""
    return sentence.states_priority and sentence.terms.commitment.kind not in STRATEGIC_KINDS


def meeting_discussion(sentence: SentenceFeatures) -> bool:
    """What minutes record a meeting asked or was told reports on a plan's action no more
    than its agenda does (a meeting's own undertakings excepted, in `discussed`)."""
    return sentence.discussed


def named_or_restated(sentence: SentenceFeatures) -> bool:
    """Whether the sentence names the commitment's initiative or restates the commitment,
    which lets it share less of the wording."""
    return bool(sentence.names_initiative) or sentence.restates_priority or sentence.restates_row


def too_few_shared_words(sentence: SentenceFeatures) -> bool:
    """A sentence sharing one or two words with a commitment ("drugs", "night time
    economy") is about its theme, not its action (`min_shared_words`)."""
    needed = min(TUNING.min_shared_words, len(sentence.terms.words))
    return not named_or_restated(sentence) and len(sentence.own_words) < needed


def no_key_word(sentence: SentenceFeatures) -> bool:
    """A sentence must share one of the rarer third of the commitment's words: "Parent
    Engagement Event" is not reported on by a road-safety "community engagement event"."""
    return not named_or_restated(sentence) and not sentence.shared & sentence.terms.key_words


def theme_words_only(sentence: SentenceFeatures) -> bool:
    """Sharing only the words that say the commitment's theme is sharing a topic, not an
    activity: "Hate Crime" of "Hate Crime Awareness Sessions"."""
    terms = sentence.terms
    return (
        not named_or_restated(sentence)
        and bool(terms.words - terms.theme_words)
        and sentence.shared <= terms.theme_words
    )


def initiative_not_named(sentence: SentenceFeatures) -> bool:
    """A commitment about a named initiative is reported on where that initiative is
    named ("the scheme was nominated for an award" is not the Nominated Neighbour
    Scheme), unless the sentence restates what was to be done."""
    return (
        bool(sentence.terms.named_in_text)
        and not restates_action(sentence)
        and not sentence.names_own_initiative
    )


def restates_action(sentence: SentenceFeatures) -> bool:
    """Whether the sentence restates most of what was to be done beyond the initiative's
    name, and so need not name it ("following the Cardiff Model")."""
    return (
        len(sentence.action_shared) >= TUNING.nameless_words
        and sentence.action_share >= TUNING.nameless_share
    )


def name_without_action(sentence: SentenceFeatures) -> bool:
    """Evidence naming the initiative must also share a word of what was to be done
    beyond its name: the Community Trigger's statistics do not report on a Community
    Trigger awareness campaign."""
    by_name_only = bool(sentence.names_initiative) and not (
        sentence.restates_priority or sentence.restates_row
    )
    return by_name_only and bool(sentence.terms.beyond_name) and not sentence.action_shared


SENTENCE_RULES: tuple[SentenceRule, ...] = (
    heading_like,
    own_stated_priority,
    meeting_discussion,
    too_few_shared_words,
    no_key_word,
    theme_words_only,
    name_without_action,
    initiative_not_named,  # last: it may measure whether the sentence names the initiative
)


def rejected_by(sentence: SentenceFeatures) -> str | None:
    """The name of the rule that rejects the sentence, the first in `SENTENCE_RULES`,
    cheaper checks first; None where none does."""
    return next((rule.__name__ for rule in SENTENCE_RULES if rule(sentence)), None)
