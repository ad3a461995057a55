"""Page previews: a PDF page as a PNG with the words of a hit marked.

Rendering happens only when a user opens a hit, one page at a time, at a bounded size.
"""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf

MAX_PIXELS = 4_000_000
HIGHLIGHTED = re.compile(r"«([^«»]+)»")


def marked_terms(snippet: str) -> list[str]:
    """The matched words of a snippet («J9» → J9), once each, longest first."""
    terms = {term.strip() for term in HIGHLIGHTED.findall(snippet) if term.strip()}
    return sorted(terms, key=lambda term: (-len(term), term))


def page_image(path: Path, page_number: int, terms: list[str], zoom: float = 1.5) -> bytes:
    """PNG bytes of one page with every occurrence of `terms` highlighted.

    The highlights are added to the in-memory copy only; the file is never written.
    """
    with pymupdf.open(path) as document:
        page = document[page_number - 1]
        for term in terms:
            for rect in page.search_for(term):
                page.add_highlight_annot(rect)
        width, height = page.rect.width * zoom, page.rect.height * zoom
        if width * height > MAX_PIXELS:
            zoom *= (MAX_PIXELS / (width * height)) ** 0.5
        pixmap = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), annots=True)
        return pixmap.tobytes("png")
