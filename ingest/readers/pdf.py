"""PDF reader (pymupdf): text blocks in reading order with pages, sizes and table rows.

The aim is the blocks a text reader gives for the same content: the same paragraphs,
headings without markup, list items without their bullets, table rows as
"cell | cell".  Per page, from `page.get_text("dict")` only (no table finder):

- Pieces: each text line, split where a wide gap separates two table cells on one
  baseline (MuPDF puts the cells of a table row into one line when they sit close).
- Cells: pieces stacked in one column at the document's line pitch, same font size,
  form one cell: a paragraph, a heading, a list item or one table cell (a cell that
  wraps over several lines stays one cell).  MuPDF's own blocks are not trusted for
  this: it mixes the cells of a table row into one block and splits one cell over two.
- Rows: cells side by side whose vertical extents overlap (top-aligned, or a short
  cell centred beside a tall one) make one TABLE_ROW block, cells in x order.
- Running headers and footers (lines in the top or bottom 8% of the page whose words,
  numbers aside, repeat on 40% of the pages and at least 3, or on both pages of two
  with a different number on each) and bare page numbers at the edges are dropped; one
  example of each is kept in `ParsedFile.furniture`.
- Headings: a cell at least 1.5pt larger than the body size (the commonest size by
  characters outside table rows) is a HEADING, level = rank of its size among the
  heading sizes; a block the outline (bookmarks) names on its page is a HEADING at the
  outline's level.  Other bold body-size lines are only marked bold: `ingest.structure.sections`
  judges them for every format alike.
- A paragraph cut by a page break (it ends at the foot of one page without closing
  punctuation and goes on at the head of the next) is joined back into one block, on
  the page where it starts.  Words hyphenated at a line end lose the hyphen only when
  the document spells the word without it elsewhere.

Pages that raise are skipped with a warning.  A page without a usable text layer (no
text, or a handful of characters over a large image: a scan) is OCR'd (`ocr`), at most
MAX_OCR_PAGES per file, and listed in `ParsedFile.ocr_pages`; a page with text is never
OCR'd.  Text-less pages that were not OCR'd are named in the warnings with the reason
("no text layer on pages 3-5 (blank)"); a file with no text on any page is refused.
"""

from __future__ import annotations

import copy
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

from ingest.errors import ReaderError
from ingest.model import Block, BlockKind, ParsedFile, assign_offsets
from ingest.readers.ocr import OcrError, is_blank, ocr_page
from ingest.readers.text import LIST_ITEM, normalise_space

EDGE_FRACTION = 0.08
REPEAT_FRACTION = 0.4
MIN_REPEAT_PAGES = 3
HEADING_MIN_STEP = 1.5
# Two pieces of one line further apart than this (in ems) are two table cells.
CELL_GAP_EM = 0.7
# Lines of one cell are at most this much further apart than the usual line pitch.
PITCH_SLACK = 1.12
DEFAULT_PITCH = 1.2
SAME_SIZE = 0.6
MAX_OUTLINE_ENTRIES = 5000
# Cells looked back at for a line's continuation (a table row has one per column).
RECENT_CELLS = 30
BOLD_FLAG = 16
SUPERSCRIPT_FLAG = 1
TEXT_FLAGS = pymupdf.TEXTFLAGS_TEXT & ~pymupdf.TEXT_PRESERVE_LIGATURES
# A page with fewer letters and digits than this, under an image covering at least
# SCAN_COVER of it, is a scan whose text layer is a stray word or a page number.
MIN_TEXT_CHARS = 20
SCAN_COVER = 0.5
# About 2.6 s of CPU a page (README, Benchmarks): the cap keeps one file's OCR near a
# minute and a half.
MAX_OCR_PAGES = 30

# Bullet glyphs (with the private-use ones of Symbol and Wingdings fonts).  Dashes and
# item numbers count as list markers only with text after them on the same line: alone
# they are as likely a table cell's value ("-", "1.").
BULLETS = "•●▪◦○■□➢►▶✓✔➤\uf0b7\uf0a7\uf0d8\uf076\uf0fc"
BULLET = re.compile(rf"^(?:[{BULLETS}]\s*)+(?=\S)")
BULLET_ONLY = re.compile(rf"^\s*[{BULLETS}]+\s*$")
PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE
)
DIGITS = re.compile(r"\d+")
WORD_CHARS = re.compile(r"\w+")
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
SENTENCE_END = re.compile(r"[.!?:;]['\"’”)]*$")


