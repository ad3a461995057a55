"""Layout: pieces stacked into cells, cells into rows, rows into blocks, per document.

Measured per file: the line pitch (baseline to baseline within a paragraph, in ems), the
body frame (highest first and lowest last baseline of text), the right edge of full
lines and the body size (the commonest size by characters outside table rows).

- Headings: a cell at least 1.5pt larger than the body size is a HEADING, level = rank
  of its size among the heading sizes (not on OCR'd pages: OCR's sizes are guesses).
  Other bold body-size lines are only marked bold: `ingest.structure.sections` judges
  them for every format alike.
- A paragraph cut by a page break (it ends at the foot of one page without closing
  punctuation and goes on at the head of the next) is joined back into one block, on
  the page where it starts.  Words hyphenated at a line end lose the hyphen only when
  the document spells the word without it elsewhere.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter

from ingest.model import Block, BlockKind
from ingest.readers.pdf.cells import Cell
from ingest.readers.pdf.furniture import body_pieces
from ingest.readers.pdf.pieces import BULLET, PageText, Piece, starts_item, with_bullets_attached
from ingest.readers.pdf.tables import Row, has_neighbour, rows_of
from ingest.readers.text import LIST_ITEM, normalise_space

HEADING_MIN_STEP = 1.5
# Lines of one cell are at most this much further apart than the usual line pitch.
PITCH_SLACK = 1.12
DEFAULT_PITCH = 1.2
SAME_SIZE = 0.6
# Cells looked back at for a line's continuation (a table row has one per column).
RECENT_CELLS = 30

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
SENTENCE_END = re.compile(r"[.!?:;]['\"’”)]*$")


class Layout:
    """Cells, rows and blocks for the whole document (sizes and pitch are per file)."""

    def __init__(self, pages: list[PageText], furniture: set[str]) -> None:
        self.pages = [
            PageText(page.number, page.height, body_pieces(page, furniture), page.ocr)
            for page in pages
        ]
        self.ocr_pages = {page.number for page in pages if page.ocr}
        self.pitch = line_pitch(self.pages)
        self._vocabulary: Counter | None = None
        self.right = text_right_edge(self.pages)
        self.half = statistics.median(page.height for page in pages) / 2

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
