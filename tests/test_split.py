"""Splitting and titles on documents shaped like English and Welsh councils' publications.

Each is written here as such a council lays it out and read back through the whole
extraction path, from a text file or a PDF rendered from it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.render import render_pdf
from ingest.pipeline.extract import extract_file

LOREM = (
    "Partners worked together throughout the year to reduce anti-social behaviour, "
    "support victims of domestic abuse and protect young people from exploitation. "
)


def written(text: str, folder: Path, suffix: str) -> Path:
    """`text` as a text file, or laid out as a PDF for the PDF reader's path."""
    path = folder / f"document{suffix}"
    if suffix == ".pdf":
        render_pdf(text, path)
    else:
        path.write_text(text)
    return path


# The standard English council report template: each field's label on its own line.
ROTHERHAM_COVER = """Public Report
Overview and Scrutiny Management Board

Committee Name and Date of Committee Meeting
Overview and Scrutiny Management Board – 16 November 2022

Report Title
Safer Rotherham Partnership Annual Report 2021/22

Is this a Key Decision and has it been included on the Forward Plan?
No, but it has been included on the Forward Plan

Report Author(s)
Sam Barstow, Head of Community Safety and Regulatory Services

Report Summary
This report presents the Safer Rotherham Partnership (SRP) Annual Report for 2021/22 and \
sets out progress against the priorities in the Safer Rotherham Partnership Plan 2022-2025.

{references}

1. Background
1.1 The Safer Rotherham Partnership is the statutory community safety partnership for the \
Borough of Rotherham under the Crime and Disorder Act 1998. {lorem}

2. Key Issues
2.1 In 2021/22, total recorded crime in Rotherham was 30,642 offences. {lorem}
"""

REFERENCES_ON_THE_NEXT_LINE = """List of Appendices Included
Appendix 1 – Safer Rotherham Partnership Annual Report 2021/22

Background Papers
Safer Rotherham Partnership Plan 2022-2025"""

REFERENCES_ON_THEIR_OWN_LINES = """List of Appendices Included

Appendix 1 – Safer Rotherham Partnership Annual Report 2021/22

Appendix 2 – Safer Rotherham Partnership Plan 2022-2025

Background Papers

Safer Rotherham Partnership Plan 2022-2025"""


def rotherham_report(references: str) -> str:
    return ROTHERHAM_COVER.format(references=references, lorem=LOREM * 2)


@pytest.mark.parametrize("references", [REFERENCES_ON_THE_NEXT_LINE, REFERENCES_ON_THEIR_OWN_LINES])
@pytest.mark.parametrize("suffix", [".txt", ".pdf"])
def test_a_reports_list_of_appendices_and_background_papers_do_not_start_documents(
    tmp_path: Path, references: str, suffix: str
) -> None:
    documents = extract_file(written(rotherham_report(references), tmp_path, suffix)).documents
    assert [(d.title, d.doc_type.value) for d in documents] == [
        ("Safer Rotherham Partnership Annual Report 2021/22", "committee report")
    ]


def test_the_appendix_a_report_lists_still_starts_its_own_document(tmp_path: Path) -> None:
    path = tmp_path / "pack.txt"
    path.write_text(
        rotherham_report(REFERENCES_ON_THE_NEXT_LINE)
        + "\nAppendix 1\n\nSafer Rotherham Partnership Annual Report 2021/22\n\nForeword\n"
        + LOREM * 4
    )
    documents = extract_file(path).documents
    assert [(d.title, d.doc_type.value) for d in documents] == [
        ("Safer Rotherham Partnership Annual Report 2021/22", "committee report"),
        ("Safer Rotherham Partnership Annual Report 2021/22", "annual report"),
    ]


