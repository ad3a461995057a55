"""Searching sections in tantivy: the read side of `TantivyIndex`.  Functions take the
index's current `tantivy.Searcher`.

Everything engine-free is the Whoosh engine's, reused as is: the parse tree, collapsing
near-duplicate passages (`collapse`, given only the clusters where it can fold one: see
`collapsed`), a hit from stored fields (`stored_candidate`), snippets (`Marks`,
`snippet`) and the synonyms a hit was found by.  What differs is how
matches are gathered: hits are grouped by document and cluster from fast integer fields
(`doc_key`, `cluster_key`) without reading their stored fields; a page of documents in
relevance order reads only the best-scoring sections, as many as settle the page
(`top_rows`); and facets and totals are counted by tantivy's terms aggregations, in
parts of the cluster keys' range where one would pass tantivy's limit on buckets
(`aggregate_in_parts`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import tantivy
from whoosh import query as wq

from ingest.errors import QueryError
from ingest.search.backend import SORTS, FacetCounts, Hit, SearchFilters, SearchPage
from ingest.search.tantivy.query import (
    any_of_clusters,
    any_of_docs,
    cluster_keys_between,
    copies_only,
    filter_query,
    filtered,
    translate,
)
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

# tantivy refuses an aggregation that would make more buckets than this in all (its
# default `AggregationLimits`), and a terms aggregation asked for this many values gives
# only the most frequent of more: counting beyond it goes by parts (`aggregate_in_parts`).
BUCKET_LIMIT = 65_000
#: Every cluster key (`schema.key_of`): the range `aggregate_in_parts` divides.
EVERY_KEY = (-(2**63), 2**63 - 1)


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


@dataclass
class Unread:
    """A hit kept by collapsing whose stored fields are not read yet: read only if it
    is among those shown."""

    score: float
    address: tantivy.DocAddress
    rank: int


def collapsed(searcher: tantivy.Searcher, found: list) -> list[Candidate | Unread]:
    """`collapse` of the (score, address) pairs `found` (best first), reading stored
    fields only where collapsing needs them.  A section folds only into a section of
    another document of its cluster, so the sections of a cluster with one document
    among `found` are all kept as they are: known by their fast keys, they stay unread
    (`read`).  The clusters of several documents are collapsed on their stored fields."""
    addresses = [address for _, address in found]
    doc_keys = searcher.fast_field_values(DOC_KEY, addresses)
    cluster_keys = searcher.fast_field_values(CLUSTER_KEY, addresses)
    docs_of: dict[int, set[int]] = defaultdict(set)
    for doc_key, cluster_key in zip(doc_keys, cluster_keys, strict=True):
        docs_of[int(cluster_key or 0)].add(int(doc_key or 0))
    kept: list[Candidate | Unread] = []
    shared: list[Candidate] = []
    for rank, ((score, address), cluster_key) in enumerate(zip(found, cluster_keys, strict=True)):
        if len(docs_of[int(cluster_key or 0)]) > 1:
            shared.append(candidate(searcher, score, address, rank))
        else:
            kept.append(Unread(float(score), address, rank))
    return sorted([*kept, *collapse(shared)], key=lambda kept_one: kept_one.rank)


def read(searcher: tantivy.Searcher, kept: Candidate | Unread) -> Candidate:
    if isinstance(kept, Unread):
        return candidate(searcher, kept.score, kept.address, kept.rank)
    return kept


def search(
    searcher: tantivy.Searcher, query: str, filters: SearchFilters | None = None, limit: int = 20
) -> list[Hit]:
    """The best `limit` sections for `query`, best first, near-duplicates collapsed;
    only the stored fields of the sections shown, and of those collapsing compares,
    are read."""
    prepared = prepare(searcher, query, filters)
    if limit < 1:
        return []
    fetch = max(limit * OVERFETCH, limit + MIN_EXTRA)
    found = ranked(searcher, prepared.query, fetch)
    kept = collapsed(searcher, found)
    # Near-duplicates folded too many away: fetch more, as the Whoosh engine does.
    while len(kept) < limit and len(found) == fetch and fetch < MAX_FETCH:
        fetch = min(fetch * 4, MAX_FETCH)
        found = ranked(searcher, prepared.query, fetch)
        kept = collapsed(searcher, found)
    shown = Shown(Marks.of(prepared.parsed), [] if prepared.blank else synonyms_searched(query))
    return [shown.finish(read(searcher, kept_one)) for kept_one in kept[:limit]]


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
    cluster_key: int
    copies: list[Match] = field(default_factory=list)
    stored: dict | None = None


def matching_rows(searcher: tantivy.Searcher, query: tantivy.Query) -> list[Row]:
    """One row per cluster of matching documents, in no particular order."""
    return rows_of(searcher, ranked(searcher, query, searcher.num_docs))


def rows_of(searcher: tantivy.Searcher, hits: list) -> list[Row]:
    """One row per cluster of the documents of `hits` ((score, address) pairs, best
    first, every match of those clusters among them), in no particular order."""
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
    for cluster_key, copies in by_cluster.items():
        # As `collapse`: the copy with page numbers, else the better-ranked one.
        copies.sort(key=lambda m: (not m.paged, -m.score, order_key(m.address)))
        shown, *others = copies
        rows.append(Row(shown, max(m.score for m in copies), cluster_key, others))
    return rows


@dataclass
class Rows:
    """Rows of matching clusters, and the totals over every match."""

    rows: list[Row]
    clusters: int
    sections: int

    @classmethod
    def of_every_match(cls, rows: list[Row]) -> Rows:
        """`rows` read from every match, so the totals are theirs."""
        return cls(rows, len(rows), sum(row.shown.sections for row in rows))


def every_row(searcher: tantivy.Searcher, query: tantivy.Query) -> Rows:
    return Rows.of_every_match(matching_rows(searcher, query))


def top_rows(
    searcher: tantivy.Searcher, query: tantivy.Query, wanted: int, cap: int = BUCKET_LIMIT
) -> Rows:
    """The first `wanted` rows in relevance order (perhaps a few more, tied with the
    last), and the totals, without reading every match.  The best sections are read,
    more each round, until `wanted` clusters score above the worst section read, which
    no cluster not yet seen can beat.  Then every match of those clusters, and of the
    clusters of several matching documents, is read as `matching_rows` reads them: to
    choose each one's copy shown, and count its passages.  The other totals are
    counted by aggregation (`matching_clusters`)."""
    if not searcher.num_docs:
        return Rows([], 0, 0)
    fetch = max(wanted * OVERFETCH, wanted + MIN_EXTRA)
    while True:
        found = searcher.search(query, limit=fetch, count=True)
        matches: int = found.count  # type: ignore[attr-defined]  # not in tantivy's stub
        hits = sorted(found.hits, key=lambda hit: (-hit[0], order_key(hit[1])))
        if len(hits) >= matches:  # every match read
            return Rows.of_every_match(rows_of(searcher, hits))
        best = best_of_clusters(searcher, hits)
        settled = [key for key, score in best.items() if score > hits[-1][0]]
        if len(settled) >= wanted:
            break
        # Sections all tied settle nothing until the tie ends: read every match.
        fetch = matches if hits[0][0] == hits[-1][0] else fetch * 4
    # Clusters tied with the last one wanted are read too: the tie is broken by which
    # copy each one shows.
    last_score = best[settled[wanted - 1]] if wanted else float("inf")
    chosen = {key for key, score in best.items() if score >= last_score}
    clusters = matching_clusters(searcher, query, cap)
    copied = clusters.keys - clusters.single_sections.keys()
    read = rows_of(searcher, every_match(searcher, query, chosen | copied))
    passages = sum(clusters.single_sections.values())
    passages += sum(row.shown.sections for row in read if row.cluster_key in copied)
    rows = [row for row in read if row.cluster_key in chosen]
    return Rows(rows, len(clusters), passages)


def every_match(searcher: tantivy.Searcher, query: tantivy.Query, cluster_keys: set[int]) -> list:
    """Every (score, address) of the sections matching `query` in these clusters."""
    if not cluster_keys:
        return []
    return ranked(
        searcher, filtered(query, any_of_clusters(sorted(cluster_keys))), searcher.num_docs
    )


def best_of_clusters(searcher: tantivy.Searcher, hits: list) -> dict[int, float]:
    """Each cluster of `hits` (best first) and its best score, in the order first met."""
    keys = searcher.fast_field_values(CLUSTER_KEY, [address for _, address in hits])
    best: dict[int, float] = {}
    for (score, _), key in zip(hits, keys, strict=True):
        best.setdefault(int(key or 0), float(score))
    return best


@dataclass
class Clusters:
    """The clusters holding a matching section, and the number of matching sections in
    each one whose matches are all in one document."""

    keys: set[int]
    single_sections: dict[int, int]

    def __len__(self) -> int:
        return len(self.keys)


def matching_clusters(searcher: tantivy.Searcher, query: tantivy.Query, cap: int) -> Clusters:
    """The clusters holding a section matching `query`, counted by aggregation.  A
    cluster's matches are in several documents only if a copy's section is among them
    (the cluster's own document is the one whose doc_id names it)."""
    clusters = {"clusters": {"terms": {"field": CLUSTER_KEY, "size": cap}}}

    def sections_per_cluster(within: tantivy.Query) -> dict[int, int]:
        return {
            int(bucket["key"]): bucket["doc_count"]
            for part in aggregate_in_parts(searcher, within, clusters, cap)
            for bucket in part["clusters"]["buckets"]
        }

    sections = sections_per_cluster(query)
    copied = sections_per_cluster(filtered(query, copies_only()))
    return Clusters(
        set(sections), {key: count for key, count in sections.items() if key not in copied}
    )


def search_documents(
    searcher: tantivy.Searcher,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    sort: str = "relevance",
    passages: bool = False,
    passage_snippets: bool = True,
) -> SearchPage:
    """The documents matching `query`, `limit` of them from `offset` in `sort` order
    (see `SearchBackend.search_documents`).  In relevance order only the page's and the
    better rows are read (`top_rows`); the other orders read every row."""
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
    prepared = prepare(searcher, query, filters)
    spelling = SpellingHelp() if prepared.blank else spelling_help(searcher, query)
    start, limit = max(offset, 0), max(limit, 0)
    if sort == "relevance":
        found = top_rows(searcher, prepared.query, start + limit)
    else:
        found = every_row(searcher, prepared.query)
    order(searcher, found.rows, sort)
    page = found.rows[start : start + limit]
    shown = Shown(Marks.of(prepared.parsed), [] if prepared.blank else synonyms_searched(query))
    hits = [row_hit(searcher, row, shown) for row in page]
    if passages and hits:
        attach_passages(searcher, prepared, hits, shown if passage_snippets else None)
    return SearchPage(
        hits=hits,
        total_documents=found.clusters,
        total_passages=found.sections,
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
    searcher: tantivy.Searcher, prepared: Prepared, hits: list[Hit], shown: Shown | None
) -> None:
    """Each hit's other matching passages, best first: one search over the page's
    documents; with their snippets when `shown` says how to mark them."""
    by_doc = {hit.doc_id: hit for hit in hits}
    within = filtered(prepared.query, any_of_docs(list(by_doc)))
    for score, address in ranked(searcher, within, searcher.num_docs):
        found = stored_candidate(stored_fields(searcher.doc(address)), float(score), 0)
        hit = by_doc[found.hit.doc_id]
        if found.hit.section_id != hit.section_id:
            hit.passages.append(shown.finish(found) if shown else found.hit)


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
    cap: int = BUCKET_LIMIT,
) -> FacetCounts:
    """Counts over every section matching `query` (every section when it is None), or
    with `documents` over the near-duplicate clusters they are in."""
    parsed = parse_query(query) if query else wq.Every()
    matched = filtered(translate(parsed, searcher), filter_query(filters))
    if not searcher.num_docs:
        return FacetCounts(districts={}, doc_types={}, years={})
    per_value = {"aggs": {"clusters": {"terms": {"field": CLUSTER_KEY, "size": cap}}}}
    aggregations = {
        name: {"terms": {"field": field_name, "size": cap}, **(per_value if documents else {})}
        for name, field_name in FACETS.items()
    }
    parts = aggregate_in_parts(searcher, matched, aggregations, cap)

    def counts(name: str) -> dict:
        # A cluster falls in one part, so its value's counts add up across the parts.
        total: dict = defaultdict(int)
        for part in parts:
            for bucket in part.get(name, {}).get("buckets", []):
                if bucket["key"] not in ("", None):
                    counted = len(bucket["clusters"]["buckets"]) if documents else None
                    total[bucket["key"]] += bucket["doc_count"] if counted is None else counted
        return dict(total)

    return FacetCounts(
        districts=counts("districts"),
        doc_types=counts("doc_types"),
        years={int(year): count for year, count in counts("years").items()},
        **{name: counts(name) for name in ENTITY_FACETS},
    )