@dataclass(slots=True)
class Piece:
    """A text line, or the part of one that lies in one table cell."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    baseline: float
    size: float
    bold: bool
    block: int  # MuPDF block number on the page: for measuring the line pitch


class Cell:
    """Pieces stacked in one column: a paragraph, heading, list item or table cell."""

    __slots__ = ("_size", "last", "order", "pieces", "x0", "x1")

    def __init__(self, pieces: list[Piece], order: int) -> None:
        self.pieces = pieces
        self.order = order
        self.x0 = min(piece.x0 for piece in pieces)
        self.x1 = max(piece.x1 for piece in pieces)
        self.last = pieces[-1]
        self._size: float | None = None

    def add(self, piece: Piece) -> None:
        self.pieces.append(piece)
        self.x0 = min(self.x0, piece.x0)
        self.x1 = max(self.x1, piece.x1)
        self.last = piece
        self._size = None

    @property
    def top(self) -> float:
        return self.pieces[0].baseline - 0.75 * self.pieces[0].size

    @property
    def bottom(self) -> float:
        return self.last.baseline + 0.2 * self.last.size

    @property
    def size(self) -> float:
        """The font size of most of the cell's characters."""
        if self._size is None:
            sizes: dict[float, int] = {}
            for piece in self.pieces:
                sizes[piece.size] = sizes.get(piece.size, 0) + len(piece.text)
            self._size = max(sizes, key=sizes.__getitem__)
        return self._size

    @property
    def bold(self) -> bool:
        return all(piece.bold for piece in self.pieces)


@dataclass
class Row:
    cells: list[Cell] = field(default_factory=list)
    top: float = 0.0
    bottom: float = 0.0


@dataclass
class PageText:
    number: int
    height: float
    pieces: list[Piece]
    ocr: bool = False  # the pieces are OCR's: the page had no usable text layer


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
        pages_read=pages_read,
        failed_pages=failed,
        textless_pages=[page.number for page in pages if not page.pieces],
        ocr_pages=[page.number for page in pages if page.ocr],
    )


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


def layer_pieces(page: pymupdf.Page, data: dict) -> tuple[list[Piece], float]:
    """The text layer's lines as pieces, with the height of the page they are placed on.

    MuPDF places text on the page as stored; a page with /Rotate is shown turned.  Its
    text is read as shown when that makes more of it horizontal (a landscape table set
    upright by /Rotate), else as stored (a page that a stray /Rotate shows sideways).
    """
    pieces = pieces_of(data)
    if page.rotation:
        shown = pieces_of(turned(data, page))
        if text_chars(shown) > text_chars(pieces):
            return shown, page.rect.height
    return pieces, page.cropbox.height


def turned(data: dict, page: pymupdf.Page) -> dict:
    """A `get_text("dict")` result moved from the stored page to the page as shown."""
    if not page.rotation:
        return data
    matrix = page.rotation_matrix
    shift = pymupdf.Point(0, 0) * matrix
    data = copy.deepcopy(data)
    for block in data.get("blocks", ()):
        for line in block.get("lines", ()):
            direction = pymupdf.Point(line["dir"]) * matrix - shift
            line["dir"] = (direction.x, direction.y)
            line["bbox"] = tuple(pymupdf.Rect(line["bbox"]) * matrix)
            for span in line["spans"]:
                span["bbox"] = tuple(pymupdf.Rect(span["bbox"]) * matrix)
                span["origin"] = tuple(pymupdf.Point(span["origin"]) * matrix)
    blocks = data.get("blocks", [])
    if all(len(block.get("lines", ())) <= 1 for block in blocks):
        # MuPDF makes each line of turned text a block of its own; the line pitch is
        # measured within blocks, so lines one below the other are put back together.
        data["blocks"] = stacked_lines([line for b in blocks for line in b.get("lines", ())])
    return data


def stacked_lines(lines: list[dict]) -> list[dict]:
    """Lines as blocks of those that sit one below the other, overlapping across."""
    blocks: list[dict] = []
    for line in lines:
        x0, y0, x1, _ = line["bbox"]
        if blocks:
            above = blocks[-1]["lines"][-1]["bbox"]
            height = above[3] - above[1]
            if 0 <= y0 - above[3] <= 0.6 * height and x0 < above[2] and above[0] < x1:
                blocks[-1]["lines"].append(line)
                continue
        blocks.append({"lines": [line]})
    return blocks