@pytest.mark.parametrize(
    ("opening", "title", "years"),
    [
        pytest.param(
            "Safer Lincolnshire Partnership\nStrategic Assessment 2022\n"
            "Reporting period: year ending September 2022\n\n1. Introduction\n",
            "Safer Lincolnshire Partnership Strategic Assessment 2022",
            (2022, 2022),
            id="field-label",
        ),
        pytest.param(
            "Safer Cornwall\nSafer Cornwall Partnership Strategic Assessment FY22/23\n"
            "Summary for the Safer Cornwall Partnership Board, June 2023\n\nPurpose\n",
            "Safer Cornwall Partnership Strategic Assessment FY22/23",
            (2022, 2022),
            id="letterhead-and-audience",
        ),
        pytest.param(
            "Community Safety Partnership Richmond upon Thames\nStrategic Assessment 2022\n"
            "Covering the financial year 2021-22\n\nIntroduction\n",
            "Community Safety Partnership Richmond upon Thames Strategic Assessment 2022",
            (2021, 2021),
            id="sentence",
        ),
    ],
)
def test_a_plain_text_title_stops_where_its_lines_run_on(
    tmp_path: Path, opening: str, title: str, years: tuple[int, int]
) -> None:
    path = tmp_path / "assessment.txt"
    path.write_text(opening + LOREM * 4)
    (document,) = extract_file(path).documents
    assert document.title == title
    # What ran on still dates the document: "Covering the financial year 2021-22".
    assert (document.year_from, document.year_to) == years


def test_a_title_running_on_into_more_title_words_is_kept_whole(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "Safer Stockton Partnership\nPartnership Plan 2022-2025 Year Two Refresh\n\n" + LOREM * 4
    )
    (document,) = extract_file(path).documents
    assert (
        document.title == "Safer Stockton Partnership Partnership Plan 2022-2025 Year Two Refresh"
    )


BABERGH_COVER = (
    "BABERGH DISTRICT COUNCIL and MID SUFFOLK DISTRICT COUNCIL\n\n"
    "TO: Joint Overview and Scrutiny Committee\tREPORT NUMBER: JOS/23/12\n"
    "FROM: Cabinet Member for Communities\tDATE OF MEETING: 18 September 2023\n"
    "OFFICER: Sara Wilcock, Corporate Manager – Communities\tKEY DECISION REF NO. Item not on "
    "Forward Plan\n\n"
    "{subject}\n\n"
    "1. PURPOSE OF REPORT\n"
    "1.1 To enable the Committee to carry out its statutory scrutiny of crime and disorder for "
    "Babergh and Mid Suffolk for the financial year 2022/23. {lorem}\n\n"
    "2. KEY INFORMATION\n"
    "2.1 Total recorded crime in Babergh was 4,975 offences in 2022/23. {lorem}\n"
)


@pytest.mark.parametrize(
    "subject",
    [
        "COMMUNITY SAFETY – ANNUAL SCRUTINY OF CRIME AND DISORDER 2022/23",
        "Title of Report: Community Safety – Annual Scrutiny of Crime and Disorder 2022/23",
    ],
)
@pytest.mark.parametrize("suffix", [".txt", ".pdf"])
def test_a_cover_sheets_subject_line_is_the_title_over_its_letterhead(
    tmp_path: Path, subject: str, suffix: str
) -> None:
    text = BABERGH_COVER.format(subject=subject, lorem=LOREM * 2)
    (document,) = extract_file(written(text, tmp_path, suffix)).documents
    assert document.title == "Community Safety – Annual Scrutiny of Crime and Disorder 2022/23"
    assert document.doc_type.value == "committee report"
    # The subject's year, not the meeting date's 2023.
    assert (document.year_from, document.year_to) == (2022, 2022)
    assert sorted(document.districts) == ["Babergh", "Mid Suffolk"]


CHERWELL_PACK = (
    "Cherwell District Council\nOverview and Scrutiny Committee\nTuesday 19 July 2022 at 6.30 pm"
    "\n\nAgenda\n\n1. Apologies for Absence\n2. Declarations of Interest\n3. Minutes\n"
    "4. Community Safety Partnership Update and Action Plan 2022/23 (Pages 5 - 18)\n"
    "5. Work Programme\n\n"
    "Cherwell District Council Overview and Scrutiny Committee 19 July 2022\n\n"
    "Community Safety Partnership Update\n\n"
    "Report of Assistant Director – Regulatory Services and Community Safety\n\n"
    "Purpose of report\nTo update the Committee on the work of the Cherwell Community Safety "
    "Partnership during 2021/22. {lorem}\n\n"
    "1.0 Recommendations\nThe meeting is recommended to note the progress made. {lorem}\n\n"
    "Appendix 1\n\nCherwell Community Safety Partnership Action Plan 2022/23\n\n"
    "Priority\tAction\tLead agency\tTarget date\n"
    "Anti-social behaviour\tHold monthly Problem Solving Meetings\tThames Valley Police\t"
    "March 2023\n"
)

