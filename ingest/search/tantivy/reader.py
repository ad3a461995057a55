"""Searching sections in tantivy: the read side of `TantivyIndex`.  Functions take the
index's current `tantivy.Searcher`.

Everything engine-free is the Whoosh engine's, reused as is: the parse tree, collapsing
near-duplicate passages (`collapse`), a hit from stored fields (`stored_candidate`),
snippets (`Marks`, `snippet`) and the synonyms a hit was found by.  What differs is how
matches are gathered: hits are grouped by document and cluster from fast integer fields
(`doc_key`, `cluster_key`) without reading their stored fields, and facets are counted
by tantivy's terms aggregations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import tantivy
from whoosh import query as wq

from ingest.errors import QueryError
from ingest.search.backend import SORTS, FacetCounts, Hit, SearchFilters, SearchPage
from ingest.search.tantivy.query import any_of_docs, filter_query, filtered, translate
from ingest.search.tantivy.schema import CLUSTER_KEY, DOC_KEY, stored_fields
from ingest.search.tantivy.spelling import spelling_help
from ingest.search.whoosh.documents import Shown, by_area, newest_first
from ingest.search.whoosh.query import WORD, parse_query, synonyms_searched
from ingest.search.whoosh.reader import (
    ENTITY_FACETS,
    MAX_FETCH,
    MIN_EXTRA,
    OVERFETCH,
    Candidate,
    collapse,
    stored_candidate,
)
from ingest.search.whoosh.snippets import Marks
from ingest.search.whoosh.spelling import SpellingHelp

# Buckets asked of a terms aggregation: every value (tantivy's own limit on buckets is
# 65,000 in all, so counting documents per value is bounded by it: see the README).
ALL_BUCKETS = 65_000


@dataclass
class Prepared:
    """A query and filters as tantivy runs them (`query`), the parse tree that marks
    snippets (`parsed`), and whether the query was blank (filters only)."""

    parsed: wq.Query
    query: tantivy.Query
    blank: bool


def prepare(searcher: tantivy.Searcher, query: str, filters: SearchFilters | None) -> Prepared:
    """Raises QueryError for a query (or filters) that cannot be run."""
    allowed = filter_query(filters)
    blank = not (query or "").strip()
    parsed = wq.Every() if blank and allowed is not None else parse_query(query)
    return Prepared(parsed, filtered(translate(parsed, searcher), allowed), blank)


def ranked(searcher: tantivy.Searcher, query: tantivy.Query, limit: int) -> list:
    """The best `limit` (score, address) pairs, best first, ties in index order."""
    if limit < 1 or not searcher.num_docs:
        return []
    hits = searcher.search(query, limit=limit, count=False).hits
    return sorted(hits, key=lambda hit: (-hit[0], order_key(hit[1])))


def order_key(address: tantivy.DocAddress) -> tuple[int, int]:
    return (address.segment_ord, address.doc)


def candidate(searcher: tantivy.Searcher, score: float, address, rank: int) -> Candidate:
    return stored_candidate(stored_fields(searcher.doc(address)), float(score), rank)


def search(
    searcher: tantivy.Searcher, query: str, filters: SearchFilters | None = None, limit: int = 20
) -> list[Hit]:
    """The best `limit` sections for `query`, best first, near-duplicates collapsed."""
    prepared = prepare(searcher, query, filters)
    if limit < 1:
        return []
    fetch = max(limit * OVERFETCH, limit + MIN_EXTRA)
    found = ranked(searcher, prepared.query, fetch)
    kept = collapse(
        [candidate(searcher, score, at, rank) for rank, (score, at) in enumerate(found)]
    )
    # Near-duplicates folded too many away: fetch more, as the Whoosh engine does.
    while len(kept) < limit and len(found) == fetch and fetch < MAX_FETCH:
        fetch = min(fetch * 4, MAX_FETCH)
        found = ranked(searcher, prepared.query, fetch)
        kept = collapse(
            [candidate(searcher, score, at, rank) for rank, (score, at) in enumerate(found)]
        )
    shown = Shown(Marks.of(prepared.parsed), [] if prepared.blank else synonyms_searched(query))
    return [shown.finish(kept_candidate) for kept_candidate in kept[:limit]]


@dataclass
class Match:
    """One matching document: its best section, score and number of matching sections."""

    doc_key: int
    address: tantivy.DocAddress
    score: float
    sections: int
    paged: bool

    @property
    def docnum(self) -> tuple[int, int]:
        """Where the best section stands in the index: the tie-breaker of every order,
        as a Whoosh document number is (`ingest.search.whoosh.documents`' sort keys)."""
        return order_key(self.address)


@dataclass
class Row:
    """One result: the copy shown and the other copies of its cluster that matched."""

    shown: Match
    score: float
    copies: list[Match] = field(default_factory=list)
    stored: dict | None = None


def matching_rows(searcher: tantivy.Searcher, query: tantivy.Query) -> list[Row]:
    """One row per cluster of matching documents, in no particular order."""
    hits = ranked(searcher, query, searcher.num_docs)
    if not hits:
        return []
    addresses = [address for _, address in hits]
    doc_keys = searcher.fast_field_values(DOC_KEY, addresses)
    cluster_keys = searcher.fast_field_values(CLUSTER_KEY, addresses)
    pages = searcher.fast_field_values("page_start", addresses)
    matches: dict[int, Match] = {}
    cluster_of: dict[int, int] = {}
    for (score, address), doc_value, cluster_value, page in zip(
        hits, doc_keys, cluster_keys, pages, strict=True
    ):
        # Every section has both keys: `tantivy_document` writes them.
        doc_key, cluster_key = int(doc_value or 0), int(cluster_value or 0)
        match = matches.get(doc_key)
        if match is None:  # hits come best first: the first is the document's best
            matches[doc_key] = Match(doc_key, address, float(score), 1, page is not None)
            cluster_of[doc_key] = cluster_key
        else:
            match.sections += 1
    by_cluster: dict[int, list[Match]] = defaultdict(list)
    for doc_key, match in matches.items():
        by_cluster[cluster_of[doc_key]].append(match)
    rows = []
    for copies in by_cluster.values():
        # As `collapse`: the copy with page numbers, else the better-ranked one.
        copies.sort(key=lambda m: (not m.paged, -m.score, order_key(m.address)))
        shown, *others = copies
        rows.append(Row(shown, max(m.score for m in copies), others))
    return rows


def search_documents(
    searcher: tantivy.Searcher,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    sort: str = "relevance",
    passages: bool = False,
) -> SearchPage:
    """The documents matching `query`, `limit` of them from `offset` in `sort` order
    (see `SearchBackend.search_documents`)."""
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
    prepared = prepare(searcher, query, filters)
    spelling = SpellingHelp() if prepared.blank else spelling_help(searcher, query)
    rows = matching_rows(searcher, prepared.query)
    order(searcher, rows, sort)
    page = rows[max(offset, 0) : max(offset, 0) + max(limit, 0)]
    shown = Shown(Marks.of(prepared.parsed), [] if prepared.blank else synonyms_searched(query))
    hits = [row_hit(searcher, row, shown) for row in page]
    if passages and hits:
        attach_passages(searcher, prepared, hits, shown)
    return SearchPage(
        hits=hits,
        total_documents=len(rows),
        total_passages=sum(row.shown.sections for row in rows),
        offset=offset,
        sort=sort,
        suggestion=spelling.suggestion,
        unmatched=spelling.unmatched,
    )


def order(searcher: tantivy.Searcher, rows: list[Row], sort: str) -> None:
    """Sort `rows` in place, as the Whoosh engine's `documents.order` does."""
    if sort == "relevance":
        rows.sort(key=lambda row: (-row.score, row.shown.docnum))
        return
    for row in rows:
        row.stored = stored_fields(searcher.doc(row.shown.address))
    rows.sort(key=newest_first if sort == "newest" else by_area)  # type: ignore[arg-type]


def row_hit(searcher: tantivy.Searcher, row: Row, shown: Shown) -> Hit:
    stored = row.stored or stored_fields(searcher.doc(row.shown.address))
    found = stored_candidate(stored, row.score, 0)
    shown.finish(found)
    found.hit.more_passages = row.shown.sections - 1
    sources = (stored_fields(searcher.doc(copy.address)).get("source", "") for copy in row.copies)
    found.hit.also_in = [source for source in dict.fromkeys(sources) if source != found.hit.source]
    return found.hit


def attach_passages(
    searcher: tantivy.Searcher, prepared: Prepared, hits: list[Hit], shown: Shown
) -> None:
    """Each hit's other matching passages, best first: one search over the page's
    documents."""
    by_doc = {hit.doc_id: hit for hit in hits}
    within = filtered(prepared.query, any_of_docs(list(by_doc)))
    for score, address in ranked(searcher, within, searcher.num_docs):
        found = stored_candidate(stored_fields(searcher.doc(address)), float(score), 0)
        hit = by_doc[found.hit.doc_id]
        if found.hit.section_id != hit.section_id:
            hit.passages.append(shown.finish(found))


# Facets --------------------------------------------------------------------------------

FACETS = {
    "districts": "districts",
    "doc_types": "doc_type",
    "years": "year_from",
    **{name: name for name in ENTITY_FACETS},
}


def facet_counts(
    searcher: tantivy.Searcher,
    query: str | None = None,
    filters: SearchFilters | None = None,
    documents: bool = False,
) -> FacetCounts:
    """Counts over every section matching `query` (every section when it is None), or
    with `documents` over the near-duplicate clusters they are in."""
    parsed = parse_query(query) if query else wq.Every()
    matched = filtered(translate(parsed, searcher), filter_query(filters))
    if not searcher.num_docs:
        return FacetCounts(districts={}, doc_types={}, years={})
    per_value = {"aggs": {"clusters": {"terms": {"field": CLUSTER_KEY, "size": ALL_BUCKETS}}}}
    aggregations = {
        name: {
            "terms": {"field": field_name, "size": ALL_BUCKETS},
            **(per_value if documents else {}),
        }
        for name, field_name in FACETS.items()
    }
    found = searcher.aggregate(matched, aggregations)

    def counts(name: str) -> dict:
        buckets = found.get(name, {}).get("buckets", [])
        return {
            bucket["key"]: len(bucket["clusters"]["buckets"]) if documents else bucket["doc_count"]
            for bucket in buckets
            if bucket["key"] not in ("", None)
        }

    return FacetCounts(
        districts=counts("districts"),
        doc_types=counts("doc_types"),
        years={int(year): count for year, count in counts("years").items()},
        **{name: counts(name) for name in ENTITY_FACETS},
    )


def section_counts(searcher: tantivy.Searcher) -> dict[str, int]:
    """Sections per doc_id."""
    if not searcher.num_docs:
        return {}
    found = searcher.aggregate(
        tantivy.Query.all_query(), {"ids": {"terms": {"field": "doc_id", "size": ALL_BUCKETS}}}
    )
    return {bucket["key"]: bucket["doc_count"] for bucket in found["ids"]["buckets"]}


def every_section(searcher: tantivy.Searcher) -> Iterator[dict]:
    """The stored fields of every section, each read from the document store."""
    for _, address in ranked(searcher, tantivy.Query.all_query(), searcher.num_docs):
        yield stored_fields(searcher.doc(address))


def sections_matching_any(
    searcher: tantivy.Searcher, words: list[str], doc_ids: list[str], limit: int
) -> list[tuple[str, float]]:
    """Section ids (with scores, best first) in the given documents that contain any of
    `words`: the recall step of tracing a commitment into later documents."""
    words = [word.lower() for word in words if WORD.search(word)]
    if not words or not doc_ids:
        return []
    query = filtered(translate(parse_query(" OR ".join(words)), searcher), any_of_docs(doc_ids))
    return [
        (stored_fields(searcher.doc(address))["section_id"], float(score))
        for score, address in ranked(searcher, query, limit)
    ]
