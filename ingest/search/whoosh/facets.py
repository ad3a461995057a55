"""Facet counts from maps kept per searcher, not from Whoosh's `groupedby`.

Whoosh groups a search by a field with several values per section (areas, entities,
themes) by first listing every section's values, read term by term, on every search:
at 100,000 sections that was about a second a query.  Here each facet field is read
once per searcher (until the next commit) into two arrays, one entry per (section,
value) pair, beside each section's near-duplicate cluster; a query's counts are then
array operations over the sections it matches, however many match.

A document count is the number of distinct clusters among the matching sections that
hold the value: a PDF and its text twin count once, as `search_documents` lists them
when the value is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh.searching import Searcher

from ingest.search.backend import FacetCounts, SearchFilters
from ingest.search.whoosh.matches import allowed_mask, query_matches
from ingest.search.whoosh.postings import field_postings, live_sections
from ingest.search.whoosh.reader import (
    ENTITY_FACETS,
    cached_bits,
    cluster_numbers,
)

# The fields counted, each read as `sortable_terms` gives them (a year's full value,
# not Whoosh's coarser range terms).
FACET_FIELDS = ("districts", "doc_type", "year_from", *ENTITY_FACETS)


@dataclass
class FieldMap:
    """One facet field: its values, and one (section, value) pair per entry."""

    keys: list
    sections: np.ndarray
    values: np.ndarray


@dataclass
class SectionMaps:
    """Per searcher: each section's cluster (0: none) and every facet field's pairs."""

    clusters: np.ndarray
    cluster_count: int
    fields: dict[str, FieldMap]


def section_maps(searcher: Searcher) -> SectionMaps:
    return cached_bits(searcher, ("facets", "maps"), lambda: build_maps(searcher))


def build_maps(searcher: Searcher) -> SectionMaps:
    # Shifted by one so that a section without a cluster (-1) indexes the array.
    clusters = np.frombuffer(cluster_numbers(searcher), dtype=np.int32) + 1
    return SectionMaps(
        clusters=clusters,
        cluster_count=int(clusters.max(initial=0)) + 1,
        fields={name: field_map(searcher, name) for name in FACET_FIELDS},
    )


def field_map(searcher: Searcher, name: str) -> FieldMap:
    field_type = searcher.schema[name]
    postings = field_postings(searcher, name)
    if not postings:
        return FieldMap([], np.empty(0, dtype=np.int32), np.empty(0, dtype=np.int32))
    held = list(postings.values())
    ordinals = [np.full(len(ids), ordinal, dtype=np.int32) for ordinal, ids in enumerate(held)]
    return FieldMap(
        keys=[field_type.from_bytes(term) for term in postings],
        sections=np.concatenate(held).astype(np.int32),
        values=np.concatenate(ordinals),
    )


def live_mask(searcher: Searcher) -> np.ndarray:
    """The sections not deleted (a deleted one keeps its number until a merge)."""

    return cached_bits(searcher, ("facets", "live"), lambda: live_sections(searcher))


def count_values(searcher: Searcher, mask: np.ndarray, documents: bool) -> dict[str, dict]:
    """{field: {value: count}} over the sections `mask` lets through: sections, or with
    `documents` distinct clusters.  Values counting nothing are left out."""
    maps = section_maps(searcher)
    counted: dict[str, dict] = {}
    for name, field in maps.fields.items():
        chosen = mask[field.sections]
        values = field.values[chosen]
        if documents:
            # One pair per (value, cluster): the value's documents, twins once.
            pairs = (
                values.astype(np.int64) * maps.cluster_count + maps.clusters[field.sections[chosen]]
            )
            values = (np.unique(pairs) // maps.cluster_count).astype(np.int64)
        totals = np.bincount(values, minlength=len(field.keys))
        counted[name] = {
            field.keys[ordinal]: int(totals[ordinal]) for ordinal in np.flatnonzero(totals)
        }
    return counted


def facet_counts(
    searcher: Searcher,
    query: str | None = None,
    filters: SearchFilters | None = None,
    documents: bool = False,
) -> FacetCounts:
    """Counts over every section matching `query` (every section when it is None or
    blank) and `filters`, or with `documents` over the documents they are in."""
    allowed = allowed_mask(searcher, filters)
    blank = not (query and query.strip())
    count = searcher.doc_count_all()
    # The query's matches as its ranked search finds them, which the search page then
    # lists: matched once for both.
    mask = live_mask(searcher) if blank else query_matches(searcher, query or "").mask(count)
    if allowed is not None:
        mask = mask & allowed
    counted = count_values(searcher, mask, documents)
    return FacetCounts(
        districts=counted["districts"],
        doc_types=counted["doc_type"],
        years=counted["year_from"],
        **{name: counted[name] for name in ENTITY_FACETS},
    )
