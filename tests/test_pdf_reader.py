"""The PDF reader on the rendered sample PDFs and on broken files from ../shared/badpdfs."""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pymupdf
import pytest

from bench.render import render_pdf
from ingest.errors import ReaderError
from ingest.model import BlockKind
from ingest.readers import read_file
from ingest.readers.pdf import read_pdf
from ingest.readers.text import read_text

from samples import (
    ALL_SAMPLES,
    BRAINTREE_2022,
    BRAINTREE_PACK,
    BRENTWOOD_PLAN,
    COLCHESTER_PACK,
    SAFER_ESSEX,
    sample,
)

FURNITURE = {
    BRAINTREE_PACK: [
        "Overview and Scrutiny Committee — 11 July 2018",
        "Braintree District Council | Page",
    ],
    BRAINTREE_2022: [
        "Braintree District Community Safety Partnership Annual Report 2022-23 | Page"
    ],
    BRENTWOOD_PLAN: ["Safer Brentwood Partnership Plan 2017/18 | Page"],
    SAFER_ESSEX: ["Safer Essex Prospectus | Page"],
    COLCHESTER_PACK: [
        "Crime and Disorder Committee — 23 March 2020",
        "Colchester Borough Council | Page",
    ],
}
BARE_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–]?\s*\d{1,3}\s*[-–]?(?:\s+of\s+\d+)?$", re.I)


def signature(blocks) -> list[tuple[str, int | None, bool, str]]:
    return [(block.kind.value, block.level, block.bold, block.text) for block in blocks]


@pytest.fixture(scope="module")
def parsed():
    return {stem: read_pdf(sample(stem, "pdf")) for stem in ALL_SAMPLES}


@pytest.mark.parametrize("stem", ALL_SAMPLES)
def test_every_block_has_its_page_and_no_running_furniture(parsed, stem: str) -> None:
    result = parsed[stem]
    with pymupdf.open(sample(stem, "pdf")) as document:
        assert result.page_count == document.page_count
    assert result.format == "pdf" and result.blocks and not result.warnings
    pages = [block.page for block in result.blocks]
    assert all(isinstance(page, int) and 1 <= page <= result.page_count for page in pages)
    assert pages == sorted(pages) and pages[-1] == result.page_count
    for block in result.blocks:
        assert not any(text in block.text for text in FURNITURE[stem]), block.text
        assert not BARE_PAGE_NUMBER.match(block.text), block.text
        assert result.text[block.start : block.end] == block.text
    assert all(any(text in kept for kept in result.furniture) for text in FURNITURE[stem])


@pytest.mark.parametrize("stem", [BRAINTREE_2022, BRENTWOOD_PLAN, SAFER_ESSEX])
def test_blocks_are_what_the_text_reader_gives_for_the_same_text(parsed, stem: str) -> None:
    # Paragraphs cut by page breaks are whole again, tables come out as rows, headings
    # carry levels by font size (here the same as their markdown levels).
    assert signature(parsed[stem].blocks) == signature(read_text(sample(stem, "text")).blocks)


@pytest.mark.parametrize("stem", [BRAINTREE_PACK, COLCHESTER_PACK])
def test_agenda_packs_read_nearly_as_their_texts(parsed, stem: str) -> None:
    pdf = signature(parsed[stem].blocks)
    text = signature(read_text(sample(stem, "text")).blocks)
    assert difflib.SequenceMatcher(None, pdf, text, autojunk=False).ratio() > 0.95


def test_headings_get_levels_by_size_and_bold_lines_stay_paragraphs(parsed) -> None:
    blocks = parsed[BRAINTREE_2022].blocks
    headings = {}
    for block in blocks:
        if block.kind == BlockKind.HEADING:
            headings.setdefault(block.text, block)
    assert headings["Foreword"].level == 2 and headings["Foreword"].page == 1
    assert headings["Key Achievements 2022-23"].level == 2
    assert headings["Braintree District Community Safety Partnership"].level == 1
    assert headings["Safeguarding vulnerable young people on public transport"].level == 3
    (chair,) = [block for block in blocks if block.text == "Cllr Frankie Ricci"]
    assert chair.kind == BlockKind.PARAGRAPH and chair.bold
    priorities = [block for block in blocks if block.text == "Protect the vulnerable"]
    assert priorities[0].kind == BlockKind.LIST_ITEM and priorities[0].bold
    assert parsed[BRAINTREE_2022].outline[3] == (2, "Foreword", 1)


def test_action_plan_rows_come_out_cell_by_cell(parsed) -> None:
    rows = [block for block in parsed[BRAINTREE_PACK].blocks if block.kind == BlockKind.TABLE_ROW]
    header = next(row for row in rows if row.text.startswith("Theme (s) | Project / Initiative"))
    assert header.bold
    assert header.text == (
        "Theme (s) | Project / Initiative | CSP Priority met | PFCC Priority met | Lead"
        " | Partner Input | Desired outcomes and impacts"
    )
    (spot_it,) = [row for row in rows if "Expand the Spot It, Stop It scheme" in row.text]
    assert spot_it.text.startswith("Child Sexual Exploitation | Expand the Spot It, Stop It")
    assert spot_it.text.endswith(
        "| 2 | 6 | Braintree District Council (BDC) | Essex Police | Improved awareness"
        " among licensed premises. Increase in the number of reports made."
    )
    wide = next(row for row in rows if row.text.startswith("All Crime (excl. Action (NFIB)"))
    assert wide.text.split(" | ")[-3:] == ["19.8", "16.0", "-3.8"]  # 13 columns, none cut off


