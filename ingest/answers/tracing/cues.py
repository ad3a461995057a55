"""The words of models/commitments/status_cues.json: each status's cue words, the cues of
what minutes record a meeting asked or was told, and the words too common to link on."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from ingest.model import TRACE_STATUSES
from ingest.nlp.commitments import phrases
from ingest.paths import MODELS_DIR

STATUS_CUES_FILE = MODELS_DIR / "commitments" / "status_cues.json"


@lru_cache(maxsize=2)
def load_status_cues(path: Path = STATUS_CUES_FILE) -> dict[str, re.Pattern[str]]:
    """Each status's cue words as one whole-word pattern, in the file's order."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {
        status: re.compile(rf"\b(?:{phrases(cues)})\b", re.I)
        for status, cues in data.items()
        if status in TRACE_STATUSES
    }


@lru_cache(maxsize=2)
def ignored_words(path: Path = STATUS_CUES_FILE) -> frozenset[str]:
    """Words too common in plans and reports to link a commitment to a passage."""
    return frozenset(json.loads(Path(path).read_text(encoding="utf-8"))["ignore_words"])


def discussion_cues() -> re.Pattern[str]:
    """Words by which minutes record what a meeting asked or was told."""
    return cue_pattern("discussion_cues")


@lru_cache(maxsize=4)
def cue_pattern(key: str, path: Path = STATUS_CUES_FILE) -> re.Pattern[str]:
    """One list of the cue file's phrases as a whole-word pattern."""
    cues = json.loads(Path(path).read_text(encoding="utf-8"))[key]
    return re.compile(rf"\b(?:{phrases(cues)})\b", re.I)
