"""The weights and thresholds of tracing, read once from models/commitments/tracing.json,
where each value has the reason for it.  They are tuned on the development set only
(`csp eval --set dev`, models/dev); models/eval reports the result and sets none."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ingest.paths import MODELS_DIR

TUNING_FILE = MODELS_DIR / "commitments" / "tracing.json"


@dataclass(frozen=True)
class Tuning:
    """Tracing's weights and thresholds; scores are in 0..1."""

    link_threshold: float
    entity_bonus: float
    priority_bonus: float
    wording_weight: float
    fuzzy_weight: float
    no_cue_confidence: float
    delivered_confidence: float
    min_shared_words: int
    min_evidence_words: int
    nameless_share: float
    nameless_words: int
    key_word_share: float
    row_restated_match: float
    query_words: int
    candidate_sections: int
    min_word_length: int


def load_tuning(path: Path = TUNING_FILE) -> Tuning:
    """The file's values, each given as `{"value": ..., "why": ...}`; a missing or unknown
    name is an error, not a silent default."""
    entries = json.loads(Path(path).read_text(encoding="utf-8"))
    return Tuning(
        **{name: entry["value"] for name, entry in entries.items() if not name.startswith("_")}
    )


TUNING = load_tuning()
