"""The search page's filter counts on the sample index: each option's count is the
number of documents choosing it lists (a PDF and its text twin, a report and its copy in
an agenda pack, once), and a chosen filter changes the counts of the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.answers.queries import build_filters, search_documents, search_page_facets
from ingest.search.backend import SearchFilters

# Each is a facet of FacetCounts and the build_filters argument choosing its values.
FACETS = ("districts", "doc_types", "initiatives", "partners", "themes")


def listed(index: Path, query: str, **chosen: list[str]) -> int:
    return search_documents(index, query, build_filters(**chosen), limit=1).total_documents


@pytest.mark.parametrize("query", ["J9", "safety"])
def test_every_option_counts_the_documents_choosing_it_lists(
    corpus_index: Path, query: str
) -> None:
    counts = search_page_facets(corpus_index, query, SearchFilters())
    checked = 0
    for facet in FACETS:
        for value, count in getattr(counts, facet).items():
            assert count == listed(corpus_index, query, **{facet: [value]}), (facet, value)
            checked += 1
    assert checked >= 20


def test_j9_in_braintree_counts_one_document_for_a_pdf_and_its_text_twin(
    corpus_index: Path,
) -> None:
    counts = search_page_facets(corpus_index, "J9", SearchFilters())
    assert counts.districts["Braintree"] == 1
    page = search_documents(corpus_index, "J9", build_filters(["Braintree"]))
    assert page.total_documents == 1 and page.hits[0].also_in


def test_choosing_an_area_updates_the_other_filters_and_keeps_its_own_options(
    corpus_index: Path,
) -> None:
    everywhere = search_page_facets(corpus_index, "safety", SearchFilters())
    braintree = search_page_facets(corpus_index, "safety", build_filters(["Braintree"]))
    # The chosen facet still offers every area, counted as if chosen alone.
    assert braintree.districts == everywhere.districts
    assert braintree.doc_types != everywhere.doc_types
    for doc_type, count in braintree.doc_types.items():
        assert count == listed(
            corpus_index, "safety", districts=["Braintree"], doc_types=[doc_type]
        ), doc_type
    chosen_type = next(iter(braintree.doc_types))
    both = search_page_facets(
        corpus_index, "safety", build_filters(["Braintree"], doc_types=[chosen_type])
    )
    assert both.districts["Braintree"] == listed(
        corpus_index, "safety", districts=["Braintree"], doc_types=[chosen_type]
    )
    assert both.districts["Braintree"] < everywhere.districts["Braintree"]
