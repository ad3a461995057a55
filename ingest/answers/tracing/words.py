"""The words tracing compares: lower-case, crudely stemmed, without the words too common
in plans and reports to say what a commitment is about."""

from __future__ import annotations

import re

from ingest.answers.tracing.cues import ignored_words
from ingest.answers.tracing.tuning import TUNING

WORD = re.compile(r"[a-z][a-z0-9]+")


def stem(word: str) -> str:
    """A crude stem so "delivered", "delivering" and "delivers" meet "deliver"."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    """The stems of the text's words that can say what it is about."""
    ignored = ignored_words()
    return {
        stem(word)
        for word in WORD.findall(text.lower())
        if len(word) >= TUNING.min_word_length and word not in ignored
    }
