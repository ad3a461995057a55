"""Which CSP areas real public pages are about (models/real), one rule at a time.

Each test reads a real text of models/real/docs (or, where $CSP_REAL_PDFS points at the
real PDFs, a real PDF) through the whole extraction path and checks the areas its
labeller gave it (models/real/attribution.jsonl, pdf_labels.jsonl).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.attribution.attribute import without_comparator_rows
from ingest.attribution.gazetteer import load_gazetteer
from ingest.attribution.places import find_places
from ingest.model import Block, BlockKind, Document
from ingest.paths import MODELS_DIR
from ingest.pipeline.extract import extract_file
from ingest.training.real import main_document

DOCS = MODELS_DIR / "real" / "docs"
KENT_DISTRICTS = [
    "Ashford",
    "Canterbury",
    "Dartford",
    "Dover",
    "Folkestone and Hythe",
    "Gravesham",
    "Maidstone",
    "Sevenoaks",
    "Swale",
    "Thanet",
    "Tonbridge and Malling",
    "Tunbridge Wells",
]
LEICESTERSHIRE_DISTRICTS = [
    "Blaby",
    "Charnwood",
    "Harborough",
    "Hinckley and Bosworth",
    "Melton",
    "North West Leicestershire",
    "Oadby and Wigston",
]


def real(stem: str) -> Document:
    """The main document of a real text (the one with the most text, as `csp eval`)."""
    (path,) = DOCS.glob(f"{stem}_*.txt")
    document = main_document(extract_file(path))
    assert document is not None
    return document


def real_pdf(name: str) -> Document:
    folder = os.environ.get("CSP_REAL_PDFS")
    if not folder or not (Path(folder) / name).exists():
        pytest.skip("no real PDFs here: set CSP_REAL_PDFS (models/real/fetch_pdfs.md)")
    document = main_document(extract_file(Path(folder) / name))
    assert document is not None
    return document


def test_a_room_or_street_named_after_a_place_is_not_that_place() -> None:
    (venue, street) = find_places(
        [
            "Venue: Multi-Location Meeting - Gloucester Room, Guildhall / MS Teams.",
            "LICENSING ACT 2003: AFRIKIKO, 871 OLD KENT ROAD, LONDON SE15 1NX",
        ]
    )
    assert venue == [] and street == []
    # Swansea's minutes met in the Guildhall's Gloucester Room.
    assert real("017").districts == ["Swansea"]


def test_a_councils_web_or_email_address_names_the_publisher() -> None:
    (email,) = find_places(["please contact nazyer.choudhury@haringey.gov.uk by noon"])
    assert [(m.strength, m.target) for m in email] == [("web", "Haringey")]
    # The minutes of Haringey's CSP board never name the borough.
    assert real("149").districts == ["Haringey"]


def test_a_partnerships_irregular_name_is_an_alias() -> None:
    assert real("083").districts == ["City of London"]
    assert real("084").districts == ["City of London"]


def test_the_one_area_a_page_names_once_is_its_area() -> None:
    assert real("150").districts == ["Barnet"]
    assert real("168").districts == ["Thanet"]


def test_a_bare_place_in_the_title_yields_to_the_partnership_the_minutes_are_of() -> None:
    # "Knife Crime - Liverpool City Region Approach", at a meeting of Safer Sefton Together.
    assert real("102").districts == ["Sefton"]


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        pytest.param("018", [], id="thames-valley-panel-reading-and-slough-as-examples"),
        pytest.param("130", [], id="hertfordshire-commissioner-funding-news"),
        pytest.param("160", [], id="south-yorkshire-commissioner-annual-report"),
        pytest.param("127", [], id="commissioner-fund-for-police-teams-in-pembrokeshire"),
        pytest.param("080", ["Runnymede"], id="surrey-grant-to-runnymede-not-woking-the-venue"),
        pytest.param("078", ["Elmbridge"], id="surrey-grant-to-elmbridge"),
    ],
)
def test_a_commissioners_page_is_about_the_partnerships_it_names_outright(
    stem: str, expected: list[str]
) -> None:
    assert real(stem).districts == expected


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        pytest.param("077", KENT_DISTRICTS, id="kent-csp-is-the-twelve-districts-not-medway"),
        pytest.param(
            "139", load_gazetteer().districts_in("Essex"), id="safer-essex-with-its-unitaries"
        ),
        pytest.param("054", LEICESTERSHIRE_DISTRICTS, id="leicestershire-board"),
        pytest.param(
            "052", [*LEICESTERSHIRE_DISTRICTS, "Rutland"], id="leicestershire-and-rutland-board"
        ),
        pytest.param(
            "153",
            [
                "Boston",
                "East Lindsey",
                "Lincoln",
                "North Kesteven",
                "South Holland",
                "South Kesteven",
                "West Lindsey",
            ],
            id="safer-lincolnshire-named-throughout-a-title-that-lost-it",
        ),
    ],
)
def test_a_two_tier_county_partnership_is_its_districts(stem: str, expected: list[str]) -> None:
    document = real(stem)
    assert sorted(document.districts) == sorted(expected)
    assert document.county is not None


def test_a_metropolitan_county_partnership_is_the_county_alone() -> None:
    document = real("100")  # the Safer Merseyside Partnership, the commissioner's
    assert (document.districts, document.county) == ([], "Merseyside")


def test_the_partnerships_of_places_a_title_names_are_all_their_areas() -> None:
    # "DEVON CORNWALL ISLES OF SCILLY COMMUNITY SAFETY PARTNERSHIPS": Plymouth and Torbay too.
    devon = load_gazetteer().districts_in("Devon")
    assert sorted(real("056").districts) == sorted([*devon, "Cornwall", "Isles of Scilly"])


def test_all_five_csps_of_a_county_of_five_include_the_one_not_named() -> None:
    # The mirror dropped "Bradford" and "West Yorkshire"; four CSPs are named.
    document = real("158")
    assert "Bradford" in document.districts
    assert sorted(document.districts) == load_gazetteer().districts_in("West Yorkshire")


def test_a_joint_partnership_named_throughout_covers_every_member() -> None:
    # Headed "make Broxtowe, and safer"; the brochure is South Nottinghamshire CSP's.
    assert sorted(real("051").districts) == ["Broxtowe", "Gedling", "Rushcliffe"]


@pytest.mark.parametrize("stem", ["169", "170", "171"])
def test_safer_north_hampshire_is_basingstoke_and_deane_hart_and_rushmoor(stem: str) -> None:
    assert sorted(real(stem).districts) == ["Basingstoke and Deane", "Hart", "Rushmoor"]


def test_a_welsh_partnership_name_after_a_soft_mutation() -> None:
    # "Cyd Bartneriaeth Diogelwch Cymunedol Conwy a Sir Ddinbych"
    assert sorted(real("011").districts) == ["Conwy", "Denbighshire"]


def test_a_document_after_a_placeless_header_reads_its_own_body() -> None:
    # The mirror's "Download ... Transcription" header splits off as a document first.
    assert real("060").districts == ["Cornwall"]


def test_a_county_after_north_east_is_a_part_of_it() -> None:
    line = next(
        line
        for line in next(DOCS.glob("138_*.txt")).read_text(encoding="utf-8").splitlines()
        if "North East Essex" in line
    )
    (mentions,) = find_places([line])
    assert all(mention.strength != "county" for mention in mentions)
    assert real("138").districts == ["Colchester"]


def test_a_row_of_figures_by_area_attributes_no_area() -> None:
    blocks = [
        # A benchmarking chart's row in Southwark's scrutiny pack (real PDF 08, p. 18) ...
        Block("Lambeth 60 67 61 80 36 69 W a3 91 70 102 7 106 7 Lewisham 74 46 74 68 73 63 73"),
        # ... and a row of the Safer Essex prospectus's contacts table (corpus/text/003).
        Block(
            "Braintree | Nicola Beach | Tel : 01376 552525 Email : csc@braintree.gov.uk",
            kind=BlockKind.TABLE_ROW,
        ),
    ]
    figures, contacts = without_comparator_rows(blocks, find_places([b.text for b in blocks]))
    assert figures == []
    assert {area for m in contacts for area in m.areas} == {"Braintree"}


# ---------------------------------------------------------------- real PDFs


def test_a_force_letter_naming_one_borough_throughout_is_that_boroughs() -> None:
    assert real_pdf("07_southwark_met-police-licensing-representation.pdf").districts == [
        "Southwark"
    ]


@pytest.mark.parametrize(
    "name",
    [
        "17_durham-police_foi-response.pdf",
        "18_humberside-police_foi-response.pdf",
        "19_cumbria-police_foi-response.pdf",
    ],
)
def test_a_force_response_is_the_force_areas_not_its_headquarters_town(name: str) -> None:
    assert real_pdf(name).districts == []


@pytest.mark.parametrize(
    "name",
    [
        "14_kent_quarterly-performance-report.pdf",
        "15_kent_budget-amendments-pack.pdf",
        "16_kent_health-wellbeing-activity-mapping.pdf",
    ],
)
def test_a_county_councils_report_listing_district_councils_is_the_countys(name: str) -> None:
    document = real_pdf(name)
    assert (document.districts, document.county) == ([], "Kent")


def test_a_county_documents_passage_is_not_an_outside_areas_on_its_bare_name() -> None:
    document = real_pdf("14_kent_quarterly-performance-report.pdf")
    gazetteer = load_gazetteer()
    assert any("Bexley" in section.text for section in document.sections)
    assert all(
        gazetteer.county_of(area) == "Kent"
        for section in document.sections
        for area in section.districts
    )


def test_a_councils_web_address_outweighs_a_street_named_after_another_place() -> None:
    # "www.wandsworth.gov.uk" over "379 Upper Richmond Road".
    assert real_pdf("10_wandsworth_licensing-subcommittee-papers.pdf").districts == ["Wandsworth"]


@pytest.mark.parametrize(
    "name",
    [
        "17_durham-police_foi-response.pdf",
        "18_humberside-police_foi-response.pdf",
        "19_cumbria-police_foi-response.pdf",
    ],
)
def test_a_letter_is_about_the_years_its_opening_names(name: str) -> None:
    # Freedom of Information replies of October 2025 on crimes "in the years 2019/20 to
    # 2023/24": the years asked about, not the year of the reply or its tables' last column.
    document = real_pdf(name)
    assert (document.year_from, document.year_to) == (2019, 2023)
