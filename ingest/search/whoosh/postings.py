"""A field's postings read fast: segment by segment, a block of section numbers at a
time, into numpy arrays.

The per-searcher maps (each section's document, cluster and page, the facet fields'
values) read every posting of a field.  Through the whole index's reader, each term
is looked up in every segment and its numbers come one Python call each: at 100,000
sections in 17 segments that was 3-5 s for the maps a home page and a first query
need.  Here each segment's own terms are read from that segment only, and a block of
postings (up to 128 numbers) is decoded at once.  Whoosh's on-disk postings (its
`W3LeafMatcher`) are read through their block methods; any other matcher one number
at a time, as Whoosh would.
"""

from __future__ import annotations

import numpy as np
from whoosh.matching import Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher


def field_postings(searcher: Searcher, name: str) -> dict[bytes, np.ndarray]:
    """Each term of field `name` (its sortable ones: a number's full value, not Whoosh's
    coarser range terms), in order, with the sections holding it, numbered as in
    `searcher`, ascending.  Deleted sections are left out."""
    field_type = searcher.schema[name]
    top = searcher.reader()
    live = live_sections(searcher) if top.has_deletions() else None
    found: dict[bytes, list[np.ndarray]] = {}
    for reader, offset in top.leaf_readers():
        for term in field_type.sortable_terms(reader, name):
            ids = matcher_ids(reader.postings(name, term)) + offset
            found.setdefault(term, []).append(ids if live is None else ids[live[ids]])
    return {term: np.concatenate(found[term]) for term in sorted(found)}


def matcher_ids(matcher: Matcher) -> np.ndarray:
    """Every number a postings matcher yields, read a block at a time."""
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # deletions: dropped by the caller, by number
    if not all(hasattr(matcher, name) for name in ("_read_ids", "_next_block", "_ids")):
        return np.fromiter(matcher.all_ids(), dtype=np.int64)
    blocks = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        blocks.append(np.asarray(matcher._ids[matcher._i :], dtype=np.int64))
        matcher._next_block()
    return np.concatenate(blocks) if blocks else np.empty(0, dtype=np.int64)


def live_sections(searcher: Searcher) -> np.ndarray:
    """A boolean per section number: whether it is not deleted (a deleted one keeps
    its number until a merge)."""
    live = np.zeros(searcher.doc_count_all(), dtype=bool)
    live[np.fromiter(searcher.reader().all_doc_ids(), dtype=np.int64)] = True
    return live
