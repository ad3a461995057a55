"""Files uploaded through the app: checked and stored in the index's managed folder
(`ingest.pipeline.received`), then ingested by the same `ingest_paths` as `csp ingest`,
each keeping the name it was uploaded under and the day.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.errors import IngestRunning
from ingest.model import FileStatus, Provenance
from ingest.paths import UPLOADS_DIR
from ingest.pipeline.ingest import FileResult, IngestReport, ingest_paths
from ingest.pipeline.received import MAX_UPLOAD_MB, Upload, safe_name, store_upload
from ingest.pipeline.sources import today

__all__ = ["MAX_UPLOAD_MB", "Upload", "ingest_uploads", "safe_name", "store_upload"]


def ingest_uploads(
    uploads: list[Upload],
    index_dir: Path,
    *,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> list[FileResult]:
    """Store the accepted uploads and ingest them; one result per upload, refused ones
    as failed with their reason (named by the upload's own name).  While another writer
    (an ingest, another upload) holds the index folder, waits for it; `on_wait` hears
    why."""
    folder = Path(index_dir) / UPLOADS_DIR
    refused: list[FileResult] = []
    stored: list[Path] = []
    known: dict[Path, Provenance] = {}
    for upload in uploads:
        path, reason = store_upload(upload, folder)
        if path is None:
            refused.append(FileResult(upload.name, FileStatus.FAILED, reason))
        else:
            stored.append(path)
            known[path.resolve()] = Provenance(
                retrieved=today(), original_name=safe_name(upload.name), origin="upload"
            )
    for result in refused:
        if on_result:
            on_result(result)
    try:
        report = (
            ingest_paths(
                stored,
                index_dir,
                on_start=on_start,
                on_result=on_result,
                on_wait=on_wait,
                provenance=known,
            )
            if stored
            else IngestReport(run_id=0)
        )
    except IngestRunning as error:
        # Only when this thread already writes to the index folder; kept in the uploads
        # folder: the next upload or `csp ingest` takes them.
        busy = [FileResult(str(path), FileStatus.FAILED, str(error)) for path in stored]
        for result in busy:
            if on_result:
                on_result(result)
        return refused + busy
    return refused + report.results
