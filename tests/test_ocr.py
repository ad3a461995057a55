"""OCR of pages without a text layer, on scans made from the rendered sample PDFs.

A "scan" here is a sample page rasterised with pymupdf and put alone, as an image, on
a new PDF page: what a council's scanner gives, with the words known in advance.
"""

from __future__ import annotations

import time
from pathlib import Path

import pymupdf
import pytest
from click.testing import CliRunner

from ingest.answers.pages import page_image
from ingest.answers.queries import open_index
from ingest.cli import cli
from ingest.errors import ReaderError
from ingest.pipeline.extract import extract_file
from ingest.pipeline.ingest import ingest_paths
from ingest.pipeline.isolation import Limits
from ingest.readers import ocr
from ingest.readers.pdf import document as pdf_document
from ingest.readers.pdf import read_pdf
from ingest.readers.pdf.furniture import furniture_key

from pausing import pause_env
from samples import BRAINTREE_2022, sample

needs_tesseract = pytest.mark.skipif(
    ocr.tessdata_dir() is None,
    reason="tesseract not installed: scripts/setup.sh installs tesseract-ocr when run as root",
)

# Words on page 1 of the Braintree 2022-23 annual report.
PAGE_1_PHRASE = "make the Braintree District a safer place"


def scan_page(document: pymupdf.Document, source: pymupdf.Page, dpi: int = 150) -> None:
    """Append `source` to `document` as an image alone on a page of the same size."""
    pixmap = source.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    page = document.new_page(width=source.rect.width, height=source.rect.height)
    page.insert_image(page.rect, pixmap=pixmap)


def make_pdf(path: Path, pages: list[str]) -> Path:
    """A PDF of Braintree 2022-23 pages: "text:N" copies page N with its text layer,
    "scan:N" as an image only, "blank" is an empty page."""
    with pymupdf.open(sample(BRAINTREE_2022, "pdf")) as original, pymupdf.open() as document:
        for spec in pages:
            kind, _, number = spec.partition(":")
            if kind == "text":
                document.insert_pdf(original, from_page=int(number) - 1, to_page=int(number) - 1)
            elif kind == "scan":
                scan_page(document, original[int(number) - 1])
            else:
                document.new_page(width=original[0].rect.width, height=original[0].rect.height)
        document.save(path)
    return path


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scans")


@pytest.fixture(scope="module")
def mixed(scans: Path):
    """Page 1 with its text layer, page 2 a scan of page 5, page 3 blank: read once."""
    return read_pdf(make_pdf(scans / "mixed.pdf", ["text:1", "scan:5", "blank"]))


def texts_on(parsed, page: int) -> str:
    return " ".join(block.text for block in parsed.blocks if block.page == page)


@pytest.mark.slow
@needs_tesseract
def test_a_scanned_page_is_ocred_and_marked(scans: Path) -> None:
    path = make_pdf(scans / "scan.pdf", ["scan:1"])
    started = time.perf_counter()
    parsed = read_pdf(path)
    print(f"\nOCR of one A4 page: {time.perf_counter() - started:.2f} s")
    assert parsed.ocr_pages == [1]
    assert parsed.warnings == []
    text = " ".join(block.text for block in parsed.blocks)
    assert PAGE_1_PHRASE in text
    assert "Braintree District Community Safety Partnership" in text
    assert all(block.page == 1 and block.text for block in parsed.blocks)
    assert [block.start for block in parsed.blocks] == sorted(b.start for b in parsed.blocks)


@pytest.mark.slow
@needs_tesseract
def test_only_the_page_without_text_is_ocred(mixed, scans: Path) -> None:
    alone = read_pdf(make_pdf(scans / "page-1.pdf", ["text:1"]))
    assert mixed.ocr_pages == [2]
    assert texts_on(mixed, 1) == texts_on(alone, 1)
    assert "302 Safe and Well visits" in texts_on(mixed, 2)
    assert mixed.warnings == ["no text layer on page 3 (blank)"]
    assert [block.page for block in mixed.blocks] == sorted(b.page for b in mixed.blocks)


