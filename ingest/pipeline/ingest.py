"""`csp ingest` as a plain function: files in, catalog and index updated, a status per file.

Files are known by content hash.  An unchanged file is skipped, a changed file replaces
its old version, the same bytes under another name are recorded as a duplicate, and a
document that nearly repeats one already stored joins its cluster so search shows it
once.  A file that fails gets its reason and the batch goes on; a failure never removes
what an earlier version of the file stored.

Parsing and attribution are a map over files, each in a worker process that can be
killed (`ingest.pipeline.isolation`): a file that hangs, exhausts its memory or crashes the PDF
library ends that worker only.  One writer in this process owns the catalog and the
index, and holds the index folder's ingest lock while it runs.  Each file is committed
to the catalog as it is stored, and to the index in batches; an ingest that finds the
last run interrupted first brings the index back into agreement with the catalog
(`ingest.store.check`), so a kill at any moment loses at most the file being stored.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path

from ingest.errors import DownloadFailed, ReaderError
from ingest.model import FileStatus, Provenance
from ingest.paths import UPLOADS_DIR, printable_path
from ingest.pipeline.downloads import DOWNLOADS_DIR, download
from ingest.pipeline.extract import Extraction, extract_file, file_sha256
from ingest.pipeline.isolation import Outcome, Progress, TaskFailed, run_isolated
from ingest.pipeline.settings import DEFAULT_LIMITS, Limits
from ingest.pipeline.sources import Manifest, is_url, read_manifest
from ingest.readers.base import SUPPORTED_SUFFIXES
from ingest.store.dedupe import NEAR_DUPLICATE_BANDS, document_signature
from ingest.store.lock import IngestLock
from ingest.store.store import Store

# The near-duplicates a status line names; a pack's twin can have a dozen.
SHOWN_COPIES = 2


@dataclass
class FileResult:
    """One file's outcome in a run: what `csp ingest` prints and `csp report` shows."""

    path: str
    status: FileStatus
    reason: str | None = None
    documents: int = 0
    sections: int = 0
    seconds: float = 0.0
    file_format: str | None = None
    pages: int | None = None
    ocr_pages: int = 0
    textless_pages: int = 0
    entities: int = 0
    #: The titles of the stored documents this file's documents are near-duplicates of:
    #: search shows each pair once, the earlier "also in" the new.
    also_in: list[str] = field(default_factory=list)

    def line(self) -> str:
        """The one status line `csp ingest` prints for this file."""
        detail = f": {self.reason}" if self.reason else ""
        counts = (
            f" ({self.documents} documents, {self.sections} sections)" if self.status.stored else ""
        )
        named = "; ".join(self.also_in[:SHOWN_COPIES])
        more = len(self.also_in) - SHOWN_COPIES
        copies = (f"; also in {named}" + (f" and {more} more" if more > 0 else "")) if named else ""
        return f"{self.status}{detail} {printable_path(self.path)}{counts}{copies}"


@dataclass
class IngestReport:
    run_id: int
    results: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0
    #: Things the run did beyond the files, such as recovering from an interrupted run.
    notices: list[str] = field(default_factory=list)
    #: The signal (SIGTERM, SIGINT) that stopped the run at a file boundary, if one did.
    stopped_by: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(result.status for result in self.results))

    @property
    def failed(self) -> list[FileResult]:
        return [result for result in self.results if result.status == FileStatus.FAILED]

    def summary(self) -> str:
        counts = self.counts
        shown = [
            FileStatus.INGESTED,
            *(s for s in (FileStatus.PARTIAL, FileStatus.OCR) if counts.get(s)),
            FileStatus.UNCHANGED,
        ]
        parts = [
            f"{counts.get(status, 0)} {status}"
            for status in (*shown, FileStatus.DUPLICATE, FileStatus.FAILED)
        ]
        return f"{len(self.results)} files in {self.seconds:.1f}s: " + ", ".join(parts)


def queued_uploads(index_dir: Path, store: Store) -> list[Path]:
    """Files uploaded through the app that no ingest has taken yet (the app stopped, or
    its ingest failed to start, after storing them)."""
    folder = index_dir / UPLOADS_DIR
    if not folder.is_dir():
        return []
    return [
        path
        for path in sorted(folder.iterdir())
        if path.is_file()
        and not path.name.startswith(".")  # a file still being stored
        and store.catalog.file(str(path.resolve())) is None
    ]


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
            missing.append(FileResult(str(path), FileStatus.FAILED, "no such file or folder"))
    unique = list(dict.fromkeys(candidate.resolve() for candidate in found))
    return unique, missing