def section_counts(searcher: tantivy.Searcher, cap: int = BUCKET_LIMIT) -> dict[str, int]:
    """Sections per doc_id."""
    if not searcher.num_docs:
        return {}
    ids = {"ids": {"terms": {"field": "doc_id", "size": cap}}}
    parts = aggregate_in_parts(searcher, tantivy.Query.all_query(), ids, cap)
    return {
        bucket["key"]: bucket["doc_count"] for part in parts for bucket in part["ids"]["buckets"]
    }


def aggregate_in_parts(
    searcher: tantivy.Searcher, query: tantivy.Query, aggregations: dict, cap: int
) -> list[dict]:
    """`aggregations` (terms aggregations asking for `cap` values) over the sections
    `query` matches, one result per part of the cluster keys' range: a part whose buckets
    would pass `cap`, where tantivy would refuse the aggregation or cut it short, is
    halved until each part fits.  A cluster's sections, so a document's, all fall in one
    part: counts of sections, or of clusters, per value add up across the parts."""
    parts, results = [EVERY_KEY], []
    while parts:
        low, high = parts.pop()
        within = (
            query if (low, high) == EVERY_KEY else filtered(query, cluster_keys_between(low, high))
        )
        try:
            found = searcher.aggregate(within, aggregations)
        except ValueError as error:
            if "bucket limit" not in str(error):
                raise
            found = None
        if found is not None and fits(found, aggregations, cap):
            results.append(found)
        elif low == high:
            raise ValueError(f"one near-duplicate cluster holds more than {cap} facet values")
        else:
            middle = (low + high) // 2
            parts += [(middle + 1, high), (low, middle)]
    return results


def fits(result: dict, aggregations: dict, cap: int) -> bool:
    """Whether an aggregation's result holds every value (no terms aggregation left
    any out) in at most `cap` buckets in all."""
    buckets = 0
    for name, asked in aggregations.items():
        counted = buckets_held(result[name], asked)
        if counted is None:
            return False
        buckets += counted
    return buckets <= cap


def buckets_held(terms: dict, asked: dict) -> int | None:
    """The buckets of one terms aggregation's result and those under them, None when
    some aggregation among them left values out."""
    if terms.get("sum_other_doc_count"):
        return None
    found = terms.get("buckets", [])
    buckets = len(found)
    for name, inner in asked.get("aggs", {}).items():
        for bucket in found:
            counted = buckets_held(bucket[name], inner)
            if counted is None:
                return None
            buckets += counted
    return buckets


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
