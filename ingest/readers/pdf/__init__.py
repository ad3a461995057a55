"""PDF reader (pymupdf): text blocks in reading order with pages, sizes and table rows.

The aim is the blocks a text reader gives for the same content: the same paragraphs,
headings without markup, list items without their bullets, table rows as
"cell | cell".  Per page, from `page.get_text("dict")` only (no table finder), in
stages, one module each:

- `document`: opening the file, reading its pages, and which pages are OCR'd.
- `pieces`: each text line as pieces, split where a wide gap separates two table cells.
- `furniture`: running headers and footers and bare page numbers, dropped.
- `cells`: pieces stacked in one column, one paragraph, heading, list item or table cell.
- `tables`: cells side by side as one table row.
- `layout`: the document's line pitch and sizes; cells and rows as blocks, headings by
  size, paragraphs cut by a page break joined.
- `outline`: the bookmarks, and the blocks they name as headings.

The metadata's title is kept where it is meaningful (`document.metadata_title`).

`read_pdf` runs them in that order.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.errors import ReaderError
from ingest.model import ParsedFile, assign_offsets
from ingest.readers.pdf.document import (
    MAX_OCR_PAGES,
    MIN_TEXT_CHARS,
    metadata_provenance,
    metadata_title,
    open_pdf,
    read_pages,
)
from ingest.readers.pdf.furniture import running_furniture
from ingest.readers.pdf.layout import Layout
from ingest.readers.pdf.outline import mark_outline_headings, read_outline

__all__ = ["MAX_OCR_PAGES", "MIN_TEXT_CHARS", "read_pdf"]


def read_pdf(
    path: Path,
    *,
    max_pages: int | None = None,
    max_ocr_pages: int = MAX_OCR_PAGES,
    on_progress: Callable[[str, int], None] | None = None,
) -> ParsedFile:
    """Read a PDF into blocks, OCR'ing pages without text; raises ReaderError with a
    one-line reason.

    At most `max_pages` pages are read (a warning says so) and `max_ocr_pages` OCR'd;
    `on_progress(stage, n)` hears "reading" or "OCR" as page n is started, so a
    supervisor can say where a file hung.
    """
    path = Path(path)
    document = open_pdf(path)
    warnings: list[str] = []
    try:
        if getattr(document, "is_repaired", False):
            warnings.append("file was damaged and repaired")
        page_count = document.page_count
        pages_read = min(page_count, max_pages) if max_pages else page_count
        if pages_read < page_count:
            warnings.append(f"read the first {pages_read} of {page_count} pages (--max-pages)")
        pages, failed, reasons = read_pages(
            document, pages_read, warnings, max_ocr_pages, on_progress
        )
        outline = read_outline(document, pages_read)
        title = metadata_title(document)
        provenance = metadata_provenance(document)
    finally:
        document.close()
    if not pages:
        reason = warnings[-1] if warnings else "no page could be read"
        raise ReaderError(f"no readable pages ({reason})")
    if not any(page.pieces for page in pages):
        if "file was damaged and repaired" in warnings:
            reasons.insert(0, "file was damaged and repaired")
        raise ReaderError(
            "no text layer on any page" + (f" ({'; '.join(reasons)})" if reasons else "")
        )
    furniture, examples = running_furniture(pages)
    blocks = Layout(pages, furniture).blocks()
    mark_outline_headings(blocks, outline)
    return ParsedFile(
        path=path,
        format="pdf",
        blocks=assign_offsets(blocks),
        page_count=page_count,
        warnings=warnings,
        outline=outline,
        furniture=examples,
        metadata_title=title,
        metadata_provenance=provenance,
        pages_read=pages_read,
        failed_pages=failed,
        textless_pages=[page.number for page in pages if not page.pieces],
        ocr_pages=[page.number for page in pages if page.ocr],
    )
