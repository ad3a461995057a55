"""The Whoosh index of sections, one Whoosh document per `Section`: the Whoosh
implementation of `ingest.search.backend.SearchBackend`, and the default.

The catalog is the source of truth; this index can be rebuilt from it.  Every write is
one writer and one commit, except inside `SearchIndex.batch()`, where writes share one
writer committed every BATCH_SECTIONS sections or BATCH_SECONDS (a commit per file is
most of what an ingest's writer does: see docs/scaling.md).  Searches share one cached
searcher, reopened only when a commit (from this process or another) has made it stale.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
import struct
import threading
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import FileFormatError
from whoosh.searching import Searcher

from ingest.errors import IndexFailed, IndexLocked, SchemaMismatch
from ingest.model import Document, Section, period_label
from ingest.search.backend import FacetCounts, Hit, SearchFilters, SearchPage
from ingest.search.whoosh import documents, reader
from ingest.search.whoosh.schema import SCHEMA, check_schema, join_facet, rebuild_message

if TYPE_CHECKING:
    from whoosh.writing import SegmentWriter

#: The Whoosh index's folder inside an index folder, next to the catalog.
WHOOSH_DIR = "whoosh"
LOCK_TIMEOUT_S = 120.0
WRITER_MEMORY_MB = 256
#: What reading a damaged segment raises in a search: its decoders' own errors.
DAMAGE_ERRORS = (
    zlib.error,
    EOFError,
    struct.error,
    pickle.UnpicklingError,
    FileFormatError,
    OSError,
)
#: The fields a section's digest covers: every stored one, as `section_fields` gives them.
STORED_FIELDS = tuple(sorted(SCHEMA.stored_names()))
# A batch commits when it holds this many sections or is this old, so the app sees new
# files within about that long, and another writer waits at most that long for the lock.
BATCH_SECTIONS = 5000
BATCH_SECONDS = 20.0


@dataclass
class Batch:
    """The writer shared by the writes of one `SearchIndex.batch()`."""

    writer: SegmentWriter | None = None
    doc_ids: set[str] = field(default_factory=set)  # added since the last commit
    sections: int = 0
    started: float = 0.0


class SearchIndex:
    """A Whoosh index folder, a `SearchBackend`: open one with `ingest.search.registry.open_backend`
    (or `SearchIndex.open` on the folder itself).  The write side is here, the read
    side in `ingest.search.whoosh.reader`."""

    def __init__(self, path: Path, ix: whoosh_index.Index):
        self.path = path
        self._ix = ix
        self._batch: Batch | None = None
        self._searcher: Searcher | None = None
        # The searcher replaced at the last reopen, closed at the next one, so a search
        # still running on it in another thread (the app) is never cut off.
        self._retired: Searcher | None = None
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path, create: bool = True, bulk_write: bool = False) -> SearchIndex:
        """Open the index at `path`, creating it if allowed.

        With `bulk_write` (an ingest) segments are read with plain file reads, not
        mmap: a writer's deletes and merges read every segment, and mapped pages stay in
        its resident memory, which then grows with the index (an ingest of 1,100 files
        peaked 250 MB higher).  Searches keep mmap, which answers them about 15% faster.

        Raises SchemaMismatch for an index written with another schema, and
        FileNotFoundError when there is none and `create` is False.
        """
        path = Path(path)
        storage = FileStorage(str(path), supports_mmap=not bulk_write)
        if whoosh_index.exists_in(str(path)):
            try:
                ix = storage.open_index()
            except Exception as error:  # a table of contents this code cannot unpickle
                raise SchemaMismatch(rebuild_message(path, "unknown")) from error
            check_schema(ix.schema, path)
            return cls(path, ix)
        if not create:
            raise FileNotFoundError(f"no search index at {path}: run `csp ingest` first")
        path.mkdir(parents=True, exist_ok=True)
        return cls(path, storage.create_index(SCHEMA))

    def writer(self) -> SegmentWriter:
        """A writer; waits up to LOCK_TIMEOUT_S for another one, then raises IndexLocked."""
        # Imported here: a process that only searches never loads Whoosh's writer.
        from whoosh.writing import LockError

        from ingest.search.whoosh.segments import StreamingMergeWriter

        try:
            return StreamingMergeWriter(
                self._ix, timeout=LOCK_TIMEOUT_S, delay=0.25, limitmb=WRITER_MEMORY_MB
            )
        except LockError as error:
            raise IndexLocked(
                f"another process has been writing to the search index at {self.path} for "
                f"over {LOCK_TIMEOUT_S:g}s: wait for it (another `csp ingest`?) to finish, "
                "then try again"
            ) from error

    def add_documents(
        self,
        documents: Iterable[Document],
        cluster_ids: dict[str, str] | None = None,
    ) -> int:
        """Index every section of these documents, replacing any earlier version of each
        document; returns the number of sections written.  `cluster_ids` maps a doc_id
        to its near-duplicate cluster (default: itself)."""
        cluster_ids = cluster_ids or {}
        documents = list(documents)
        if not documents:
            return 0

        def write(writer: SegmentWriter) -> int:
            written = 0
            for document in documents:
                # Deleting by doc_id (not updating by section_id) also drops sections a
                # re-extraction no longer produces.  Deletes only reach committed
                # segments, so the sections added below are unaffected.
                writer.delete_by_term("doc_id", document.doc_id)
                cluster_id = cluster_ids.get(document.doc_id, document.doc_id)
                for section in document.sections:
                    writer.add_document(**section_fields(document, section, cluster_id))
                    written += 1
            return written

        return self._write(write, [document.doc_id for document in documents], adding=True)

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        """Remove every section of these documents."""
        doc_ids = list(dict.fromkeys(doc_ids))
        if not doc_ids:
            return

        def write(writer: SegmentWriter) -> int:
            for doc_id in doc_ids:
                writer.delete_by_term("doc_id", doc_id)
            return 0

        self._write(write, doc_ids, adding=False)

    def _write(
        self, write: Callable[[SegmentWriter], int], doc_ids: list[str], adding: bool
    ) -> int:
        """Run `write` (which deletes `doc_ids`, then adds them if `adding`) on its own
        writer and commit, or on the batch's writer."""
        batch = self._batch
        if batch is None:
            writer = self.writer()
            try:
                written = write(writer)
            except BaseException:
                writer.cancel()
                raise
            self._commit(writer)
            return written
        if not batch.doc_ids.isdisjoint(doc_ids):
            # A delete by term only reaches committed segments: commit the pending
            # copies first, or the old copy of a re-added document would stay.
            self._commit_batch()
        if batch.writer is None:
            batch.writer, batch.started = self.writer(), time.monotonic()
        try:
            written = write(batch.writer)
        except BaseException:
            # The catalog rolls this file back; the batch's earlier files stay in the
            # catalog, and the interrupted run's successor restores them to the index.
            batch.writer.cancel()
            batch.writer, batch.doc_ids, batch.sections = None, set(), 0
            raise
        if adding:
            batch.doc_ids.update(doc_ids)
        batch.sections += written
        too_old = time.monotonic() - batch.started >= BATCH_SECONDS
        if batch.sections >= BATCH_SECTIONS or too_old:
            self._commit_batch()
        return written

    def _commit_batch(self) -> None:
        batch = self._batch
        if batch is None:
            return
        writer, batch.writer, batch.doc_ids, batch.sections = batch.writer, None, set(), 0
        if writer is not None:
            self._commit(writer)

    def _commit(self, writer: SegmentWriter) -> None:
        """Commit, or say in one line that the index could not be written (a full disk,
        a file-size limit, a read-only folder): the catalog, written first, keeps what
        it had, and `csp check --repair` brings the index back to it."""
        try:
            writer.commit()
        except OSError as error:
            # The writer is half-committed: cancelling releases its lock if it can, and
            # the files it left are cleaned up by the next commit.
            with suppress(Exception):
                writer.cancel()
            raise IndexFailed(
                f"the search index at {self.path} could not be written "
                f"({error.strerror or error}): the catalog keeps every file stored; "
                "free disk space, then run `csp check --repair`"
            ) from error

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Writes inside share one writer, committed every BATCH_SECTIONS sections or
        BATCH_SECONDS and at the end.  Searches of this index in the meantime see the
        last commit.  The catalog runs ahead of the index inside a batch: an ingest cut
        short is repaired from the catalog by the next (`ingest.store.check`)."""
        if self._batch is not None:
            yield
            return
        self._batch = Batch()
        try:
            yield
        finally:
            try:
                self._commit_batch()
            finally:
                self._batch = None
        self.keep_postings()

    def keep_postings(self) -> None:
        """Read, and keep beside their segments, the postings the search page's maps
        need (`postings.field_postings`), so the app's first page after an ingest
        does not read them: a segment already kept costs nothing."""
        # Imported here: numpy, which `csp search` never loads.
        from ingest.search.whoosh import postings
        from ingest.search.whoosh.facets import FACET_FIELDS

        with self.readable():
            searcher = self.searcher()
            for name in (*FACET_FIELDS, *postings.MAP_FIELDS):
                postings.field_postings(searcher, name)

    def clear(self) -> None:
        """Remove every section; the schema stays."""
        from whoosh.writing import CLEAR

        self._commit_batch()  # its writer holds the lock
        self.writer().commit(mergetype=CLEAR)

    def reset(self) -> None:
        """Start again with an empty index, whatever state its files are in (how a
        damaged index is rebuilt)."""
        self.close()
        self._batch = None
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True, exist_ok=True)
        self._ix = FileStorage(str(self.path)).create_index(SCHEMA)

    def stored_digests(self) -> dict[str, tuple[int, str]]:
        """Each document's section count and digest of what is stored of its sections,
        read from every segment in full: stored fields, and every posting list decoded.
        Raises IndexFailed, naming `csp check --repair`, if any of it cannot be read."""
        rows: dict[str, list[str]] = defaultdict(list)
        try:
            searcher = self._ix.searcher()
            try:
                reader = searcher.reader()
                for fields in reader.all_stored_fields():
                    rows[fields["doc_id"]].append(digest_row(fields))
                for name in reader.indexed_field_names():
                    for term in reader.lexicon(name):
                        for _ in reader.postings(name, term).all_items():
                            pass
            finally:
                searcher.close()
        except Exception as error:  # a damaged segment fails in any of its decoders
            raise damaged(self.path, error) from error
        return {doc_id: (len(found), digest(found)) for doc_id, found in rows.items()}

    @staticmethod
    def expected_digests(
        documents: Iterable[Document], cluster_ids: dict[str, str]
    ) -> dict[str, tuple[int, str]]:
        """What `stored_digests` gives for these documents once they are indexed."""
        found: dict[str, tuple[int, str]] = {}
        for document in documents:
            cluster_id = cluster_ids.get(document.doc_id, document.doc_id)
            rows = [
                digest_row(section_fields(document, section, cluster_id))
                for section in document.sections
            ]
            if rows:
                found[document.doc_id] = (len(rows), digest(rows))
        return found

    def doc_ids(self) -> set[str]:
        """The doc_ids with at least one section in the index."""
        return set(self.section_counts())

    def section_counts(self) -> dict[str, int]:
        """Sections in the index per doc_id (what `csp check` compares with the catalog)."""
        reader = self.searcher().reader()
        # A deleted document's terms stay in the lexicon until a merge; its postings skip
        # deleted sections.
        with self.readable():
            counts = {
                term.decode("utf-8"): sum(1 for _ in reader.postings("doc_id", term).all_ids())
                for term in reader.lexicon("doc_id")
            }
        return {doc_id: count for doc_id, count in counts.items() if count}

    def generation(self) -> int:
        """The number of the last commit: it changes whenever the index does."""
        return self._ix.latest_generation()

    def section_count(self) -> int:
        return self.searcher().doc_count()

    # The read side of the SearchBackend contract, in ingest.search.whoosh.reader.

    def search(
        self, query: str, filters: SearchFilters | None = None, limit: int = 20
    ) -> list[Hit]:
        with self.readable():
            return reader.search(self.searcher(), query, filters, limit)

    def search_documents(
        self,
        query: str,
        filters: SearchFilters | None = None,
        limit: int = 20,
        offset: int = 0,
        sort: str = "relevance",
        passages: bool = False,
        passage_snippets: bool = True,
    ) -> SearchPage:
        with self.readable():
            return documents.search_documents(
                self.searcher(), query, filters, limit, offset, sort, passages, passage_snippets
            )

    def facet_counts(
        self,
        query: str | None = None,
        filters: SearchFilters | None = None,
        documents: bool = False,
    ) -> FacetCounts:
        # Imported here: the counts need numpy, which `csp search` never loads.
        from ingest.search.whoosh import facets

        with self.readable():
            return facets.facet_counts(self.searcher(), query, filters, documents)

    @contextmanager
    def readable(self) -> Iterator[None]:
        """A damaged segment met while searching is one line naming the repair."""
        try:
            yield
        except DAMAGE_ERRORS as error:
            raise damaged(self.path, error) from error

    def sections_matching_any(
        self, words: list[str], doc_ids: list[str], limit: int
    ) -> list[tuple[str, float]]:
        with self.readable():
            return reader.sections_matching_any(self.searcher(), words, doc_ids, limit)

    def searcher(self) -> Searcher:
        """The shared searcher, reopened if a commit happened since it was opened.

        Reopened rather than `Searcher.refresh()`ed: refresh reuses the readers of the
        segments it takes for unchanged, and they go on serving documents deleted since.
        """
        with self._lock:
            current = self._searcher
            if current is not None and current.up_to_date():
                return current
            try:
                opened = self._ix.searcher()
            except DAMAGE_ERRORS as error:
                raise damaged(self.path, error) from error
            if self._retired is not None:
                self._retired.close()
            self._retired, self._searcher = current, opened
            return opened

    def close(self) -> None:
        with self._lock:
            for searcher in (self._searcher, self._retired):
                if searcher is not None:
                    searcher.close()
            self._searcher = self._retired = None


def damaged(path: Path, error: BaseException) -> IndexFailed:
    detail = str(error) or type(error).__name__
    return IndexFailed(
        f"the search index at {path} is damaged ({detail}): run `csp check --repair` "
        "to rebuild it from the catalog"
    )


def digest_row(fields: dict) -> str:
    return json.dumps(
        # Whoosh stores nothing for a None ("period" of a section without years).
        {name: fields[name] for name in STORED_FIELDS if fields.get(name) is not None},
        sort_keys=True,
        ensure_ascii=False,
    )


def digest(rows: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(rows)).encode("utf-8")).hexdigest()


def section_fields(document: Document, section: Section, cluster_id: str) -> dict:
    """The Whoosh fields of one section, as attribution left it; a field with no value is
    left out, so filters on it never match."""
    fields: dict[str, object] = {
        "section_id": section.section_id,
        "doc_id": document.doc_id,
        "cluster_id": cluster_id,
        "title": encodable(document.title),
        "source": document.source,
        "doc_type": document.doc_type.value,
        "heading_path": json.dumps([encodable(heading) for heading in section.heading_path]),
        "heading": encodable("\n".join(section.heading_path)),
        "text": encodable(section.text),
        "period": period_label(section.year_from, section.year_to),
    }
    optional = {
        "districts": join_facet(section.districts),
        "county": join_facet([document.county] if document.county else []),
        "initiatives": join_facet(canonical_names(section, "INITIATIVE")),
        "partners": join_facet(canonical_names(section, "PARTNER")),
        "themes": join_facet(section.themes),
        "date": document.date,
        "year_from": section.year_from,
        "year_to": section.year_to,
        "page_start": section.page_start,
        "page_end": section.page_end if section.page_end is not None else section.page_start,
    }
    fields.update((name, value) for name, value in optional.items() if value not in (None, ""))
    return fields


def canonical_names(section: Section, label: str) -> list[str]:
    return sorted({mention.canonical for mention in section.mentions if mention.label == label})


def encodable(text: str) -> str:
    """Text Whoosh can encode: one lone surrogate from a bad decode would fail the commit."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text
