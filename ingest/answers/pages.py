"""Page previews: a PDF page as a PNG with the words of a hit marked.

Rendering happens only when a user opens a hit, one page at a time, at a bounded size.
A scanned page is OCR'd again to find where the words are.  This is the one answers
module that loads the PDF library: import it only where a page is opened.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf

from ingest.readers.ocr import OcrError, ocr_textpage
from ingest.readers.pdf import MIN_TEXT_CHARS

MAX_PIXELS = 4_000_000


def page_image(path: Path, page_number: int, terms: list[str], zoom: float = 1.5) -> bytes:
    """PNG bytes of one page with every occurrence of `terms` highlighted.

    The highlights are added to the in-memory copy only; the file is never written.
    """
    with pymupdf.open(path) as document:
        page = document[page_number - 1]
        textpage = scanned_text(page) if terms else None
        for term in terms:
            for rect in page.search_for(term, textpage=textpage):
                page.add_highlight_annot(rect)
        width, height = page.rect.width * zoom, page.rect.height * zoom
        if width * height > MAX_PIXELS:
            zoom *= (MAX_PIXELS / (width * height)) ** 0.5
        pixmap = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), annots=True)
        return pixmap.tobytes("png")


def scanned_text(page: pymupdf.Page) -> pymupdf.TextPage | None:
    """For a page ingest OCR'd, its text read again by OCR, so its hits can be marked
    (about 2 s, once per page opened); None for a page with a text layer of its own,
    or when OCR cannot run (the page is shown unmarked)."""
    if sum(char.isalnum() for char in page.get_text()) >= MIN_TEXT_CHARS:
        return None
    try:
        return ocr_textpage(page, pymupdf.TEXTFLAGS_SEARCH)
    except OcrError:
        return None