DENBIGHSHIRE_PACK = (
    "# Cyngor Sir Ddinbych / Denbighshire County Council\n\n## Communities Scrutiny Committee"
    "\n\n### Thursday 9 June 2022, 10.00am, Council Chamber, County Hall, Ruthin\n\n"
    "**Agenda**\n\n1. Apologies\n2. Minutes of the last meeting\n"
    "3. Conwy and Denbighshire Community Safety Partnership (Pages 7 - 20)\n\n"
    "Report to: Communities Scrutiny Committee\n\nDate of meeting: 9 June 2022\n\n"
    "Report author: Community Safety Partnership Manager\n\n"
    "Title: Conwy and Denbighshire Community Safety Partnership\n\n"
    "#### 1. What is the report about?\n\n1.1 The report is about the Partnership's delivery "
    "in 2021/22. {lorem}\n\n##### Appendix 1\n\n"
    "# Partneriaeth Diogelwch Cymunedol Conwy a Sir Ddinbych\n\n"
    "# Conwy and Denbighshire Community Safety Partnership\n\n## Action Plan 2022/23\n\n"
    "| Priority | Action | Lead | Due |\n|---|---|---|---|\n"
    "| Reduce crime and disorder | Deliver Operation Scorpion in Rhyl | North Wales Police "
    "| March 2023 |\n"
)


@pytest.mark.parametrize(
    ("pack", "suffix", "expected"),
    [
        pytest.param(
            CHERWELL_PACK,
            suffix,
            [
                ("agenda", ["Cherwell"]),
                ("committee report", ["Cherwell"]),
                ("action plan", ["Cherwell"]),
            ],
            id=f"report-of-under-its-heading{suffix}",
        )
        for suffix in (".txt", ".pdf")
    ]
    + [
        pytest.param(
            DENBIGHSHIRE_PACK,
            suffix,
            [
                ("agenda", ["Denbighshire"]),
                ("committee report", ["Conwy", "Denbighshire"]),
                ("action plan", ["Conwy", "Denbighshire"]),
            ],
            id=f"report-to-with-a-title-field{suffix}",
        )
        for suffix in (".md", ".pdf")
    ],
)
def test_a_committee_report_after_a_packs_agenda_is_its_own_document(
    tmp_path: Path, pack: str, suffix: str, expected: list
) -> None:
    path = written(pack.format(lorem=LOREM * 2), tmp_path, suffix)
    documents = extract_file(path).documents
    assert [(d.doc_type.value, sorted(d.districts)) for d in documents] == expected
    assert documents[1].title in (
        "Community Safety Partnership Update",
        "Conwy and Denbighshire Community Safety Partnership",
    )
    assert documents[2].title.endswith("Community Safety Partnership Action Plan 2022/23")


@pytest.mark.parametrize("paragraphs", [5, 9], ids=["two-pages", "three-pages"])
def test_a_short_pdfs_running_footer_naming_its_title_starts_no_document(
    tmp_path: Path, paragraphs: int
) -> None:
    text = "# Wrexham Community Safety Partnership\n\n## Annual Report 2021/22\n\n" + "".join(
        f"## Priority {n}\n\n{LOREM * 5}\n\n" for n in range(1, paragraphs + 1)
    )
    pdf = tmp_path / "report.pdf"
    pages = render_pdf(
        text, pdf, footer="Wrexham Community Safety Partnership Annual Report 2021/22"
    )
    extraction = extract_file(pdf)
    assert pages == (2 if paragraphs == 5 else 3)
    assert [d.title for d in extraction.documents] == [
        "Wrexham Community Safety Partnership Annual Report 2021/22"
    ]
