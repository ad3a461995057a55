"""What the tantivy engine reads to answer, checked against reading everything: a page
of documents read from the best sections alone (`reader.top_rows`), and counts made in
parts where one aggregation would pass a cap on buckets (`reader.aggregate_in_parts`),
on the sample corpus's tantivy index."""

from __future__ import annotations

from dataclasses import astuple
from pathlib import Path

import pytest

from ingest.search.registry import open_backend
from ingest.search.tantivy import reader
from ingest.search.tantivy.index import TantivyIndex

pytestmark = pytest.mark.parametrize("backend_name", ["tantivy"], scope="session")

QUERIES = ["plan", "community safety", "police OR health", "J9", "anti-social behaviour"]


@pytest.fixture
def searcher(engine_corpus_index: Path):
    index = open_backend(engine_corpus_index, create=False)
    assert isinstance(index, TantivyIndex)
    return index.searcher()


def relevance_order(rows: list[reader.Row]) -> list[tuple]:
    rows = sorted(rows, key=lambda row: (-row.score, row.shown.docnum))
    return [
        (row.shown.doc_key, row.score, row.shown.sections, sorted(c.doc_key for c in row.copies))
        for row in rows
    ]


def test_a_page_read_from_the_best_sections_is_the_page_read_from_every_match(searcher) -> None:
    read_in_part = 0
    for query in QUERIES:
        prepared = reader.prepare(searcher, query, None).query
        everything = reader.every_row(searcher, prepared)
        for wanted in (1, 2, 5, 20):
            top = reader.top_rows(searcher, prepared, wanted)
            assert relevance_order(top.rows)[:wanted] == relevance_order(everything.rows)[:wanted]
            assert (top.clusters, top.sections) == (everything.clusters, everything.sections)
            read_in_part += len(top.rows) < len(everything.rows)
    # Most pages here were settled before every match was read: the case this is about.
    assert read_in_part >= 10


def test_a_page_of_documents_counts_every_match(engine_corpus_index: Path) -> None:
    index = open_backend(engine_corpus_index, create=False)
    first, second = (index.search_documents("plan", limit=3, offset=start) for start in (0, 3))
    assert first.total_documents == second.total_documents > 6
    assert first.total_passages == second.total_passages >= first.total_documents
    shown = [hit.doc_id for hit in first.hits + second.hits]
    assert len(shown) == len(set(shown)) == 6


@pytest.mark.parametrize("documents", [False, True])
def test_facet_counts_beyond_the_bucket_cap_are_counted_in_parts(searcher, documents) -> None:
    for query in (None, "plan"):
        whole = reader.facet_counts(searcher, query, documents=documents)
        # The buckets of one aggregation over every match: a value's, and by document
        # one more for each cluster holding it.
        values = [count for counts in astuple(whole) for count in counts.values()]
        buckets = len(values) + (sum(values) if documents else 0)
        # Caps one aggregation passes, but not one cluster's values alone.
        for cap in (buckets * 2 // 3, buckets - 1):
            assert reader.facet_counts(searcher, query, documents=documents, cap=cap) == whole


def test_section_counts_beyond_the_bucket_cap_are_counted_in_parts(searcher) -> None:
    whole = reader.section_counts(searcher)
    assert len(whole) > 5
    assert reader.section_counts(searcher, cap=5) == whole


def test_matching_documents_beyond_the_bucket_cap_are_counted_in_parts(searcher) -> None:
    prepared = reader.prepare(searcher, "plan", None).query
    everything = reader.every_row(searcher, prepared)
    assert everything.clusters > 3
    for cap in (3, 1000):
        top = reader.top_rows(searcher, prepared, 1, cap=cap)
        assert (top.clusters, top.sections) == (everything.clusters, everything.sections)
