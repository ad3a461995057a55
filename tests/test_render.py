"""The sample texts rendered as council-like PDFs: HTML conversion, layout, determinism."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from bench.render import BODY, FIXED_DATE, render_pdf, text_to_html
from ingest.paths import CORPUS_DIR

from samples import ALL_SAMPLES, BRAINTREE_2022, sample

RENDER_SCRIPT = CORPUS_DIR / "render_pdfs.py"


def test_tab_separated_rows_become_one_table_with_spanning_header_cells() -> None:
    html = text_to_html(
        "Intro line\n\n<b>Theme</b>\t<b>Lead</b>\t<b>Notes</b>\n"
        "Top Level\t\tOffences\nRobbery\t12\t-\n\nAfter the table.\n"
    )
    assert html.count("<table>") == 1 and html.count("<tr>") == 3
    assert "<td><b>Theme</b></td><td><b>Lead</b></td>" in html
    assert '<td colspan="2">Top Level</td><td>Offences</td>' in html
    assert "<p>After the table.</p>" in html


def test_lines_of_raw_html_cells_are_table_rows_and_their_lists_are_flattened() -> None:
    html = text_to_html(
        "<p>Expand the scheme</p>\t<ul><li>First</li><li>Second</li></ul>\t<b>BDC</b>\n"
    )
    assert "<tr><td>Expand the scheme</td><td>First Second</td><td><b>BDC</b></td></tr>" in html


def test_markdown_bold_lines_paragraphs_and_headings() -> None:
    html = text_to_html(
        "# Annual Report\n\n**Cllr Frankie Ricci**\n\nChair, Braintree District\n"
        "Community Safety Partnership\n\n#### Previous Priorities\n"
    )
    assert "<h1>Annual Report</h1>" in html
    assert "<p><strong>Cllr Frankie Ricci</strong></p>" in html
    assert "<p>Chair, Braintree District\nCommunity Safety Partnership</p>" in html
    assert "<h4>Previous Priorities</h4>" in html


def test_links_keep_their_text_and_active_content_is_dropped() -> None:
    html = text_to_html(
        "See [the plan](https://example.org/plan.pdf) and <https://example.org/x>.\n\n"
        '<p onclick="x()">Kept <a href="javascript:alert(1)">text</a></p>\n\n'
        "<script>alert('x')</script>\n\n<style>p { color: red }</style>\n\n"
        "Literal &lt;script&gt; stays text.\n"
    )
    assert "href" not in html and "<script" not in html and "<style" not in html
    assert "the plan" in html and "https://example.org/x" in html and "Kept text" in html
    assert "&lt;script&gt;" in html


def test_a_single_filled_cell_reads_on_as_text() -> None:
    html = text_to_html("Q4\tMale\t\t\n\tFemale\t\t\n\tTotal\t\t\n")
    assert "<tr><td>Q4</td><td>Male</td></tr>" in html
    assert "<p>Female\nTotal</p>" in html


def test_rendering_is_deterministic(tmp_path: Path) -> None:
    text = sample(BRAINTREE_2022, "text").read_text(encoding="utf-8")
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    layout = {"header": "Header — 1 July 2020", "footer": "Footer", "outline": True}
    assert render_pdf(text, first, **layout) == render_pdf(text, second, **layout)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("stem", ALL_SAMPLES)
def test_corpus_pdfs_are_what_the_script_renders(tmp_path: Path, stem: str) -> None:
    sys.path.insert(0, str(CORPUS_DIR))
    try:
        from render_pdfs import LAYOUT
    finally:
        sys.path.remove(str(CORPUS_DIR))
    header, footer, outline = LAYOUT[stem]
    out = tmp_path / f"{stem}.pdf"
    render_pdf(
        sample(stem, "text").read_text(encoding="utf-8"),
        out,
        header=header,
        footer=footer,
        outline=outline,
    )
    committed = sample(stem, "pdf")
    assert out.read_bytes() == committed.read_bytes(), "run python corpus/render_pdfs.py"
    assert committed.stat().st_size < 1_000_000


@pytest.mark.parametrize("stem", ALL_SAMPLES)
def test_pages_look_like_a_council_document(stem: str) -> None:
    with pymupdf.open(sample(stem, "pdf")) as document:
        assert document.metadata["creationDate"] == FIXED_DATE
        for number, page in enumerate(document, start=1):
            assert page.rect == pymupdf.paper_rect("a4")
            lines = [
                line for block in page.get_text("dict")["blocks"] for line in block.get("lines", [])
            ]
            body = [line for line in lines if BODY.y0 - 10 < line["bbox"][1] < BODY.y1]
            footer = [line for line in lines if line["bbox"][1] >= BODY.y1]
            header = [line for line in lines if line["bbox"][1] <= BODY.y0 - 10]
            # Tables too wide at body size are set smaller: nothing runs off the page.
            for line in body:
                assert BODY.x0 - 1 <= line["bbox"][0] < line["bbox"][2] <= BODY.x1 + 1
            (footer_line,) = footer
            footer_text = "".join(span["text"] for span in footer_line["spans"])
            assert footer_text.endswith(f" | Page {number}")
            assert len(header) == (1 if stem.startswith(("000", "004")) else 0)
            assert all(span["size"] == 8 for line in footer + header for span in line["spans"])


def test_fonts_sizes_and_density() -> None:
    with pymupdf.open(sample(BRAINTREE_2022, "pdf")) as document:
        sizes = {}
        for span in (
            span
            for page in document
            for block in page.get_text("dict")["blocks"]
            for line in block.get("lines", [])
            for span in line["spans"]
        ):
            sizes.setdefault(span["text"].strip(), (span["size"], span["flags"] & 16))
    assert sizes["Foreword"] == (15, 16)  # h2, bold
    assert sizes["Safeguarding vulnerable young people on public transport"] == (12.5, 16)  # h3
    assert sizes["Braintree District Community Safety Partnership"] == (18, 16)  # h1
    densest = 0
    for stem in ALL_SAMPLES:
        with pymupdf.open(sample(stem, "pdf")) as document:
            densest = max(densest, *(len(page.get_text(clip=BODY).split()) for page in document))
    assert 450 <= densest <= 700  # words on the fullest page of running text


def test_only_a_single_report_has_an_outline() -> None:
    # 002 is rendered with an outline too, but its text has no markdown headings.
    for stem in ALL_SAMPLES:
        with pymupdf.open(sample(stem, "pdf")) as document:
            toc = document.get_toc()
        assert bool(toc) == (stem == BRAINTREE_2022), stem
    with pymupdf.open(sample(BRAINTREE_2022, "pdf")) as document:
        toc = document.get_toc()
    assert [2, "Foreword", 1] in toc
    assert [2, "Key Achievements 2022-23", 2] in toc
    assert all(level <= 3 for level, _, _ in toc)


@pytest.mark.slow
def test_render_script_has_help() -> None:
    result = subprocess.run(
        [sys.executable, str(RENDER_SCRIPT), "--help"], capture_output=True, text=True, check=True
    )
    assert "corpus/pdf" in result.stdout and "--text" in result.stdout
