"""Running headers and footers, and page numbers: found, and left out of the body.

Lines in the top or bottom 8% of the page whose words, numbers aside, repeat on 40% of
the pages and at least 3, or on both pages of two with a different number on each, are
running headers and footers; they and bare page numbers at the edges are dropped.  One
example of each is kept in `ParsedFile.furniture`.
"""

from __future__ import annotations

import re
from collections import Counter

from ingest.readers.pdf.pieces import PageText, Piece

EDGE_FRACTION = 0.08
REPEAT_FRACTION = 0.4
MIN_REPEAT_PAGES = 3

PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE
)
DIGITS = re.compile(r"\d+")
WORD_CHARS = re.compile(r"\w+")


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


def body_pieces(page: PageText, furniture: set[str]) -> list[Piece]:
    """The page's pieces less its running headers and footers (`furniture`, keys from
    `running_furniture`) and the bare page numbers at its edges."""
    return [
        piece
        for piece in page.pieces
        if not (
            at_edge(piece, page.height)
            and (furniture_key(piece.text) in furniture or PAGE_NUMBER.match(piece.text))
        )
    ]
