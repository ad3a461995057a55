"""PDF reader (pymupdf): text blocks with pages, fonts and table rows.

- Headings: blocks set larger than the body text; the level is the rank of their size.
  Bold body-size lines are only marked bold: `ingest.structure` judges them for every
  format alike.
- Running headers and footers (lines near the top or bottom edge that repeat across
  pages, digits aside) and bare page numbers are dropped.
- Table rows: cells side by side on one baseline band become one row, "cell | cell".
- List items: lines starting with a bullet or an item number; the marker is dropped
  as the text reader drops it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

from ingest.model import Block, BlockKind, ParsedFile, assign_offsets
from ingest.readers import ReaderError
from ingest.readers.text import LIST_ITEM, normalise_space
from ingest.structure import looks_like_title

EDGE_FRACTION = 0.08
REPEAT_FRACTION = 0.4
MIN_REPEAT_PAGES = 3
HEADING_MIN_STEP = 1.5
ROW_TOLERANCE = 3.0
MAX_OUTLINE_ENTRIES = 5000
BOLD_FLAG = 16

BULLET = re.compile(r"^[•●▪◦·\-–*]\s+")
PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s+of\s+\d{1,4})?$", re.I)
DIGITS = re.compile(r"\d+")
HYPHENATED = re.compile(r"(\w)-$")
MIN_CONTINUED_WORDS = 12
SENTENCE_END = re.compile(r"[.!?:;]['\"”’)]?$")
# Fonts set "ffi" and friends as single glyphs; search and the text twin spell them out.
LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)


@dataclass
class Line:
    text: str
    bbox: tuple[float, float, float, float]
    size: float
    bold: bool


@dataclass
class Cell:
    """A run of lines the page groups together: a paragraph, or one table cell."""

    lines: list[Line] = field(default_factory=list)
    page_height: float = 842.0

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (
            min(line.bbox[0] for line in self.lines),
            min(line.bbox[1] for line in self.lines),
            max(line.bbox[2] for line in self.lines),
            max(line.bbox[3] for line in self.lines),
        )


def read_pdf(path: Path) -> ParsedFile:
    """Read a PDF into blocks; raises ReaderError with a one-line reason."""
    document = open_pdf(path)
    warnings: list[str] = []
    try:
        if getattr(document, "is_repaired", False):
            warnings.append("file was damaged and repaired")
        page_cells = read_pages(document, warnings)
        outline = read_outline(document)
    finally:
        document.close()
    if not page_cells:
        raise ReaderError("no readable pages: " + "; ".join(warnings[:2]))
    if not any(page_cells.values()):
        raise ReaderError("no text layer on any page (scanned images?)")
    furniture = running_furniture(page_cells)
    body_size = dominant_size(page_cells)
    heading_sizes = sorted(
        {
            round(line.size, 1)
            for cells in page_cells.values()
            for cell in cells
            for line in cell.lines
            if line.size >= body_size + HEADING_MIN_STEP
        },
        reverse=True,
    )
    blocks: list[Block] = []
    for page_number in sorted(page_cells):
        for cell_group in rows_of(page_cells[page_number], furniture):
            blocks.extend(to_blocks(cell_group, page_number, body_size, heading_sizes))
    blocks = join_page_continuations(blocks)
    mark_outline_headings(blocks, outline)
    return ParsedFile(
        path=Path(path),
        format="pdf",
        blocks=assign_offsets(blocks),
        page_count=len(page_cells),
        warnings=warnings,
        outline=outline,
        furniture=furniture_texts(page_cells, furniture),
    )


def furniture_texts(page_cells: dict[int, list[Cell]], furniture: set[str]) -> list[str]:
    """One example text of each running header or footer, in first-seen order."""
    texts: dict[str, str] = {}
    for cells in page_cells.values():
        for cell in cells:
            for line in cell.lines:
                key = furniture_key(line.text)
                if key in furniture and key not in texts:
                    texts[key] = line.text
    return list(texts.values())


def open_pdf(path: Path) -> pymupdf.Document:
    try:
        document = pymupdf.open(path, filetype="pdf")
    except Exception as error:
        # MuPDF's message repeats the path; the file is named in the status line already.
        raise ReaderError("not a valid PDF: no readable PDF structure") from error
    if not document.is_pdf:
        document.close()
        raise ReaderError("not a PDF")
    if document.needs_pass:
        document.close()
        raise ReaderError("encrypted: password required")
    try:
        pages = document.page_count
    except Exception as error:
        document.close()
        raise ReaderError(f"invalid page tree: {first_line(error)}") from error
    if pages == 0:
        document.close()
        raise ReaderError("no readable pages (the file may be truncated)")
    return document


def first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__


def read_pages(document: pymupdf.Document, warnings: list[str]) -> dict[int, list[Cell]]:
    page_cells: dict[int, list[Cell]] = {}
    for index in range(document.page_count):
        number = index + 1
        try:
            page = document[index]
            data = page.get_text("dict", flags=pymupdf.TEXTFLAGS_TEXT)
            height = page.rect.height
        except Exception as error:
            warnings.append(f"page {number} unreadable: {first_line(error)}")
            continue
        cells = cells_of(data, height)
        if not cells:
            warnings.append(f"page {number} has no text layer")
        page_cells[number] = cells
    return page_cells


def cells_of(data: dict, page_height: float) -> list[Cell]:
    """Blocks as cells; a block holding several table cells is split into its columns."""
    cells: list[Cell] = []
    for block in data.get("blocks", []):
        lines = [line for line in map(to_line, block.get("lines", [])) if line is not None]
        if not lines:
            continue
        cells.extend(Cell(column, page_height) for column in columns_of(lines))
    return cells


def columns_of(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped into columns where some of them sit side by side.

    MuPDF can put the cells of one table row into a single block; their lines then
    overlap vertically while lying apart horizontally.
    """
    if not any(
        overlaps_vertically(a, b) and apart_horizontally(a, b)
        for i, a in enumerate(lines)
        for b in lines[i + 1 :]
    ):
        return [lines]
    columns: list[list[Line]] = []
    for line in sorted(lines, key=lambda line: line.bbox[0]):
        column = next((c for c in columns if line.bbox[0] < max(x.bbox[2] for x in c) - 1), None)
        if column is None:
            columns.append([line])
        else:
            column.append(line)
    return [sorted(column, key=lambda line: line.bbox[1]) for column in columns]


