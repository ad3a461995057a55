"""Searching sections in Whoosh: the read side of the Whoosh engine (`SearchIndex`):
filters as document sets, ranked hits with near-duplicates collapsed, each section's
cluster, and tracing's recall step (facet counts are in `facets`).  Functions take the
index's current `Searcher`.
"""

from __future__ import annotations

import bisect
import json
import weakref
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh.idsets import BitSet
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.query import And, Every, NumericRange, Or, Query, Term
from whoosh.searching import Hit as WhooshHit
from whoosh.searching import Searcher

from ingest.search.backend import Hit, SearchFilters
from ingest.search.whoosh.natural import names_found
from ingest.search.whoosh.postings import field_postings
from ingest.search.whoosh.query import WORD, parse_query, synonyms_searched
from ingest.search.whoosh.schema import (
    facet_value,
    split_facet,
)
from ingest.search.whoosh.snippets import Marks, snippet

# Hits fetched per hit asked for, so collapsing near-duplicates still fills the page;
# fetched again, more of them, when it does not.
OVERFETCH = 3
MIN_EXTRA = 20
MAX_FETCH = 5000
SAME_PASSAGE_RATIO = 90
SAME_PASSAGE_CHARS = 500


ENTITY_FACETS = ("initiatives", "partners", "themes")
# A filter letting through at most this share of sections is ANDed with the query
# (`AllowedDocs`); a wider one is cheaper as Whoosh's filter.
SELECTIVE = 0.2
# Docsets kept per searcher (each one bit per section): facet values and years.
MAX_CACHED_DOCSETS = 512


def facet_values(filters: SearchFilters) -> list[tuple[str, list[str]]]:
    """(field, values as indexed) for each facet filtered on; any value matches."""
    named = [
        ("districts", filters.districts),
        ("doc_type", filters.doc_types),
        ("county", [filters.county] if filters.county else []),
        ("initiatives", filters.initiatives),
        ("partners", filters.partners),
        ("themes", filters.themes),
    ]
    return [(name, [facet_value(v) for v in values]) for name, values in named if values]


def allowed_bits(filters: SearchFilters, searcher: Searcher) -> int | None:
    """The sections the filters let through, as the bits of an int (bit n: document n
    of `searcher`), or None when nothing is filtered.

    Gives the same sections as `as_filter_query`, faster: Whoosh builds a filter's docset
    one posting at a time on every search, so a year range that lets most of 100,000
    sections through costs 100-300 ms each time.  Here each facet value's and each
    year's sections are read once per searcher and kept as a bit set in a Python int,
    so a filter is a few big-integer ANDs and ORs.
    """
    filters.check()
    parts = [
        union(value_bits(searcher, name, value) for value in values)
        for name, values in facet_values(filters)
    ]
    if filters.doc_id:
        parts.append(docs_bits(searcher, searcher.docs_for_query(Term("doc_id", filters.doc_id))))
    # Overlap, as in `as_filter_query`: sections without years hold no year terms.
    if (year_to := filters.year_to) is not None:
        parts.append(year_bits(searcher, "year_from", lambda year: year <= year_to))
    if (year_from := filters.year_from) is not None:
        parts.append(year_bits(searcher, "year_to", lambda year: year >= year_from))
    if not parts:
        return None
    allowed = parts[0]
    for part in parts[1:]:
        allowed &= part
    return allowed


def as_filter_query(filters: SearchFilters | None) -> Query | None:
    """The filters as a Whoosh query, or None when nothing is filtered."""
    if filters is None:
        return None
    filters.check()
    parts: list[Query] = [
        Or([Term(name, value) for value in values]) for name, values in facet_values(filters)
    ]
    if filters.doc_id:
        parts.append(Term("doc_id", filters.doc_id))
    # Overlap: the section starts no later than the range ends and ends no earlier
    # than it starts.  Sections without years hold no year terms, so never match.
    if filters.year_to is not None:
        parts.append(NumericRange("year_from", None, filters.year_to))
    if filters.year_from is not None:
        parts.append(NumericRange("year_to", filters.year_from, None))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


_docsets: weakref.WeakKeyDictionary[Searcher, dict[tuple[str, object], int]] = (
    weakref.WeakKeyDictionary()
)


def cached_bits(searcher: Searcher, key: tuple[str, object], build: Callable[[], Any]) -> Any:
    """A docset of `searcher` kept until the searcher is replaced (at the next commit)."""
    cache = _docsets.setdefault(searcher, {})
    if key not in cache:
        if len(cache) >= MAX_CACHED_DOCSETS:
            cache.clear()
        cache[key] = build()
    return cache[key]