def text_chars(pieces: list[Piece]) -> int:
    return sum(char.isalnum() for piece in pieces for char in piece.text)


def ocr_pieces(data: dict) -> list[Piece]:
    """OCR'd lines as pieces, one font size for the page (the median of Tesseract's
    guesses, so its lines group into paragraphs), specks without a word dropped.

    Tesseract's lines are not split at wide gaps (its word spacing is uneven; it puts
    table cells in blocks of their own), and a line it broke in two on one baseline in
    one block ("Essex County Fire" | "& Rescue Service") is joined again.
    """
    pieces: list[Piece] = []
    for block_number, block in enumerate(data.get("blocks", ())):
        for line in block.get("lines", ()):
            spans = [span for span in line["spans"] if span["text"].strip()]
            if not spans or line.get("dir", (1, 0))[0] < 0.99:
                continue
            piece = piece_of(spans, block_number)
            if not any(char.isalnum() for char in piece.text):
                continue
            last = pieces[-1] if pieces else None
            if (
                last is not None
                and last.block == block_number
                and abs(last.baseline - piece.baseline) <= 0.3 * piece.size
                and piece.x0 >= last.x1 - 1
            ):
                last.text = f"{last.text} {piece.text}"
                last.x1, last.y0, last.y1 = piece.x1, min(last.y0, piece.y0), max(last.y1, piece.y1)
                continue
            pieces.append(piece)
    if pieces:
        size = round(statistics.median(piece.size for piece in pieces) * 2) / 2
        for piece in pieces:
            piece.size = size
    return pieces


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


def pieces_of(data: dict) -> list[Piece]:
    """The page's horizontal text lines, split at wide gaps, in MuPDF's order."""
    pieces: list[Piece] = []
    for block_number, block in enumerate(data.get("blocks", ())):
        for line in block.get("lines", ()):
            direction = line.get("dir", (1, 0))
            if direction[0] < 0.99:
                continue  # rotated text: chart labels and margin notes
            pieces.extend(split_line(line["spans"], block_number))
    return pieces


def split_line(spans: list[dict], block_number: int) -> list[Piece]:
    """One line's spans as pieces: a new piece where a gap wider than CELL_GAP_EM opens."""
    groups: list[list[dict]] = []
    current: list[dict] = []
    right = 0.0
    for span in spans:
        if not span["text"].strip():
            continue
        x0 = span["bbox"][0]
        if (
            current
            and x0 - right > CELL_GAP_EM * span["size"]
            and not BULLET_ONLY.match("".join(s["text"] for s in current))
        ):
            groups.append(current)
            current = []
        current.append(span)
        right = span["bbox"][2]
    if current:
        groups.append(current)
    return [piece_of(group, block_number) for group in groups]


def piece_of(spans: list[dict], block_number: int) -> Piece:
    if len(spans) == 1:  # most lines of prose: one font, one span
        span = spans[0]
        text = span["text"]
        stripped = text.strip()
        has_word = stripped[:1].isalnum() or any(char.isalnum() for char in stripped)
        bold = has_word and bool(span["flags"] & BOLD_FLAG or "bold" in span["font"].lower())
        x0, y0, x1, y1 = span["bbox"]
        text = normalise_space(text) if "  " in text or "\u00a0" in text else stripped
        return Piece(
            text, x0, y0, x1, y1, span["origin"][1], round(span["size"], 1), bold, block_number
        )
    parts: list[str] = []
    sizes: dict[float, int] = {}
    bold = True
    has_word = False
    baseline = None
    main_size = max(span["size"] for span in spans)
    right = None
    for span in spans:
        text = span["text"]
        flags = span["flags"]
        stripped = text.strip()
        if flags & SUPERSCRIPT_FLAG and parts and stripped.isdigit():
            text = " " + stripped  # a footnote mark: "Scoring 4", as the text has it
        elif (
            right is not None
            and span["bbox"][0] - right > 0.2 * span["size"]
            and not parts[-1][-1:].isspace()
            and not text[:1].isspace()
        ):
            text = " " + text  # the space between these spans was a whitespace span
        parts.append(text)
        right = span["bbox"][2]
        size = round(span["size"], 1)
        sizes[size] = sizes.get(size, 0) + len(stripped)
        if any(char.isalnum() for char in stripped):
            # Bullets and punctuation do not count, as in the text reader.
            has_word = True
            if not (flags & BOLD_FLAG or "bold" in span["font"].lower()):
                bold = False
        if baseline is None and span["size"] >= main_size - 0.05:
            baseline = span["origin"][1]
    x0 = min(span["bbox"][0] for span in spans)
    y0 = min(span["bbox"][1] for span in spans)
    x1 = max(span["bbox"][2] for span in spans)
    y1 = max(span["bbox"][3] for span in spans)
    text = normalise_space("".join(parts))
    size = max(sizes, key=sizes.__getitem__)
    return Piece(text, x0, y0, x1, y1, baseline or y1, size, bold and has_word, block_number)


