"""Text and markdown reader, for extractions shaped like the sample corpus.

Website chrome that captured web text keeps (skip links, cookie and election banners,
document-sharing sites' counters) is dropped line by line, see `ingest.readers.chrome`.

Council PDFs often reach us already extracted: headings as markdown (`#`, `**bold**`),
tables as raw HTML fragments, tab-separated rows or markdown pipe rows, list items as `-`
or `•` lines, and images gone, leaving blank gaps.  Each paragraph, list item and table
row becomes one `Block`; only markdown `#` headings are marked as headings here, since
whether a bold or short line is a heading is judged for every format alike in
`ingest.structure.sections`.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from bs4 import BeautifulSoup

from ingest.model import Block, BlockKind, ParsedFile, assign_offsets
from ingest.readers.base import decode_text
from ingest.readers.chrome import is_page_header, is_record_label, is_web_chrome

MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM = re.compile(r"^\s*(?:[-*+•●▪◦·]|\d{1,2}[.)]|[a-z][.)]|\(?[ivx]{1,4}\))\s+(?=\S)")
HORIZONTAL_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
TABLE_SEPARATOR = re.compile(r"^[\s|:\-\t]+$")
PIPE_DELIMITER_ROW = re.compile(r"^\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?$")  # on stripped lines
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
# No pattern may scan to the end of a line once per character: an unclosed "<", "[" or
# "*" repeated over a long line would make reading it quadratic.
HTML_TAG = re.compile(r"<[^<>]+>")
HTML_BLOCK_START = re.compile(r"^\s*<(?:p|ul|ol|li|table|tr|td|th|div|b|strong|h[1-6])\b", re.I)
MARKDOWN_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
AUTOLINK = re.compile(r"<((?:https?://|mailto:|www\.)[^<>\s]+)>")
EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)((?:(?!\1).)+?)(?<=\S)\1")
BOLD_SPAN = re.compile(r"\*\*.+?\*\*|<(b|strong)>(?:(?!<\1>).)*?</\1>", re.S | re.I)
WHITESPACE = re.compile(r"[ \t\u00a0]+")


def read_text(path: Path) -> ParsedFile:
    """Read a .txt/.md file into blocks."""
    raw = Path(path).read_bytes()
    text = decode_text(raw)
    return ParsedFile(path=Path(path), format="text", blocks=parse_text(text))


def parse_text(text: str) -> list[Block]:
    """Split extracted text into blocks in reading order, with offsets set."""
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush_paragraph() -> None:
        if paragraph:
            blocks.extend(paragraph_blocks(paragraph))
            paragraph.clear()

    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    in_pipe_table = False
    stands_alone = False  # the line under a committee page's header is the item's title
    for number, line in enumerate(lines):
        following = lines[number + 1] if number + 1 < len(lines) else ""
        in_pipe_table = is_pipe_row(line, following, in_pipe_table)
        if in_pipe_table:
            flush_paragraph()
            blocks.extend(pipe_row_blocks(line))
            continue
        if not line.strip() or HORIZONTAL_RULE.match(line):
            flush_paragraph()
            continue
        if is_web_chrome(inline_text(line)):
            # A captured web page's skip links, banners and counters, one a line: dropped
            # before they can join a paragraph or become its title.
            flush_paragraph()
            continue
        if stands_alone or is_page_header(line) or is_record_label(line):
            flush_paragraph()
            paragraph.append(line)
            flush_paragraph()
            stands_alone = is_page_header(line)
            continue
        heading = MARKDOWN_HEADING.match(line)
        if heading:
            flush_paragraph()
            title = inline_text(heading.group(2))
            if title:
                blocks.append(
                    Block(title, BlockKind.HEADING, level=len(heading.group(1)), bold=True)
                )
            continue
        if "\t" in line.strip("\t ") or (line.count("\t") >= 1 and HTML_TAG.search(line)):
            flush_paragraph()
            blocks.extend(table_row_blocks(line))
            continue
        if HTML_BLOCK_START.match(line) and HTML_TAG.search(line):
            flush_paragraph()
            blocks.extend(html_fragment_blocks(line))
            continue
        if LIST_ITEM.match(line):
            flush_paragraph()
            item = inline_text(LIST_ITEM.sub("", line, count=1))
            if item:
                blocks.append(Block(item, BlockKind.LIST_ITEM, bold=is_all_bold(line)))
            continue
        paragraph.append(line)
    flush_paragraph()
    return assign_offsets([block for block in blocks if block.text])


def paragraph_blocks(lines: list[str]) -> list[Block]:
    joined = " ".join(line.strip() for line in lines)
    text = inline_text(joined)
    if not text:
        return []
    return [Block(text, BlockKind.PARAGRAPH, bold=is_all_bold(joined))]


def is_pipe_row(line: str, following: str, in_table: bool) -> bool:
    """A markdown pipe-table row: a line opening with "|", a line of cells over a
    delimiter row ("a | b" over "--- | ---"), or a line of cells inside such a table.
    A lone line with inner pipes ("Council | Police | Fire") is a partner strip, not a
    table."""
    stripped = line.strip()
    if "|" not in stripped:
        return False
    if stripped.startswith("|") or in_table:
        return True
    return is_pipe_delimiter_row(following)


def is_pipe_delimiter_row(line: str) -> bool:
    """The "|---|:---:|" line under a pipe table's header."""
    stripped = line.strip()
    return "|" in stripped and bool(PIPE_DELIMITER_ROW.match(stripped))