def test_a_paragraph_is_one_block(parsed) -> None:
    (j9,) = [
        block
        for block in parsed[SAFER_ESSEX].blocks
        if block.text.startswith("In June 2011 Rochford District CSP launched the J9 initiative")
    ]
    (expected,) = [
        block.text
        for block in read_text(sample(SAFER_ESSEX, "text")).blocks
        if block.text.startswith("In June 2011 Rochford")
    ]
    assert j9.kind == BlockKind.PARAGRAPH and j9.text == expected


def test_paragraphs_cut_by_page_breaks_are_joined(tmp_path: Path) -> None:
    sentence = (
        "The partnership met {n} times this year to review anti-social behaviour, "
        "domestic abuse and re-offending across the district and agreed actions for "
        "each of its priorities "
    )
    paragraphs = [
        " ".join(sentence.format(n=n + k) for k in range(9)) + f"in plan {n}." for n in range(8)
    ]
    text = "# Safer Testshire Partnership Annual Report\n\n" + "\n\n".join(paragraphs) + "\n"
    pdf = tmp_path / "report.pdf"
    pages = render_pdf(text, pdf, footer="Testshire District Council")
    (txt := tmp_path / "report.txt").write_text(text, encoding="utf-8")
    blocks = read_pdf(pdf).blocks
    assert pages >= 2
    assert signature(blocks) == signature(read_text(txt).blocks)
    with pymupdf.open(pdf) as document:
        first_page_text = " ".join(document[0].get_text().split())
    assert any(block.page == 1 and block.text[-60:] not in first_page_text for block in blocks)


def test_outline_entries_make_bold_body_text_headings(tmp_path: Path) -> None:
    with pymupdf.open() as document:
        page = document.new_page()
        page.insert_text((72, 80), "Key Achievements", fontsize=11, fontname="hebo")
        page.insert_text((72, 100), "The partnership ran the J9 scheme.", fontsize=11)
        page.insert_text((72, 130), "Funding", fontsize=11, fontname="hebo")
        page.insert_text((72, 150), "The grant was spent on mobile cameras.", fontsize=11)
        page.insert_text((72, 180), "Not bookmarked", fontsize=11, fontname="hebo")
        document.set_toc([[1, "Key Achievements", 1], [2, "Funding", 1]])
        document.save(tmp_path / "outline.pdf")
    blocks = read_pdf(tmp_path / "outline.pdf").blocks
    assert [(b.text, b.kind.value, b.level, b.bold) for b in blocks if b.bold] == [
        ("Key Achievements", "heading", 1, True),
        ("Funding", "heading", 2, True),
        ("Not bookmarked", "paragraph", None, True),
    ]


def test_outline_is_read(parsed) -> None:
    outline = parsed[BRAINTREE_2022].outline
    assert outline and all(level >= 1 and page >= 1 for level, _, page in outline)
    assert (2, "Key Achievements 2022-23", 2) in outline
    assert parsed[SAFER_ESSEX].outline == []


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("encrypted__encryption_openpassword.pdf", "encrypted: password required"),
        ("encrypted__libreoffice-writer-password.pdf", "encrypted: password required"),
        ("pages__poppler-67295-0.pdf", "invalid page tree: "),
        ("truncated__GeoTopo-komprimiert-truncated-50pct.pdf", "no readable pages"),
        ("cycle__T02-02_002_page-tree-kids-links-recursive.pdf", "no readable pages ("),
        ("notpdf__minimal_test.pdf", "not a valid PDF: "),
        ("notpdf__qpdf-fuzz-70245-zero-length.pdf", "not a valid PDF: empty file"),
        ("notpdf__generated-html-404-page.pdf", "not a PDF"),
        ("image__imagemagick-CCITTFaxDecode.pdf", "no text layer on any page"),
    ],
)
def test_unreadable_files_give_a_one_line_reason(badpdfs: Path, name: str, reason: str) -> None:
    with pytest.raises(ReaderError) as error:
        read_pdf(badpdfs / name)
    message = str(error.value)
    assert message.startswith(reason) and "\n" not in message and str(badpdfs) not in message


def test_read_file_refuses_what_is_not_a_pdf(badpdfs: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    html = tmp_path / "report.pdf"
    shutil.copy(badpdfs / "notpdf__generated-html-404-page.pdf", html)
    with pytest.raises(ReaderError, match=r"^empty file$"):
        read_file(empty)
    with pytest.raises(ReaderError, match=r"^not a PDF: starts with '<!DOCTYPE html>"):
        read_file(html)
    with pytest.raises(ReaderError, match=r"^encrypted: password required$"):
        read_file(badpdfs / "encrypted__encryption_openpassword.pdf")
    with pytest.raises(ReaderError, match=r"^not a PDF: starts with JPEG image bytes$"):
        read_file(badpdfs / "notpdf__qpdf-fuzz-69977b-jpeg-bytes.pdf")


def test_damaged_files_are_read_with_warnings(badpdfs: Path) -> None:
    cycle = read_pdf(badpdfs / "cycle__Pages-tree-refs.pdf")
    assert cycle.page_count == 2 and cycle.blocks
    assert any(w.startswith("page 2 unreadable: ") for w in cycle.warnings)
    repaired = read_pdf(badpdfs / "truncated__corruptionOneByteMissing.pdf")
    assert "file was damaged and repaired" in repaired.warnings and repaired.blocks
    govdocs = read_pdf(badpdfs / "hang__govdocs1-050734.pdf")
    assert govdocs.blocks and "no text layer on page 8 (blank)" in govdocs.warnings
    looped = read_pdf(badpdfs / "cycle__circular-toc.pdf")
    assert looped.page_count == 2 and len(looped.outline) <= 5000