def furniture_key(text: str) -> str:
    """Words only, numbers as #: OCR spaces punctuation differently on each page
    ("2022-23| Page 1", "2022-23 | Page 5")."""
    return DIGITS.sub("#", " ".join(WORD_CHARS.findall(text.lower())))


def at_edge(piece: Piece, height: float) -> bool:
    return piece.y1 <= height * EDGE_FRACTION or piece.y0 >= height * (1 - EDGE_FRACTION)


def running_furniture(pages: list[PageText]) -> tuple[set[str], list[str]]:
    """Keys of the edge lines that repeat across pages, and one example text of each.

    A document shorter than MIN_REPEAT_PAGES has too few pages to count repeats on; there
    an edge line on every page whose number changes from page to page ("Annual Report
    2021/22 | Page 1", "... | Page 2") is its running footer all the same."""
    seen: Counter = Counter()
    texts: dict[str, set[str]] = {}
    first: dict[str, str] = {}
    for page in pages:
        keys = set()
        for piece in page.pieces:
            if at_edge(piece, page.height):
                key = furniture_key(piece.text)
                keys.add(key)
                first.setdefault(key, piece.text)
                texts.setdefault(key, set()).add(piece.text)
        seen.update(keys)
    threshold = max(MIN_REPEAT_PAGES, REPEAT_FRACTION * len(pages))
    keys = {key for key, count in seen.items() if count >= threshold}
    if 1 < len(pages) < MIN_REPEAT_PAGES:
        keys |= {
            key
            for key, count in seen.items()
            if count == len(pages) and "#" in key and len(texts[key]) == len(pages)
        }
    return keys, [text for key, text in first.items() if key in keys]


