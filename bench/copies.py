"""An index folder (catalog and search index) of about N sections, for `python -m
bench.app --sections N --index DIR`: the quick scaled corpus (bench/corpus.py, 50 PDFs,
about 4,900 sections) ingested, then its documents written again, catalog and index,
under new document and cluster ids until N sections are held.

The copies keep their texts, areas, years and entities, so a query matches about N / 4,900
times what it matches in the corpus; one copy of each near-duplicate pair per cluster, as
in the corpus.  Extraction is too slow to ingest 100,000 sections of distinct PDFs on a
loaded machine (about 20 minutes for 160 of the full corpus's 1,100).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path

from bench.corpus import DEFAULT_SEED, SIZES, build_corpus
from ingest.model import Document
from ingest.pipeline.ingest import ingest_paths
from ingest.search.registry import open_backend
from ingest.store.catalog import Catalog
from ingest.store.lock import IngestLock
from ingest.store.store import CATALOG_FILE


def holds_index(index_dir: Path) -> bool:
    """Whether `index_dir` already holds a catalog (and so an index to serve)."""
    return (index_dir / CATALOG_FILE).exists()


def build_copies(
    index_dir: Path,
    sections: int,
    backend: str | None = None,
    on_progress: Callable[[str], None] = print,
) -> int:
    """Fill the empty folder `index_dir` with about `sections` sections on `backend`;
    returns the number the search index holds."""
    started = time.perf_counter()

    def progress(what: str) -> None:
        on_progress(f"{what} ({time.perf_counter() - started:.0f} s)")

    corpus = build_corpus(SIZES["quick"], DEFAULT_SEED, label="quick")
    report = ingest_paths(corpus.files, index_dir, backend=backend)
    counts = ", ".join(f"{count} {status.value}" for status, count in report.counts.items())
    progress(f"quick corpus ingested: {counts}")
    with IngestLock(index_dir, purpose="bench copies"):
        catalog = Catalog(index_dir / CATALOG_FILE)
        index = open_backend(index_dir, bulk_write=True)
        try:
            documents = catalog.documents(with_sections=True)
            clusters = catalog.cluster_ids()
            written = sum(len(document.sections) for document in documents)
            copy = 1
            with index.batch():
                while written < sections:
                    batch, batch_clusters = [], {}
                    for document in documents:
                        if written >= sections:
                            break
                        batch.append(renamed(document, copy))
                        cluster = clusters.get(document.doc_id, document.doc_id)
                        batch_clusters[batch[-1].doc_id] = f"{cluster}-{copy}"
                        written += len(document.sections)
                    index.add_documents(batch, batch_clusters)
                    with catalog.transaction():
                        catalog.add_documents(batch, batch_clusters)
                    progress(f"copy {copy}: {written:,} sections")
                    copy += 1
            return index.section_count()
        finally:
            index.close()
            catalog.close()


def renamed(document: Document, copy: int) -> Document:
    """`document` and its sections under ids of their own for copy number `copy`."""
    doc_id = f"{document.doc_id}-{copy}"
    sections = [
        dataclasses.replace(section, section_id=f"{section.section_id}-{copy}", doc_id=doc_id)
        for section in document.sections
    ]
    return dataclasses.replace(document, doc_id=doc_id, sections=sections)
