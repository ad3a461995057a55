"""Opening a PDF, reading its pages, and the OCR policy.

A file that cannot be opened (not a PDF, encrypted, a broken page tree, no pages)
raises `ReaderError` with a one-line reason.  Pages that raise are skipped with a
warning.  A page without a usable text layer (no text, or a handful of characters over
a large image: a scan) is OCR'd (`ingest.readers.ocr`), at most MAX_OCR_PAGES per
file, and listed in `ParsedFile.ocr_pages`; a page with text is never OCR'd.  The
metadata's title is read where it is meaningful (`metadata_title`), and where it says
where the file was published, that too (`metadata_provenance`).
Text-less pages that were not OCR'd are named in the warnings with the reason ("no
text layer on pages 3-5 (blank)"); a file with no text on any page is refused
(`read_pdf`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pymupdf

from ingest.errors import ReaderError
from ingest.model import Provenance
from ingest.readers.ocr import OcrError, is_blank, ocr_page
from ingest.readers.pdf.pieces import PageText, Piece, layer_pieces, ocr_pieces, text_chars, turned

TEXT_FLAGS = pymupdf.TEXTFLAGS_TEXT & ~pymupdf.TEXT_PRESERVE_LIGATURES
# A page with fewer letters and digits than this, under an image covering at least
# SCAN_COVER of it, is a scan whose text layer is a stray word or a page number.
MIN_TEXT_CHARS = 20
SCAN_COVER = 0.5
# About 2.6 s of CPU a page (README, Benchmarks): the cap keeps one file's OCR near a
# minute and a half.
MAX_OCR_PAGES = 30


def open_pdf(path: Path) -> pymupdf.Document:
    try:
        document = pymupdf.open(path)
    except pymupdf.EmptyFileError as error:
        raise ReaderError("not a valid PDF: empty file") from error
    except Exception as error:
        # MuPDF's message names the path; the status line names the file already.
        message = first_line(error).replace(f"'{path}'", "").replace(str(path), "")
        if "Failed to open file" in message or "as type pdf" in message:
            message = "no readable PDF structure"
        raise ReaderError(f"not a valid PDF: {message}") from error
    try:
        if not document.is_pdf:
            raise ReaderError("not a PDF")
        if document.needs_pass:
            raise ReaderError("encrypted: password required")
        try:
            page_count = document.page_count
        except Exception as error:
            raise ReaderError(f"invalid page tree: {first_line(error)}") from error
        if page_count == 0:
            raise ReaderError("no readable pages")
    except ReaderError:
        document.close()
        raise
    return document


def first_line(error: Exception) -> str:
    """MuPDF's message, first line only and without its "code=7: " prefix."""
    lines = str(error).strip().splitlines()
    return re.sub(r"^code=\d+:\s*", "", lines[0])[:200] if lines else type(error).__name__


def read_pages(
    document: pymupdf.Document,
    count: int,
    warnings: list[str],
    max_ocr_pages: int,
    on_progress: Callable[[str, int], None] | None = None,
) -> tuple[list[PageText], list[int], list[str]]:
    """The first `count` readable pages, OCR'd where they need it; the numbers of the
    pages that raised; and the reasons why pages that had no usable text layer were not
    OCR'd (the warnings name those pages)."""
    pages: list[PageText] = []
    failed: list[int] = []
    not_ocred: dict[tuple[str, str], list[int]] = {}
    ocr_tried = 0
    for index in range(count):
        number = index + 1
        if on_progress:
            on_progress("reading", number)
        try:
            page = document.load_page(index)
            data = page.get_text("dict", flags=TEXT_FLAGS)
        except Exception as error:
            warnings.append(f"page {number} unreadable: {first_line(error)}")
            failed.append(number)
            continue
        pieces, height = layer_pieces(page, data)
        ocred = False
        if text_chars(pieces) < MIN_TEXT_CHARS:
            reason = None
            try:
                if ocr_tried >= max_ocr_pages:
                    # Past the cap a text-less page is not even looked at: the blank
                    # check decodes a scan's whole image (0.4 s for a large JPEG 2000).
                    if not pieces or wants_ocr(page, pieces):
                        reason = (
                            f"not OCR'd: over the limit of {max_ocr_pages} OCR'd pages per file"
                        )
                elif not wants_ocr(page, pieces):
                    reason = None if pieces else "blank"
                else:
                    ocr_tried += 1
                    if on_progress:
                        on_progress("OCR", number)
                    # OCR reads the page as shown, so its lines are upright when turned.
                    found = ocr_pieces(turned(ocr_page(page, TEXT_FLAGS), page))
                    if found:  # OCR reads the few characters of the text layer too
                        pieces, ocred, height = found, True, page.rect.height
                    else:
                        reason = "OCR found no text"
            except OcrError as error:
                reason = str(error)
            except Exception as error:
                reason = f"render failed: {first_line(error)}"
            if reason:
                what = "almost no text on" if pieces else "no text layer on"
                not_ocred.setdefault((what, reason), []).append(number)
        pages.append(PageText(number, height, pieces, ocred))
    warnings.extend(
        f"{what} {pages_label(numbers)} ({reason})" for (what, reason), numbers in not_ocred.items()
    )
    return pages, failed, list(dict.fromkeys(reason for _, reason in not_ocred))