class Layout:
    """Cells, rows and blocks for the whole document (sizes and pitch are per file)."""

    def __init__(self, pages: list[PageText], furniture: set[str]) -> None:
        self.pages = [
            PageText(page.number, page.height, self.body_pieces(page, furniture), page.ocr)
            for page in pages
        ]
        self.ocr_pages = {page.number for page in pages if page.ocr}
        self.pitch = line_pitch(self.pages)
        self._vocabulary: Counter | None = None
        self.right = text_right_edge(self.pages)
        self.half = statistics.median(page.height for page in pages) / 2

    @staticmethod
    def body_pieces(page: PageText, furniture: set[str]) -> list[Piece]:
        return [
            piece
            for piece in page.pieces
            if not (
                at_edge(piece, page.height)
                and (furniture_key(piece.text) in furniture or PAGE_NUMBER.match(piece.text))
            )
        ]

    @property
    def vocabulary(self) -> Counter:
        """Word counts of the whole document, for judging hyphens at line ends."""
        if self._vocabulary is None:
            self._vocabulary = vocabulary(self.pages)
        return self._vocabulary

    def blocks(self) -> list[Block]:
        page_rows = [(page.number, rows_of(self.cells_of(page))) for page in self.pages]
        # Font sizes are judged on the text layer: OCR's sizes are guesses.
        sized_rows = [item for item in page_rows if item[0] not in self.ocr_pages]
        body_size = dominant_size(
            cell
            for _, rows in sized_rows
            for row in rows
            if len(row.cells) == 1
            for cell in row.cells
        ) or dominant_size(cell for _, rows in sized_rows for row in rows for cell in row.cells)
        heading_sizes = sorted(
            {
                round(cell.size * 2) / 2
                for _, rows in sized_rows
                for row in rows
                if len(row.cells) == 1
                for cell in row.cells
                if cell.size >= body_size + HEADING_MIN_STEP
            },
            reverse=True,
        )
        top, bottom = body_frame(self.pages)
        blocks: list[Block] = []
        previous_cell: Cell | None = None
        for number, rows in page_rows:
            if not rows:
                previous_cell = None
            for index, row in enumerate(rows):
                block = self.block_of(row, number, body_size, heading_sizes)
                cell = row.cells[0]
                if (
                    index == 0
                    and previous_cell is not None
                    and blocks
                    and self.continues(blocks[-1], previous_cell, block, cell, top, bottom)
                ):
                    blocks[-1].text = self.join_texts(blocks[-1].text, block.text)
                    previous_cell = cell
                    continue
                blocks.append(block)
                previous_cell = cell if len(row.cells) == 1 else None
        return [block for block in blocks if block.text]

    def cells_of(self, page: PageText) -> list[Cell]:
        """Pieces stacked in one column at line pitch, with the same size, as cells.

        A piece goes on the cell whose last line sits closest above it (`follows`,
        inlined here: this loop is most of the reader's own time).  A piece that starts
        with a bullet or item number starts a cell of its own.
        """
        cells: list[Cell] = []
        limit_factor = self.pitch * PITCH_SLACK
        for order, piece in enumerate(with_bullets_attached(page.pieces)):
            target = None
            if not starts_item(piece.text):
                baseline, size = piece.baseline, piece.size
                best = -1e9
                for cell in cells[-RECENT_CELLS:]:
                    last = cell.last
                    step = baseline - last.baseline
                    if (
                        0.3 * size < step <= limit_factor * last.size + 0.5
                        and last.baseline > best
                        and abs(size - last.size) <= SAME_SIZE
                        and piece.x1 > cell.x0 + 1
                        and piece.x0 < cell.x1 - 1
                    ):
                        target, best = cell, last.baseline
            if target is None:
                cells.append(Cell([piece], order))
            else:
                target.add(piece)
        return self.rejoin_table_bullets(cells)

    def follows(self, cell: Cell, piece: Piece) -> bool:
        """Whether `piece` sits one line below `cell`, in its column, at its size."""
        last = cell.last
        step = piece.baseline - last.baseline
        return (
            0.3 * piece.size < step <= self.pitch * last.size * PITCH_SLACK + 0.5
            and abs(piece.size - last.size) <= SAME_SIZE
            and piece.x1 > cell.x0 + 1
            and piece.x0 < cell.x1 - 1
        )

    def rejoin_table_bullets(self, cells: list[Cell]) -> list[Cell]:
        """Put back lines that start with a bullet but go on a table cell's text.

        A cell holding a flattened list wraps so that some lines begin with "•"; in a
        table (the cell above has a neighbour beside it) such a line is no list item.
        """
        kept: list[Cell] = []
        for cell in cells:
            first = cell.pieces[0]
            if starts_item(first.text):
                above = max(
                    (
                        other
                        for other in kept[-RECENT_CELLS:]
                        if abs(other.x0 - first.x0) <= 2 and self.follows(other, first)
                    ),
                    key=lambda other: other.last.baseline,
                    default=None,
                )
                if above is not None and has_neighbour(above, cells):
                    for piece in cell.pieces:
                        above.add(piece)
                    continue
            kept.append(cell)
        return kept

    def block_of(self, row: Row, page: int, body_size: float, heading_sizes: list[float]) -> Block:
        if len(row.cells) > 1:
            texts = [self.cell_text(cell) for cell in row.cells]
            return Block(
                " | ".join(text for text in texts if text),
                BlockKind.TABLE_ROW,
                page=page,
                bold=all(cell.bold for cell in row.cells),
                size=dominant_size(row.cells),
            )
        cell = row.cells[0]
        size = cell.size
        text = self.cell_text(cell)
        if size >= body_size + HEADING_MIN_STEP and page not in self.ocr_pages:
            level = heading_sizes.index(round(size * 2) / 2) + 1
            return Block(text, BlockKind.HEADING, level=level, page=page, bold=cell.bold, size=size)
        if starts_item(cell.pieces[0].text):
            # One marker goes, as the text reader drops one: a run of bullet glyphs
            # ("• ○" of a nested list) or else an item number ("1.", "a)").
            item = BULLET.sub("", text, count=1)
            if item == text:
                item = LIST_ITEM.sub("", text, count=1) or text
            return Block(item, BlockKind.LIST_ITEM, page=page, bold=cell.bold, size=size)
        return Block(text, BlockKind.PARAGRAPH, page=page, bold=cell.bold, size=size)

    def cell_text(self, cell: Cell) -> str:
        text = ""
        for piece in cell.pieces:
            text = self.join_texts(text, piece.text) if text else piece.text
        return normalise_space(text)

    def join_texts(self, left: str, right: str) -> str:
        """Two lines of one paragraph as one string.

        A word hyphenated at the line end loses the hyphen only if the document spells
        it without one elsewhere: compound words ("re-offending", "2022-") break there
        far more often than syllables in these documents.  A line ending in "/" (a URL,
        "and/or") goes on without a space.
        """
        if left.endswith("\u00ad"):
            return left[:-1] + right
        if left.endswith("-") and right[:1].islower() and left[-2:-1].isalpha():
            head = re.search(r"([^\W\d_]+)-$", left)
            tail = re.match(r"[^\W\d_]+", right)
            if head and tail:
                joined = (head.group(1) + tail.group(0)).lower()
                hyphenated = f"{head.group(1)}-{tail.group(0)}".lower()
                if self.vocabulary[joined] > self.vocabulary[hyphenated]:
                    return left[:-1] + right
            return left + right
        if left.endswith(("-", "/")) and left[-2:-1].strip():
            return left + right
        return f"{left} {right}"

    def continues(
        self,
        block: Block,
        cell: Cell,
        next_block: Block,
        next_cell: Cell,
        top: float,
        bottom: float,
    ) -> bool:
        """Whether `next_block`, first on its page, goes on with `block` from the last page."""
        if block.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM):
            return False
        if next_block.kind != BlockKind.PARAGRAPH:
            return False
        if abs(cell.size - next_cell.size) > SAME_SIZE or block.bold != next_block.bold:
            return False
        if SENTENCE_END.search(block.text[-12:]):
            return False
        # A paragraph runs on only if no further line fitted below its last one, and it
        # goes on in the first line of the next page.
        line = self.pitch * cell.size
        if cell.last.baseline < max(bottom - line, self.half) or next_cell.pieces[0].baseline > min(
            top + 0.6 * line, self.half
        ):
            return False
        if cell.last.x1 < self.right - 12 * cell.size:
            return False  # a short last line: the paragraph ended there
        return abs(cell.last.x0 - next_cell.pieces[0].x0) <= 3 * cell.size


