"""The PDF reader on the rendered sample PDFs and on hostile PDFs from ../shared/badpdfs."""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf
import pytest

from ingest.model import BlockKind
from ingest.readers import ReaderError, read_file
from ingest.readers.pdf import read_pdf

from samples import BADPDFS, BRAINTREE_2022, BRAINTREE_PACK, SAFER_ESSEX, sample


def test_every_block_has_its_page_and_no_running_header_or_footer_remains() -> None:
    parsed = read_pdf(sample(BRAINTREE_PACK, "pdf"))
    assert parsed.page_count == 35
    assert all(block.page and 1 <= block.page <= 35 for block in parsed.blocks)
    texts = [block.text for block in parsed.blocks]
    assert not any("Overview and Scrutiny Committee - 11 July 2018" in text for text in texts)
    assert not any(re.fullmatch(r"(Page )?\d+", text) for text in texts)
    assert not any("| Page" in text for text in texts)
    assert "Braintree District Council | Page 1" in parsed.furniture


def test_headings_come_with_levels_from_font_sizes() -> None:
    parsed = read_pdf(sample(BRAINTREE_2022, "pdf"))
    headings = {(b.text, b.level) for b in parsed.blocks if b.kind == BlockKind.HEADING}
    assert ("Foreword", 2) in headings
    assert ("Key Achievements 2022-23", 2) in headings
    assert ("Braintree District Community Safety Partnership", 1) in headings
    assert parsed.outline[:2] == [
        (1, "Braintree District Community Safety Partnership", 1),
        (2, "Annual Report 2022-23", 1),
    ]


def test_table_rows_keep_their_cells_in_order() -> None:
    rows = [
        b.text
        for b in read_pdf(sample(BRAINTREE_PACK, "pdf")).blocks
        if b.kind == BlockKind.TABLE_ROW
    ]
    assert any(
        row.startswith("Theme (s) | Project / Initiative | CSP Priority met") for row in rows
    )
    assert any(
        row.startswith("Child Sexual Exploitation | Expand the Spot It, Stop It scheme")
        for row in rows
    )


def test_paragraphs_stay_whole_across_pages_and_list_markers_are_dropped() -> None:
    from ingest.readers.text import read_text

    def j9_paragraph(blocks):
        (paragraph,) = [b.text for b in blocks if "launched the J9 initiative" in b.text]
        return paragraph

    # This paragraph runs from page 10 onto page 11 of the rendered PDF.
    pdf_text = j9_paragraph(read_pdf(sample(SAFER_ESSEX, "pdf")).blocks)
    assert pdf_text == j9_paragraph(read_text(sample(SAFER_ESSEX, "text")).blocks)
    assert pdf_text.endswith("provide information packs and leaflets.")
    items = [
        b.text
        for b in read_pdf(sample(BRAINTREE_2022, "pdf")).blocks
        if b.kind == BlockKind.LIST_ITEM
    ]
    assert "Protect the vulnerable" in items


def test_outline_entries_mark_bold_body_text_as_headings(tmp_path: Path) -> None:
    document = pymupdf.open()
    page = document.new_page()
    page.insert_text((72, 80), "Key Achievements", fontsize=11, fontname="hebo")
    page.insert_text(
        (72, 100), "The partnership ran the J9 scheme across the district.", fontsize=11
    )
    page.insert_text((72, 130), "Funding", fontsize=11, fontname="hebo")
    page.insert_text((72, 150), "The grant was spent on mobile cameras.", fontsize=11)
    document.set_toc([[1, "Key Achievements", 1], [2, "Funding", 1]])
    path = tmp_path / "outline.pdf"
    document.save(path)

    blocks = read_pdf(path).blocks
    assert [(b.text, b.kind, b.level) for b in blocks if b.kind == BlockKind.HEADING] == [
        ("Key Achievements", BlockKind.HEADING, 1),
        ("Funding", BlockKind.HEADING, 2),
    ]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("encrypted__encryption_openpassword.pdf", "encrypted: password required"),
        ("notpdf__qpdf-fuzz-70245-zero-length.pdf", "empty file"),
        ("notpdf__generated-html-404-page.pdf", "not a PDF: starts with '<!DOCTYPE html>"),
        ("notpdf__qpdf-fuzz-69977b-jpeg-bytes.pdf", "not a PDF: starts with JPEG image bytes"),
        ("notpdf__minimal_test.pdf", "not a valid PDF"),
        ("pages__poppler-67295-0.pdf", "invalid page tree"),
        ("truncated__GeoTopo-komprimiert-truncated-50pct.pdf", "no readable pages"),
        ("image__imagemagick-CCITTFaxDecode.pdf", "no text layer on any page"),
    ],
)
def test_unreadable_files_get_a_one_line_reason(name: str, reason: str) -> None:
    with pytest.raises(ReaderError) as raised:
        read_file(BADPDFS / name)
    assert str(raised.value).startswith(reason)
    assert "\n" not in str(raised.value)


def test_a_damaged_file_is_read_with_warnings() -> None:
    parsed = read_file(BADPDFS / "cycle__Pages-tree-refs.pdf")
    assert parsed.blocks
    assert any(warning.startswith("page 2 unreadable") for warning in parsed.warnings)