def wants_ocr(page: pymupdf.Page, pieces: list[Piece]) -> bool:
    """Whether a page with (almost) no text layer shows something OCR could read: for a
    text-less page anything at all, for one with a few characters a large image."""
    if not pieces:
        return not is_blank(page)
    area = abs(page.rect)
    covered = sum(abs(pymupdf.Rect(image["bbox"]) & page.rect) for image in page.get_image_info())
    return area > 0 and covered >= SCAN_COVER * area


def pages_label(numbers: list[int]) -> str:
    """[3] -> 'page 3'; [3, 4, 5, 9] -> 'pages 3-5, 9'."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    label = ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)
    return f"page {label}" if len(numbers) == 1 else f"pages {label}"


# "Microsoft Word - ", "(Public Pack)": what a producing application puts before a title.
APPLICATION_PREFIX = re.compile(r"^(?:microsoft\s+\w+\s*-\s*|\(public\s+pack\)\s*)", re.I)
FILE_EXTENSION = re.compile(r"\.(?:docx?|xlsx?|pptx?|pdf|odt|rtf|indd|pub)$", re.I)
# A file's or template's name rather than a title: "Minutes Template", "Agenda CC
# 06012015", "report_v2", "Document1".
NOT_A_TITLE = re.compile(
    r"\btemplate\b|\d{6,}|_|^(?:document|untitled|presentation|book|sheet)\s*\d*$", re.I
)
MIN_TITLE_WORDS = 3


def metadata_title(document: pymupdf.Document) -> str:
    """The metadata's title when it is meaningful: without the producing application's
    prefix or a file extension, and not a template's or a file's name."""
    try:
        raw = (document.metadata or {}).get("title") or ""
    except Exception:
        return ""
    title = FILE_EXTENSION.sub("", APPLICATION_PREFIX.sub("", " ".join(raw.split()))).strip()
    if len(title.split()) < MIN_TITLE_WORDS or NOT_A_TITLE.search(title):
        return ""
    return title


# Where a PDF's metadata can say where it was published: a URL in its subject, keywords
# or title (some publishers' systems stamp the page's address there), and XMP's Dublin
# Core publisher.  Author, creator and producer name a person or an application.
URL_FIELDS = ("subject", "keywords", "title")
METADATA_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;)]")
XMP_PUBLISHER = re.compile(
    r"<dc:publisher>\s*(?:<rdf:(?:Bag|Seq)>\s*)?(?:<rdf:li[^>]*>)?([^<]+)<", re.I
)
MAX_PUBLISHER_CHARS = 200


def metadata_provenance(document: pymupdf.Document) -> Provenance | None:
    """The source URL and publisher the metadata gives, if it gives either."""
    try:
        info = document.metadata or {}
        xmp = document.get_xml_metadata() or ""
    except Exception:
        return None
    url = next(
        (
            found.group(0)
            for name in URL_FIELDS
            if (found := METADATA_URL.search(info.get(name) or ""))
        ),
        None,
    )
    publisher_found = XMP_PUBLISHER.search(xmp)
    publisher = " ".join(publisher_found.group(1).split()) if publisher_found else ""
    if not url and not publisher:
        return None
    return Provenance(url=url, publisher=publisher[:MAX_PUBLISHER_CHARS] or None, origin="metadata")