def overlaps_vertically(a: Line, b: Line) -> bool:
    return min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1]) > 2


def apart_horizontally(a: Line, b: Line) -> bool:
    return a.bbox[2] <= b.bbox[0] + 1 or b.bbox[2] <= a.bbox[0] + 1


def to_line(raw: dict) -> Line | None:
    spans = [span for span in raw.get("spans", []) if span.get("text", "").strip()]
    if not spans:
        return None
    text = "".join(span["text"] for span in raw["spans"]).translate(LIGATURES)
    sizes = Counter()
    for span in spans:
        sizes[round(span["size"], 1)] += len(span["text"])
    bold = all(
        span["flags"] & BOLD_FLAG or "bold" in span.get("font", "").lower() for span in spans
    )
    return Line(text.strip(), tuple(raw["bbox"]), sizes.most_common(1)[0][0], bold)


def furniture_key(text: str) -> str:
    return DIGITS.sub("#", " ".join(text.lower().split()))


def running_furniture(page_cells: dict[int, list[Cell]]) -> set[str]:
    """Texts of edge lines that repeat on many pages: running headers and footers."""
    seen: Counter = Counter()
    for cells in page_cells.values():
        keys = set()
        for cell in cells:
            if is_at_edge(cell):
                keys.update(furniture_key(line.text) for line in cell.lines)
        seen.update(keys)
    pages = len(page_cells)
    threshold = max(MIN_REPEAT_PAGES, REPEAT_FRACTION * pages)
    return {key for key, count in seen.items() if count >= threshold}


def is_at_edge(cell: Cell) -> bool:
    top, bottom = cell.bbox[1], cell.bbox[3]
    return bottom < cell.page_height * EDGE_FRACTION or top > cell.page_height * (1 - EDGE_FRACTION)


def dominant_size(page_cells: dict[int, list[Cell]]) -> float:
    sizes: Counter = Counter()
    for cells in page_cells.values():
        for cell in cells:
            for line in cell.lines:
                sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def rows_of(cells: list[Cell], furniture: set[str]) -> list[list[Cell]]:
    """Cells in reading order, grouped where several share a row of a table."""
    kept: list[Cell] = []
    for cell in cells:
        if is_at_edge(cell):
            lines = [
                line
                for line in cell.lines
                if furniture_key(line.text) not in furniture and not PAGE_NUMBER.match(line.text)
            ]
            if not lines:
                continue
            cell = Cell(lines, cell.page_height)
        kept.append(cell)
    groups: list[list[Cell]] = []
    for cell in kept:
        if groups and same_row(groups[-1], cell):
            groups[-1].append(cell)
        else:
            groups.append([cell])
    return groups


