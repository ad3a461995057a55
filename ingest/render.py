"""Render extracted CSP texts back into realistic PDFs.

No original PDFs of the sample documents exist, so the PDF path is tested on PDFs laid
out from their texts: markdown headings at heading sizes, tables with borders, a running
header and a footer with page numbers, as council documents have.  The output is
deterministic (same text, same bytes) so golden tests stay stable.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pymupdf
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

CSS = """
body { font-family: serif; font-size: 10.5pt; line-height: 1.25; }
h1 { font-size: 18pt; font-weight: bold; margin: 10pt 0 6pt 0; }
h2 { font-size: 15pt; font-weight: bold; margin: 9pt 0 5pt 0; }
h3 { font-size: 12.5pt; font-weight: bold; margin: 8pt 0 4pt 0; }
h4, h5, h6 { font-size: 12pt; font-weight: bold; margin: 6pt 0 3pt 0; }
p { margin: 0 0 6pt 0; }
li { margin: 0 0 2pt 0; }
table { border-collapse: collapse; margin: 4pt 0 8pt 0; }
td { border: 0.5pt solid #888888; padding: 2pt 3pt; vertical-align: top; }
"""

PAGE = pymupdf.paper_rect("a4")
BODY = pymupdf.Rect(PAGE.x0 + 56, PAGE.y0 + 64, PAGE.x1 - 56, PAGE.y1 - 64)
FURNITURE_SIZE = 8
FIXED_DATE = "D:20260101000000Z"
MAX_PAGES = 2000

BLOCK_HTML = re.compile(r"^\s*<(?:p|ul|ol|table|div|h[1-6])\b", re.I)
SEPARATOR_ROW = re.compile(r"^[\s|:\-\t]+$")

_markdown = MarkdownIt("commonmark", {"html": True, "breaks": False}).enable("table")


def text_to_html(text: str) -> str:
    """Markdown with raw HTML fragments and tab-separated rows, as HTML for layout."""
    parts: list[str] = []
    pending: list[str] = []
    rows: list[str] = []

    def flush_markdown() -> None:
        if pending:
            parts.append(_markdown.render("\n".join(pending)))
            pending.clear()

    def flush_rows() -> None:
        if rows:
            parts.append("<table>" + "".join(rows) + "</table>")
            rows.clear()

    for line in text.replace("\r\n", "\n").split("\n"):
        if "\t" in line:
            flush_markdown()
            if SEPARATOR_ROW.match(line):
                continue
            cells = [cell for cell in line.split("\t") if cell.strip()]
            if len(cells) == 1:
                flush_rows()
                parts.append(single_cell_html(cells[0]))
            elif cells:
                rows.append("<tr>" + "".join(f"<td>{cell_html(c)}</td>" for c in cells) + "</tr>")
            continue
        flush_rows()
        pending.append(line)
    flush_markdown()
    flush_rows()
    body = "\n".join(parts)
    return re.sub(r'<a\s+href="[^"]*"\s*>', "<a>", body)


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
    if "<" in cell and ">" in cell:
        soup = BeautifulSoup(cell, "html.parser")
        text = " ".join(soup.get_text(" ").split())
        escaped = html.escape(text)
        if (
            soup.find(["b", "strong"])
            and soup.get_text(" ").strip()
            == " ".join(b.get_text(" ") for b in soup.find_all(["b", "strong"])).strip()
        ):
            return f"<b>{escaped}</b>"
        return escaped
    return _markdown.renderInline(cell)


def render_pdf(
    text: str,
    out_path: Path,
    *,
    header: str | None = None,
    footer: str | None = None,
    outline: bool = False,
) -> int:
    """Lay `text` out as an A4 PDF at `out_path`; returns the page count."""
    story = pymupdf.Story(html=text_to_html(text), user_css=CSS)
    writer = pymupdf.DocumentWriter(out_path)
    headings: list[tuple[int, str, int]] = []
    page_number = 0

    def record_heading(position) -> None:
        if position.heading and position.open_close & 1 and position.text:
            headings.append((position.heading, " ".join(position.text.split()), page_number))

    more = True
    while more:
        page_number += 1
        if page_number > MAX_PAGES:
            writer.close()
            raise RuntimeError(f"layout did not converge after {MAX_PAGES} pages")
        device = writer.begin_page(PAGE)
        more, _ = story.place(BODY)
        story.element_positions(record_heading)
        story.draw(device)
        writer.end_page()
    writer.close()

    document = pymupdf.open(out_path)
    for number, page in enumerate(document, start=1):
        grey = (0.35, 0.35, 0.35)
        if header:
            page.insert_text((56, 40), header, fontsize=FURNITURE_SIZE, color=grey)
        footer_text = f"{footer} | Page {number}" if footer else f"Page {number}"
        page.insert_text((56, PAGE.height - 30), footer_text, fontsize=FURNITURE_SIZE, color=grey)
    if outline:
        document.set_toc([[level, title, page] for level, title, page in headings if level <= 3])
    document.set_metadata(
        {
            "producer": "CSP Search render",
            "creator": "CSP Search",
            "creationDate": FIXED_DATE,
            "modDate": FIXED_DATE,
            "title": header or footer or "",
        }
    )
    page_count = document.page_count
    data = document.tobytes(garbage=3, deflate=True, no_new_id=True)
    document.close()
    Path(out_path).write_bytes(data)
    return page_count
