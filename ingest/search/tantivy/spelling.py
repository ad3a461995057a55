"""Help for words the tantivy index does not hold, as `ingest.search.whoosh.spelling`
gives it for Whoosh: which of a query's words occur nowhere, and the closest words the
index holds ("knif crime" -> "knife crime"), ranked by true edit distance, then by how
often the word occurs, and shown as the documents spell them."""

from __future__ import annotations

from collections import Counter
from functools import partial

import tantivy

from ingest.search.tantivy.schema import SCHEMA, SEARCH_FIELDS, stored_fields
from ingest.search.whoosh.schema import ANALYZER
from ingest.search.whoosh.spelling import (
    MAX_EDITS,
    SAME_PREFIX,
    SURFACE_CHARS,
    SURFACE_PASSAGES,
    SpellingHelp,
    help_from_vocabulary,
)

TEXT_FIELD = SEARCH_FIELDS[0]


def spelling_help(searcher: tantivy.Searcher, query: str) -> SpellingHelp:
    """Which words of `query` match nothing in the index, and a corrected query."""
    return help_from_vocabulary(
        query,
        terms_of=lambda word: [token.text for token in ANALYZER(word)],
        indexed=partial(indexed, searcher),
        closest=partial(closest, searcher),
        surface_form=partial(surface_form, searcher),
    )


def indexed(searcher: tantivy.Searcher, term: str) -> bool:
    return any(searcher.doc_freq(name, term) for name in SEARCH_FIELDS)


def closest(searcher: tantivy.Searcher, term: str) -> str | None:
    """The indexed word of the passages' text nearest to `term` (sharing its first
    letter, at most MAX_EDITS away), if any is near."""
    from rapidfuzz.distance import OSA

    if len(term) <= SAME_PREFIX:
        return None
    scored = []
    for word, frequency in searcher.terms_with_prefix(TEXT_FIELD, term[:SAME_PREFIX]):
        distance = OSA.distance(term, word, score_cutoff=MAX_EDITS)
        if distance <= MAX_EDITS and word != term:
            scored.append((distance + 0.5 / max(frequency, 1), word))
    return min(scored)[1] if scored else None


def surface_form(searcher: tantivy.Searcher, term: str) -> str:
    """`term` as passages holding it spell it, lower-cased (see the Whoosh engine's)."""
    spellings: Counter[str] = Counter()
    query = tantivy.Query.term_query(SCHEMA, TEXT_FIELD, term)
    for _, address in searcher.search(query, limit=SURFACE_PASSAGES, count=False).hits:
        text = stored_fields(searcher.doc(address)).get(TEXT_FIELD, "")[:SURFACE_CHARS]
        for token in ANALYZER(text, chars=True, mode="index"):
            if token.text == term:
                spellings[text[token.startchar : token.endchar].lower()] += 1
    if not spellings or term in spellings:
        return term
    return min(spellings, key=lambda spelling: (-spellings[spelling], len(spelling), spelling))