def same_row(group: list[Cell], cell: Cell) -> bool:
    top = group[0].bbox[1]
    if abs(cell.bbox[1] - top) >= ROW_TOLERANCE:
        return False
    return all(
        cell.bbox[0] >= other.bbox[2] - 1 or cell.bbox[2] <= other.bbox[0] + 1 for other in group
    )


def to_blocks(
    group: list[Cell], page: int, body_size: float, heading_sizes: list[float]
) -> list[Block]:
    if len(group) > 1:
        ordered = sorted(group, key=lambda cell: cell.bbox[0])
        texts = [joined(cell.lines) for cell in ordered]
        bold = all(line.bold for cell in ordered for line in cell.lines)
        return [Block(" | ".join(texts), BlockKind.TABLE_ROW, page=page, bold=bold, size=body_size)]
    cell = group[0]
    size = Counter(line.size for line in cell.lines).most_common(1)[0][0]
    bold = all(line.bold for line in cell.lines)
    if size >= body_size + HEADING_MIN_STEP and size in heading_sizes:
        level = heading_sizes.index(size) + 1
        return [
            Block(
                joined(cell.lines), BlockKind.HEADING, level=level, page=page, bold=True, size=size
            )
        ]
    return paragraphs_and_items(cell.lines, page, size, bold)


def paragraphs_and_items(lines: list[Line], page: int, size: float, bold: bool) -> list[Block]:
    """A block's lines as one paragraph, or as list items where lines start with markers."""
    if not any(BULLET.match(line.text) or LIST_ITEM.match(line.text) for line in lines[:1]):
        return [Block(joined(lines), BlockKind.PARAGRAPH, page=page, bold=bold, size=size)]
    items: list[list[Line]] = []
    for line in lines:
        if BULLET.match(line.text) or LIST_ITEM.match(line.text) or not items:
            items.append([line])
        else:
            items[-1].append(line)
    blocks = []
    for item in items:
        text = joined(item)
        text = BULLET.sub("", text, count=1)
        text = LIST_ITEM.sub("", text, count=1)
        blocks.append(
            Block(
                text,
                BlockKind.LIST_ITEM,
                page=page,
                bold=all(line.bold for line in item),
                size=size,
            )
        )
    return blocks


def joined(lines: list[Line]) -> str:
    """Lines of one paragraph as one string.

    A line ending in a hyphen joins the next without a space and keeps the hyphen:
    compound words ("re-offending") break there far more often than syllables do.
    """
    text = ""
    for line in lines:
        piece = line.text.strip()
        if HYPHENATED.search(text):
            text += piece
        else:
            text = f"{text} {piece}" if text else piece
    return normalise_space(text)


def join_page_continuations(blocks: list[Block]) -> list[Block]:
    """A paragraph cut by a page break mid-sentence is one paragraph (on its first page)."""
    joined: list[Block] = []
    for position, block in enumerate(blocks):
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.kind == block.kind == BlockKind.PARAGRAPH
            and previous.page is not None
            and block.page == previous.page + 1
            and blocks[position - 1].page == previous.page
            and previous.size == block.size
            and not previous.bold
            and len(previous.text.split()) >= MIN_CONTINUED_WORDS
            and not SENTENCE_END.search(previous.text)
            and not looks_like_title(block.text)
        ):
            previous.text = f"{previous.text} {block.text}"
            continue
        joined.append(block)
    return joined


def mark_outline_headings(blocks: list[Block], outline: list[tuple[int, str, int]]) -> None:
    """Blocks the outline (bookmarks) names on their page become headings at its level.

    Word processors bookmark headings that are often set in bold body type, which font
    sizes alone would miss.
    """
    by_page: dict[int, list[Block]] = {}
    for block in blocks:
        by_page.setdefault(block.page or 0, []).append(block)
    for level, title, page in outline:
        wanted = outline_key(title)
        if not wanted:
            continue
        for block in by_page.get(page, []):
            if block.kind != BlockKind.TABLE_ROW and outline_key(block.text) == wanted:
                if block.kind != BlockKind.HEADING:
                    block.kind = BlockKind.HEADING
                    block.level = level
                break


def outline_key(text: str) -> str:
    return "".join(char for char in text.lower() if char.isalnum())


def read_outline(document: pymupdf.Document) -> list[tuple[int, str, int]]:
    try:
        toc = document.get_toc(simple=True)
    except Exception:
        return []
    return [(int(level), str(title), int(page)) for level, title, page in toc[:MAX_OUTLINE_ENTRIES]]
