"""The tantivy index of sections, one tantivy document per `Section`: the tantivy
implementation of `ingest.search.backend.SearchBackend`, chosen per index folder with
`csp ingest --backend tantivy`.

The catalog is the source of truth; this index can be rebuilt from it.  Every write is
one writer and one commit, except inside `TantivyIndex.batch()`, where writes share one
writer committed every BATCH_SECTIONS sections or BATCH_SECONDS.  A tantivy commit is
atomic (its meta.json is replaced whole), so a killed ingest leaves the last commit,
which `csp check --repair` (or the next ingest) brings back to the catalog.  Searches
share one searcher, reloaded when a commit (from this process or another) changed
meta.json.  An index in a folder this process cannot write to (a shared index) is read
through a `LinkedFolder`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import threading
import time
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import tantivy

from ingest.errors import FolderNotWritable, IndexFailed, IndexLocked, SchemaMismatch
from ingest.model import Document
from ingest.search.backend import FacetCounts, Hit, SearchFilters, SearchPage
from ingest.search.tantivy import reader
from ingest.search.tantivy.schema import (
    SCHEMA,
    TANTIVY_SCHEMA_VERSION,
    VERSION_FILE,
    tantivy_document,
)
from ingest.search.whoosh.index import (
    SearchIndex,
    damaged,
    digest,
    digest_row,
    section_fields,
)

#: The tantivy index's folder inside an index folder, next to the catalog.
TANTIVY_DIR = "tantivy"
META_FILE = "meta.json"
#: How tantivy's messages end when the operating system refused: "... (os error 28)".
OS_ERROR = re.compile(r"\(os error (\d+)\)")
#: The files tantivy writes readable by their owner alone.
OWNER_ONLY_FILES = (META_FILE, ".managed.json")
#: The files tantivy creates beside an index's files to lock them, even to read them.
LOCK_FILES = frozenset({".tantivy-meta.lock", ".tantivy-writer.lock"})
LOCK_TIMEOUT_S = 120.0
LOCK_RETRY_S = 0.25
WRITER_MEMORY_BYTES = 128_000_000
# As the Whoosh index: a batch commits when it holds this many sections or is this old.
BATCH_SECTIONS = 5000
BATCH_SECONDS = 20.0


@dataclass
class Batch:
    """The writer shared by the writes of one `TantivyIndex.batch()`."""

    writer: tantivy.IndexWriter | None = None
    sections: int = 0
    started: float = 0.0


class TantivyIndex:
    """A tantivy index folder, a `SearchBackend`: open one with
    `ingest.search.registry.open_backend`.  The write side is here, the read side in
    `ingest.search.tantivy.reader`."""

    # What `stored_digests` gives is computed from the same fields as in Whoosh.
    expected_digests = staticmethod(SearchIndex.expected_digests)

    def __init__(
        self,
        path: Path,
        index: tantivy.Index | None,
        failure: Exception | None = None,
        links: LinkedFolder | None = None,
    ):
        """`index` is None when the index's files could not be opened (`failure`):
        every use then raises IndexFailed naming the repair, and `reset` starts again.
        `links` is the folder a read-only index is read through."""
        self.path = path
        self._opened = index
        self._failure = failure
        self._links = links
        self._batch: Batch | None = None
        self._searcher: tantivy.Searcher | None = None
        self._seen: tuple[int, int, int] | None = None
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path, create: bool = True) -> TantivyIndex:
        """Open the index at `path`, creating it if allowed.  Raises SchemaMismatch for
        an index written with another schema version, IndexFailed for one that cannot
        be opened, and FileNotFoundError when there is none and `create` is False."""
        path = Path(path)
        if (path / META_FILE).exists():
            version_file = path / VERSION_FILE
            version = version_file.read_text().strip() if version_file.exists() else "unknown"
            if version != str(TANTIVY_SCHEMA_VERSION):
                raise SchemaMismatch(
                    f"the tantivy index at {path} was built with schema version {version}, "
                    f"but this CSP Search needs version {TANTIVY_SCHEMA_VERSION}: rebuild it "
                    "with `csp check --repair`"
                )
            links = None if os.access(path, os.W_OK) else LinkedFolder(path)
            try:
                return cls(path, opened_index(links.path if links else path), links=links)
            except ValueError as error:
                # Opened all the same, so that `csp check` can name the damage and
                # `--repair` rebuild it, as with a Whoosh segment that cannot be read.
                return cls(path, None, error, links)
        if not create:
            raise FileNotFoundError(f"no search index at {path}: run `csp ingest` first")
        return cls(path, created_index(path))

    @property
    def _index(self) -> tantivy.Index:
        if self._opened is None:
            raise damaged(self.path, self._failure or ValueError("cannot be opened"))
        return self._opened

    # The write side.

    def writer(self) -> tantivy.IndexWriter:
        """A writer; waits up to LOCK_TIMEOUT_S for another one, then raises IndexLocked."""
        if self._links is not None:
            # tantivy would write into the folder of links, not the index.
            raise FolderNotWritable(
                f"cannot write to the search index at {self.path} (Permission denied): "
                "writing needs a folder it can write to; searching and listing work without one"
            )
        deadline = time.monotonic() + LOCK_TIMEOUT_S
        while True:
            try:
                return self._index.writer(WRITER_MEMORY_BYTES, 1)
            except ValueError as error:
                if "lock" not in str(error).lower():
                    raise damaged(self.path, error) from error
                if time.monotonic() >= deadline:
                    raise IndexLocked(
                        f"another process has been writing to the search index at {self.path} "
                        f"for over {LOCK_TIMEOUT_S:g}s: wait for it (another `csp ingest`?) to "
                        "finish, then try again"
                    ) from error
                time.sleep(LOCK_RETRY_S)

    def add_documents(
        self,
        documents: Iterable[Document],
        cluster_ids: dict[str, str] | None = None,
    ) -> int:
        cluster_ids = cluster_ids or {}
        documents = list(documents)
        if not documents:
            return 0

        def write(writer: tantivy.IndexWriter) -> int:
            written = 0
            for document in documents:
                # By doc_id, so sections a re-extraction no longer produces go too.  A
                # tantivy delete reaches every earlier add, committed or not.
                writer.delete_documents_by_term("doc_id", document.doc_id)
                cluster_id = cluster_ids.get(document.doc_id, document.doc_id)
                for section in document.sections:
                    writer.add_document(
                        tantivy_document(section_fields(document, section, cluster_id))
                    )
                    written += 1
            return written

        return self._write(write)

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        doc_ids = list(dict.fromkeys(doc_ids))
        if not doc_ids:
            return

        def write(writer: tantivy.IndexWriter) -> int:
            for doc_id in doc_ids:
                writer.delete_documents_by_term("doc_id", doc_id)
            return 0

        self._write(write)

    def _write(self, write: Callable[[tantivy.IndexWriter], int]) -> int:
        batch = self._batch
        if batch is None:
            writer = self.writer()
            try:
                written = write(writer)
            except BaseException:
                with suppress(Exception):
                    writer.rollback()
                raise
            self._commit(writer, finished=True)
            return written
        if batch.writer is None:
            batch.writer, batch.started = self.writer(), time.monotonic()
        try:
            written = write(batch.writer)
        except BaseException:
            # The catalog rolls this file back; the batch's earlier files stay in the
            # catalog, and the interrupted run's successor restores them to the index.
            with suppress(Exception):
                batch.writer.rollback()
            self._finish(batch.writer)
            batch.writer, batch.sections = None, 0
            raise
        batch.sections += written
        too_old = time.monotonic() - batch.started >= BATCH_SECONDS
        if batch.sections >= BATCH_SECTIONS or too_old:
            self._commit(batch.writer, finished=False)
            batch.sections, batch.started = 0, time.monotonic()
        return written

    def _commit(self, writer: tantivy.IndexWriter, finished: bool) -> None:
        """Commit (and with `finished`, release the writer's lock), or say in one line
        that the index could not be written: the catalog, written first, keeps what it
        had, and `csp check --repair` brings the index back to it."""
        try:
            writer.commit()
        except ValueError as error:
            with suppress(Exception):
                writer.rollback()
            self._finish(writer)
            if self._batch is not None:
                self._batch.writer = None
            raise IndexFailed(
                f"the search index at {self.path} could not be written ({reason(error)}): "
                "the catalog keeps every file stored; free disk space, then run "
                "`csp check --repair`"
            ) from error
        # This process's own commit is seen by its next search for certain: meta.json's
        # stat alone can look unchanged when two commits fall within one clock tick.
        self.close()
        if finished:
            self._finish(writer)
        readable_as_made(self.path)

    @staticmethod
    def _finish(writer: tantivy.IndexWriter) -> None:
        """Let the writer's merges end and its lock go."""
        with suppress(Exception):
            writer.wait_merging_threads()

    @contextmanager
    def batch(self) -> Iterator[None]:
        if self._batch is not None:
            yield
            return
        self._batch = batch = Batch()
        try:
            yield
        finally:
            try:
                if batch.writer is not None:
                    self._commit(batch.writer, finished=True)
            finally:
                self._batch = None

    def clear(self) -> None:
        def write(writer: tantivy.IndexWriter) -> int:
            writer.delete_all_documents()
            return 0

        self._write(write)

    def reset(self) -> None:
        """Start again with an empty index, whatever state its files are in."""
        self.close()
        self._batch = None
        shutil.rmtree(self.path, ignore_errors=True)
        self._opened, self._failure = created_index(self.path), None

    # What the index holds.

    def stored_digests(self) -> dict[str, tuple[int, str]]:
        """Each document's section count and digest of its stored fields, every
        section read; IndexFailed, naming `csp check --repair`, if any cannot be."""
        rows: dict[str, list[str]] = defaultdict(list)
        try:
            searcher = self.searcher()
            for fields in reader.every_section(searcher):
                rows[fields["doc_id"]].append(digest_row(fields))
        except (ValueError, OSError) as error:
            raise damaged(self.path, error) from error
        return {doc_id: (len(found), digest(found)) for doc_id, found in rows.items()}

    def doc_ids(self) -> set[str]:
        return set(self.section_counts())

    def section_counts(self) -> dict[str, int]:
        with self.readable():
            return reader.section_counts(self.searcher())

    def section_count(self) -> int:
        with self.readable():
            return self.searcher().num_docs

    def generation(self) -> int:
        """The opstamp of the last commit: it changes whenever the index does."""
        try:
            return int(json.loads((self.path / META_FILE).read_text())["opstamp"])
        except (OSError, ValueError, KeyError) as error:
            raise damaged(self.path, error) from error

    # The read side, in ingest.search.tantivy.reader.

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
            return reader.search_documents(
                self.searcher(), query, filters, limit, offset, sort, passages, passage_snippets
            )

    def facet_counts(
        self,
        query: str | None = None,
        filters: SearchFilters | None = None,
        documents: bool = False,
    ) -> FacetCounts:
        with self.readable():
            return reader.facet_counts(self.searcher(), query, filters, documents)

    def sections_matching_any(
        self, words: list[str], doc_ids: list[str], limit: int
    ) -> list[tuple[str, float]]:
        with self.readable():
            return reader.sections_matching_any(self.searcher(), words, doc_ids, limit)

    @contextmanager
    def readable(self) -> Iterator[None]:
        """A damaged index met while searching is one line naming the repair.  (The
        query's own errors are QueryError, raised before tantivy runs.)"""
        try:
            yield
        except (ValueError, OSError) as error:
            raise damaged(self.path, error) from error

    def searcher(self) -> tantivy.Searcher:
        """The shared searcher, reloaded if a commit changed meta.json since."""
        with self._lock:
            try:
                meta = os.stat(self.path / META_FILE)
            except OSError as error:
                raise damaged(self.path, error) from error
            seen = (meta.st_mtime_ns, meta.st_size, meta.st_ino)
            if self._searcher is None or seen != self._seen:
                try:
                    self._searcher = self._reloaded()
                except ValueError as error:
                    raise damaged(self.path, error) from error
                self._seen = seen
            return self._searcher

    def _reloaded(self) -> tantivy.Searcher:
        if self._links is None:
            self._index.reload()
            return self._index.searcher()
        try:
            self._links.refresh()
            self._index.reload()
        except ValueError:
            # A commit between linking and reading named files not linked yet.
            self._links.refresh()
            self._index.reload()
        return self._index.searcher()

    def close(self) -> None:
        with self._lock:
            self._searcher = None
            self._seen = None


class LinkedFolder:
    """A folder of this process's own holding a link to each file of a tantivy index
    in a folder it cannot write to: tantivy creates its lock files beside an index's
    files even to read them, so such an index is opened here instead.  Removed when
    the index object goes."""

    def __init__(self, index_path: Path):
        self.index_path = index_path
        self.path = Path(tempfile.mkdtemp(prefix="csp-tantivy-read-only-"))
        weakref.finalize(self, shutil.rmtree, self.path, ignore_errors=True)
        self.refresh()

    def refresh(self) -> None:
        """Link the index's files that are new since, and drop the links to files gone
        (the segments a merge replaced)."""
        for link in self.path.iterdir():
            if link.is_symlink() and not link.exists():
                link.unlink()
        for file in self.index_path.iterdir():
            link = self.path / file.name
            if file.name not in LOCK_FILES and not link.is_symlink():
                link.symlink_to(file)


def opened_index(path: Path) -> tantivy.Index:
    index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
    index.config_reader(reload_policy="manual")
    return index


def created_index(path: Path) -> tantivy.Index:
    path.mkdir(parents=True, exist_ok=True)
    # The version first: a process killed between the two leaves a folder without
    # meta.json, which the next one creates again, never an index of unknown version.
    (path / VERSION_FILE).write_text(f"{TANTIVY_SCHEMA_VERSION}\n")
    index = tantivy.Index(SCHEMA, path=str(path), reuse=False)
    index.config_reader(reload_policy="manual")
    readable_as_made(path)
    return index


def readable_as_made(path: Path) -> None:
    """Give the files tantivy replaces whole on each commit, which it makes readable by
    their owner alone, the permissions of the index's other files (this process's
    umask), so that others can search a shared index as they can a Whoosh one."""
    mode = (path / VERSION_FILE).stat().st_mode & 0o777
    for name in OWNER_ONLY_FILES:
        with suppress(FileNotFoundError):
            os.chmod(path / name, mode)


def reason(error: Exception) -> str:
    """What the operating system said when a tantivy error comes from it ("No space
    left on device", as Whoosh's OSError says it); else tantivy's own message."""
    found = OS_ERROR.search(str(error))
    return os.strerror(int(found.group(1))) if found else str(error)
