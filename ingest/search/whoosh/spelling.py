"""Help for words the index does not hold: which of a query's words occur nowhere, and
the closest words it does hold ("knif crime" -> "knife crime").

Suggestions come from the index's own vocabulary through Whoosh's spelling corrector,
ranked by true edit distance and then by how often the word occurs, and are shown as
the documents spell them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from whoosh.query import Term
from whoosh.searching import Searcher
from whoosh.spelling import ReaderCorrector

from ingest.search.whoosh.query import OPERATORS, clean_query
from ingest.search.whoosh.schema import SEARCH_FIELDS, TOKEN_PATTERN

# Suggestions share their first letter with the misspelt word (the usual heuristic, and
# it keeps the vocabulary scan short) and are at most this many edits away.
SAME_PREFIX = 1
MAX_EDITS = 2
# A suggestion is shown as documents spell it: read from the start of a few passages.
SURFACE_PASSAGES = 5
SURFACE_CHARS = 20_000
WORD = re.compile(TOKEN_PATTERN)


@dataclass
class SpellingHelp:
    """The query's words found nowhere in the index, as typed, and the query with each
    one that has a close indexed word replaced by it (None when none has)."""

    unmatched: list[str] = field(default_factory=list)
    suggestion: str | None = None


class ClosestCorrector(ReaderCorrector):
    """Whoosh's corrector for an index field, ranked by edit distance (a swap of two
    letters counts once) and then by frequency.  Whoosh's own ranks every word within
    the maximum distance by frequency alone, so "knif" would become "of"."""

    def _suggestions(self, text: str, maxdist: int, prefix: int):
        from rapidfuzz.distance import OSA

        for word in self.reader.terms_within(self.fieldname, text, maxdist, prefix=prefix):
            frequency = self.reader.frequency(self.fieldname, word) or 1
            yield -(OSA.distance(text, word) + 0.5 / frequency), word


def spelling_help(searcher: Searcher, query: str) -> SpellingHelp:
    """Which words of `query` match nothing in the index, and a corrected query."""
    return help_from_vocabulary(
        query,
        terms_of=lambda word: list(query_terms(searcher, word)),
        indexed=partial(indexed, searcher),
        closest=partial(closest, searcher),
        surface_form=partial(surface_form, searcher),
    )


def help_from_vocabulary(
    query: str,
    terms_of: Callable[[str], list[str]],
    indexed: Callable[[str], bool],
    closest: Callable[[str], str | None],
    surface_form: Callable[[str], str],
) -> SpellingHelp:
    """The words of `query` whose terms (`terms_of`) the index holds none of, and the
    query with each replaced by its terms' `closest` indexed words, spelt as the
    documents spell them, when every one has a close word: the same for each engine,
    which gives the four look-ups."""
    cleaned = clean_query(query)
    found = SpellingHelp()
    pieces: list[str] = []
    corrected = False
    end = 0
    for match in WORD.finditer(cleaned):
        word = match.group()
        terms = [] if word in OPERATORS else terms_of(word)
        if not terms or any(indexed(term) for term in terms):
            continue
        found.unmatched.append(word)
        replacements = [closest(term) for term in terms]
        if all(replacements):
            shown = " ".join(surface_form(term) for term in replacements if term)
            pieces += [cleaned[end : match.start()], same_case(word, shown)]
            end = match.end()
            corrected = True
    if corrected:
        found.suggestion = "".join([*pieces, cleaned[end:]])
    return found


def query_terms(searcher: Searcher, word: str):
    """The terms the index's own analyzer makes of `word` at query time."""
    return searcher.schema[SEARCH_FIELDS[0]].process_text(word, mode="query")


def indexed(searcher: Searcher, term: str) -> bool:
    return any(searcher.doc_frequency(name, term) for name in SEARCH_FIELDS)


def closest(searcher: Searcher, term: str) -> str | None:
    """The indexed word of the passages' text nearest to `term`, if any is near."""
    text_field = SEARCH_FIELDS[0]
    corrector = ClosestCorrector(searcher.reader(), text_field, searcher.schema[text_field])
    for edits in range(1, MAX_EDITS + 1):
        suggestions = corrector.suggest(term, limit=1, maxdist=edits, prefix=SAME_PREFIX)
        if suggestions:
            return suggestions[0]
    return None


def surface_form(searcher: Searcher, term: str) -> str:
    """`term` as passages holding it spell it (a stemmed term reads as a word there:
    "knife", not "knif"), lower-cased: the term itself when a passage writes it so, else
    their commonest spelling, the shortest of equals; the term when none shows it."""
    text_field = SEARCH_FIELDS[0]
    analyzer = searcher.schema[text_field].analyzer
    spellings: Counter[str] = Counter()
    for result in searcher.search(Term(text_field, term), limit=SURFACE_PASSAGES):
        text = result.get(text_field, "")[:SURFACE_CHARS]
        for token in analyzer(text, chars=True, mode="index"):
            if token.text == term:
                spellings[text[token.startchar : token.endchar].lower()] += 1
    if not spellings or term in spellings:
        return term
    return min(spellings, key=lambda spelling: (-spellings[spelling], len(spelling), spelling))


def same_case(typed: str, word: str) -> str:
    """`word` capitalised like the word it replaces ("Stpo" -> "Stop")."""
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
