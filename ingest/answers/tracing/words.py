"""The words tracing compares: lower-case, stemmed as the search index stems them,
without the words too common in plans and reports to say what a commitment is about."""

from __future__ import annotations

import re

from ingest.answers.tracing.cues import ignored_words
from ingest.answers.tracing.tuning import TUNING
from ingest.search.registry import index_term

WORD = re.compile(r"[a-z][a-z0-9]+")


INDEX_TERM = index_term()


def stem(word: str) -> str:
    """The word as the search index holds it, so "delivered", "delivering" and
    "delivers" meet "deliver" in tracing as in search."""
    return INDEX_TERM(word) or word


def content_words(text: str) -> set[str]:
    """The stems of the text's words that can say what it is about."""
    ignored = ignored_words()
    return {
        stem(word)
        for word in WORD.findall(text.lower())
        if len(word) >= TUNING.min_word_length and word not in ignored
    }
