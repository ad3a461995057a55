"""HTML reader: council pages and HTML exports of reports.

h1-h6 become headings at their level, table rows become rows, list items and
paragraphs become blocks.  Scripts, styles and page furniture (navigation, headers,
footers) are dropped; nothing in the page is executed.
"""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup, Tag

from ingest.model import Block, BlockKind, ParsedFile, assign_offsets
from ingest.readers.text import normalise_space

DROPPED = ["script", "style", "noscript", "nav", "header", "footer", "form", "template", "svg"]
BLOCK_TAGS = {"p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "dt", "dd"}


def read_html(path: Path) -> ParsedFile:
    raw = Path(path).read_bytes()
    return ParsedFile(path=Path(path), format="html", blocks=parse_html(raw))


def parse_html(markup: bytes | str) -> list[Block]:
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(DROPPED):
        tag.decompose()
    root = soup.body or soup
    blocks: list[Block] = []
    for element in root.find_all(True):
        if element.name in BLOCK_TAGS and not element.find_parent(BLOCK_TAGS - {"blockquote"}):
            block = element_block(element)
            if block is not None:
                blocks.append(block)
        elif (
            element.name == "div" and not element.find(True) and not element.find_parent(BLOCK_TAGS)
        ):
            text = normalise_space(element.get_text(" "))
            if text:
                blocks.append(Block(text))
    return assign_offsets(blocks)


def element_block(element: Tag) -> Block | None:
    if element.name == "tr":
        cells = [normalise_space(cell.get_text(" ")) for cell in element.find_all(["td", "th"])]
        cells = [cell for cell in cells if cell]
        if not cells:
            return None
        bold = all(
            cell.name == "th" or cell.find(["b", "strong"])
            for cell in element.find_all(["td", "th"])
        )
        if len(cells) == 1:
            return Block(cells[0], BlockKind.PARAGRAPH, bold=bool(bold))
        return Block(" | ".join(cells), BlockKind.TABLE_ROW, bold=bool(bold))
    text = normalise_space(element.get_text(" "))
    if not text:
        return None
    if element.name.startswith("h") and element.name[1:].isdigit():
        return Block(text, BlockKind.HEADING, level=int(element.name[1]), bold=True)
    if element.name == "li":
        return Block(text, BlockKind.LIST_ITEM)
    strong = " ".join(b.get_text(" ") for b in element.find_all(["b", "strong"]))
    return Block(text, BlockKind.PARAGRAPH, bold=normalise_space(strong) == text)
