"""One result per document: the documents matching a query, each with its best passage
and the number of its other matching passages, totals over every match, sorting and
paging (`SearchBackend.search_documents` in Whoosh).

The query's matching sections and scores (`matches.query_matches`, kept per searcher,
shared with the facet counts) are grouped by document with array operations: each
document's best section and its count; everything after works per document, each
document's cluster read from a per-searcher array, and only the page's documents have
their passages' stored fields read.  Near-duplicate documents (a PDF and
its text twin, a report and its copy in an agenda pack: one cluster) are one result,
shown as the copy with page numbers, else the better-ranked one, with the others'
sources in `also_in`, as `reader.collapse` does for sections.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from whoosh.searching import Searcher

from ingest.errors import QueryError
from ingest.search.backend import SORTS, Hit, SearchFilters, SearchPage
from ingest.search.whoosh.matches import Matches, allowed_mask, document_numbers, query_matches
from ingest.search.whoosh.natural import names_found
from ingest.search.whoosh.postings import field_postings
from ingest.search.whoosh.query import synonyms_searched
from ingest.search.whoosh.reader import (
    Candidate,
    cached_bits,
    cluster_numbers,
    prepare,
    stored_candidate,
)
from ingest.search.whoosh.snippets import Marks, snippet
from ingest.search.whoosh.spelling import SpellingHelp, spelling_help


@dataclass
class Match:
    """One matching document: its best section (`docnum`), score and matching sections."""

    doc_id: str
    docnum: int
    score: float
    sections: int


@dataclass
class Row:
    """One result: the copy shown and the other copies of its cluster that matched."""

    shown: Match
    score: float
    copies: list[Match] = field(default_factory=list)
    stored: dict | None = None


def search_documents(
    searcher: Searcher,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    sort: str = "relevance",
    passages: bool = False,
    passage_snippets: bool = True,
) -> SearchPage:
    """The documents matching `query`, `limit` of them from `offset` in `sort` order
    (see `SearchBackend.search_documents`)."""
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
    prepared = prepare(searcher, query, filters)
    spelling = SpellingHelp() if prepared.blank else spelling_help(searcher, query)
    matches = Matches.none() if prepared.nothing else filtered_matches(searcher, query, filters)
    rows = matching_rows(searcher, matches)
    order(searcher, rows, sort)
    page = rows[max(offset, 0) : max(offset, 0) + max(limit, 0)]
    shown = Shown(Marks.of(prepared.parsed), [] if prepared.blank else synonyms_searched(query))
    hits = [row_hit(searcher, row, shown) for row in page]
    if passages and hits:
        attach_passages(searcher, matches, hits, shown if passage_snippets else None)
    return SearchPage(
        hits=hits,
        total_documents=len(rows),
        total_passages=sum(row.shown.sections for row in rows),
        offset=offset,
        sort=sort,
        suggestion=spelling.suggestion,
        unmatched=spelling.unmatched,
    )


def filtered_matches(searcher: Searcher, query: str, filters: SearchFilters | None) -> Matches:
    """The sections matching `query` that `filters` let through, with their scores."""
    allowed = allowed_mask(searcher, filters)
    return query_matches(searcher, query).within(allowed)


def matching_rows(searcher: Searcher, matches: Matches) -> list[Row]:
    """One row per cluster of matching documents, in no particular order."""
    if not len(matches.docnums):
        return []
    documents = document_numbers(searcher)
    of_document = documents.numbers[matches.docnums]
    # Each document's best section: the best score, then the first in the index.
    order = np.lexsort((matches.docnums, -matches.scores, of_document))
    grouped = of_document[order]
    firsts = order[np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])]
    sections = np.bincount(of_document)
    cluster_of = cluster_numbers(searcher)
    by_cluster: dict[int | str, list[Match]] = defaultdict(list)
    for at in firsts.tolist():
        docnum, number = int(matches.docnums[at]), int(of_document[at])
        doc_id = documents.doc_ids[number]
        match = Match(doc_id, docnum, float(matches.scores[at]), int(sections[number]))
        cluster = cluster_of[docnum]
        by_cluster[doc_id if cluster < 0 else cluster].append(match)
    paged = paged_sections(searcher)
    rows = []
    for cluster_matches in by_cluster.values():
        # As `reader.collapse`: the copy with page numbers, else the better-ranked one.
        cluster_matches.sort(key=lambda m: (not paged[m.docnum], -m.score, m.docnum))
        shown, *copies = cluster_matches
        rows.append(Row(shown, max(m.score for m in cluster_matches), copies))
    return rows


def paged_sections(searcher: Searcher) -> np.ndarray:
    """A boolean per section: whether it has a page number (is from a PDF)."""

    def build() -> np.ndarray:
        paged = np.zeros(searcher.doc_count_all(), dtype=bool)
        for ids in field_postings(searcher, "page_start").values():
            paged[ids] = True
        return paged

    return cached_bits(searcher, ("page_start", "any"), build)


def order(searcher: Searcher, rows: list[Row], sort: str) -> None:
    """Sort `rows` in place: by score, or by the best passage's years or areas (read
    from its stored fields, which only these orders need for every row)."""
    if sort == "relevance":
        rows.sort(key=lambda row: (-row.score, row.shown.docnum))
        return
    for row in rows:
        row.stored = searcher.stored_fields(row.shown.docnum)
    if sort == "newest":
        rows.sort(key=newest_first)
    else:
        rows.sort(key=by_area)


def newest_first(row: Row) -> tuple:
    stored = row.stored or {}
    year_to, year_from = stored.get("year_to"), stored.get("year_from")
    return (year_to is None, -(year_to or 0), -(year_from or 0), -row.score, row.shown.docnum)


def by_area(row: Row) -> tuple:
    stored = row.stored or {}
    area = (stored.get("districts") or stored.get("county") or "").lower()
    return (not area, area, -row.score, row.shown.docnum)


@dataclass
class Shown:
    """What a hit shows of the query: its words marked in the snippet, and the other
    names of its words (synonyms) the passage was found by."""

    marks: Marks
    alternatives: list

    def finish(self, found: Candidate) -> Hit:
        found.hit.snippet = snippet(found.text, self.marks)
        texts = [found.text, found.hit.title, *found.hit.heading_path]
        found.hit.synonyms = names_found(self.alternatives, texts)
        return found.hit


def row_hit(searcher: Searcher, row: Row, shown: Shown) -> Hit:
    stored = row.stored or searcher.stored_fields(row.shown.docnum)
    found = stored_candidate(stored, row.score, 0)
    shown.finish(found)
    found.hit.more_passages = row.shown.sections - 1
    sources = (searcher.stored_fields(copy.docnum).get("source", "") for copy in row.copies)
    found.hit.also_in = [source for source in dict.fromkeys(sources) if source != found.hit.source]
    return found.hit


def attach_passages(
    searcher: Searcher, matches: Matches, hits: list[Hit], shown: Shown | None
) -> None:
    """Each hit's other matching passages, best first (as Whoosh ranks them: by score,
    then by place in the index): read only for the page's documents; with their
    snippets when `shown` says how to mark them."""
    by_doc = {hit.doc_id: hit for hit in hits}
    documents = document_numbers(searcher)
    numbers = np.array([documents.number_of[doc_id] for doc_id in by_doc], dtype=np.int64)
    chosen = np.flatnonzero(np.isin(documents.numbers[matches.docnums], numbers))
    ranked = chosen[np.lexsort((matches.docnums[chosen], -matches.scores[chosen]))]
    for at in ranked.tolist():
        stored = searcher.stored_fields(int(matches.docnums[at]))
        found = stored_candidate(stored, float(matches.scores[at]), 0)
        hit = by_doc[found.hit.doc_id]
        if found.hit.section_id != hit.section_id:
            hit.passages.append(shown.finish(found) if shown else found.hit)
