"""Render extracted CSP texts back into realistic PDFs.

No original PDFs of the sample documents exist, so the PDF path is tested on PDFs laid
out from their texts the way a council's word processor would set them: A4 with ~2 cm
margins, markdown headings at heading sizes, tables with thin borders (wide ones set
smaller until they fit), a small grey running header and a footer with page numbers,
and optionally an outline (bookmarks).  Nothing is added that the text does not have:
no page breaks, no hints where the documents of an agenda pack begin.

This is layout only: raw HTML in the texts is laid out, never run; scripts, styles,
embedded objects and link targets are dropped first.  The output is deterministic
(same text, same bytes) so golden tests stay stable.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pymupdf
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

CM = 72 / 2.54
PAGE = pymupdf.paper_rect("a4")
BODY = pymupdf.Rect(2 * CM, 2.2 * CM, PAGE.width - 2 * CM, PAGE.height - 2.35 * CM)
HEADER = pymupdf.Rect(2 * CM, 0.9 * CM, PAGE.width - 2 * CM, 1.6 * CM)
FOOTER = pymupdf.Rect(2 * CM, PAGE.height - 1.5 * CM, PAGE.width - 2 * CM, PAGE.height - 0.6 * CM)
FIXED_DATE = "D:20260101000000Z"
MAX_PAGES = 2000
OUTLINE_LEVELS = 3

CSS = """
body { margin: 0; font-family: sans-serif; font-size: 10.5pt; line-height: 1.4; }
h1 { font-size: 18pt; font-weight: bold; margin: 14pt 0 7pt 0; }
h2 { font-size: 15pt; font-weight: bold; margin: 12pt 0 6pt 0; }
h3 { font-size: 12.5pt; font-weight: bold; margin: 10pt 0 5pt 0; }
h4, h5, h6 { font-size: 11pt; font-weight: bold; margin: 8pt 0 4pt 0; }
p { margin: 0 0 8pt 0; }
ul, ol { margin: 0 0 7pt 0; }
li { margin: 0 0 3pt 0; }
table { border-collapse: collapse; margin: 4pt 0 9pt 0; }
td { border: 0.5pt solid #7f7f7f; padding: 3pt 5pt; vertical-align: top; text-align: left; }
table.s95 { font-size: 9.5pt; }
table.s85 { font-size: 8.5pt; }
table.s75 { font-size: 7.5pt; }
table.s65 { font-size: 6.5pt; }
table.s65 td { padding: 2pt 2.5pt; }
"""
# MuPDF can stall on a page break between tables; a slightly different spacing
# avoids the spot, so layout is retried with these additions in turn.
LAYOUT_VARIANTS = [
    "",
    "table { margin-bottom: 10pt; }",
    "table { margin-bottom: 8pt; }",
    "p { margin-bottom: 9pt; }",
    "td { padding: 3pt 4pt; }",
]
# Table font sizes tried in turn (CSS class, None = body size) until the table fits.
TABLE_SIZES = [None, "s95", "s85", "s75", "s65"]
FURNITURE_CSS = """
body { margin: 0; font-family: sans-serif; font-size: 8pt; color: #595959; }
p { margin: 0; }
"""

HTML_TAG = re.compile(r"<[^>]+>")
SEPARATOR_ROW = re.compile(r"^[\s|:\-\t]+$")
BLOCK_HTML = re.compile(r"^\s*<(?:p|ul|ol|table|div|h[1-6])\b", re.I)
# Raw HTML is laid out, never run: these go (with their content for script and style).
DROPPED_ELEMENTS = re.compile(
    r"<(script|style|title|textarea)\b[^>]*>.*?</\1\s*>"
    r"|</?(?:script|style|iframe|frame|frameset|object|embed|applet|img|svg|link|meta|base"
    r"|form|input|button|select|a)\b[^>]*>",
    re.I | re.S,
)

_markdown = MarkdownIt("commonmark", {"html": True, "breaks": False}).enable("table")


def text_to_html(text: str) -> str:
    """Markdown with raw HTML fragments and tab-separated rows, as HTML for layout.

    Runs of tab-separated lines become one table (a cell followed by empty cells spans
    them, as merged header cells do); a line with one filled cell is plain text.
    Everything else is CommonMark with raw HTML kept and pipe tables enabled.
    """
    parts: list[str] = []
    pending: list[str] = []
    rows: list[list[tuple[str, int]]] = []

    def flush_markdown() -> None:
        if pending:
            parts.append(_markdown.render("\n".join(pending)))
            pending.clear()

    def flush_rows() -> None:
        if rows:
            parts.append(table_html(rows))
            rows.clear()

    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        content = line.strip("\t ")
        if "\t" in line and not ("\t" in content or HTML_TAG.search(line)):
            # One plain cell and empty ones: text that merely sat in a table, read on
            # with the lines around it as the text reader reads it.
            flush_rows()
            pending.append(content)
            continue
        if "\t" in line:
            flush_markdown()
            if SEPARATOR_ROW.match(line):
                continue
            cells = line.rstrip("\t ").split("\t")
            filled = [cell for cell in cells if cell.strip()]
            if len(filled) == 1:
                flush_rows()
                parts.append(single_cell_html(filled[0]))
            elif filled:
                rows.append(row_cells(cells))
            continue
        flush_rows()
        pending.append(line)
    flush_markdown()
    flush_rows()
    return DROPPED_ELEMENTS.sub("", "\n".join(parts))


def row_cells(cells: list[str]) -> list[tuple[str, int]]:
    """A tab-separated row as (cell, columns spanned): a filled cell spans the empty
    cells after it, as merged header cells do; leading empty cells stay empty cells."""
    out: list[tuple[str, int]] = []
    index = 0
    while index < len(cells) and not cells[index].strip():
        out.append(("", 1))
        index += 1
    while index < len(cells):
        end = index + 1
        while end < len(cells) and not cells[end].strip():
            end += 1
        out.append((cells[index], end - index))
        index = end
    return out


def table_html(rows: list[list[tuple[str, int]]]) -> str:
    """The rows as an HTML table; column widths are left to MuPDF's table layout."""
    out = []
    for row in rows:
        cells = "".join(
            f'<td colspan="{span}">{cell_html(cell)}</td>'
            if span > 1
            else f"<td>{cell_html(cell)}</td>"
            for cell, span in row
        )
        out.append(f"<tr>{cells}</tr>")
    return "<table>" + "".join(out) + "</table>"


def single_cell_html(cell: str) -> str:
    """A row with one filled cell is text that merely sat in a table."""
    if BLOCK_HTML.match(cell.strip()):
        return str(BeautifulSoup(cell, "html.parser"))
    return f"<p>{cell_html(cell)}</p>"


def cell_html(cell: str) -> str:
    """A table cell as inline HTML.

    Lists and paragraphs inside cells are flattened to their text, with bold kept:
    MuPDF's layout can fail to converge on tall rows of nested blocks, and the text
    reader reads such cells as flat text too.
    """
    cell = cell.strip()
    if "<" in cell and ">" in cell:
        soup = BeautifulSoup(cell, "html.parser")
        text = " ".join(soup.get_text(" ").split())
        bold_text = " ".join(
            " ".join(b.get_text(" ").split()) for b in soup.find_all(["b", "strong"])
        )
        escaped = html.escape(text, quote=False)
        return f"<b>{escaped}</b>" if text and bold_text == text else escaped
    return _markdown.renderInline(cell)


def fit_tables(body_html: str) -> str:
    """Give each table the largest font size at which it fits the body width.

    Council documents set wide tables (13 columns of crime figures) in a smaller font;
    MuPDF would otherwise let them run off the page edge.
    """

    def fitted(match: re.Match) -> str:
        rows = match.group(1)
        for size_class in TABLE_SIZES:
            candidate = f'<table class="{size_class}">{rows}</table>' if size_class else match[0]
            story = pymupdf.Story(html=candidate, user_css=CSS)
            _, filled = story.place(pymupdf.Rect(0, 0, BODY.width, 100_000))
            if filled[2] <= BODY.width + 0.5:
                return candidate
        return candidate

    return re.sub(r"<table>(.*?)</table>", fitted, body_html, flags=re.S)


def render_pdf(
    text: str,
    out_path: Path,
    *,
    header: str | None = None,
    footer: str | None = None,
    outline: bool = False,
) -> int:
    """Lay `text` out as an A4 PDF at `out_path`; returns the page count."""
    body_html = fit_tables(text_to_html(text))
    # A page holds well over 400 characters of these texts.
    page_limit = min(MAX_PAGES, 20 + len(text) // 400)
    for variant in LAYOUT_VARIANTS:
        laid_out = lay_out(body_html, CSS + variant, header, footer, page_limit)
        if laid_out is not None:
            break
    else:
        raise RuntimeError("layout did not converge (a table row taller than a page?)")
    document, headings = laid_out
    if outline and headings:
        document.set_toc([list(entry) for entry in fix_levels(headings)])
    document.set_metadata(
        {
            "producer": "CSP Search render",
            "creator": "CSP Search",
            "creationDate": FIXED_DATE,
            "modDate": FIXED_DATE,
            "title": header or footer or "",
        }
    )
    # The symbol font behind list bullets comes whole otherwise (~290 KB).
    document.subset_fonts()
    page_count = document.page_count
    data = document.tobytes(garbage=3, deflate=True, no_new_id=True)
    document.close()
    Path(out_path).write_bytes(data)
    return page_count


def lay_out(
    body_html: str, css: str, header: str | None, footer: str | None, page_limit: int
) -> tuple[pymupdf.Document, list[tuple[int, str, int]]] | None:
    """The laid-out pages and the h1-h3 headings with their pages; None if MuPDF stalled.

    MuPDF's story layout can restart from the beginning after a page break (it leaves
    an empty page and would go on for ever); that shows as a page with no body text.
    """
    story = pymupdf.Story(html=body_html, user_css=css)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    headings: list[tuple[int, str, int]] = []
    titles = heading_titles(body_html)
    seen: list[str] = []
    page_number = 0

    def record_heading(position) -> None:
        if not (position.heading and position.open_close & 1):
            return
        # MuPDF's heading text loses the spaces where a heading wraps; take the
        # heading's own text when it is the same apart from spaces.
        title = " ".join((position.text or "").split())
        index = len(seen)
        seen.append(title)
        if index < len(titles) and titles[index].replace(" ", "") == title.replace(" ", ""):
            title = titles[index]
        if title and position.heading <= OUTLINE_LEVELS:
            headings.append((position.heading, title, page_number))

    more = True
    while more and page_number < page_limit:
        page_number += 1
        device = writer.begin_page(PAGE)
        more, _ = story.place(BODY)
        story.element_positions(record_heading)
        story.draw(device)
        if header:
            draw_furniture(device, header, HEADER)
        footer_text = f"{footer} | Page {page_number}" if footer else f"Page {page_number}"
        draw_furniture(device, footer_text, FOOTER)
        writer.end_page()
    writer.close()
    document = pymupdf.open("pdf", buffer.getvalue())
    if more or any(not page.get_text(clip=BODY).strip() for page in document):
        document.close()
        return None
    return document, headings


def heading_titles(body_html: str) -> list[str]:
    """The text of every h1-h6 in document order."""
    soup = BeautifulSoup(body_html, "html.parser")
    return [
        " ".join(h.get_text(" ").split())
        for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    ]


def draw_furniture(device, text: str, rect: pymupdf.Rect) -> None:
    """A running header or footer line: small, grey, sans-serif."""
    furniture = pymupdf.Story(html=f"<p>{html.escape(text)}</p>", user_css=FURNITURE_CSS)
    furniture.place(rect)
    furniture.draw(device)


def fix_levels(headings: list[tuple[int, str, int]]) -> list[tuple[int, str, int]]:
    """Outline levels that never jump more than one below their parent (PDF requires it)."""
    fixed: list[tuple[int, str, int]] = []
    previous = 0
    for level, title, page in headings:
        level = min(level, previous + 1)
        fixed.append((level, title, page))
        previous = level
    return fixed
