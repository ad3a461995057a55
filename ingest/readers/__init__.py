"""One reader per input format, each returning a `ParsedFile`.

The format is decided from the file's first bytes, not its name: council sites serve
HTML error pages and images under .pdf names.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.model import ParsedFile
from ingest.readers.base import sniff_format


def read_file(
    path: Path,
    *,
    max_pages: int | None = None,
    ocr: bool = True,
    on_progress: Callable[[str, int], None] | None = None,
) -> ParsedFile:
    """Read any supported file into blocks; raises ReaderError with the reason.

    `max_pages`, `ocr` (False: no page is OCR'd) and `on_progress` apply to paged
    formats (see `read_pdf`).
    """
    path = Path(path)
    file_format = sniff_format(path)
    if file_format == "pdf":
        from ingest.readers.pdf import MAX_OCR_PAGES, read_pdf

        return read_pdf(
            path,
            max_pages=max_pages,
            max_ocr_pages=MAX_OCR_PAGES if ocr else 0,
            on_progress=on_progress,
        )
    if file_format == "html":
        from ingest.readers.html import read_html

        return read_html(path)
    from ingest.readers.text import read_text

    return read_text(path)
