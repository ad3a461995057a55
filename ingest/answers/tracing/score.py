"""The score of a sentence the rules let through.

The weighted share of the commitment's wording the sentence shares (each word weighted
by how rare it is in the index), rapidfuzz's token-set ratio, and a bonus for a shared
initiative (named in the sentence, or the heading above it) or a restatement; the
weights are in models/commitments/tracing.json.  A sentence scoring `link_threshold` or
more may be evidence.
"""

from __future__ import annotations

from ingest.answers.tracing.features import SentenceFeatures
from ingest.answers.tracing.tuning import TUNING


def bonus(sentence: SentenceFeatures) -> float:
    """For naming the commitment's initiative (half for a heading naming it among other
    words), repeating its row's description, or restating it as a later priority."""
    return max(
        TUNING.entity_bonus * sentence.names_initiative,
        TUNING.priority_bonus if sentence.restates_priority else 0.0,
        TUNING.entity_bonus if sentence.restates_row else 0.0,
    )


def score(sentence: SentenceFeatures) -> float:
    """The weighted score of the sentence as evidence for the commitment."""
    extra = bonus(sentence)
    wording = sentence.wording
    if extra:
        # Where the initiative is named, the row's description of it says what was to
        # be done as well as the name does.
        wording = max(wording, sentence.row_wording)
    return TUNING.wording_weight * wording + TUNING.fuzzy_weight * sentence.fuzzy + extra
