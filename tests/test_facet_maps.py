"""Facet counts from the per-searcher maps (`ingest/search/whoosh/facets.py`) on the
real sample index: with filters already chosen (a year range, an area, a type, or none
and a blank query), each option's count of documents is the total choosing it as well
lists, twins counted once; a query's counts kept for its next choice of filters are
still right; and after a commit deletes a document the counts are the new index's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.answers.queries import open_index, run_facets, search_documents
from ingest.search.backend import SearchFilters

FACETS = ("districts", "doc_types", "initiatives", "partners", "themes")


def assert_counts_are_what_choosing_gives(index: Path, query: str, chosen: SearchFilters) -> None:
    counts = run_facets(index, query, chosen, documents=True)
    compared = 0
    for name in FACETS:
        if getattr(chosen, name):
            # A facet's own values are ORed: choosing a second widens the search, so
            # only the other facets' counts are what choosing gives.
            continue
        for value, count in getattr(counts, name).items():
            narrowed = SearchFilters(**{**vars(chosen), name: [value]})
            listed = search_documents(index, query, narrowed).total_documents
            assert listed == count, (name, value)
            compared += 1
    assert compared > 10, counts


@pytest.mark.parametrize(
    ("query", "chosen"),
    [
        ("domestic abuse", SearchFilters(doc_types=["annual report"])),
        ("partnership", SearchFilters(year_from=2017, year_to=2019)),
        # The same query's matches, kept, under another filter.
        ("partnership", SearchFilters(doc_types=["annual report"], year_from=2018)),
        ("", SearchFilters(districts=["Braintree"])),
    ],
)
def test_counts_with_chosen_filters_are_what_choosing_the_value_lists(
    corpus_index: Path, query: str, chosen: SearchFilters
) -> None:
    assert_counts_are_what_choosing_gives(corpus_index, query, chosen)


def test_counts_follow_a_commit_that_deletes_a_document(corpus_index: Path, tmp_path: Path) -> None:
    copied = tmp_path / "index"
    shutil.copytree(corpus_index, copied)
    before = run_facets(copied, "domestic abuse")
    gone = search_documents(copied, "domestic abuse").hits[0]
    open_index(copied).delete_documents([gone.doc_id])
    after = run_facets(copied, "domestic abuse")
    # Passages: the deleted document's no longer count (its twin's still do).
    assert sum(after.doc_types.values()) < sum(before.doc_types.values())
    assert_counts_are_what_choosing_gives(
        copied, "domestic abuse", SearchFilters(doc_types=[gone.doc_type])
    )
