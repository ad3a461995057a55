"""Spans to pieces: a page's text lines as `Piece`s, in MuPDF's order (`PageText`).

A piece is a text line, split where a wide gap separates two table cells on one
baseline (MuPDF puts the cells of a table row into one line when they sit close).
Rotated lines (chart labels, margin notes) are left out; a page shown turned by
/Rotate is read as shown when that makes more of its text horizontal.  OCR'd lines
become pieces too, with one font size for the page.  Bullets are recognised here: a
bullet that MuPDF set apart from its text is joined to it.
"""

from __future__ import annotations

import copy
import re
import statistics
from dataclasses import dataclass

import pymupdf

from ingest.readers.text import LIST_ITEM, normalise_space

# Two pieces of one line further apart than this (in ems) are two table cells.
CELL_GAP_EM = 0.7
BOLD_FLAG = 16
SUPERSCRIPT_FLAG = 1

# Bullet glyphs (with the private-use ones of Symbol and Wingdings fonts).  Dashes and
# item numbers count as list markers only with text after them on the same line: alone
# they are as likely a table cell's value ("-", "1.").
BULLETS = "•●▪◦○■□➢►▶✓✔➤\uf0b7\uf0a7\uf0d8\uf076\uf0fc"
BULLET = re.compile(rf"^(?:[{BULLETS}]\s*)+(?=\S)")
BULLET_ONLY = re.compile(rf"^\s*[{BULLETS}]+\s*$")


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


@dataclass
class PageText:
    number: int
    height: float
    pieces: list[Piece]
    ocr: bool = False  # the pieces are OCR's: the page had no usable text layer


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


def starts_item(text: str) -> bool:
    return bool(BULLET.match(text) or LIST_ITEM.match(text))
