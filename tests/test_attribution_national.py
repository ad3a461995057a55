"""Attribution on documents shaped like those of other CSPs in England and Wales.

Each is written here in the way such publications are laid out, rendered to a PDF, and
read back through the whole extraction path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.render import render_pdf
from ingest.model import Document
from ingest.pipeline.extract import extract_file

LOREM = (
    "Partners worked together throughout the year to reduce anti-social behaviour, "
    "support victims of domestic abuse and protect young people from exploitation. "
)

CASES = [
    pytest.param(
        "# Community Safety Partnership\n\n## Annual Report 2019/20\n\n## Foreword\n\n" + LOREM * 4,
        {"footer": "Wealden District Council"},
        ("annual report", ["Wealden"], 2019, 2019),
        id="area-only-in-footer",
    ),
    pytest.param(
        "# Safer Stockton Partnership\n\n## Partnership Plan 2021/22 – 2023/24\n\n"
        "## Our priorities\n\n" + LOREM * 4,
        {},
        ("partnership plan", ["Stockton-on-Tees"], 2021, 2023),
        id="plan-spanning-three-years",
    ),
    pytest.param(
        "# Cardiff Community Safety Partnership\n\n## Strategic Assessment 2019\n\n"
        "## Summary\n\n" + LOREM * 4,
        {},
        ("strategic assessment", ["Cardiff"], 2019, 2019),
        id="welsh-csp-bare-year",
    ),
    pytest.param(
        "**Minutes of the Safer Sutton Partnership Board held on 14 January 2020**\n\n"
        "Present: Cllr A Smith (Chair), Supt B Jones (Metropolitan Police Service)\n\n"
        "**1. Apologies**\n\n" + LOREM * 3,
        {},
        ("minutes", ["Sutton"], 2019, 2019),
        id="standalone-minutes",
    ),
    pytest.param(
        "Report to: Overview and Scrutiny Committee\n\nReport of: Head of Community Services"
        "\n\nSubject: Community Safety Partnership Annual Report 2018/19\n\n"
        "Date: 12 September 2019\n\n**1. Purpose of the report**\n\n"
        "To present the work of the Wyre Forest Community Safety Partnership. " + LOREM * 3,
        {"footer": "Wyre Forest District Council"},
        ("committee report", ["Wyre Forest"], 2018, 2018),
        id="standalone-committee-report",
    ),
]


@pytest.mark.parametrize(("text", "layout", "expected"), CASES)
def test_unseen_document_shapes(tmp_path: Path, text: str, layout: dict, expected: tuple) -> None:
    pdf = tmp_path / "document.pdf"
    render_pdf(text, pdf, **layout)
    documents = extract_file(pdf).documents
    assert len(documents) == 1, [d.title for d in documents]
    (document,) = documents
    actual = (document.doc_type.value, document.districts, document.year_from, document.year_to)
    assert actual == expected, document.evidence


def test_a_plan_heading_inside_a_report_does_not_start_a_document(tmp_path: Path) -> None:
    text = (
        "# Safer Lambeth Partnership\n\n## Annual Report 2020/21\n\n## Our year\n\n"
        + LOREM * 4
        + "\n\n# Partnership Plan 2021/22\n\n## Priorities for next year\n\n"
        + LOREM * 3
    )
    pdf = tmp_path / "report.pdf"
    render_pdf(text, pdf)
    (document,) = extract_file(pdf).documents
    assert (document.doc_type.value, document.districts, document.year_from) == (
        "annual report",
        ["Lambeth"],
        2020,
    )
    assert document.sections[-1].year_from == 2021


def test_council_names_use_the_areas_common_names() -> None:
    from ingest.attribution.places import find_places

    (durham, hull) = find_places(["Durham County Council", "Hull City Council"])
    assert [(m.strength, m.target) for m in durham] == [("council", "County Durham")]
    assert [(m.strength, m.target) for m in hull] == [("council", "Kingston upon Hull")]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Community Safety Strategy 2020-2023", "partnership plan"),
        ("Safer Communities Plan 2019/20", "partnership plan"),
        ("Kent Community Safety Agreement 2021", "partnership plan"),
        ("Joint Strategic Intelligence Assessment 2019", "strategic assessment"),
        ("CSP Delivery Plan 2022-23", "action plan"),
        ("Annual Review 2018/19", "annual report"),
        ("Cynllun Diogelwch Cymunedol 2022-2025", "partnership plan"),
        ("Strategaeth Diogelwch Cymunedol 2020-23", "partnership plan"),
        ("Adroddiad Blynyddol 2021/22", "annual report"),
        ("Asesiad Strategol 2023", "strategic assessment"),
        ("Cynllun Gweithredu 2023-24", "action plan"),
        ("Cofnodion y Bwrdd, 14 Mawrth 2023", "minutes"),
    ],
)
def test_title_phrasings_map_to_types(title: str, expected: str) -> None:
    from ingest.attribution.doctypes import classify_title

    assert classify_title(title)[0].value == expected


SCRUTINY_REPORT = (
    "# Safer Neath Port Talbot Partnership Progress Report 2020-21\n\n"
    "## Report of the Head of Participation\n\n"
    "### Community, Finance and Strategic Scrutiny Committee – 12 January 2021\n\n"
    "Purpose: To review the performance of the Safer Neath Port Talbot Partnership against "
    "the Community Safety Plan 2019-20 and its progress during 2020-21\n\n"
    "Report Author: Community Safety Manager\n\n## 1. Introduction\n\n" + LOREM * 4
)


@pytest.mark.parametrize("suffix", [".md", ".pdf"])
def test_a_reports_heading_is_its_title_over_its_cover_sheets_purpose(
    tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"report{suffix}"
    if suffix == ".pdf":
        render_pdf(SCRUTINY_REPORT, path)
    else:
        path.write_text(SCRUTINY_REPORT)
    (document,) = extract_file(path).documents
    assert document.title == "Safer Neath Port Talbot Partnership Progress Report 2020-21"
    assert (document.doc_type.value, document.districts, document.year_from) == (
        "committee report",
        ["Neath Port Talbot"],
        2020,
    )


def test_a_letterhead_heading_leaves_the_title_to_the_cover_sheets_subject(
    tmp_path: Path,
) -> None:
    pdf = tmp_path / "report.pdf"
    render_pdf(
        "# Wyre Forest District Council\n\nReport to: Overview and Scrutiny Committee\n\n"
        "Subject: Community Safety Partnership Annual Report 2018/19\n\n"
        "Date: 12 September 2019\n\n**1. Purpose of the report**\n\n" + LOREM * 3,
        pdf,
    )
    (document,) = extract_file(pdf).documents
    assert document.title == "Community Safety Partnership Annual Report 2018/19"


@pytest.mark.parametrize("label", ["Background papers", "Background Papers", "Related documents"])
def test_a_reports_background_papers_line_does_not_start_a_document(
    tmp_path: Path, label: str
) -> None:
    pdf = tmp_path / "report.pdf"
    render_pdf(
        SCRUTINY_REPORT + f"\n\n{label}: Safer Neath Port Talbot Partnership Community Safety "
        "Plan 2019-20\n\nAppendices: None\n",
        pdf,
    )
    (document,) = extract_file(pdf).documents
    assert document.title == "Safer Neath Port Talbot Partnership Progress Report 2020-21"
    assert document.sections[-1].text.endswith("Appendices: None")


def test_a_labelled_title_naming_its_partnership_still_starts_a_document(tmp_path: Path) -> None:
    path = tmp_path / "pack.md"
    path.write_text(
        SCRUTINY_REPORT
        + "\n\n# Safer Neath Port Talbot Partnership: Community Safety Plan 2021-22\n\n"
        + LOREM * 3
    )
    titles = [document.title for document in extract_file(path).documents]
    assert titles == [
        "Safer Neath Port Talbot Partnership Progress Report 2020-21",
        "Safer Neath Port Talbot Partnership: Community Safety Plan 2021-22",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "# Newcastle Community Safety Partnership\n\n## Partnership Plan 2021/22\n\n"
            "The partnership for the borough of Newcastle-under-Lyme works with Staffordshire "
            "Police in Kidsgrove and Newcastle town centre.\n\n" + LOREM * 2,
            ["Newcastle-under-Lyme"],
            id="newcastle-under-lyme-by-its-full-name-and-force",
        ),
        pytest.param(
            "# Newcastle Community Safety Partnership\n\n## Partnership Plan 2021/22\n\n"
            "Northumbria Police and partners patrol the city centre and the Quayside.\n\n"
            + LOREM
            * 2,
            ["Newcastle upon Tyne"],
            id="newcastle-upon-tyne-by-its-force",
        ),
        pytest.param(
            "# Newcastle Community Safety Partnership\n\n## Annual Report 2021/22\n\n" + LOREM * 3,
            ["Newcastle upon Tyne"],
            id="newcastle-alone-is-the-city",
        ),
        pytest.param(
            "# Richmond Community Safety Partnership\n\n## Strategic Assessment 2019/20\n\n"
            "Recorded crime fell in Twickenham and Teddington; the Metropolitan Police "
            "Service leads on burglary.\n\n" + LOREM * 2,
            ["Richmond upon Thames"],
            id="richmond-upon-thames-by-its-towns",
        ),
        pytest.param(
            "# Richmond Community Safety Partnership\n\n## Strategic Assessment 2019/20\n\n"
            "North Yorkshire Police report rural crime across the dales around Richmond "
            "and Leyburn.\n\n" + LOREM * 2,
            ["Richmondshire"],
            id="richmondshire-by-its-force",
        ),
        pytest.param(
            "# Kingston Community Safety Partnership\n\n## Annual Report 2019/20\n\n"
            "Humberside Police and Hull City Council share the night-time economy work.\n\n"
            + LOREM
            * 2,
            ["Kingston upon Hull"],
            id="kingston-upon-hull-by-its-council",
        ),
    ],
)
def test_a_short_name_two_areas_share_is_read_from_the_documents_other_evidence(
    tmp_path: Path, text: str, expected: list[str]
) -> None:
    document = only_document(tmp_path, text)
    assert document.districts == expected, document.evidence
    assert all(section.districts == expected for section in document.sections)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "# Safer North Hampshire\n\n## Community Safety Partnership Plan 2022-2025\n\n"
            + LOREM * 3,
            ["Basingstoke and Deane", "Hart", "Rushmoor"],
            id="safer-north-hampshire-is-basingstoke-and-deane-hart-and-rushmoor",
        ),
        pytest.param(
            "# Western Suffolk Community Safety Partnership\n\n## Annual Report 2022/23\n\n"
            + LOREM * 3,
            ["Babergh", "West Suffolk", "Mid Suffolk"],
            id="western-suffolk-after-the-2019-merger",
        ),
        pytest.param(
            "# Western Suffolk Community Safety Partnership\n\n## Annual Report 2017/18\n\n"
            + LOREM * 3,
            ["Babergh", "Forest Heath", "Mid Suffolk", "St Edmundsbury"],
            id="western-suffolk-before-the-2019-merger",
        ),
    ],
)
def test_a_joint_partnerships_members_are_those_of_its_period(
    tmp_path: Path, text: str, expected: list[str]
) -> None:
    assert only_document(tmp_path, text).districts == expected


def test_a_former_districts_partnership_in_a_later_document_is_its_successors(
    tmp_path: Path,
) -> None:
    document = only_document(
        tmp_path,
        "# Westmorland and Furness Community Safety Partnership Strategic Assessment "
        "2023-24\n\n## 1. Background\n\nOn 1 April 2023 the districts of Barrow-in-Furness, "
        "Eden and South Lakeland were replaced by Westmorland and Furness Council. The former "
        "South Lakeland Community Safety Partnership and the Eden Community Safety "
        "Partnership have been brought together as one partnership.\n\n" + LOREM * 2,
    )
    assert document.districts == ["Westmorland and Furness"]
    assert all(section.districts == ["Westmorland and Furness"] for section in document.sections)


def test_a_welsh_partnership_name_first_names_the_joint_partnership(tmp_path: Path) -> None:
    document = only_document(
        tmp_path,
        "# Partneriaeth Diogelwch Cymunedol Gwynedd a Môn\n\n## Cynllun Gweithredu 2023-24\n\n"
        "The Partnership will deliver county lines awareness sessions in Bangor and Holyhead "
        "with North Wales Police.\n\n" + LOREM * 2,
    )
    assert (document.doc_type.value, document.districts, document.year_from) == (
        "action plan",
        ["Gwynedd", "Isle of Anglesey"],
        2023,
    )


def only_document(tmp_path: Path, text: str) -> Document:
    """The one document extracted from `text` written to a markdown file."""
    path = tmp_path / "document.md"
    path.write_text(text)
    (document,) = extract_file(path).documents
    return document


def test_a_local_charity_named_after_an_area_does_not_make_a_passage_that_areas(
    tmp_path: Path,
) -> None:
    document = only_document(
        tmp_path,
        "# Surrey Community Safety Agreement 2022-23\n\n"
        "## Violence against women and girls\n\n"
        "The county's outreach service is run by Reigate and Banstead Women's Aid and East "
        "Surrey Domestic Abuse Services, with Citizens Advice Waverley giving debt advice.\n\n"
        "## Town centres\n\n"
        "In Woking the partnership ran a night-time economy pilot with the town's licensees "
        "and the Business Improvement District.\n\n" + LOREM * 2,
    )
    by_heading = {section.heading_path[-1]: section.districts for section in document.sections}
    assert by_heading["Violence against women and girls"] == []
    assert by_heading["Town centres"] == ["Woking"]


def test_a_county_named_with_its_unitaries_is_the_county_not_the_unitary(
    tmp_path: Path,
) -> None:
    document = only_document(
        tmp_path,
        "# Kent Community Safety Agreement 2022-23\n\n## Serious violence\n\n"
        "Partners will prepare for the Serious Violence Duty with the Kent and Medway "
        "Violence Reduction Unit, using its needs assessment.\n\n## Town centres\n\n"
        "In Maidstone the partnership ran a night-time economy pilot with licensees.\n\n"
        + LOREM
        * 2,
    )
    by_heading = {section.heading_path[-1]: section.districts for section in document.sections}
    assert by_heading["Serious violence"] == []
    assert by_heading["Town centres"] == ["Maidstone"]
