"""HTML reader: council pages and HTML exports of reports.

h1-h6 become headings at their level, table rows become rows, list items and
paragraphs become blocks.  Scripts, styles and page furniture (navigation, headers,
footers) are dropped, and so are blocks of website chrome outside them (skip links,
cookie and election banners, text-size controls; `ingest.readers.chrome`); nothing in
the page is executed.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from bs4 import BeautifulSoup, CData, NavigableString, Tag, UnusualUsageWarning

from ingest.model import Block, BlockKind, ParsedFile, assign_offsets
from ingest.readers.chrome import is_web_chrome
from ingest.readers.text import normalise_space

DROPPED = ["script", "style", "noscript", "nav", "header", "footer", "form", "template", "svg"]
# One block each, with all the text inside them (a list item's nested paragraph too).
BLOCK_TAGS = {"p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dt", "dd"}
# Tags that break the text around them into separate blocks without being one.
SECTION_TAGS = {
    "html", "body", "main", "article", "section", "aside", "div", "blockquote", "center",
    "ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "caption", "td", "th", "figure",
    "figcaption", "address", "fieldset", "details", "summary", "hr",
}  # fmt: skip
# Text nodes that are text: not comments, doctypes or processing instructions.
TEXT_TYPES = (NavigableString, CData)
END = object()  # marks the end of a section tag on the walk's stack


def read_html(path: Path) -> ParsedFile:
    raw = Path(path).read_bytes()
    return ParsedFile(path=Path(path), format="html", blocks=parse_html(raw))


def parse_html(markup: bytes | str) -> list[Block]:
    """Blocks of the page in document order.

    Text outside any block tag (loose in a `<div>`, beside a nested `<div>`) becomes a
    paragraph of its own at each section boundary.  The walk is iterative and sees
    each node once, so deeply nested markup is neither a recursion error nor slow.
    """
    with warnings.catch_warnings():
        # "looks like a file name", "looks like XML": we read such input as HTML on
        # purpose, and the warning would only land on the user's terminal.
        warnings.simplefilter("ignore", UnusualUsageWarning)
        soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(DROPPED):
        tag.decompose()
    has_block = tags_holding_blocks(soup)
    blocks: list[Block] = []
    loose: list[str] = []

    def flush() -> None:
        text = normalise_space(" ".join(loose))
        if text:
            blocks.append(Block(text))
        loose.clear()

    stack: list = list(reversed((soup.body or soup).contents))
    while stack:
        node = stack.pop()
        if node is END:
            flush()
        elif isinstance(node, Tag):
            if node.name in BLOCK_TAGS:
                flush()
                block = element_block(node)
                if block is not None:
                    blocks.append(block)
            elif node.name in SECTION_TAGS or id(node) in has_block:
                flush()
                stack.append(END)
                stack.extend(reversed(node.contents))
            else:  # inline markup: its text runs on with the text around it
                loose.append(node.get_text(" "))
        elif type(node) in TEXT_TYPES:
            loose.append(str(node))
    flush()
    return assign_offsets([block for block in blocks if not is_web_chrome(block.text)])


def tags_holding_blocks(soup: BeautifulSoup) -> set[int]:
    """The ids of tags with a block or section tag somewhere inside them."""
    holding: set[int] = set()
    # Children come after their parents in document order: walk it backwards.
    for tag in reversed(soup.find_all(True)):
        if tag.name in BLOCK_TAGS or tag.name in SECTION_TAGS or id(tag) in holding:
            parent = tag.parent
            if parent is not None:
                holding.add(id(parent))
    return holding


def element_block(element: Tag) -> Block | None:
    if element.name == "tr":
        # The row's own cells: a table nested in a cell is part of that cell's text.
        tags = element.find_all(["td", "th"], recursive=False)
        cells = [text for text in (normalise_space(cell.get_text(" ")) for cell in tags) if text]
        if not cells:
            return None
        bold = all(cell.name == "th" or cell.find(["b", "strong"]) for cell in tags)
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
