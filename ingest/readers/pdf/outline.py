"""The outline (bookmarks): read, and the blocks it names made headings.

A block the outline names on its page is a HEADING at the outline's level: word
processors bookmark headings that are often set in bold body type, which font sizes
alone would miss.
"""

from __future__ import annotations

import pymupdf

from ingest.model import Block, BlockKind
from ingest.readers.text import normalise_space

MAX_OUTLINE_ENTRIES = 5000


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