def test_a_page_with_text_is_never_ocred(tmp_path: Path, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("a page with text was OCR'd")

    monkeypatch.setattr(pdf_document, "ocr_page", refuse)
    parsed = read_pdf(sample(BRAINTREE_2022, "pdf"))
    assert parsed.ocr_pages == [] and parsed.blocks
    # A photo with a caption: a large image, and text enough to be the page's own.
    path = tmp_path / "photo.pdf"
    with pymupdf.open(sample(BRAINTREE_2022, "pdf")) as original, pymupdf.open() as document:
        scan_page(document, original[0], dpi=72)
        document[0].insert_text((72, 800), "Figure 1: partners at the launch of the scheme")
        document.save(path)
    captioned = read_pdf(path)
    assert captioned.ocr_pages == []
    assert [block.text for block in captioned.blocks] == [
        "Figure 1: partners at the launch of the scheme"
    ]


@needs_tesseract
def test_a_scan_with_a_stray_word_of_text_is_ocred(badpdfs: Path) -> None:
    # A full-page scanned image over a text layer of one word ("pdf.js").
    parsed = read_pdf(badpdfs / "image__scan-bad.pdf")
    assert parsed.ocr_pages == [1]
    assert [block.text for block in parsed.blocks] == ["pdf.js"]


def test_without_tesseract_reading_goes_on_and_says_why(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(ocr, "tessdata_dir", lambda: None)
    parsed = read_pdf(make_pdf(tmp_path / "mixed.pdf", ["text:1", "scan:5", "scan:6"]))
    assert parsed.ocr_pages == []
    assert texts_on(parsed, 1) and not texts_on(parsed, 2)
    assert parsed.warnings == [
        "no text layer on pages 2-3 (OCR unavailable: tesseract not installed)"
    ]
    scan = make_pdf(tmp_path / "scan.pdf", ["scan:1"])
    with pytest.raises(ReaderError) as error:
        read_pdf(scan)
    assert str(error.value) == (
        "no text layer on any page (OCR unavailable: tesseract not installed)"
    )


@pytest.mark.slow
@needs_tesseract
def test_ocr_stops_at_the_page_cap(tmp_path: Path) -> None:
    parsed = read_pdf(
        make_pdf(tmp_path / "scans.pdf", ["scan:1", "text:2", "scan:5", "scan:6"]),
        max_ocr_pages=1,
    )
    assert parsed.ocr_pages == [1]
    assert parsed.warnings == [
        "no text layer on pages 3-4 (not OCR'd: over the limit of 1 OCR'd pages per file)"
    ]


def test_the_render_for_ocr_is_capped() -> None:
    a4 = pymupdf.paper_rect("a4")
    assert ocr.ocr_dpi(a4) == ocr.OCR_DPI
    # The badpdfs poster: 44 Mpx at 150 dpi.
    poster = pymupdf.Rect(0, 0, 5661 * 72 / 150, 7711 * 72 / 150)
    dpi = ocr.ocr_dpi(poster)
    assert (poster.width / 72 * dpi) * (poster.height / 72 * dpi) <= ocr.MAX_OCR_PIXELS * 1.001
    banner = pymupdf.Rect(0, 0, 14400, 100)
    assert 14400 / 72 * ocr.ocr_dpi(banner) <= ocr.MAX_OCR_SIDE + 1
    assert ocr.ocr_dpi(pymupdf.Rect(0, 0, 0, 10)) == 0


@pytest.mark.slow
@needs_tesseract
def test_ocred_words_are_found_by_search(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "scanned-annual-report.pdf", ["scan:1", "scan:5"])
    extraction = extract_file(path)
    assert extraction.ocr_pages == [1, 2]
    assert extraction.to_dict()["ocr_pages"] == [1, 2]
    assert {document.districts[0] for document in extraction.documents} == {"Braintree"}
    shown = CliRunner().invoke(cli, ["extract", str(path)], catch_exceptions=False)
    assert "  OCR'd: pages 1-2\n" in shown.output
    index_dir = tmp_path / "index"
    report = ingest_paths([path], index_dir)
    assert not report.failed
    hits = open_index(index_dir).search(f'"{PAGE_1_PHRASE}"')
    assert [(Path(hit.source).name, hit.page) for hit in hits] == [(path.name, 1)]
    assert "«make the Braintree District a safer place»" in hits[0].snippet
    hits = open_index(index_dir).search("ECFRS visits")
    assert hits and all(hit.page == 2 for hit in hits)
    assert report.counts == {"ocr": 1}
    assert report.results[0].ocr_pages == 2


@pytest.mark.slow
@needs_tesseract
def test_a_file_whose_ocr_runs_out_of_time_is_ingested_from_its_text_layer(
    scans: Path, tmp_path: Path, monkeypatch
) -> None:
    path = make_pdf(scans / "slow.pdf", ["text:1", *(f"scan:{n}" for n in range(2, 7))])
    # The worker hangs once it starts OCR of page 2, as a slow or stuck OCR would; the
    # limit only has to be longer than reading page 1 takes.
    for name, value in pause_env("OCR:2").items():
        monkeypatch.setenv(name, value)

    report = ingest_paths([path], tmp_path / "index", limits=Limits(timeout_s=15))

    [result] = report.results
    assert result.status == "ingested", result.reason
    # OCR had two thirds of the file's 15 s; the text layer was read in the rest, and
    # the time reported is both tries' (it was the second's alone, and the two could
    # take twice the limit).
    assert result.reason == (
        "OCR timed out after 10 s during OCR of page 2: read without OCR; "
        "no text layer on pages 2-6 (not OCR'd: over the limit of 0 OCR'd pages per file)"
    )
    assert result.ocr_pages == 0
    assert 10 <= result.seconds < 2 * 15
    assert open_index(tmp_path / "index").search(f'"{PAGE_1_PHRASE}"')


@pytest.mark.slow
@needs_tesseract
def test_a_scanned_page_preview_marks_the_words(scans: Path) -> None:
    path = make_pdf(scans / "preview.pdf", ["scan:5"])
    assert page_image(path, 1, ["J9"]) != page_image(path, 1, [])


@needs_tesseract
def test_a_page_ocr_finds_nothing_on_keeps_its_few_characters(tmp_path: Path) -> None:
    path = tmp_path / "grey.pdf"
    with pymupdf.open() as document:
        page = document.new_page()
        grey = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 60, 80), False)
        grey.clear_with(128)
        page.insert_image(page.rect, pixmap=grey)
        page.insert_text((72, 72), "Page 7")
        document.save(path)
    parsed = read_pdf(path)
    assert [block.text for block in parsed.blocks] == ["Page 7"]
    assert parsed.ocr_pages == []
    assert parsed.warnings == ["almost no text on page 1 (OCR found no text)"]


