"""Titles and types of PDFs by the conventions of real publications: page furniture is
never a title, a meeting's papers are titled by their front page, a letter by its
request or subject.

Each convention is pinned on a PDF laid out here with pymupdf as the real publications
lay it out; where $CSP_REAL_PDFS points at the real PDFs (models/real/fetch_pdfs.md),
the real PDFs that showed it are checked against their labels too.
"""

from __future__ import annotations

import os
from pathlib import Path

import pymupdf
import pytest

from ingest.attribution.gazetteer import read_jsonl
from ingest.model import Document
from ingest.paths import MODELS_DIR
from ingest.pipeline.extract import extract_file
from ingest.training.real import main_document, same_title

BODY = (
    "The partnership brought together the council, the police, the fire service and the "
    "health service to reduce anti-social behaviour and protect vulnerable residents."
)

# A line of prose: a sentence, which no title is.
PROSE = "The partners met every month and agreed the actions, which the council then funded."


def laid_out(
    path: Path, pages: list[list[tuple[float, float, str, float, bool]]], title: str = ""
) -> Path:
    """A PDF with each page's lines placed at (x, y), in a size, bold or not, and the
    `title` in its metadata."""
    with pymupdf.open() as document:
        for lines in pages:
            page = document.new_page(width=595, height=842)
            for x, y, text, size, bold in lines:
                page.insert_text((x, y), text, fontsize=size, fontname="hebo" if bold else "helv")
        document.set_metadata({"title": title})
        document.save(path)
    return path


def body(top: float, count: int = 6) -> list[tuple[float, float, str, float, bool]]:
    return [(72, top + 16 * line, BODY[:90], 10, False) for line in range(count)]


def test_a_page_number_above_the_cover_title_is_not_the_title(tmp_path: Path) -> None:
    # Southwark's licensing policy prints "1" above its cover's title, inside the margin.
    cover = [
        (72, 110, "1", 10, False),
        (72, 200, "Licensing Act 2003", 22, True),
        (72, 240, "Statement of Licensing Policy 2026 - 2031", 22, True),
        (72, 300, "January 2026", 14, True),
    ]
    path = laid_out(tmp_path / "policy.pdf", [cover, body(100, 30)])
    (document,) = extract_file(path).documents
    assert document.title == "Licensing Act 2003 Statement of Licensing Policy 2026 - 2031"


def test_a_numbered_paragraph_mentioning_a_report_does_not_start_a_document(
    tmp_path: Path,
) -> None:
    # Lambeth's budget report numbers its paragraphs in a column of their own; "2.8 | ...
    # Financial Planning Report to Cabinet" is a paragraph, not a report's cover sheet.
    cover = [
        (72, 80, "CABINET 02 FEBRUARY 2026", 14, True),
        (
            72,
            110,
            "Report title: Revenue Budget and Medium-Term Financial Strategy 2026 to 2030",
            10,
            False,
        ),
        (72, 130, "Wards: All", 10, False),
        *body(160, 20),
    ]
    numbered = [
        (72, 80, "2.8", 10, False),
        (
            130,
            80,
            "The position as outlined in the July 2025 Financial Planning Report to Cabinet",
            10,
            False,
        ),
        *body(100, 20),
        (72, 440, "2.9", 10, False),
        (
            130,
            440,
            "The estimated share of national funding report by need has fallen this year",
            10,
            False,
        ),
        *body(460, 10),
    ]
    path = laid_out(tmp_path / "budget.pdf", [cover, numbered])
    (document,) = extract_file(path).documents
    assert document.title == "Revenue Budget and Medium-Term Financial Strategy 2026 to 2030"


def test_a_letterhead_is_not_the_title_of_a_freedom_of_information_reply(
    tmp_path: Path,
) -> None:
    letter = [
        (72, 80, "Police Headquarters", 11, False),
        (72, 94, "Priory Road", 11, False),
        (72, 108, "Hull HU5 5SF", 11, False),
        (72, 122, "Tel No: 101", 11, False),
        (72, 160, "Our ref: 01/FOI/25/006753/Z", 11, False),
        (72, 190, "Dear Ms Robinson", 11, False),
        (72, 220, "FREEDOM OF INFORMATION ACT 2000", 11, True),
        *body(240, 12),
    ]
    path = laid_out(tmp_path / "foi.pdf", [letter])
    (document,) = extract_file(path).documents
    assert document.title == "Freedom of Information request 01/FOI/25/006753/Z"


def test_a_letter_is_titled_by_its_subject_line(tmp_path: Path) -> None:
    letter = [
        (72, 80, "www.met.police.uk", 10, False),
        (72, 110, "Licensing Office", 10, False),
        (72, 124, "323 Borough High Street London SE1 1JL", 10, False),
        (72, 150, "Our ref: MD/25/2012", 10, False),
        (72, 180, "Re: Tesco 562 Rotherhithe Street SE16", 10, True),
        (72, 200, "Dear Sir/Madam,", 10, False),
        *body(220, 12),
    ]
    path = laid_out(tmp_path / "letter.pdf", [letter])
    (document,) = extract_file(path).documents
    assert document.title == "Tesco 562 Rotherhithe Street SE16"