def with_bullets_attached(pieces: list[Piece]) -> list[Piece]:
    """A bullet set apart from its text (its own line to MuPDF) joined to that text."""
    if not any(len(piece.text) <= 4 and BULLET_ONLY.match(piece.text) for piece in pieces):
        return pieces
    out: list[Piece] = []
    used: set[int] = set()
    for index, piece in enumerate(pieces):
        if index in used:
            continue
        if BULLET_ONLY.match(piece.text):
            text_piece = min(
                (
                    (other.x0, number)
                    for number, other in enumerate(pieces)
                    if number not in used
                    and number != index
                    and abs(other.baseline - piece.baseline) <= 0.3 * piece.size
                    and piece.x1 - 1 <= other.x0 <= piece.x1 + 4 * piece.size
                ),
                default=None,
            )
            if text_piece is not None:
                other = pieces[text_piece[1]]
                used.add(text_piece[1])
                piece = Piece(
                    f"{piece.text} {other.text}",
                    piece.x0,
                    min(piece.y0, other.y0),
                    other.x1,
                    max(piece.y1, other.y1),
                    other.baseline,
                    other.size,
                    other.bold,
                    other.block,
                )
        out.append(piece)
    return out


def has_neighbour(cell: Cell, cells: list[Cell]) -> bool:
    """Whether another cell sits beside `cell`, sharing part of its height."""
    return any(
        other is not cell
        and (other.x1 <= cell.x0 + 1 or cell.x1 <= other.x0 + 1)
        and other.top < cell.bottom
        and cell.top < other.bottom
        for other in cells
    )


def starts_item(text: str) -> bool:
    return bool(BULLET.match(text) or LIST_ITEM.match(text))


