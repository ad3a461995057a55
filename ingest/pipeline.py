"""`csp ingest` as a plain function: files in, catalog and index updated, a status per file.

Files are known by content hash.  An unchanged file is skipped, a changed file replaces
its old version, the same bytes under another name are recorded as a duplicate, and a
document that nearly repeats one already stored joins its cluster so search shows it
once.  A file that fails gets its reason and the batch goes on; a failure never removes
what an earlier version of the file stored.

Parsing and attribution are a map over files (a process pool when workers > 1); one
writer in this process owns the catalog and the index.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ingest.catalog import Catalog
from ingest.dedupe import NEAR_DUPLICATE_BANDS, signature_bands
from ingest.extract import Extraction, extract_file, file_sha256
from ingest.index import SearchIndex
from ingest.readers import SUPPORTED_SUFFIXES, ReaderError

CATALOG_FILE = "catalog.sqlite"
WHOOSH_DIR = "whoosh"

INGESTED, UNCHANGED, DUPLICATE, FAILED = "ingested", "unchanged", "duplicate", "failed"


@dataclass
class FileResult:
    path: str
    status: str
    reason: str | None = None
    documents: int = 0
    sections: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        """The one status line `csp ingest` prints for this file."""
        detail = f": {self.reason}" if self.reason else ""
        counts = (
            f" ({self.documents} documents, {self.sections} sections)"
            if self.status == INGESTED
            else ""
        )
        return f"{self.status}{detail} {self.path}{counts}"


@dataclass
class IngestReport:
    run_id: int
    results: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(result.status for result in self.results))

    @property
    def failed(self) -> list[FileResult]:
        return [result for result in self.results if result.status == FAILED]

    def summary(self) -> str:
        counts = self.counts
        parts = [
            f"{counts.get(status, 0)} {status}"
            for status in (INGESTED, UNCHANGED, DUPLICATE, FAILED)
        ]
        return f"{len(self.results)} files in {self.seconds:.1f}s: " + ", ".join(parts)


class Store:
    """The catalog and the Whoosh index of one index folder, opened together."""

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(self.index_dir / CATALOG_FILE)
        self.index = SearchIndex.open(self.index_dir / WHOOSH_DIR)

    def close(self) -> None:
        self.catalog.close()


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """Files under the given paths (folders recursively), and results for missing paths."""
    found: list[Path] = []
    missing: list[FileResult] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                sorted(
                    candidate
                    for candidate in path.rglob("*")
                    if candidate.is_file()
                    and candidate.suffix.lower() in SUPPORTED_SUFFIXES
                    and not any(part.startswith(".") for part in candidate.relative_to(path).parts)
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            missing.append(FileResult(str(path), FAILED, "no such file or folder"))
    unique = list(dict.fromkeys(candidate.resolve() for candidate in found))
    return unique, missing


@dataclass
class Work:
    path: Path
    sha256: str
    size: int
    mtime_ns: int


def extract_or_reason(work: Work) -> tuple[Work, Extraction | None, str | None, float]:
    """Runs in a worker: the extraction, or the one-line reason it failed."""
    started = time.perf_counter()
    try:
        extraction = extract_file(work.path, work.sha256)
    except ReaderError as error:
        return work, None, str(error), time.perf_counter() - started
    except Exception as error:
        reason = f"{type(error).__name__}: {error}".splitlines()[0][:300]
        return work, None, reason, time.perf_counter() - started
    return work, extraction, None, time.perf_counter() - started


def ingest_paths(
    paths: Iterable[Path],
    index_dir: Path,
    *,
    workers: int = 1,
    force: bool = False,
    on_result: Callable[[FileResult], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> IngestReport:
    """Ingest files and folders into the index at `index_dir`."""
    started = time.perf_counter()
    files, missing = collect_files(paths)
    store = Store(index_dir)
    run_id = store.catalog.start_run(
        {"paths": [str(p) for p in paths], "workers": workers, "force": force}
    )
    report = IngestReport(run_id)

    def finish(result: FileResult) -> None:
        report.results.append(result)
        with store.catalog.transaction():
            store.catalog.record_run_file(
                run_id,
                result.path,
                result.status,
                result.reason,
                result.documents,
                result.sections,
                result.seconds,
            )
        if on_result:
            on_result(result)

    if store.index.needs_reconcile():
        reconcile_index(store)
    if on_start:
        on_start(len(files) + len(missing))
    for result in missing:
        finish(result)

    to_extract: list[Work] = []
    for path in files:
        result, work = triage(store, path, force, run_id)
        if result is not None:
            finish(result)
        elif work is not None:
            to_extract.append(work)

    # One index commit per batch of files, not per file (see ingest/index.py).
    with store.index.batch():
        for work, extraction, reason, seconds in map_extract(to_extract, workers):
            if extraction is None:
                with store.catalog.transaction():
                    store.catalog.mark_failed(str(work.path), reason or "unknown error", run_id)
                finish(FileResult(str(work.path), FAILED, reason, seconds=seconds))
                continue
            finish(store_extraction(store, work, extraction, run_id, seconds))

    report.seconds = time.perf_counter() - started
    store.catalog.finish_run(run_id, report.counts)
    store.close()
    return report


def reconcile_index(store: Store) -> None:
    """After a run cut short inside an index batch: the index gets what the catalog
    holds and loses what it does not."""
    store.index.reconcile(
        {document.doc_id for document in store.catalog.documents()},
        lambda doc_ids: store.catalog.documents(with_sections=True, doc_ids=doc_ids),
        store.catalog.cluster_ids(),
    )


def triage(
    store: Store, path: Path, force: bool, run_id: int
) -> tuple[FileResult | None, Work | None]:
    """Skip unchanged files and record exact duplicates before any parsing."""
    key = str(path)
    try:
        stat = path.stat()
        known = store.catalog.file(key)
        if (
            not force
            and known is not None
            and known.status != FAILED
            and known.size == stat.st_size
            and known.mtime_ns == stat.st_mtime_ns
        ):
            return FileResult(key, UNCHANGED), None
        sha256 = file_sha256(path)
    except OSError as error:
        return FileResult(key, FAILED, f"cannot read: {error.strerror or error}"), None
    if not force and known is not None and known.sha256 == sha256 and known.status != FAILED:
        with store.catalog.transaction():
            store.catalog.record_file(
                key,
                status=known.status,
                sha256=sha256,
                size=stat.st_size,
                mtime_ns=stat.st_mtime_ns,
                duplicate_of=known.duplicate_of,
                run_id=run_id,
            )
        return FileResult(key, UNCHANGED), None
    holder = store.catalog.path_holding(sha256, other_than=key)
    if holder is not None and store.catalog.has_documents(sha256) and not force:
        with store.catalog.transaction():
            release_old_version(store, key, sha256)
            store.catalog.record_file(
                key,
                status=DUPLICATE,
                sha256=sha256,
                size=stat.st_size,
                mtime_ns=stat.st_mtime_ns,
                duplicate_of=holder,
                run_id=run_id,
            )
        return FileResult(key, DUPLICATE, f"same content as {holder}"), None
    return None, Work(path, sha256, stat.st_size, stat.st_mtime_ns)


def map_extract(
    work: list[Work], workers: int
) -> Iterator[tuple[Work, Extraction | None, str | None, float]]:
    if workers <= 1 or len(work) <= 1:
        yield from map(extract_or_reason, work)
        return
    with ProcessPoolExecutor(max_workers=min(workers, os.cpu_count() or 1, len(work))) as pool:
        yield from pool.map(extract_or_reason, work)


def store_extraction(
    store: Store, work: Work, extraction: Extraction, run_id: int, seconds: float
) -> FileResult:
    key = str(work.path)
    documents = extraction.documents
    for document in documents:
        document.source = key
    cluster_ids = {}
    signatures = {}
    for document in documents:
        bands = signature_bands("\n".join(section.text for section in document.sections))
        signatures[document.doc_id] = bands
        cluster_ids[document.doc_id] = near_duplicate_cluster(store, bands, work.sha256) or (
            document.doc_id
        )
    with store.catalog.transaction():
        replaced = release_old_version(store, key, work.sha256)
        removed = store.catalog.delete_documents_of(work.sha256)
        store.catalog.add_documents(documents, cluster_ids)
        for doc_id, bands in signatures.items():
            if bands:
                store.catalog.add_signature(doc_id, bands)
        store.catalog.record_file(
            key,
            status=INGESTED,
            sha256=work.sha256,
            size=work.size,
            mtime_ns=work.mtime_ns,
            file_format=extraction.format,
            pages=extraction.page_count,
            warnings=extraction.warnings,
            run_id=run_id,
        )
        store.index.delete_documents(replaced + removed)
        store.index.add_documents(documents, cluster_ids)
    sections = sum(len(document.sections) for document in documents)
    reason = "; ".join(extraction.warnings[:3]) if extraction.warnings else None
    return FileResult(key, INGESTED, reason, len(documents), sections, seconds)


def near_duplicate_cluster(store: Store, bands: list[str] | None, sha256: str) -> str | None:
    if not bands:
        return None
    shared = store.catalog.candidates(bands, exclude_sha=sha256)
    best = max(shared.items(), key=lambda item: item[1], default=None)
    if best and best[1] >= NEAR_DUPLICATE_BANDS:
        return best[0]
    return None


def release_old_version(store: Store, path: str, new_sha: str) -> list[str]:
    """Drop what an earlier version of this path stored, unless another path still uses it."""
    known = store.catalog.file(path)
    if known is None or not known.sha256 or known.sha256 == new_sha:
        return []
    if store.catalog.sha_in_use(known.sha256, except_path=path):
        return []
    return store.catalog.delete_documents_of(known.sha256)


@dataclass
class RelinkReport:
    relinked: int = 0
    dropped: int = 0
    documents: int = 0


def relink_entities(index_dir: Path) -> RelinkReport:
    """Re-link every stored mention with the entity data as it now is (after `csp entities
    merge/alias/drop`) and re-index the documents whose entities changed; no document is
    read again."""
    from ingest.entities import assign_themes, cached_pipeline
    from ingest.linking import cached_linker, load_linker

    cached_linker.cache_clear()
    cached_pipeline.cache_clear()
    linker = load_linker()
    report = RelinkReport()
    store = Store(index_dir)
    try:
        changed: set[str] = set()
        with store.catalog.transaction():
            for row in store.catalog.mention_rows():
                linked = linker.link(row["label"], row["text"])
                if linked is None:
                    store.catalog.delete_mention(row["rowid"])
                    report.dropped += 1
                    changed.add(row["doc_id"])
                elif (linked.label, linked.canonical) != (row["label"], row["canonical"]):
                    store.catalog.relink_mention(row["rowid"], linked.label, linked.canonical)
                    report.relinked += 1
                    changed.add(row["doc_id"])
        documents = store.catalog.documents(with_sections=True, doc_ids=changed)
        with store.catalog.transaction():
            for document in documents:
                assign_themes(document, linker)
                for section in document.sections:
                    store.catalog.set_section_themes(section.section_id, section.themes)
            store.index.add_documents(documents, store.catalog.cluster_ids())
        report.documents = len(documents)
    finally:
        store.close()
    return report