def docs_bits(searcher: Searcher, docnums: Iterable[int]) -> int:
    """Document numbers as the bits of one int (bit n set: document n)."""
    buffer = bytearray(searcher.doc_count_all() // 8 + 1)
    for docnum in docnums:
        buffer[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(buffer, "little")


def value_bits(searcher: Searcher, name: str, value: object) -> int:
    return cached_bits(
        searcher,
        (name, value),
        lambda: docs_bits(searcher, searcher.docs_for_query(Term(name, value))),
    )


def year_bits(searcher: Searcher, name: str, keep) -> int:
    """The sections whose year field `name` holds a year `keep` accepts."""
    years = cached_bits(searcher, (name, None), lambda: field_years(searcher, name))
    return union(value_bits(searcher, name, year) for year in years if keep(year))


def field_years(searcher: Searcher, name: str) -> list[int]:
    field_type = searcher.schema[name]
    return [
        field_type.from_bytes(term) for term in field_type.sortable_terms(searcher.reader(), name)
    ]


def union(parts: Iterable[int]) -> int:
    total = 0
    for part in parts:
        total |= part
    return total


@dataclass
class Prepared:
    """A query and filters as Whoosh runs them: `matched` (the query, ANDed with a
    selective filter) searched with `allow` as Whoosh's filter; `parsed` marks
    snippets.  `nothing` when the filters let no section through."""

    parsed: Query
    matched: Query
    allow: BitSet | None
    blank: bool
    nothing: bool = False


def prepare(searcher: Searcher, query: str, filters: SearchFilters | None) -> Prepared:
    """Raises QueryError for a query (or filters) that cannot be run."""
    filter_query = as_filter_query(filters)
    blank = not (query or "").strip()
    parsed = Every() if blank and filter_query is not None else parse_query(query)
    allowed = allowed_bits(filters, searcher) if filters and filter_query is not None else None
    if allowed == 0:
        return Prepared(parsed, parsed, None, blank, nothing=True)
    matched, allow = parsed, None
    if allowed is not None:
        if not blank and allowed.bit_count() <= SELECTIVE * searcher.doc_count_all():
            matched = And([parsed, AllowedDocs(searcher, allowed)])
        else:
            allow = as_docset(allowed)
    return Prepared(parsed, matched, allow, blank)


def search(
    searcher: Searcher, query: str, filters: SearchFilters | None = None, limit: int = 20
) -> list[Hit]:
    """The best `limit` sections for `query`, best first, near-duplicates collapsed.

    An empty query with filters lists the filtered sections ("every section naming J9").
    Raises QueryError for a query (or filters) that cannot be run.
    """
    prepared = prepare(searcher, query, filters)
    if limit < 1 or prepared.nothing:
        return []
    parsed, matched, allow = prepared.parsed, prepared.matched, prepared.allow
    fetch = max(limit * OVERFETCH, limit + MIN_EXTRA)
    # Not list(results): list() asks len(), and Whoosh counts every match to answer it.
    ranked = [result for result in searcher.search(matched, filter=allow, limit=fetch)]
    kept = collapse([candidate(result, rank) for rank, result in enumerate(ranked)])
    if len(kept) < limit and len(ranked) == fetch:
        # Near-duplicates folded too many away: search once more, for as many as could
        # be needed, and read them a window at a time (each search scores every match).
        results = searcher.search(matched, filter=allow, limit=MAX_FETCH)
        while len(kept) < limit and len(ranked) < results.scored_length():
            fetch = min(fetch * 4, MAX_FETCH)
            upto = min(fetch, results.scored_length())
            ranked += [results[rank] for rank in range(len(ranked), upto)]
            kept = collapse([candidate(result, rank) for rank, result in enumerate(ranked)])
    marks = Marks.of(parsed)
    alternatives = [] if prepared.blank else synonyms_searched(query)
    hits = []
    for kept_candidate in kept[:limit]:
        hit = kept_candidate.hit
        hit.snippet = snippet(kept_candidate.text, marks)
        hit.synonyms = names_found(
            alternatives, [kept_candidate.text, hit.title, *hit.heading_path]
        )
        hits.append(hit)
    return hits


def allowed_docs(
    searcher: Searcher, filters: SearchFilters | None, filter_query: Query | None
) -> BitSet | Query | None:
    """The filter to give Whoosh: the cached docset, or the query when the docset is
    empty (Whoosh reads an empty docset as no filter at all)."""
    if filters is None or filter_query is None:
        return None
    allowed = allowed_bits(filters, searcher)
    return as_docset(allowed) if allowed else filter_query


def as_docset(bits: int) -> BitSet:
    docset = BitSet()
    docset.bits = array("B", bits.to_bytes(max(1, (bits.bit_length() + 7) // 8), "little"))
    return docset


class ZeroScoreList(ListMatcher):
    """Listed documents, adding nothing to the score of the query they are ANDed with."""

    def score(self) -> float:
        return 0.0

    def supports_block_quality(self) -> bool:
        return False


class AllowedDocs(Query):
    """The documents of a bit set (bit n: document n of `top`), as a query to AND with
    the user's.  Whoosh checks a filter only after matching the whole query, so a
    phrase of common words is checked in every section; ANDed, it is checked only in
    the sections the filter lets through (an area's, a year's)."""

    def __init__(self, top: Searcher, bits: int):
        self.top = top
        # The set bits' positions, via the binary digits lowest first.
        digits = bin(bits)[:1:-1]
        self.ids: list[int] = []
        at = digits.find("1")
        while at >= 0:
            self.ids.append(at)
            at = digits.find("1", at + 1)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def estimate_size(self, ixreader) -> int:
        return len(self.ids)

    def matcher(self, searcher: Searcher, context=None):
        offset = 0 if searcher is self.top else self.top._offset_for_subsearcher(searcher)
        start = bisect.bisect_left(self.ids, offset)
        end = bisect.bisect_left(self.ids, offset + searcher.doc_count_all())
        local = [docnum - offset for docnum in self.ids[start:end]]
        return ZeroScoreList(local) if local else NullMatcher()


@dataclass
class Candidate:
    """A hit before collapsing, with its text for comparing passages and for snippets."""

    hit: Hit
    text: str
    rank: int

    @property
    def heading_key(self) -> tuple[str, ...]:
        return tuple(" ".join(heading.lower().split()) for heading in self.hit.heading_path)


def candidate(result: WhooshHit, rank: int) -> Candidate:
    return stored_candidate(result.fields(), float(result.score or 0.0), rank)


def stored_candidate(stored: dict, score: float, rank: int) -> Candidate:
    """A section's hit from its stored fields, without a snippet yet."""
    hit = Hit(
        section_id=stored["section_id"],
        doc_id=stored["doc_id"],
        cluster_id=stored["cluster_id"],
        title=stored.get("title", ""),
        source=stored.get("source", ""),
        doc_type=stored.get("doc_type", ""),
        districts=split_facet(stored.get("districts")),
        county=", ".join(split_facet(stored.get("county"))) or None,
        year_from=stored.get("year_from"),
        year_to=stored.get("year_to"),
        period=stored.get("period"),
        date=stored.get("date"),
        heading_path=json.loads(stored.get("heading_path") or "[]"),
        page=stored.get("page_start"),
        page_end=stored.get("page_end"),
        score=round(score, 4),
        snippet="",
    )
    return Candidate(hit, stored.get("text", ""), rank)


def collapse(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per passage, best first.

    Within a near-duplicate cluster, a section of another document with the same
    heading path or nearly the same text is the same passage: it folds into the copy
    with a page number (the PDF), else the better-ranked one, which takes the best
    score of the copies and lists the others' sources in `also_in`.
    """
    kept_in_cluster: dict[str, list[Candidate]] = defaultdict(list)
    kept: list[Candidate] = []
    for current in sorted(candidates, key=lambda c: (c.hit.page is None, c.rank)):
        siblings = kept_in_cluster[current.hit.cluster_id]
        twin = next((k for k in siblings if same_passage(k, current)), None)
        if twin is None:
            siblings.append(current)
            kept.append(current)
            continue
        if current.rank < twin.rank:
            twin.hit.score, twin.rank = max(twin.hit.score, current.hit.score), current.rank
        if current.hit.source != twin.hit.source and current.hit.source not in twin.hit.also_in:
            twin.hit.also_in.append(current.hit.source)
    return sorted(kept, key=lambda c: c.rank)


def same_passage(first: Candidate, second: Candidate) -> bool:
    if first.hit.doc_id == second.hit.doc_id:
        return False
    # An empty heading path says nothing: every section of an unstructured file has it.
    if first.hit.heading_path and first.heading_key == second.heading_key:
        return True
    # Imported here: most searches collapse their twins by heading and never get here.
    from rapidfuzz import fuzz, utils

    ratio = fuzz.token_set_ratio(
        first.text[:SAME_PASSAGE_CHARS],
        second.text[:SAME_PASSAGE_CHARS],
        processor=utils.default_process,
    )
    return ratio >= SAME_PASSAGE_RATIO


# Clusters ------------------------------------------------------------------------------


def cluster_numbers(searcher: Searcher) -> array:
    """Each section's near-duplicate cluster as a number, by document number."""

    def build() -> array:
        numbers = np.full(searcher.doc_count_all(), -1, dtype=np.int32)
        for number, ids in enumerate(field_postings(searcher, "cluster_id").values()):
            numbers[ids] = number
        return array("i", numbers.tobytes())

    return cached_bits(searcher, ("cluster_id", "numbers"), build)


def sections_matching_any(
    searcher: Searcher, words: list[str], doc_ids: list[str], limit: int
) -> list[tuple[str, float]]:
    """Section ids (with scores, best first) in the given documents that contain any of
    `words`: the recall step of tracing a commitment into later documents."""
    # Lower-case words only: "NOT" or "OR" would be read as operators.
    words = [word.lower() for word in words if WORD.search(word)]
    if not words or not doc_ids:
        return []
    query = parse_query(" OR ".join(words))
    within = Or([Term("doc_id", doc_id) for doc_id in doc_ids])
    results = searcher.search(query, filter=within, limit=limit)
    return [(result["section_id"], float(result.score or 0.0)) for result in results]
