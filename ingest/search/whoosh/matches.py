"""Every section a query matches, with its score, kept per searcher for the last few
queries: the one pass over a query's matches that the search page's counts and its
ranked documents share.

The search page counts a query under several choices of filters (`search_page_facets`)
and then lists its documents (`search_documents`): each used to match the query again,
the counts without scores (1-3.5 s for a broad query at 100,000 sections) and the list
by grouping every scored match by document in Whoosh's faceting (6-12 s).  Here the
query is matched and scored once, into two arrays; a filter is then a mask over them,
the grouping by document array operations, and the counts a mask of their sections.

Whoosh's own filters are not used: a score does not depend on which sections a filter
lets through, so the sections a filtered search scores are the unfiltered ones it lets
through, with the same scores.
"""

from __future__ import annotations

import threading
import weakref
from array import array
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh.collectors import UnlimitedCollector
from whoosh.query import Every
from whoosh.searching import Searcher

from ingest.search.backend import SearchFilters
from ingest.search.whoosh.postings import field_postings
from ingest.search.whoosh.query import parse_query
from ingest.search.whoosh.reader import allowed_bits, cached_bits

# Queries whose matches are kept per searcher.
RECENT_QUERIES = 8


@dataclass
class Matches:
    """The sections matching a query: their numbers (ascending) and scores."""

    docnums: np.ndarray
    scores: np.ndarray

    @classmethod
    def none(cls) -> Matches:
        return cls(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64))

    def within(self, allowed: np.ndarray | None) -> Matches:
        """Those of the sections `allowed` (a boolean per section) lets through."""
        if allowed is None:
            return self
        kept = allowed[self.docnums]
        return Matches(self.docnums[kept], self.scores[kept])

    def mask(self, count: int) -> np.ndarray:
        """A boolean per section of a searcher holding `count`: whether it matched."""
        matched = np.zeros(count, dtype=bool)
        matched[self.docnums] = True
        return matched


class EveryMatch(UnlimitedCollector):
    """Every match's number and score, unsorted: the collector Whoosh uses without a
    limit, less its sort and its set of numbers."""

    def prepare(self, top_searcher, q, context) -> None:
        super().prepare(top_searcher, q, context)
        self.docnums = array("q")
        self.scores = array("d")

    def _collect(self, global_docnum: int, score: float) -> float:
        self.docnums.append(global_docnum)
        self.scores.append(score)
        return 0 - score


def query_matches(searcher: Searcher, query: str) -> Matches:
    """Every section of `searcher` matching `query` (a blank one: every section), scored
    as a search ranks it.  Raises QueryError for a query that cannot be run."""
    blank = not query.strip()
    key = "" if blank else query
    with _lock:
        recent = _recent.setdefault(searcher, OrderedDict())
        if key in recent:
            recent.move_to_end(key)
            return recent[key]
    collector = EveryMatch()
    searcher.search_with_collector(Every() if blank else parse_query(query), collector)
    docnums = np.frombuffer(collector.docnums, dtype=np.int64)
    scores = np.frombuffer(collector.scores, dtype=np.float64)
    # Segments are read in order, each in ascending numbers: already sorted, checked
    # once here, as everything after relies on it.
    if len(docnums) > 1 and not bool(np.all(docnums[1:] > docnums[:-1])):
        order = np.argsort(docnums, kind="stable")
        docnums, scores = docnums[order], scores[order]
    found = Matches(docnums, scores)
    with _lock:
        recent[key] = found
        if len(recent) > RECENT_QUERIES:
            recent.popitem(last=False)
    return found


_lock = threading.Lock()
_recent: weakref.WeakKeyDictionary[Searcher, OrderedDict[str, Matches]] = (
    weakref.WeakKeyDictionary()
)


@dataclass
class DocumentNumbers:
    """Per searcher: each section's document as a number (-1: none), and each number's
    doc_id."""

    numbers: np.ndarray
    doc_ids: list[str]
    number_of: dict[str, int]


def document_numbers(searcher: Searcher) -> DocumentNumbers:
    def build() -> DocumentNumbers:
        numbers = np.full(searcher.doc_count_all(), -1, dtype=np.int64)
        doc_ids: list[str] = []
        for number, (term, ids) in enumerate(field_postings(searcher, "doc_id").items()):
            numbers[ids] = number
            doc_ids.append(term.decode("utf-8"))
        return DocumentNumbers(numbers, doc_ids, {doc_id: n for n, doc_id in enumerate(doc_ids)})

    return cached_bits(searcher, ("doc_id", "numbers"), build)


def bits_mask(searcher: Searcher, bits: int) -> np.ndarray:
    """The bits of an int (bit n: section n) as a boolean per section."""
    count = searcher.doc_count_all()
    packed = np.frombuffer(bits.to_bytes(count // 8 + 1, "little"), dtype=np.uint8)
    return np.unpackbits(packed, bitorder="little")[:count].astype(bool)


def allowed_mask(searcher: Searcher, filters: SearchFilters | None) -> np.ndarray | None:
    """The sections `filters` let through as a boolean per section, or None when
    nothing is filtered."""
    allowed = allowed_bits(filters, searcher) if filters is not None else None
    return None if allowed is None else bits_mask(searcher, allowed)