def pipe_row_blocks(line: str) -> list[Block]:
    """A pipe-table row read as its tab-separated twin; the delimiter row is dropped."""
    if is_pipe_delimiter_row(line):
        return []
    cells = UNESCAPED_PIPE.split(line.strip().removeprefix("|").removesuffix("|"))
    # " | " joins a row's cells downstream, so a pipe written inside a cell ("Police \|
    # Council") becomes a slash rather than a cell boundary.
    return row_blocks([cell.replace("\\|", "/") for cell in cells])


def table_row_blocks(line: str) -> list[Block]:
    """A tab-separated row."""
    if TABLE_SEPARATOR.match(line):
        return []
    return row_blocks(line.split("\t"))


def row_blocks(cells: list[str]) -> list[Block]:
    """A table row's cells; a row with one cell is text that merely sat in a table."""
    raw_cells = [cell for cell in cells if cell.strip()]
    if len(raw_cells) == 1 and HTML_BLOCK_START.match(raw_cells[0]):
        return html_fragment_blocks(raw_cells[0])
    cells = [text for text in (inline_text(cell) for cell in raw_cells) if text]
    if not cells:
        return []
    bold = all(is_all_bold(cell) for cell in raw_cells)
    if len(cells) == 1:
        return [Block(cells[0], BlockKind.PARAGRAPH, bold=bold)]
    return [Block(" | ".join(cells), BlockKind.TABLE_ROW, bold=bold)]


def html_fragment_blocks(fragment: str) -> list[Block]:
    """Paragraphs and list items of a one-line HTML fragment, as the PDF shows them."""
    soup = BeautifulSoup(fragment, "html.parser")
    blocks: list[Block] = []
    for element in soup.find_all(["p", "li", "h1", "h2", "h3", "h4", "h5", "h6"]):
        if element.find(["p", "li"]):
            continue
        text = normalise_space(element.get_text(" "))
        if not text:
            continue
        if element.name == "li":
            text = LIST_ITEM.sub("", text, count=1) or text
            blocks.append(Block(text, BlockKind.LIST_ITEM))
        elif element.name.startswith("h"):
            blocks.append(Block(text, BlockKind.HEADING, level=int(element.name[1]), bold=True))
        else:
            bold = (
                element.find(["b", "strong"]) is not None
                and normalise_space(
                    " ".join(b.get_text(" ") for b in element.find_all(["b", "strong"]))
                )
                == text
            )
            blocks.append(Block(text, BlockKind.PARAGRAPH, bold=bold))
    if not blocks:
        text = inline_text(fragment)
        if text:
            blocks.append(Block(text, BlockKind.PARAGRAPH, bold=is_all_bold(fragment)))
    return blocks


def inline_text(text: str) -> str:
    """Markdown and HTML inline markup removed, entities decoded, spaces folded."""
    text = MARKDOWN_LINK.sub(r"\1", text)
    text = AUTOLINK.sub(r"\1", text)
    text = re.sub(r"<sup>\s*(st|nd|rd|th)\s*</sup>", r"\1", text, flags=re.I)
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.I)
    text = HTML_TAG.sub(" ", text)
    for _ in range(2):
        text = EMPHASIS.sub(r"\2", text)
    text = text.replace("**", "")
    text = html.unescape(text)
    return normalise_space(text)


def is_all_bold(text: str) -> bool:
    """True when every visible character sits inside ** ** or <b>/<strong>."""
    stripped = text.strip()
    if not stripped:
        return False
    without_bold = BOLD_SPAN.sub("", stripped)
    without_bold = HTML_TAG.sub("", without_bold)
    return not re.search(r"\w", without_bold) and stripped != without_bold


def normalise_space(text: str) -> str:
    return WHITESPACE.sub(" ", text.replace("\n", " ")).strip()
