"""OCR of PDF pages without a usable text layer, through MuPDF's own Tesseract.

pymupdf's wheels carry Tesseract inside MuPDF: `Page.get_textpage_ocr` renders the page
and recognises it in one call, and needs only the language data that Debian's
`tesseract-ocr-eng` installs (found at run time, see `tessdata_dir`).  The render is
bounded: at most OCR_DPI, and less for large pages so that no page becomes more than
MAX_OCR_PIXELS (one badpdfs page would be 44 Mpx at 150 dpi).  Hangs and memory are
the ingest worker's time and memory limits' to bound.

The PDF reader lays recognised lines out like text-layer lines (paragraphs, table
rows, running headers and footers), except that their font sizes are Tesseract's
guesses, one per word: no OCR'd line becomes a heading by its size.
"""

from __future__ import annotations

import functools
import glob
import os
from pathlib import Path

import pymupdf

OCR_LANGUAGE = "eng"
OCR_DPI = 200
MAX_OCR_PIXELS = 6_000_000
# Tesseract refuses images wider or taller than 32767 px; a banner-shaped page stays
# well inside that.
MAX_OCR_SIDE = 8000
# Below this the words are too small to recognise: such a page is reported, not OCR'd.
MIN_OCR_DPI = 50
# A text-less page is OCR'd only if a thumbnail of this size shows anything at all.
THUMBNAIL_SIDE = 100
# Debian's tesseract-ocr-eng puts it here; the version folder changes with releases.
DEBIAN_TESSDATA = "/usr/share/tesseract-ocr/*/tessdata"
UNAVAILABLE = "OCR unavailable: tesseract not installed"


class OcrError(Exception):
    """A page that could not be OCR'd, with a short reason for the warning."""


@functools.cache
def tessdata_dir() -> str | None:
    """The Tesseract language folder holding OCR_LANGUAGE, or None when there is none.

    $TESSDATA_PREFIX wins, as it does for Tesseract itself; then Debian's folder.
    """
    candidates = [os.environ.get("TESSDATA_PREFIX", ""), *sorted(glob.glob(DEBIAN_TESSDATA))[::-1]]
    for candidate in candidates:
        if candidate and (Path(candidate) / f"{OCR_LANGUAGE}.traineddata").is_file():
            return candidate
    return None


def ocr_dpi(rect: pymupdf.Rect) -> float:
    """The resolution to OCR a page of this size at: OCR_DPI, lowered to the caps."""
    width, height = rect.width / 72, rect.height / 72  # inches
    if width <= 0 or height <= 0:
        return 0.0
    by_area = (MAX_OCR_PIXELS / (width * height)) ** 0.5
    return min(OCR_DPI, by_area, MAX_OCR_SIDE / max(width, height))


def is_blank(page: pymupdf.Page) -> bool:
    """Whether the page renders as one colour: nothing on it for OCR to read."""
    longest = max(page.rect.width, page.rect.height)
    if longest <= 0:
        return True
    zoom = THUMBNAIL_SIDE / longest
    pixmap = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY)
    return pixmap.is_unicolor


def ocr_page(page: pymupdf.Page, flags: int) -> dict:
    """The page as OCR reads it, in the shape of `page.get_text("dict")`; raises OcrError
    with the reason."""
    textpage = ocr_textpage(page, flags)
    return page.get_text("dict", textpage=textpage, flags=flags)


def ocr_textpage(page: pymupdf.Page, flags: int) -> pymupdf.TextPage:
    """The page's OCR'd text as a MuPDF text page (for `get_text` or `search_for`);
    raises OcrError with the reason."""
    tessdata = tessdata_dir()
    if tessdata is None:
        raise OcrError(UNAVAILABLE)
    dpi = ocr_dpi(page.rect)
    if dpi < MIN_OCR_DPI:
        raise OcrError("page too large to OCR")
    try:
        return page.get_textpage_ocr(
            flags=flags, language=OCR_LANGUAGE, dpi=int(dpi), full=True, tessdata=tessdata
        )
    except Exception as error:
        lines = str(error).strip().splitlines()
        reason = lines[0][:200] if lines else type(error).__name__
        raise OcrError(f"OCR failed: {reason}") from error