def test_an_agenda_pack_is_titled_by_its_front_page(tmp_path: Path) -> None:
    front = [
        (72, 80, "BIRMINGHAM CITY COUNCIL", 14, True),
        (72, 120, "CABINET COMMITTEE - GROUP COMPANY GOVERNANCE", 14, True),
        (72, 144, "TUESDAY, 13 NOVEMBER 2018 AT 15:00 HOURS IN COMMITTEE ROOM 2", 12, True),
        (72, 160, "A G E N D A", 14, True),
        (72, 190, "1", 12, False),
        (110, 190, "APOLOGIES", 12, False),
        (110, 206, "To receive any apologies.", 11, False),
        (72, 230, "2", 12, False),
        (110, 230, "GROUP COMPANY - RISK REGISTER", 12, False),
        (110, 246, "Report of the Corporate Director, Finance and Governance", 11, False),
    ]
    report = [
        (72, 80, "Report to:", 12, True),
        (200, 80, "CABINET COMMITTEE - GROUP COMPANY GOVERNANCE", 12, True),
        (72, 100, "Date of Decision:", 12, True),
        (200, 100, "13 November 2018", 12, True),
        (72, 120, "Subject:", 12, True),
        (200, 120, "Group Company - Risk Register", 12, True),
        *body(150, 30),
    ]
    extraction = extract_file(laid_out(tmp_path / "pack.pdf", [front, report]))
    documents = extraction.documents
    assert [(d.title, d.doc_type.value) for d in documents] == [
        (
            "Cabinet Committee - Group Company Governance, Tuesday, 13 November 2018 – Agenda",
            "agenda",
        ),
        ("Group Company - Risk Register", "committee report"),
    ]
    # The labels of a pack describe it as a whole: its opening stands for it.
    assert main_document(extraction) is documents[0]


def test_a_meetings_papers_without_the_word_agenda_are_its_agenda(tmp_path: Path) -> None:
    # Wandsworth's licensing papers: the council's web address, the committee, the date
    # and the application, then the list of papers.
    front = [
        (72, 80, "www.wandsworth.gov.uk", 11, False),
        (72, 96, "Chief Executive: Andrew Travers", 11, False),
        (72, 200, "LICENSING SUB - COMMITTEE", 12, True),
        (72, 230, "29th January 2026", 12, True),
        (72, 260, "Putney Polish", 12, True),
        (72, 290, "NEW APPLICATION", 12, True),
    ]
    papers = [
        (72, 80, "1.", 20, False),
        (110, 80, "Application Form", 12, False),
        (72, 110, "2.", 20, False),
        (110, 110, "Letter of representation from other persons", 12, False),
        *body(140, 30),
    ]
    path = laid_out(tmp_path / "papers.pdf", [front, papers])
    (document,) = extract_file(path).documents
    assert (document.title, document.doc_type.value) == (
        "Licensing Sub-Committee, 29th January 2026 – Putney Polish – New Application",
        "agenda",
    )


def test_a_committee_reports_cover_with_a_meeting_date_is_no_agenda(tmp_path: Path) -> None:
    cover = [
        (72, 80, "CABINET 02 FEBRUARY 2026", 14, True),
        (
            72,
            110,
            "Report title: Revenue Budget and Medium-Term Financial Strategy 2026 to 2030",
            10,
            False,
        ),
        *body(140, 30),
    ]
    path = laid_out(tmp_path / "report.pdf", [cover])
    (document,) = extract_file(path).documents
    assert document.doc_type.value != "agenda"


@pytest.mark.parametrize(
    ("meeting", "doc_type"),
    [(None, "other"), ("Meeting Name: Overview and Scrutiny Committee", "committee report")],
)
def test_a_report_author_makes_a_committee_report_only_of_a_report_to_a_meeting(
    tmp_path: Path, meeting: str | None, doc_type: str
) -> None:
    # Wandsworth's independent review of the Fox House fire names its author on its
    # cover; it goes to no committee.
    cover = [
        (72, 100, "Independent Review of the Council's response to the fire", 16, False),
        (72, 130, "report dated: 31 December 2025", 16, False),
        (72, 160, "Report Author", 16, False),
        (72, 180, "Barry Quirk", 10, False),
        *([(72, 210, meeting, 10, False)] if meeting else []),
    ]
    path = laid_out(tmp_path / "review.pdf", [cover, body(100, 30)])
    (document,) = extract_file(path).documents
    assert document.doc_type.value == doc_type


