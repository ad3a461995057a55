"""Whoosh's SegmentWriter with two changes that keep a large ingest's writer lean.

- **Merges stream.**  Whoosh merges segments by putting every posting of every merged
  segment through the writer's sorting pool, so a merge's memory grows with the size of
  the segments merged (up to the pool's limit, which a merge of an index of 100,000
  sections reaches): an ingest's peak memory grew with the index.  A segment's postings
  are already in the order the new segment needs, so here they are merged lazily with
  the pool's own (`heapq.merge`), holding one posting per segment at a time.
- **A field without a lengths column is looked up once.**  Writing postings asks each
  posting's field length; for a field that stores none, Whoosh asks the filesystem
  whether the column exists, for every posting (a tenth of an ingest writer's time).

The files written are the same as Whoosh's own (same codec, same segment class), so an
index written here reads, merges and rebuilds with stock Whoosh.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator

from whoosh.codec.whoosh3 import W3PerDocReader
from whoosh.reading import IndexReader, SegmentReader
from whoosh.writing import SegmentWriter

Posting = tuple[str, bytes, int, float, bytes | None]


class KnownColumnsReader(W3PerDocReader):
    """A per-document reader that remembers which length columns a segment lacks."""

    def _cached_reader(self, fieldname, column):
        if fieldname not in self._readers:
            self._readers[fieldname] = super()._cached_reader(fieldname, column)
        return self._readers[fieldname]


class StreamingMergeWriter(SegmentWriter):
    """A SegmentWriter whose merges cost no pool memory (see the module's docstring)."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self._merged_readers: list[SegmentReader] = []
        self._merged_postings: list[Iterator[Posting]] = []

    def add_postings_to_pool(self, reader: IndexReader, startdoc: int, docmap) -> None:
        # The merge policy closes `reader` as soon as this returns, and the postings are
        # read only when the segment is flushed: read them through a reader of our own.
        own = SegmentReader(self.storage, self.schema, reader.segment())
        self._merged_readers.append(own)
        self._merged_postings.append(self._process_posts(own.iter_postings(), startdoc, docmap))

    def per_document_reader(self) -> W3PerDocReader:
        if not self.perdocwriter.is_closed:
            raise RuntimeError("Per-doc writer is still open")
        return KnownColumnsReader(self.storage, self.get_segment())

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        # Every stream is sorted by (field, term, document), and no document number is
        # in two of them, so the merge is in the order the field writer requires.
        postings = heapq.merge(self.pool.iter_postings(), *self._merged_postings)
        self.fieldwriter.add_postings(self.schema, lengths, postings)
        self.fieldwriter.close()
        if lengths:
            lengths.close()

    def _close_segment(self) -> None:
        super()._close_segment()
        for reader in self._merged_readers:
            reader.close()
        self._merged_readers, self._merged_postings = [], []
