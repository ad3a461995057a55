"""Document types and titles of real public pages (models/real), one convention at a time.

Each test reads a real text of models/real/docs through the whole extraction path and
checks the type and title its labeller gave it (models/real/attribution.jsonl): committee
web pages by their structure rather than by the item they discuss, and website chrome
kept out of titles and sections.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.attribution.attribute import document_type
from ingest.attribution.doctypes import classify_title
from ingest.model import Block, BlockKind, DocType, Document, DocumentSpan
from ingest.paths import MODELS_DIR
from ingest.pipeline.extract import extract_file
from ingest.readers.chrome import is_web_chrome
from ingest.readers.html import parse_html
from ingest.readers.text import read_text
from ingest.training.real import main_document

DOCS = MODELS_DIR / "real" / "docs"


def real_path(stem: str):
    (path,) = DOCS.glob(f"{stem}_*.txt")
    return path


def real(stem: str) -> Document:
    """The main document of a real text (the one with the most text, as `csp eval`)."""
    extraction = extract_file(real_path(stem))
    document = main_document(extraction)
    assert document is not None
    return document


@pytest.mark.parametrize(
    ("stem", "title"),
    [
        # "Agenda item" over a plan: the minute of the plan's discussion, not the plan.
        ("072", "Safer Peterborough Partnership Plan 2011 - 2014"),
        # "Issue - meetings ... Meeting: 13/01/2015 - Cabinet (Item 9)" over an action plan.
        ("008", "Community Safety Plan - Action Plan"),
        # Welsh: "Eitem Rhaglen" ... "Cofnodion:" over an annual report.
        ("010", "Adroddiad Blynyddol - Partneriaeth Diogelwch Cymunedol"),
        # Lines run together in the capture: the header and the item still stand apart.
        (
            "110",
            "Annual Report of The Safer Community Partnership to The Crime and Disorder Committee",
        ),
    ],
)
def test_a_committee_item_page_is_minutes_titled_by_its_item(stem: str, title: str) -> None:
    extraction = extract_file(real_path(stem))
    assert len(extraction.documents) == 1
    document = extraction.documents[0]
    assert document.doc_type == DocType.MINUTES
    assert document.title == title


def test_a_meeting_page_is_minutes_titled_by_its_committee_and_date() -> None:
    document = real("148")  # "Agenda and minutes" / "Community Safety Partnership" / date
    assert document.doc_type == DocType.MINUTES
    assert document.title == "Community Safety Partnership - Tuesday, 29th July, 2014 3.00 pm"


def test_a_town_councils_meeting_page_is_minutes() -> None:
    document = real("163")  # Leighton-Linslade Town Council's Community Safety Sub Committee
    assert document.doc_type == DocType.MINUTES
    assert document.title.startswith("Community Safety Sub Committee - Monday, 15th October")


def test_a_parish_councils_minutes_are_minutes() -> None:
    assert real("118").doc_type == DocType.MINUTES  # Chiseldon Parish Council


def test_an_executive_decision_page_is_other() -> None:
    document = real("005")  # "Issue - decisions" over an action plan's update
    assert document.doc_type == DocType.OTHER
    assert document.title == "Update on the Community Safety Action Plan 2014-15"


def test_an_opening_that_records_a_meeting_is_minutes() -> None:
    # "Report of the Town Clerk." then "The Committee received a report ...": the minute
    # of a report, not the report.
    assert real("162").doc_type == DocType.MINUTES
    # "Minutes:" in the middle of lines run together, under a sentence about an assessment.
    assert real("037").doc_type == DocType.MINUTES


@pytest.mark.parametrize(
    "stem",
    [
        "161",  # "1.0 Purpose of this Report"
        "158",  # "This report informs the Panel about ..."
        "001",  # "REPORT OF THE LEAD MEMBER FOR COMMUNITY SAFETY To the Cabinet"
    ],
)
def test_a_report_to_a_committee_is_a_committee_report(stem: str) -> None:
    assert real(stem).doc_type == DocType.COMMITTEE_REPORT


def test_a_boards_agenda_is_not_the_strategy_its_name_holds() -> None:
    document = real("054")  # "LEICESTERSHIRE SAFER COMMUNITIES STRATEGY BOARD" ... "Agenda"
    assert document.doc_type == DocType.AGENDA
    assert document.title.startswith("Leicestershire Safer Communities Strategy Board - Thursday")


@pytest.mark.parametrize(
    ("stem", "chrome"),
    [
        ("028", "Skip to main content"),
        ("009", "Neidio i'r prif gynnwys"),
        ("020", "Text size: A A A"),
        ("087", "Register to vote"),
        ("076", "Quickly exit this site by pressing the Escape key"),
        ("067", "<<"),
        ("120", "Weather disruption"),
    ],
)
def test_web_chrome_is_dropped_before_titles_are_made(stem: str, chrome: str) -> None:
    path = real_path(stem)
    assert chrome in path.read_text(encoding="utf-8")
    blocks = read_text(path).blocks
    assert not any(block.text.startswith(chrome) for block in blocks)
    assert not real(stem).title.startswith(chrome)


def test_web_chrome_is_dropped_from_html_too() -> None:
    # 020's page (a commissioner's decision) as the HTML it was captured from.
    lines = [line for line in real_path("020").read_text(encoding="utf-8").splitlines() if line]
    markup = "<body>" + "".join(f"<p>{line}</p>" for line in lines[:8]) + "</body>"
    blocks = parse_html(markup)
    assert blocks[0].text == "WPC3-0124 – Community Safety Partnership funding allocations"


@pytest.mark.parametrize(
    "line",
    [
        "Plans & pricing Sign in",
        "Skip to content",
        "Register by 26 November to vote in the general election on 12 December",
    ],
)
def test_document_hosts_and_election_banners_are_chrome(line: str) -> None:
    assert is_web_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "Community Safety Plan 2021-2024",
        "Contents",
        "Menu of services for victims",
        "Search and rescue",
    ],
)
def test_a_publications_own_lines_are_not_chrome(line: str) -> None:
    assert not is_web_chrome(line)


@pytest.mark.parametrize("stem", ["134", "036"])
def test_a_partnerships_page_telling_of_its_plan_is_not_the_plan(stem: str) -> None:
    # Safer Watford's page: its title, prose about the partnership, and only then a
    # heading "Community Safety Plan 2021-2024"; Kirklees's page likewise.
    assert real(stem).doc_type == DocType.OTHER


def test_a_partnerships_stated_priorities_for_a_year_are_its_plan() -> None:
    assert real("137").doc_type == DocType.PARTNERSHIP_PLAN  # "Our Annual Priorities 2019 to 2020"


def test_a_committee_papers_label_is_not_its_title() -> None:
    # "PAPER B" over "Minutes of the Crime and Disorder Joint Scrutiny Committee meeting ..."
    document = real("171")
    assert document.doc_type == DocType.MINUTES
    assert document.title.startswith("Minutes of the Crime and Disorder Joint Scrutiny Committee")
    assert not real("047").title.startswith("PUBLIC Agenda Item 9")


@pytest.mark.parametrize(
    ("stem", "doc_type"),
    [
        ("092", DocType.PARTNERSHIP_PLAN),  # "SAFER BARNSLEY PARTNERSHIP ANNUAL PLAN ..."
        ("067", DocType.PARTNERSHIP_PLAN),  # "2017-2019 Safer and Wrekin Strategy" (words lost)
        ("133", DocType.ANNUAL_REPORT),  # "Partnership Review 2015-2017"
        ("051", DocType.PROSPECTUS),  # "Information Brochure 2012 -13"
    ],
)
def test_a_safer_places_plan_a_partnership_review_and_a_brochure(
    stem: str, doc_type: DocType
) -> None:
    assert real(stem).doc_type == doc_type


def test_a_police_and_crime_plan_is_not_a_partnerships_plan() -> None:
    # Wiltshire and Swindon's commissioner's plan: other, by the labels' conventions.
    assert real("116").doc_type == DocType.OTHER


def test_a_publications_title_over_the_purpose_of_the_report_is_a_committee_report() -> None:
    # "COMMUNITY SAFETY ANNUAL REPORT" / "1. PURPOSE OF THE REPORT" to a scrutiny committee.
    assert real("003").doc_type == DocType.COMMITTEE_REPORT


def test_key_decisions_in_a_news_story_make_no_committee_report() -> None:
    # "... form a community planning group to make key decisions."
    assert real("127").doc_type == DocType.OTHER


def real_pdf(name: str) -> Document:
    folder = os.environ.get("CSP_REAL_PDFS")
    if not folder or not (Path(folder) / name).exists():
        pytest.skip("no real PDFs here: set CSP_REAL_PDFS (models/real/fetch_pdfs.md)")
    document = main_document(extract_file(Path(folder) / name))
    assert document is not None
    return document


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # Real PDF 02 (pdf_labels.jsonl): Southwark's licensing evidence of crime and
        # disorder by area, "CUMULATIVE IMPACT AREA POLICY ASSESSMENT REPORT".
        ("CUMULATIVE IMPACT AREA POLICY ASSESSMENT REPORT", DocType.STRATEGIC_ASSESSMENT),
        # Real PDF 14: "Kent County Council / Quarterly Performance Report / Quarter 3",
        # Appendix 1 of a Cabinet paper.
        ("Kent County Council Quarterly Performance Report", DocType.COMMITTEE_REPORT),
    ],
)
def test_titles_of_an_assessment_and_a_report_to_cabinet(title: str, expected: DocType) -> None:
    found = classify_title(title)
    assert found is not None and found[0] == expected


def test_a_planning_report_under_an_ocr_cover_is_a_committee_report() -> None:
    # Real PDF 13: Lambeth's image-only cover, read by OCR, stands above the report's
    # first page.
    cover = [
        "LAMBETH PLANNING APPLICATIONS COMMITTEE Lambeth",
        "VET KS ROD TF OCS TRIS DGRESAL IJK HLL SONOR o/ /S ayy, Works a a / wh xs)",
        "Lbs : SK » Ey",
        "G SINGER MEWS 3S id",
        "BR pn [7 A RZ",
        "PET Pty GSE",
        "V re L/ YOK UY, KON S ew 3 f VA SAD o‘ 4} Pf NO S Les SOF /, NN s \\ S y \\",
        "£S e 4 © Miva X Ge eA ~ PF ASEH KSALCSOIAES",
        "4 PRBS KS Scale:ee il © Crown Copyright and database right 2023. Ordnance Survey",
    ]
    report = [
        "Application for Planning Permission",
        "Application ref: Site: Ward: Description:",
        "24/01346/FUL 346 Clapham Road, London, SW9 9AP Stockwell West & Larkhall See "
        "appendix 1 Reason for PAC referral: The application is reported to the Planning "
        "Application Committee in accordance with the committee’s terms of reference",
    ]
    blocks = [Block(text) for text in cover] + [
        Block(text, BlockKind.HEADING if index < 2 else BlockKind.PARAGRAPH)
        for index, text in enumerate(report)
    ]
    span = DocumentSpan(0, len(blocks), report[0], None, None, "title")
    assert document_type(span, blocks, []) == DocType.COMMITTEE_REPORT


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("02_southwark_cumulative-impact-assessment.pdf", DocType.STRATEGIC_ASSESSMENT),
        ("13_lambeth_planning-committee-report.pdf", DocType.COMMITTEE_REPORT),
        ("14_kent_quarterly-performance-report.pdf", DocType.COMMITTEE_REPORT),
    ],
)
def test_real_pdfs_types(name: str, expected: DocType) -> None:
    assert real_pdf(name).doc_type == expected