def test_an_agenda_item_stamp_starts_the_items_report_at_the_top_of_its_page(
    tmp_path: Path,
) -> None:
    # ModernGov stamps "Agenda Item 7" on an item's first page; the text layer gives it
    # after the page's own text.
    front = [
        (72, 80, "Health and Social Care Scrutiny Commission", 20, True),
        (72, 110, "Tuesday 27 January 2026 7.00 pm", 12, False),
        (72, 140, "Supplemental Agenda", 20, True),
        (72, 180, "7.", 11, False),
        (110, 180, "Access to Toilets - update", 11, False),
        (450, 180, "3 - 10", 11, False),
    ]
    item = [
        (72, 80, "Briefing: Public toilets update", 14, True),
        *body(110, 30),
        (450, 800, "Agenda Item 7", 14, False),
    ]
    path = laid_out(tmp_path / "pack.pdf", [front, item])
    documents = extract_file(path).documents
    assert [(d.title, d.doc_type.value, d.page_start) for d in documents] == [
        (
            "Health and Social Care Scrutiny Commission, Tuesday 27 January 2026"
            " – Supplemental Agenda",
            "agenda",
            1,
        ),
        ("Briefing: Public toilets update", "committee report", 2),
    ]


@pytest.mark.parametrize(
    ("metadata", "title"),
    [
        (
            "Microsoft Word - Safer Colchester Partnership Plan 2019-20.docx",
            "Safer Colchester Partnership Plan 2019-20",
        ),
        ("Minutes Template", PROSE[:120]),
    ],
)
def test_a_pdfs_metadata_title_titles_it_when_its_opening_page_gives_none(
    tmp_path: Path, metadata: str, title: str
) -> None:
    # A first page of prose only; a template's name in the metadata is no title.
    lines = [(72, 100 + 14 * n, PROSE, 9, False) for n in range(40)]
    path = laid_out(tmp_path / "plan.pdf", [lines], title=metadata)
    (document,) = extract_file(path).documents
    assert document.title == title


@pytest.mark.parametrize(
    ("label", "title"),
    [
        pytest.param(
            "PUBLIC Agenda Item 9", "Police and Crime Panel Annual Report 2019-20", id="stamp"
        ),
        pytest.param("PAPER B", "Police and Crime Panel Annual Report 2019-20", id="paper-label"),
        pytest.param("24.", "Police and Crime Panel Annual Report 2019-20", id="minute-number"),
    ],
)
def test_a_packs_label_for_a_paper_is_not_its_title(tmp_path: Path, label: str, title: str) -> None:
    # Derbyshire's panel paper opens with the committee system's stamp, Basingstoke's
    # joint scrutiny minutes with "PAPER B"; the text copies keep them.
    path = tmp_path / "paper.txt"
    path.write_text(f"{label}\n\n{title}\n\n1. Purpose of the report\n\n{BODY}\n")
    (document,) = extract_file(path).documents
    assert document.title == title


REAL_PDF_LABELS = {row["id"]: row for row in read_jsonl(MODELS_DIR / "real" / "pdf_labels.jsonl")}


def real_pdf(pdf_id: str) -> Document:
    folder = os.environ.get("CSP_REAL_PDFS")
    name = REAL_PDF_LABELS[pdf_id]["file"]
    if not folder or not (Path(folder) / name).exists():
        pytest.skip("no real PDFs here: set CSP_REAL_PDFS (models/real/fetch_pdfs.md)")
    document = main_document(extract_file(Path(folder) / name))
    assert document is not None
    return document


@pytest.mark.parametrize(
    "pdf_id",
    [
        pytest.param("01", id="page-number-above-the-cover"),
        pytest.param("02", id="list-of-tables-row"),
        pytest.param("07", id="letter-subject-line"),
        pytest.param("08", id="agenda-front-page"),
        pytest.param("09", id="numbered-minute-row"),
        pytest.param("10", id="web-address-letterhead"),
        pytest.param("11", id="numbered-paragraph-row"),
        pytest.param("12", id="section-number-row"),
        pytest.param("13", id="ocr-map-cover"),
        pytest.param("15", id="letter-enclosing-papers"),
        pytest.param("17", id="foi-reference"),
        pytest.param("18", id="foi-letterhead"),
        pytest.param("19", id="foi-contact-fields"),
        pytest.param("20", id="table-header-row"),
        pytest.param("22", id="agenda-spaced-capitals"),
    ],
)
def test_a_real_pdfs_title_is_the_one_its_front_page_gives(pdf_id: str) -> None:
    document = real_pdf(pdf_id)
    assert same_title(document.title, REAL_PDF_LABELS[pdf_id]["title"]), document.title


@pytest.mark.parametrize("pdf_id", ["03", "04", "08", "09", "10", "11", "12", "15", "22"])
def test_a_real_pdfs_type_is_its_labelled_type(pdf_id: str) -> None:
    assert real_pdf(pdf_id).doc_type.value == REAL_PDF_LABELS[pdf_id]["doc_type"]