@dataclass
class Work:
    path: Path
    sha256: str
    size: int
    mtime_ns: int
    #: Set when a first try timed out or crashed once OCR had begun: its reason; the file
    #: is read again without OCR, in what is left of its time limit.
    failed_with_ocr: str | None = None
    #: Seconds the first try took, counted against the file's time limit.
    spent_s: float = 0.0


def extract_job(work: Work, progress: Progress, *, max_pages: int | None) -> Extraction:
    """Runs in a worker: the extraction, or TaskFailed with the one-line reason."""
    try:
        extraction = extract_file(
            work.path,
            work.sha256,
            max_pages=max_pages,
            ocr=work.failed_with_ocr is None,
            on_progress=progress.update,
        )
    except ReaderError as error:
        raise TaskFailed(str(error)) from error
    if work.failed_with_ocr:
        extraction.warnings.insert(0, f"{work.failed_with_ocr}: read without OCR")
    extraction.signatures = {
        document.doc_id: document_signature(document) for document in extraction.documents
    }
    return extraction


def ingest_paths(
    paths: Iterable[Path | str],
    index_dir: Path,
    *,
    sources: Path | None = None,
    provenance: dict[Path, Provenance] | None = None,
    workers: int = 1,
    force: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    retry_failed: bool = False,
    executor: str = "local",
    scheduler: str | None = None,
    backend: str | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_notice: Callable[[str], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> IngestReport:
    """Ingest files and folders into the index at `index_dir`; with `retry_failed`, also
    every file that failed in an earlier run.  `executor` is one of EXECUTORS (with
    `scheduler`, a Dask scheduler's address, for "dask").  `backend` switches the
    folder to that search engine (`ingest.search.registry.BACKENDS`; by default the one
    it has, Whoosh for a new folder), its index rebuilt from the catalog.  Waits while
    another writer holds the index folder, and `on_wait` hears why.  `on_notice` hears,
    as they happen, the things done beyond the files (recovering from an interrupted
    run), which also go in `report.notices`.

    A path that is an http or https URL is downloaded into the index folder first
    (`ingest.pipeline.downloads`) and ingested from there.  Where each file came from is
    recorded: `sources` is a manifest (`ingest.pipeline.sources`; with no paths, the
    files it names are the ones ingested), `provenance` what the caller knows of given
    files (an upload's name), and a PDF's metadata fills in where neither says; the
    manifest's bad rows are notices, and its other rows still count."""
    started = time.perf_counter()
    manifest = read_manifest(Path(sources)) if sources is not None else None
    given = list(paths)
    urls = [str(path) for path in given if isinstance(path, str) and is_url(path)]
    files = [Path(path) for path in given if not (isinstance(path, str) and is_url(path))]
    if manifest is not None and not given:
        files = manifest.files
    known = {Path(path).resolve(): found for path, found in (provenance or {}).items()}
    with IngestLock(Path(index_dir), on_wait=on_wait) as lock:
        store = Store(index_dir, backend)
        try:
            report = IngestReport(0)
            notices = []
            if lock.recovered_from is not None:
                notices.append(
                    f"an earlier {lock.recovered_purpose} (pid {lock.recovered_from}) "
                    "stopped without finishing: its lock was released"
                )
            notices.extend(recover_interrupted_run(store))
            notices.extend(manifest.problems if manifest else [])
            refused = []
            for url in urls:
                try:
                    fetched = download(url, Path(index_dir) / DOWNLOADS_DIR)
                except DownloadFailed as error:
                    refused.append(FileResult(url, FileStatus.FAILED, error.reason))
                    continue
                known[fetched.path.resolve()] = fetched.provenance
                files.append(fetched.path)
                notices.append(
                    f"downloaded {url} ({fetched.size / 1024:,.0f} KB) to {fetched.path}"
                )
            for notice in notices:
                report.notices.append(notice)
                if on_notice:
                    on_notice(notice)
            if retry_failed:
                files += [Path(row["path"]) for row in store.catalog.failed_files()]
            queued = queued_uploads(Path(index_dir), store)
            if queued:
                notice = f"{len(queued)} uploaded files never ingested are ingested now"
                report.notices.append(notice)
                if on_notice:
                    on_notice(notice)
                files += queued
            report.run_id = store.catalog.start_run(
                {
                    "paths": [str(p) for p in files] + urls,
                    "workers": workers,
                    "force": force,
                    "limits": vars(limits),
                    "executor": executor,
                }
            )
            extract = partial(
                map_extract, workers=workers, limits=limits, executor=executor, scheduler=scheduler
            )
            with stop_at_file_boundary() as stop:
                run(store, report, files, force, extract, on_result, on_start, stop, refused)
            for notice in record_provenance(store, known, manifest):
                report.notices.append(notice)
                if on_notice:
                    on_notice(notice)
            report.seconds = time.perf_counter() - started
            if stop.signal is None:
                store.catalog.finish_run(report.run_id, report.counts)
            else:
                report.stopped_by = stop.signal
                store.catalog.close_runs([report.run_id])
        finally:
            store.close()
    return report


def run(
    store: Store,
    report: IngestReport,
    paths: list[Path],
    force: bool,
    extract: Callable[[list[Work]], Iterable[tuple[Work, Extraction | None, str | None, float]]],
    on_result: Callable[[FileResult], None] | None,
    on_start: Callable[[int], None] | None,
    stop: StopRequest,
    refused: list[FileResult] | None = None,
) -> None:
    files, missing = collect_files(paths)
    missing = (refused or []) + missing

    def finish(result: FileResult) -> None:
        report.results.append(result)
        with store.catalog.transaction():
            store.catalog.record_run_file(report.run_id, asdict(result))
        if on_result:
            on_result(result)

    if on_start:
        on_start(len(files) + len(missing))
    for result in missing:
        finish(result)

    to_extract: list[Work] = []
    for path in files:
        skipped, work = triage(store, path, force, report.run_id)
        if skipped is not None:
            finish(skipped)
        elif work is not None:
            to_extract.append(work)

    # One index commit per batch of files, not per file (see ingest/search/whoosh/index.py).
    with store.index.batch():
        for work, extraction, reason, seconds in extract(to_extract):
            if extraction is None:
                with store.catalog.transaction():
                    store.catalog.mark_failed(
                        str(work.path), reason or "unknown error", report.run_id
                    )
                finish(FileResult(str(work.path), FileStatus.FAILED, reason, seconds=seconds))
                if stop.signal is not None:
                    break
                continue
            finish(store_extraction(store, work, extraction, report.run_id, seconds))
            if stop.signal is not None:
                break  # the workers still reading are stopped as the map closes


def record_provenance(
    store: Store, known: dict[Path, Provenance], manifest: Manifest | None
) -> list[str]:
    """Record where the files came from, as the caller and the manifest say; one notice
    per manifest row that names no ingested file, and one for the manifest."""
    notices: list[str] = []
    with store.catalog.transaction():
        for path, provenance in known.items():
            sha256 = store.catalog.sha_of_path(str(path))
            if sha256:
                store.catalog.set_provenance(sha256, provenance)
        if manifest is None:
            return notices
        recorded = 0
        for row in manifest.rows:
            sha256 = row.sha256
            if row.path is not None:
                stored = store.catalog.sha_of_path(str(row.path))
                if stored is None:
                    notices.append(f"{manifest.where(row.line)}: {row.path} is not ingested")
                    continue
                if sha256 and sha256 != stored:
                    notices.append(
                        f"{manifest.where(row.line)}: {row.path} does not have sha256 {sha256}"
                    )
                    continue
                sha256 = stored
            elif sha256 and not store.catalog.has_documents(sha256):
                notices.append(f"{manifest.where(row.line)}: no ingested file has sha256 {sha256}")
                continue
            if sha256:
                store.catalog.set_provenance(sha256, row.provenance)
                recorded += 1
        notices.append(
            f"{printable_path(manifest.path)}: recorded where {recorded} of "
            f"{len(manifest.rows) + len(manifest.problems)} files came from"
        )
    return notices


@dataclass
class StopRequest:
    #: The name of the signal received, once one is.
    signal: str | None = None


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextmanager
def stop_at_file_boundary() -> Iterator[StopRequest]:
    """SIGTERM or Ctrl-C during the block asks the run to stop once the file being
    stored is stored; a second one acts as it would have (a kill, KeyboardInterrupt).
    Signals reach only the main thread, so elsewhere (the app's uploads) nothing is
    installed."""
    stop = StopRequest()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = {number: signal.getsignal(number) for number in STOP_SIGNALS}

    def request(number: int, frame: object) -> None:
        stop.signal = signal.Signals(number).name
        for restored, handler in previous.items():
            signal.signal(restored, handler)

    for number in STOP_SIGNALS:
        signal.signal(number, request)
    try:
        yield stop
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def recover_interrupted_run(store: Store) -> list[str]:
    """After a run or an entity edit that never finished, or when the index is missing,
    emptied or cannot be opened, bring the index back to the catalog, saying so."""
    from ingest.store.check import check_store, index_looks_whole, repair_store

    interrupted = store.catalog.interrupted_runs()
    if not interrupted and not store.index_pending and index_looks_whole(store):
        return []
    problems = check_store(store)
    notices = []
    if problems.disagreements:
        repair_store(store, problems)
        if store.index_pending and not interrupted:
            notices.append(
                "an earlier entity edit stopped before the search index was updated: "
                f"repaired it ({problems.summary()})"
            )
        elif interrupted:
            notices.append(
                f"the last ingest (run {interrupted[-1]}) was interrupted: "
                f"repaired the search index ({problems.summary()})"
            )
        elif problems.unreadable:
            notices.append(
                "the search index could not be read: rebuilt it from the catalog "
                f"({problems.documents} documents, {problems.sections} sections)"
            )
        else:
            notices.append(
                "the search index did not match the catalog "
                f"({problems.summary()}): rewrote those documents from the catalog"
            )
    store.catalog.close_runs(interrupted)
    store.clear_index_pending()
    return notices


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
            and known.status != FileStatus.FAILED
            and known.size == stat.st_size
            and known.mtime_ns == stat.st_mtime_ns
        ):
            return FileResult(key, FileStatus.UNCHANGED), None
        sha256 = file_sha256(path)
    except OSError as error:
        return FileResult(key, FileStatus.FAILED, f"cannot read: {error.strerror or error}"), None
    if (
        not force
        and known is not None
        and known.sha256 == sha256
        and known.status != FileStatus.FAILED
    ):
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
        return FileResult(key, FileStatus.UNCHANGED), None
    holder = store.catalog.path_holding(sha256, other_than=key)
    if holder is not None and store.catalog.has_documents(sha256) and not force:
        with store.catalog.transaction():
            release_old_version(store, key, sha256)
            store.catalog.record_file(
                key,
                status=FileStatus.DUPLICATE,
                sha256=sha256,
                size=stat.st_size,
                mtime_ns=stat.st_mtime_ns,
                duplicate_of=holder,
                run_id=run_id,
            )
        return FileResult(key, FileStatus.DUPLICATE, f"same content as {holder}"), None
    return None, Work(path, sha256, stat.st_size, stat.st_mtime_ns)


def map_extract(
    work: list[Work],
    workers: int,
    limits: Limits,
    executor: str = "local",
    scheduler: str | None = None,
) -> Iterator[tuple[Work, Extraction | None, str | None, float]]:
    """Each file's extraction, in isolated workers under `limits`: worker processes of
    this machine ("local"), or a Dask cluster ("dask" at `scheduler`, "dask-local").

    A file that timed out or crashed once OCR had begun is read once more without OCR,
    so its text layer is still ingested: OCR is what makes a file slow, and rasterising
    some PDFs hangs MuPDF where reading their text does not.  `limits.timeout_s` bounds
    both tries together: the second has what the first left (OCR may use at most
    `OCR_SHARE` of it), and the seconds reported are both tries'.
    """
    retry = []
    for outcome in extract_outcomes(work, workers, limits, executor, scheduler):
        seen = outcome.position and outcome.position.ocr_seen
        left = limits.timeout_s - outcome.seconds
        if seen and left > 0:
            retry.append(
                replace(outcome.task, failed_with_ocr=outcome.reason, spent_s=outcome.seconds)
            )
            continue
        yield outcome.task, outcome.result, outcome.reason, outcome.seconds
    # Each retry in its own time left; retries are rare, so one at a time.
    for task in retry:
        rest = replace(limits, timeout_s=limits.timeout_s - task.spent_s)
        for outcome in extract_outcomes([task], 1, rest, executor, scheduler):
            seconds = task.spent_s + outcome.seconds
            yield outcome.task, outcome.result, outcome.reason, seconds


def extract_outcomes(
    work: list[Work], workers: int, limits: Limits, executor: str, scheduler: str | None
) -> Iterator[Outcome]:
    job = partial(extract_job, max_pages=limits.max_pages)
    if executor == "local":
        warm_up()
        return run_isolated(work, job, workers=workers, limits=limits)
    from ingest.pipeline.distributed import run_on_dask

    return run_on_dask(
        work,
        job,
        limits=limits,
        scheduler=scheduler if executor == "dask" else None,
        workers=workers,
        warm_up=warm_up,
    )


def warm_up() -> None:
    """Build the cached pipelines and import the PDF reader here, so forked workers
    start with them: importing pymupdf (with the layout models it loads) took each new
    worker, and each worker replacing one that timed out or crashed, about 2 s."""
    import ingest.readers.pdf  # noqa: F401
    from ingest.attribution.places import place_pipeline
    from ingest.nlp.entities import entity_pipeline

    entity_pipeline()
    place_pipeline()


def store_extraction(
    store: Store, work: Work, extraction: Extraction, run_id: int, seconds: float
) -> FileResult:
    key = str(work.path)
    status = file_status(extraction)
    documents = extraction.documents
    for document in documents:
        document.source = key
    signatures = extraction.signatures
    cluster_ids = {
        document.doc_id: near_duplicate_cluster(store, signatures[document.doc_id], work.sha256)
        or document.doc_id
        for document in documents
    }
    with store.catalog.transaction():
        replaced = release_old_version(store, key, work.sha256)
        removed = store.catalog.delete_documents_of(work.sha256)
        store.catalog.add_documents(documents, cluster_ids)
        for doc_id, bands in signatures.items():
            if bands:
                store.catalog.add_signature(doc_id, bands)
        if extraction.provenance is not None:
            store.catalog.set_provenance(work.sha256, extraction.provenance)
        store.catalog.record_file(
            key,
            status=status,
            sha256=work.sha256,
            size=work.size,
            mtime_ns=work.mtime_ns,
            file_format=extraction.format,
            pages=extraction.page_count,
            warnings=extraction.warnings,
            run_id=run_id,
        )
    # The index follows only a committed catalog: a catalog commit that fails leaves
    # both without the file, and a kill before the index batch commits leaves the
    # catalog ahead, which the next ingest repairs.
    store.index.delete_documents(replaced + removed)
    store.index.add_documents(documents, cluster_ids)
    copied = {cluster for doc_id, cluster in cluster_ids.items() if cluster != doc_id}
    return FileResult(
        key,
        status,
        "; ".join(extraction.warnings[:3]) if extraction.warnings else None,
        documents=len(documents),
        sections=sum(len(document.sections) for document in documents),
        seconds=seconds,
        file_format=extraction.format,
        pages=extraction.page_count,
        ocr_pages=len(extraction.ocr_pages),
        textless_pages=len(extraction.textless_pages),
        entities=sum(
            len(section.mentions) for document in documents for section in document.sections
        ),
        also_in=[
            document.title
            for document in (store.catalog.documents(doc_ids=copied) if copied else [])
        ],
    )


def file_status(extraction: Extraction) -> FileStatus:
    """partial when pages are missing (unreadable, or past --max-pages), else ocr when
    pages were OCR'd, else ingested."""
    if not extraction.complete:
        return FileStatus.PARTIAL
    return FileStatus.OCR if extraction.ocr_pages else FileStatus.INGESTED


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
    #: Things done beyond the edit, such as finishing an earlier edit that was cut off.
    notices: list[str] = field(default_factory=list)


def edit_entities(
    index_dir: Path,
    edit: Callable[[], None],
    on_wait: Callable[[str], None] | None = None,
) -> RelinkReport | None:
    """`csp entities merge/alias/drop`: under the index folder's writer lock (waiting for
    an ingest to finish, `on_wait` hearing why), change the entity data with `edit`, then
    re-link every stored mention; None when there is no catalog to re-link yet."""
    from ingest.store.store import CATALOG_FILE

    index_dir = Path(index_dir)
    with IngestLock(index_dir, purpose="entity edit", on_wait=on_wait):
        edit()
        if not (index_dir / CATALOG_FILE).exists():
            return None
        return relink_entities(index_dir)


def relink_entities(index_dir: Path) -> RelinkReport:
    """Re-link every stored mention with the entity data as it now is and re-index the
    documents whose entities changed; no document is read again.  The caller holds the
    writer lock.  The catalog commits first, then the index: a failure in between leaves
    the catalog right and the index behind, which `csp check` finds and `--repair` mends."""
    from ingest.nlp.entities import assign_themes, cached_pipeline
    from ingest.nlp.linking import cached_linker, load_linker

    cached_linker.cache_clear()
    cached_pipeline.cache_clear()
    linker = load_linker()
    report = RelinkReport()
    store = Store(index_dir)
    try:
        report.notices = recover_interrupted_run(store)
        changed: set[str] = set()
        store.mark_index_pending()
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
            for document in documents:
                assign_themes(document, linker)
                for section in document.sections:
                    store.catalog.set_section_themes(section.section_id, section.themes)
        store.index.add_documents(documents, store.catalog.cluster_ids())
        store.clear_index_pending()
        report.documents = len(documents)
    finally:
        store.close()
    return report