def test_past_the_cap_text_less_pages_are_not_even_rendered(tmp_path: Path, monkeypatch) -> None:
    # The blank check decodes a scan's whole image; a file of thousands of scans must
    # not pay for it on every page past the cap.
    def refuse(page):
        raise AssertionError("a page past the OCR cap was rendered")

    monkeypatch.setattr(pdf_document, "is_blank", refuse)
    parsed = read_pdf(
        make_pdf(tmp_path / "many.pdf", ["text:1", "scan:5", "blank"]), max_ocr_pages=0
    )
    assert parsed.ocr_pages == []
    assert parsed.warnings == [
        "no text layer on pages 2-3 (not OCR'd: over the limit of 0 OCR'd pages per file)"
    ]


def set_upright_by_rotate(path: Path, out: Path) -> Path:
    """Each page stored sideways on a landscape page and shown upright by /Rotate 90,
    as scanners and landscape tables often are."""
    with pymupdf.open(path) as source, pymupdf.open() as document:
        for number, page in enumerate(source):
            turned = document.new_page(width=page.rect.height, height=page.rect.width)
            turned.show_pdf_page(turned.rect, source, number, rotate=90)
            turned.set_rotation(90)
        document.save(out)
    return out


def test_a_page_shown_upright_by_rotate_reads_as_shown(tmp_path: Path) -> None:
    upright = make_pdf(tmp_path / "upright.pdf", ["text:1"])
    turned = read_pdf(set_upright_by_rotate(upright, tmp_path / "turned.pdf"))
    assert turned.ocr_pages == []
    expected = read_pdf(upright)
    assert [(b.kind, b.text) for b in turned.blocks] == [(b.kind, b.text) for b in expected.blocks]


@pytest.mark.slow
@needs_tesseract
def test_a_scan_shown_upright_by_rotate_is_ocred_as_shown(tmp_path: Path) -> None:
    scan = make_pdf(tmp_path / "scan.pdf", ["scan:1"])
    parsed = read_pdf(set_upright_by_rotate(scan, tmp_path / "turned.pdf"))
    assert parsed.ocr_pages == [1]
    assert PAGE_1_PHRASE in " ".join(block.text for block in parsed.blocks)


def test_running_footers_match_however_ocr_spaced_their_punctuation() -> None:
    assert furniture_key("Annual Report 2022-23| Page 1") == furniture_key(
        "Annual Report 2022-23 | Page 5"
    )
