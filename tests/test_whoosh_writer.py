"""The index's writer (`ingest.search.whoosh.segments`): its merges stream instead of going through
the memory pool, and write what Whoosh's own merges write."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3PerDocReader
from whoosh.qparser import QueryParser
from whoosh.reading import SegmentReader
from whoosh.writing import NO_MERGE, OPTIMIZE, SegmentWriter

from ingest.search.whoosh.index import section_fields
from ingest.search.whoosh.schema import SCHEMA
from ingest.search.whoosh.segments import KnownColumnsReader, StreamingMergeWriter
from ingest.store.catalog import Catalog
from ingest.store.store import CATALOG_FILE


@pytest.fixture(scope="module")
def sample_documents(corpus_index: Path) -> list:
    """Real documents: the sample corpus as the catalog stores it."""
    catalog = Catalog(corpus_index / CATALOG_FILE)
    try:
        return catalog.documents(with_sections=True)
    finally:
        catalog.close()


def add(writer: SegmentWriter, documents: list) -> None:
    for document in documents:
        for section in document.sections:
            writer.add_document(**section_fields(document, section, document.doc_id))


def build(folder: Path, writer_class: type[SegmentWriter], documents: list) -> whoosh_index.Index:
    """Three committed segments, a document deleted from the first, then a commit that adds
    the last document and merges everything into one segment."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), SCHEMA)
    first, second, third, last = documents[:2], documents[2:4], documents[4:-1], documents[-1:]
    for part in (first, second, third):
        writer = writer_class(ix)
        add(writer, part)
        writer.commit(mergetype=NO_MERGE)
    writer = writer_class(ix)
    writer.delete_by_term("doc_id", first[0].doc_id)
    writer.commit(mergetype=NO_MERGE)
    writer = writer_class(ix)
    add(writer, last)
    writer.commit(mergetype=OPTIMIZE)
    return ix


@pytest.mark.slow
def test_a_streamed_merge_writes_what_whoosh_own_merge_writes(
    tmp_path: Path, sample_documents: list
) -> None:
    assert len(sample_documents) >= 6
    stock = build(tmp_path / "stock", SegmentWriter, sample_documents)
    streamed = build(tmp_path / "streamed", StreamingMergeWriter, sample_documents)
    assert len(stock._segments()) == len(streamed._segments()) == 1
    with stock.reader() as expected, streamed.reader() as got:
        assert got.doc_count() == expected.doc_count() > 0
        postings = list(got.iter_postings())
        assert postings == list(expected.iter_postings())
        assert len(postings) > 10_000
        assert list(got.all_stored_fields()) == list(expected.all_stored_fields())
        for fieldname in ("text", "heading", "title"):
            assert got.field_length(fieldname) == expected.field_length(fieldname)
    deleted = sample_documents[0].doc_id
    for query in ("domestic abuse", '"anti-social behaviour"', f"doc_id:{deleted}"):
        parsed = QueryParser("text", SCHEMA).parse(query)
        with stock.searcher() as expected, streamed.searcher() as got:
            found = [hit["section_id"] for hit in got.search(parsed, limit=None)]
            assert found == [hit["section_id"] for hit in expected.search(parsed, limit=None)]
            assert bool(found) is not query.startswith("doc_id")


def test_a_merge_puts_no_posting_through_the_pool(tmp_path: Path, sample_documents: list) -> None:
    # The pool is what grew an ingest's memory with the size of the segments it merged.
    ix = whoosh_index.create_in(str(tmp_path), SCHEMA)
    writer = SegmentWriter(ix)
    add(writer, sample_documents[:3])
    writer.commit(mergetype=NO_MERGE)
    segment = ix._segments()[0]
    for writer_class, pooled in ((SegmentWriter, True), (StreamingMergeWriter, False)):
        writer = writer_class(ix)
        with SegmentReader(ix.storage, ix.schema, segment) as reader:
            writer.add_reader(reader)
        assert bool(writer.pool.current) is pooled
        writer.cancel()


def test_the_writer_reads_the_same_field_lengths_as_whoosh(
    tmp_path: Path, sample_documents: list
) -> None:
    ix = whoosh_index.create_in(str(tmp_path), SCHEMA)
    # Not compound: the writer reads lengths before the segment's files are assembled.
    writer = SegmentWriter(ix, compound=False)
    add(writer, sample_documents[:2])
    writer.commit()
    segment = ix._segments()[0]
    stock, known = W3PerDocReader(ix.storage, segment), KnownColumnsReader(ix.storage, segment)
    # doc_id and section_id store no lengths: those are the fields looked up once.
    for fieldname in ("text", "heading", "doc_id", "section_id"):
        lengths = [known.doc_field_length(n, fieldname) for n in range(segment.doc_count_all())]
        assert lengths == [stock.doc_field_length(n, fieldname) for n in range(len(lengths))]
        assert any(lengths) is (fieldname in ("text", "heading"))
    assert stock.has_column("_text_len") and not stock.has_column("_doc_id_len")
    stock.close()
    known.close()


def test_check_agrees_on_sections_without_a_period(tmp_path: Path) -> None:
    # Whoosh stores nothing for a section's None period, and the digest `csp check`
    # expects once counted it: every such document was reported as "content differs".
    from ingest.pipeline.ingest import ingest_paths
    from ingest.store.check import check_index

    text = tmp_path / "undated.txt"
    text.write_text(
        "Neighbourhood Watch in Maldon\n\nVolunteers walk the streets of Maldon each week.\n",
        encoding="utf-8",
    )
    index = tmp_path / "index"
    ingest_paths([text], index)
    report, _ = check_index(index)
    assert report.to_dict()["sections"] >= 1
    assert report.to_dict()["content_differs"] == []
    assert report.to_dict()["agree"]