def rows_of(cells: list[Cell]) -> list[Row]:
    """Cells in reading order; cells side by side that share a vertical band form a row."""
    rows: list[Row] = []
    for cell in cells:
        home = None
        for row in reversed(rows[-30:]):
            if cell.top < row.bottom and row.top < cell.bottom and joins_row(row, cell):
                home = row
                break
        if home is None:
            rows.append(Row([cell], cell.top, cell.bottom))
        else:
            home.cells.append(cell)
            home.top = min(home.top, cell.top)
            home.bottom = max(home.bottom, cell.bottom)
    for row in rows:
        row.cells.sort(key=lambda cell: cell.x0)
    return rows


def joins_row(row: Row, cell: Cell) -> bool:
    """Side by side with every cell of the row, and aligned at the top with one of them
    or a short cell beside a taller one (vertically centred)."""
    for other in row.cells:
        if cell.x0 < other.x1 - 1 and other.x0 < cell.x1 - 1:
            return False
    for other in row.cells:
        if abs(cell.pieces[0].baseline - other.pieces[0].baseline) <= 0.6 * cell.size:
            return True
        short, tall = (cell, other) if len(cell.pieces) <= len(other.pieces) else (other, cell)
        if len(short.pieces) <= 2 and tall.top <= short.top and short.bottom <= tall.bottom:
            return True
    return False


def dominant_size(cells) -> float:
    sizes: Counter = Counter()
    for cell in cells:
        for piece in cell.pieces:
            sizes[piece.size] += len(piece.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def line_pitch(pages: list[PageText]) -> float:
    """The usual distance between baselines in a paragraph, in ems of the font size."""
    ratios: list[float] = []
    for page in pages:
        previous = None
        for piece in page.pieces:
            if (
                previous is not None
                and piece.block == previous.block
                and abs(piece.size - previous.size) < 0.1
                and piece.x0 < previous.x1
                and previous.x0 < piece.x1
            ):
                ratio = (piece.baseline - previous.baseline) / piece.size
                if 0.9 <= ratio <= 2.5:
                    ratios.append(ratio)
            previous = piece
        if len(ratios) > 2000:
            break
    return statistics.median(ratios) if ratios else DEFAULT_PITCH


def body_frame(pages: list[PageText]) -> tuple[float, float]:
    """The highest first baseline and the lowest last baseline of body text on any page."""
    tops = [min(piece.baseline for piece in page.pieces) for page in pages if page.pieces]
    bottoms = [max(piece.baseline for piece in page.pieces) for page in pages if page.pieces]
    return (min(tops), max(bottoms)) if tops else (0.0, 0.0)


def text_right_edge(pages: list[PageText]) -> float:
    """Where full lines of body text end (nearly the rightmost text on the pages)."""
    rights = sorted(piece.x1 for page in pages for piece in page.pieces)
    return rights[int(0.98 * (len(rights) - 1))] if rights else 0.0


def vocabulary(pages: list[PageText]) -> Counter:
    words: Counter = Counter()
    for page in pages:
        for piece in page.pieces:
            words.update(WORD.findall(piece.text.lower()))
    return words


def mark_outline_headings(blocks: list[Block], outline: list[tuple[int, str, int]]) -> None:
    """Blocks the outline (bookmarks) names on their page become headings at its level.

    Word processors bookmark headings that are often set in bold body type, which font
    sizes alone would miss; the outline states them as plainly as markdown's "#" does.
    """
    by_page: dict[int, list[Block]] = {}
    for block in blocks:
        if block.kind != BlockKind.TABLE_ROW and block.page is not None:
            by_page.setdefault(block.page, []).append(block)
    for level, title, page in outline:
        wanted = outline_key(title)
        for block in by_page.get(page, ()):
            if wanted and outline_key(block.text) == wanted:
                if block.kind != BlockKind.HEADING:
                    block.kind, block.level = BlockKind.HEADING, level
                break


def outline_key(text: str) -> str:
    return "".join(char for char in text.lower() if char.isalnum())


def read_outline(document: pymupdf.Document, page_count: int) -> list[tuple[int, str, int]]:
    """The bookmarks as (level, title, page); entries without a page are left out.

    MuPDF walks the outline itself and stops at loops; the number of entries kept is
    capped all the same.
    """
    try:
        toc = document.get_toc(simple=True)
    except Exception:
        return []
    outline = []
    for entry in toc[:MAX_OUTLINE_ENTRIES]:
        try:
            level, title, page = int(entry[0]), normalise_space(str(entry[1])), int(entry[2])
        except (TypeError, ValueError, IndexError):
            continue
        if title and level >= 1 and 1 <= page <= page_count:
            outline.append((level, title, page))
    return outline
